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
