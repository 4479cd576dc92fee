"""Benchmark: the settings changelog of 50 tagged releases of a 1,000-setting package.

Creates a git repository (in a temporary directory, or ``--workdir``) whose settings package
(generated as in ``bench_settings.py``) changes in every release: a few defaults, a new
setting, now and then a removed or newly required one.  Then times ``python -m sphinx``
building a page holding ``.. settings-changelog::`` of that package:

* cold: a fresh output directory, so no environment and no changelog cache;
* warm: the same build again, nothing changed (Sphinx reads nothing);
* page edited: the page changed, so the directive runs again with its cache warm;
* new tag: one more release tagged, so the history's fingerprint changes;
* the same builds, cold and warm, of an empty page with opsdocs loaded: the fixed cost.

Run from the repository root::

    .venv/bin/python benchmarks/bench_changelog.py
    .venv/bin/python benchmarks/bench_changelog.py --releases 50 --settings 1000 --repeat 3

Target: cold under 3 s over the empty build, on a 2-core machine; warm near nothing.  Wall
times suffer from anything else the machine runs, so it also prints the CPU time of
computing the changelog alone in one process, which load hardly changes.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_settings import Generator

TARGET = 3.0
PACKAGE = Path("service", "settings")
NUMBER = re.compile(r"^([A-Z][A-Z0-9_]*) = (\d+)$", re.MULTILINE)


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=Bench", "-c", "user.email=bench@example.com",
                    "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false", *args],
                   cwd=repo, check=True, capture_output=True)


def release(package: Path, number: int) -> None:
    """Change the package as a release would: defaults, a new setting, sometimes more."""
    defaults = package / "defaults.py"
    text = defaults.read_text()
    matches = list(NUMBER.finditer(text))
    for match in matches[number % 7::max(len(matches) // 4, 1)][:4]:
        text = text.replace(match.group(0), f"{match.group(1)} = {int(match.group(2)) + 1}", 1)
    text += f"\n#: Added in release {number}.\nRELEASE_{number}_SETTING = {number}\n"
    if number % 6 == 5:  # remove the setting two releases old
        text = text.replace(
            f"\n#: Added in release {number - 2}.\nRELEASE_{number - 2}_SETTING = {number - 2}\n",
            "")
    defaults.write_text(text)
    if number % 5 == 4:
        required = package / "required.py"
        required.write_text(required.read_text()
                            + f"\n#: Required since release {number}.\nRELEASE_{number}_KEY: str\n")


def make_repository(root: Path, releases: int, settings: int) -> Path:
    repo = root / "repo"
    package = repo / PACKAGE
    Generator(settings, max(settings // 10, 1), seed=45).write(package)
    git(repo.parent, "init", "-q", str(repo))
    for number in range(releases):
        if number:
            release(package, number)
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", f"Release {number}")
        git(repo, "tag", f"v1.{number}.0")
    for name, text in (("conf.py", 'project = "bench"\nextensions = ["opsdocs"]\n'
                        'html_theme = "alabaster"\n'),
                       ("index.rst", "Settings changes\n================\n\n"
                        f".. settings-changelog:: ../{PACKAGE.as_posix()}\n")):
        (repo / "docs" / name).parent.mkdir(exist_ok=True)
        (repo / "docs" / name).write_text(text)
    empty = root / "empty"
    empty.mkdir()
    (empty / "conf.py").write_text('project = "bench"\nextensions = ["opsdocs"]\n'
                                   'html_theme = "alabaster"\n')
    (empty / "index.rst").write_text("Settings changes\n================\n\nNothing.\n")
    return repo


def build(source: Path, out: Path, fresh: bool) -> float:
    if fresh:
        shutil.rmtree(out, ignore_errors=True)
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-q", str(source),
                             str(out)], capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode or "WARNING" in result.stderr:
        sys.exit(f"build of {source} failed or warned:\n{result.stderr}")
    return elapsed


def cpu_of_changelog(settings: Path) -> float:
    """CPU seconds of computing the changelog in this process: what load cannot inflate."""
    from opsdocs.changelog.cache import read_changelog
    from opsdocs.changelog.history import HistorySource

    start = time.process_time()
    read_changelog(HistorySource(settings))
    return time.process_time() - start


def best(repeat: int, run: object) -> float:
    return min(run() for _ in range(repeat))  # type: ignore[operator]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--releases", type=int, default=50)
    parser.add_argument("--settings", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3, help="best of N builds")
    parser.add_argument("--workdir", type=Path, help="keep the repository here")
    args = parser.parse_args()

    root = args.workdir or Path(tempfile.mkdtemp(prefix="opsdocs-bench-changelog-"))
    if args.workdir:
        shutil.rmtree(root, ignore_errors=True)
        root.mkdir(parents=True)
    start = time.perf_counter()
    repo = make_repository(root, args.releases, args.settings)
    print(f"repository: {args.releases} tags of {args.settings} settings "
          f"({time.perf_counter() - start:.1f} s to make) in {repo}")
    docs, out = repo / "docs", root / "out"

    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs "
          "(other work on the machine slows every number)")
    empty = best(args.repeat, lambda: build(root / "empty", root / "out-empty", fresh=True))
    empty_warm = best(args.repeat, lambda: build(root / "empty", root / "out-empty",
                                                 fresh=False))
    cold = best(args.repeat, lambda: build(docs, out, fresh=True))
    warm = best(args.repeat, lambda: build(docs, out, fresh=False))

    def edited() -> float:
        (docs / "index.rst").write_text((docs / "index.rst").read_text() + "\n")
        return build(docs, out, fresh=False)

    page = best(args.repeat, edited)
    alone = best(args.repeat, lambda: cpu_of_changelog(repo / PACKAGE))
    release(repo / PACKAGE, args.releases)
    git(repo, "commit", "-q", "-am", "One more release")
    git(repo, "tag", f"v1.{args.releases}.0")
    tagged = build(docs, out, fresh=False)

    rows = [("empty page, cold (Sphinx and opsdocs start-up)", empty),
            ("empty page, warm", empty_warm), ("changelog, cold", cold),
            ("changelog, warm (nothing changed)", warm),
            ("changelog, page edited (cache warm)", page),
            ("changelog, after a new tag", tagged),
            ("read_changelog alone, one process, CPU time", alone)]
    width = max(len(label) for label, _ in rows)
    for label, seconds in rows:
        print(f"{label:<{width}}  {seconds:6.2f} s")
    over = cold - empty
    verdict = "meets" if over < TARGET else "MISSES"
    print(f"cold over the empty build: {over:.2f} s ({verdict} the {TARGET:.0f} s target)")
    print(f"warm over the empty warm build: {warm - empty_warm:.2f} s")
    if not args.workdir:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
