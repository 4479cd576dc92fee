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

    .venv/bin/python benchmarks/bench_upgrade.py [--releases 50] [--settings 1000] [--repeat 3]

Target: the upgrade report within the changelog's budget, 3 s over the empty build.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_changelog import PACKAGE, build, git, make_repository

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


def timed(*argv: str | Path, cwd: Path) -> float:
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "opsdocs.cli", *map(str, argv)], cwd=cwd,
                            capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode not in (0, 1) or "Traceback" in result.stderr:
        sys.exit(f"opsdocs {argv[0]} failed:\n{result.stderr}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--releases", type=int, default=50)
    parser.add_argument("--settings", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs")
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
          f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")

    def best(run: object) -> float:
        return min(run() for _ in range(args.repeat))  # type: ignore[operator]

    version = best(lambda: timed("--version", cwd=root))
    empty = best(lambda: build(root / "empty", root / "out-empty", fresh=True))
    upgrade = best(lambda: timed("upgrade", config, "--from", first, "--to", last,
                                 "--settings", settings, cwd=root))
    from_snapshots = best(lambda: timed("upgrade", config, "--from", first, "--to", last,
                                        "--snapshots", snapshots, cwd=root))
    rows = [("opsdocs --version (start-up)", version),
            ("empty Sphinx build with opsdocs", empty),
            (f"opsdocs upgrade, {args.releases} git tags, cold", upgrade),
            (f"opsdocs upgrade, {args.releases} snapshots, cold", from_snapshots)]
    width = max(len(label) for label, _ in rows)
    for label, seconds in rows:
        print(f"{label:<{width}}  {seconds:6.2f} s")
    for label, seconds in rows[2:]:
        over = seconds - empty
        verdict = "meets" if over < TARGET else "MISSES"
        print(f"{label}: {over:.2f} s over the empty build ({verdict} the {TARGET:.0f} s "
              f"budget), {seconds - version:.2f} s over start-up, "
              f"{seconds / empty:.2f}x the empty build")
    shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
