"""Benchmark: the settings changelog of 50 tagged releases of a 1,000-setting package.

Creates a git repository (in a temporary directory, or ``--workdir``) whose settings package
(generated as in ``bench_settings.py``) changes in every release: a few defaults, a new
setting, now and then a removed or newly required one.  Then times ``python -m sphinx``
building a page holding ``.. settings-changelog::`` of that package, each build a fresh
process (``measure.py``), in interleaved rounds beside the same builds of an empty page
with opsdocs loaded (the fixed cost):

* cold: a fresh output directory, so no environment and no changelog cache;
* warm: the same build again, nothing changed (Sphinx reads nothing);
* page edited: the page changed, so the directive runs again with its cache warm;
* new tag (once, at the end): one more release tagged, so the history's fingerprint changes.

Times are CPU seconds of each build process and the ``git`` processes it waited for, which
the machine's load inflates much less than wall time; each round gives its own difference
to the empty build, and the median and range of those are reported.  It also prints the CPU
time of computing the changelog alone in one process.

Run from the repository root::

    .venv/bin/python benchmarks/bench_changelog.py
    .venv/bin/python benchmarks/bench_changelog.py --releases 50 --settings 1000 --rounds 7

Target: cold at most 2 s of CPU over the empty build; warm near nothing.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_settings import Generator
from measure import Runs, build, git, interleaved, load, over_empty, print_table

TARGET = 2.0
PACKAGE = Path("service", "settings")
NUMBER = re.compile(r"^([A-Z][A-Z0-9_]*) = (\d+)$", re.MULTILINE)


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


def cpu_of_changelog(settings: Path) -> float:
    """CPU seconds of computing the changelog in this process: what load cannot inflate."""
    from opsdocs.changelog.cache import read_changelog
    from opsdocs.changelog.history import HistorySource

    start = time.process_time()
    read_changelog(HistorySource(settings))
    return time.process_time() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--releases", type=int, default=50)
    parser.add_argument("--settings", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5,
                        help="interleaved rounds of the builds compared (medians reported)")
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
    docs, python = repo / "docs", sys.executable
    outs = {"empty page": root / "out-empty", "changelog": root / "out"}
    print(f"{args.rounds} interleaved rounds, {load()} at the start", flush=True)

    def warm_builds(results: dict[str, Runs]) -> None:
        """After each round's cold builds: nothing changed, then the page edited."""
        for label, source in (("empty page", root / "empty"), ("changelog", docs)):
            results.setdefault(f"{label}, warm (nothing changed)", Runs()).builds.append(
                build(python, source, outs[label], fresh=False, allow_warnings=False))
        (docs / "index.rst").write_text((docs / "index.rst").read_text() + "\n")
        results.setdefault("changelog, page edited (cache warm)", Runs()).builds.append(
            build(python, docs, outs["changelog"], fresh=False, allow_warnings=False))

    results = interleaved([("empty page", python, root / "empty", outs["empty page"]),
                           ("changelog", python, docs, outs["changelog"])],
                          args.rounds, warm_builds, allow_warnings=False)
    release(repo / PACKAGE, args.releases)
    git(repo, "commit", "-q", "-am", "One more release")
    git(repo, "tag", f"v1.{args.releases}.0")
    results["changelog, after a new tag"] = Runs(
        [build(python, docs, outs["changelog"], fresh=False, allow_warnings=False)])
    print(f"{load()} at the end")

    print_table(results)
    alone = min(cpu_of_changelog(repo / PACKAGE) for _ in range(args.rounds))
    print(f"read_changelog alone, in one process: {alone:.2f} s CPU (best of {args.rounds})")
    for kind, changelog, empty in (
            ("cold", results["changelog"], results["empty page"]),
            ("warm", results["changelog, warm (nothing changed)"],
             results["empty page, warm (nothing changed)"])):
        over = over_empty(changelog, empty)
        verdict = "" if kind == "warm" else (
            f" ({'meets' if statistics.median(over) <= TARGET else 'MISSES'} the "
            f"{TARGET:.0f} s target)")
        print(f"{kind} over the empty {kind} build, CPU s: median {statistics.median(over):.2f}, "
              f"round by round {over[0]:.2f} to {over[-1]:.2f}{verdict}")
    if not args.workdir:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
