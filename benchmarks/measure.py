"""Measuring builds on a noisy machine: CPU seconds, interleaved rounds, instruction counts.

Every build is a fresh ``sphinx-build`` process.  Three measures, from least to most
repeatable:

* wall seconds, which anything else the machine runs inflates;
* CPU seconds of the build process (user + system), which load inflates much less (caches
  and frequency still vary): builds compared are run in *interleaved rounds* (one of each,
  then again), so that a slow minute slows every side of a comparison alike, and each
  round gives its own ratio;
* instructions executed, counted by ``valgrind --tool=callgrind`` (about 50 times slower),
  the same from one run to the next whatever the load (``PYTHONHASHSEED`` fixed): for
  differences of a fraction of a second, which CPU time cannot resolve.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

#: Runs sphinx-build in a fresh interpreter and reports its CPU time, with that of the
#: processes it waited for (``git``, for the changelog), and its peak memory (the resident
#: set's high-water mark: ru_maxrss would count the parent's, kept over exec).
RUN_SPHINX = """\
import re, resource, sys
from pathlib import Path
from sphinx.cmd.build import main
code = main(sys.argv[1:])
cpu = sum(usage.ru_utime + usage.ru_stime for usage in
          map(resource.getrusage, (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)))
peak = re.search(r"VmHWM:\\s*(\\d+)", Path("/proc/self/status").read_text())
print("USAGE", cpu, peak[1] if peak else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
      file=sys.stderr)
sys.exit(code)
"""

_COLLECTED = re.compile(r"==\d+== Collected : (\d+)")


@dataclass
class Build:
    """One ``sphinx-build`` run: CPU seconds, wall seconds, peak memory, warnings; with
    ``instructions``, the instructions it executed (under valgrind: its times are not)."""

    seconds: float
    wall: float
    peak_mb: float
    warnings: int
    instructions: int | None = None


@dataclass
class Runs:
    """The builds of one project, one per round."""

    builds: list[Build] = field(default_factory=list)

    @property
    def cpu(self) -> float:
        """The median CPU seconds."""
        return statistics.median(b.seconds for b in self.builds)

    @property
    def wall(self) -> float:
        return statistics.median(b.wall for b in self.builds)

    @property
    def peak_mb(self) -> float:
        return max(b.peak_mb for b in self.builds)

    @property
    def warnings(self) -> int:
        return max(b.warnings for b in self.builds)

    def spread(self) -> str:
        """The CPU seconds' range over the rounds, when there are several."""
        if len(self.builds) < 2:
            return ""
        seconds = [b.seconds for b in self.builds]
        return f"{min(seconds):.2f}-{max(seconds):.2f}"


def sphinx_command(python: str, source: Path, out: Path, builder: str = "html") -> list[str]:
    return [python, "-c", RUN_SPHINX, "-b", builder, "-q", "-d", str(out / ".doctrees"),
            str(source), str(out / builder)]


def build(python: str, source: Path, out: Path, *, fresh: bool = True,
          instructions: bool = False, allow_warnings: bool = True) -> Build:
    """Build *source* to HTML in *out* (emptied first when *fresh*) with *python*; under
    callgrind when *instructions*."""
    if fresh:
        shutil.rmtree(out, ignore_errors=True)
    command = sphinx_command(python, source, out)
    env = None
    if instructions:
        command = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *command]
        env = {**os.environ, "PYTHONHASHSEED": "0"}
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    elapsed = time.perf_counter() - start
    if result.returncode:
        sys.exit(f"build of {source} failed:\n{result.stderr}")
    [cpu, peak] = next(line.split()[1:] for line in result.stderr.splitlines()
                       if line.startswith("USAGE"))
    warnings = [line for line in result.stderr.splitlines() if "WARNING" in line]
    for line in warnings[:3]:
        print(f"  {source.name}: {line}", file=sys.stderr)
    if warnings and not allow_warnings:
        sys.exit(f"build of {source} warned:\n{result.stderr}")
    counted = _COLLECTED.search(result.stderr) if instructions else None
    if instructions and counted is None:
        sys.exit(f"no instruction count from valgrind for {source}:\n{result.stderr[-2000:]}")
    return Build(float(cpu), elapsed, int(peak) / 1024, len(warnings),
                 int(counted[1]) if counted else None)


#: One build of a comparison: its label, the Python that runs it, the project and the
#: output directory (emptied first: a cold build).
Job = tuple[str, str, Path, Path]


def interleaved(jobs: Sequence[Job], rounds: int,
                after: Callable[[dict[str, Runs]], None] | None = None, *,
                allow_warnings: bool = True) -> dict[str, Runs]:
    """Each job once per round, the order turned by one each round (so that no job always
    runs first, or right after the same one); *after* runs at the end of each round (the
    rebuilds of what the round built)."""
    results: dict[str, Runs] = {label: Runs() for label, *_ in jobs}
    for number in range(rounds):
        turn = number % len(jobs)
        for label, python, source, out in [*jobs[turn:], *jobs[:turn]]:
            results[label].builds.append(build(python, source, out,
                                                allow_warnings=allow_warnings))
        if after is not None:
            after(results)
    return results


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (5 min: {five:.1f}) on {os.cpu_count()} CPUs"


def billions(count: int | None) -> str:
    return f"{(count or 0) / 1e9:.3f} G"


def git(repo: Path, *args: str) -> None:
    """Run git in *repo* as a fixed author, signing nothing; a failure stops the benchmark."""
    subprocess.run(["git", "-c", "user.name=Bench", "-c", "user.email=bench@example.com",
                    "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false", *args],
                   cwd=repo, check=True, capture_output=True)


def ratio_over_empty(value: float, floor: float, empty: float) -> float:
    """(*value* - *empty*) / (*floor* - *empty*): what a build costs over Sphinx's fixed
    cost, as a share of what another costs over it."""
    return (value - empty) / (floor - empty)


def over_empty(runs: Runs, empty: Runs) -> list[float]:
    """CPU seconds of each of *runs* over the *empty* build of its round, sorted."""
    return sorted(ours.seconds - theirs.seconds
                  for ours, theirs in zip(runs.builds, empty.builds, strict=True))


def print_table(results: dict[str, Runs], *, peak: bool = False) -> None:
    """Each project's median CPU seconds (their range), median wall seconds and, with
    *peak*, peak memory."""
    width = max(map(len, results))
    print(f"{'':<{width}}  median CPU s (range)      wall s{'   peak MB' if peak else ''}")
    for label, runs in results.items():
        spread = f"({runs.spread()})" if runs.spread() else ""
        memory = f" {runs.peak_mb:8.0f}" if peak else ""
        print(f"{label:<{width}}  {runs.cpu:6.2f} {spread:<17} {runs.wall:7.2f}{memory}")


#: The empty pages :func:`versus` builds, by opsdocs' Python and by the other tool's.
EMPTIES = ("empty page (opsdocs' Python)", "empty page (the other's Python)")


def versus(ours: tuple[str, Path], theirs: tuple[str, Path], empty: Path, other: Path,
           out: Path, rounds: int) -> dict[str, Runs]:
    """opsdocs' project and another tool's (run by *other*, the Python of its own
    virtualenv), each beside the *empty* project built by the same Python, in interleaved
    rounds (outputs under *out*); the load is printed before and after."""
    print(f"{rounds} interleaved rounds, {load()} at the start", flush=True)
    results = interleaved([(ours[0], sys.executable, ours[1], out / "opsdocs"),
                           (theirs[0], str(other), theirs[1], out / "other"),
                           (EMPTIES[0], sys.executable, empty, out / "e1"),
                           (EMPTIES[1], str(other), empty, out / "e2")], rounds)
    print(f"{load()} at the end")
    return results


def versus_line(results: dict[str, Runs], labels: Sequence[str], target: float,
                other: str = "code-annotations") -> str:
    """opsdocs beside *other*, each over an empty page built by its own Python: *labels*
    name opsdocs' builds and the other's (:func:`versus`)."""
    ours, theirs, our_empty, their_empty = (results[label] for label in (*labels, *EMPTIES))
    each = sorted((o.seconds - e.seconds) / (t.seconds - f.seconds)
                  for o, t, e, f in zip(ours.builds, theirs.builds, our_empty.builds,
                                        their_empty.builds, strict=True))
    over_ours, over_theirs = ours.cpu - our_empty.cpu, theirs.cpu - their_empty.cpu
    return (f"over the empty builds: opsdocs {over_ours:.2f} s, {other} {over_theirs:.2f} s; "
            f"ratio of the medians {over_ours / over_theirs:.3f}, of each round: median "
            f"{statistics.median(each):.3f}, {each[0]:.3f} to {each[-1]:.3f} "
            f"(target: <= {target})")
