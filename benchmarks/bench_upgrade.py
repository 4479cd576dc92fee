"""Benchmark: ``opsdocs upgrade`` of a 200-key config across 50 releases of 1,000 settings.

Makes the repository of ``bench_changelog.py`` (50 tags of a 1,000-setting package, every
release changing defaults, adding, removing or requiring settings), writes a config that
sets 200 settings of the oldest release (every required one, then defaults), and times, in
one run, side by side:

* ``opsdocs upgrade CONFIG --from v1.0.0 --to v1.49.0`` (cold: the command line keeps no
  cache, so every release is read and parsed);
* the same through ``--snapshots`` of every release (written beforehand);
* an empty Sphinx build with opsdocs loaded, the changelog's reference point, and
  ``opsdocs --version``, the command line's own start-up.

Run from the repository root::

    .venv/bin/python benchmarks/bench_upgrade.py [--releases 50] [--settings 1000] [--rounds 3]
        [--baseline OTHER-CHECKOUT/sphinxext]

Times are CPU seconds (user + system) of each process, medians over interleaved rounds;
``--baseline`` also runs the snapshots case with another checkout's opsdocs, side by side.

Target: the upgrade report within the changelog's budget, 3 s over the empty build.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_changelog import PACKAGE, make_repository
from measure import Build, build, git, load

TARGET = 3.0
KEYS = 200


def write_config(settings: Path, path: Path) -> int:
    """A config setting *KEYS* settings of *settings* (required first); its key count."""
    from opsdocs.settings.reader import read_settings_package

    catalog = read_settings_package(settings)
    names = [s.name for s in catalog if s.required] + [s.name for s in catalog
                                                        if not s.required]
    lines = [f"{name}: '1'" for name in names[:KEYS]]
    path.write_text("# A deployment's config.\n" + "\n".join(lines) + "\n")
    return len(lines)


def timed(*argv: str | Path, cwd: Path, source: Path | None = None) -> tuple[float, float]:
    """CPU seconds (user + system) and wall seconds of one ``opsdocs`` process; with
    *source*, the opsdocs package there (another checkout's ``sphinxext``) runs instead."""
    env = {**os.environ, "PYTHONPATH": str(source)} if source else None
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "opsdocs.cli", *map(str, argv)], cwd=cwd,
                            capture_output=True, text=True, check=False, env=env)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode not in (0, 1) or "Traceback" in result.stderr:
        sys.exit(f"opsdocs {argv[0]} failed:\n{result.stderr}")
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return cpu, elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--releases", type=int, default=50)
    parser.add_argument("--settings", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3,
                        help="interleaved rounds (medians reported)")
    parser.add_argument("--baseline", type=Path,
                        help="another checkout's sphinxext, timed side by side")
    args = parser.parse_args()

    root = Path(tempfile.mkdtemp(prefix="opsdocs-bench-upgrade-"))
    repo = make_repository(root, args.releases, args.settings)
    settings = repo / PACKAGE
    first, last = "v1.0.0", f"v1.{args.releases - 1}.0"
    snapshots = root / "snapshots"
    snapshots.mkdir()
    for number in range(args.releases):
        git(repo, "checkout", "-q", f"v1.{number}.0")
        subprocess.run([sys.executable, "-m", "opsdocs.cli", "snapshot", str(settings), "-o",
                        str(snapshots / f"v1.{number}.0.json")], check=True)
    git(repo, "checkout", "-q", first)
    config = root / "config.yml"
    keys = write_config(settings, config)
    git(repo, "checkout", "-q", "-")
    print(f"{args.releases} tags of {args.settings} settings, a config of {keys} keys; "
          f"{args.rounds} interleaved rounds, {load()} at the start")

    upgrade = ("upgrade", config, "--from", first, "--to", last)
    jobs: list[tuple[str, Callable[[], tuple[float, float]]]] = [
        ("opsdocs --version (start-up)", lambda: timed("--version", cwd=root)),
        ("empty Sphinx build with opsdocs", lambda: _cpu_wall(
            build(sys.executable, root / "empty", root / "out-empty"))),
        (f"opsdocs upgrade, {args.releases} git tags, cold",
         lambda: timed(*upgrade, "--settings", settings, cwd=root)),
        (f"opsdocs upgrade, {args.releases} snapshots, cold",
         lambda: timed(*upgrade, "--snapshots", snapshots, cwd=root)),
    ]
    if args.baseline:
        jobs.append((f"the same, baseline {args.baseline}", lambda: timed(
            *upgrade, "--snapshots", snapshots, cwd=root, source=args.baseline)))
    results: dict[str, list[tuple[float, float]]] = {label: [] for label, _ in jobs}
    for number in range(args.rounds):
        turn = number % len(jobs)
        for label, job in [*jobs[turn:], *jobs[:turn]]:
            results[label].append(job())
    print(f"{load()} at the end")
    median = {label: statistics.median(cpu for cpu, _ in runs) for label, runs in results.items()}
    width = max(map(len, results))
    print(f"{'':<{width}}  median CPU s (range)   wall s")
    for label, runs in results.items():
        cpus = [cpu for cpu, _ in runs]
        print(f"{label:<{width}}  {median[label]:6.2f} ({min(cpus):.2f}-{max(cpus):.2f})  "
              f"{statistics.median(wall for _, wall in runs):7.2f}")
    empty, version = median[jobs[1][0]], median[jobs[0][0]]
    for label, _ in jobs[2:]:
        over = median[label] - empty
        verdict = "meets" if over < TARGET else "MISSES"
        print(f"{label}: {over:.2f} s CPU over the empty build ({verdict} the {TARGET:.0f} s "
              f"budget), {median[label] - version:.2f} s over start-up, "
              f"{median[label] / empty:.2f}x the empty build")
    if args.baseline:
        ours, theirs = median[jobs[3][0]], median[jobs[4][0]]
        print(f"snapshots: this checkout / baseline = {ours / theirs:.2f}")
    shutil.rmtree(root, ignore_errors=True)
    return 0


def _cpu_wall(done: Build) -> tuple[float, float]:
    return done.seconds, done.wall


if __name__ == "__main__":
    sys.exit(main())
