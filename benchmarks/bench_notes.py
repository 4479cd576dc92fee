"""Benchmark: release notes of two real-shaped releases, in a history of 50 tags.

Creates a git repository (in a temporary directory, or ``--workdir``) shaped like
openedx-platform: ``openedx/envs/common.py`` star-imported by ``lms/envs/common.py`` and
``cms/envs/common.py``, each about 100 KB of code-annotations blocks (settings and
toggles), tagged ``open-release/teak.1`` to ``.25`` then ``open-release/ulmo.1`` to
``.25``: every release changes a few defaults, and ``ulmo.1`` flattens ``FEATURES`` (a
dict of flags in the LMS and the CMS before, ``FeaturesProxy(globals())`` and top-level
settings in the shared module after).  Then times ``python -m sphinx`` building a page
holding ``.. release-notes:: open-release/teak.25 open-release/ulmo.25`` for the LMS and
the CMS, each build a fresh process (``measure.py``), in interleaved rounds beside the
same builds of an empty page with opsdocs loaded (the fixed cost).  It also prints the CPU
time of the notes alone, in one process, and their size.

Run from the repository root::

    .venv/bin/python benchmarks/bench_notes.py
    .venv/bin/python benchmarks/bench_notes.py --rounds 5

Target: at most 2 s of CPU over the empty build.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import interleaved, load

TARGET = 2.0
PER_LINE = 25  # releases per release line
FLAGS = 120  # FEATURES keys, a third of them documented


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=Bench", "-c", "user.email=bench@example.com",
                    "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false", *args],
                   cwd=repo, check=True, capture_output=True)


def setting(name: str, value: str, number: int, toggle: bool = False, indent: str = "") -> str:
    """A setting under its code-annotations block, as openedx-platform writes them."""
    words = (f"Controls {name.lower().replace('_', ' ')} for the platform: the value is read "
             f"at startup and applies to every request; see the operator's guide, section "
             f"{number}, for the details and the trade-offs of changing it.")
    if toggle:
        block = [f"# .. toggle_name: {name}", "# .. toggle_implementation: DjangoSetting",
                 f"# .. toggle_default: {value}", f"# .. toggle_description: {words}",
                 "# .. toggle_use_cases: open_edx", "# .. toggle_creation_date: 2020-01-01"]
    else:
        block = [f"# .. setting_name: {name}", f"# .. setting_default: {value}",
                 f"# .. setting_description: {words}"]
    return "".join(f"{indent}{line}\n" for line in block)


def module(prefix: str, count: int, release: int, flags: str = "") -> str:
    """A settings module of *count* settings named *prefix*_N, some defaults changed by
    *release*."""
    parts = ['"""Settings."""\n\n', flags]
    for number in range(count):
        name = f"{prefix}_{number}"
        value = str(number + (release if number % 37 == release % 37 else 0))
        if number % 9 == 0:
            value = f"[{', '.join(repr(f'item-{i}') for i in range(number % 7 + 2))}]"
        parts.append(setting(name, value, number, toggle=number % 5 == 0))
        parts.append(f"{name} = {value}\n\n")
    return "".join(parts)


def features(prefix: str, flattened: bool) -> str:
    """The flags: a FEATURES dict (its keys a third documented), or top-level settings."""
    if flattened:
        return "".join(setting(f"{prefix}_FLAG_{n}", "False", n, toggle=True)
                       + f"{prefix}_FLAG_{n} = False\n\n" for n in range(FLAGS))
    body = "".join((setting(f"FEATURES['{prefix}_FLAG_{n}']", "False", n, True, "    ")
                    if n % 3 == 0 else "") + f"    '{prefix}_FLAG_{n}': False,\n"
                   for n in range(FLAGS))
    return f"FEATURES = {{\n{body}}}\n\n"


def write_release(repo: Path, line: str, release: int) -> None:
    flattened = line == "ulmo"
    number = release + (PER_LINE if flattened else 0)
    files = {
        "openedx/envs/common.py": module("SHARED", 330, number, (
            features("LMS", True) + features("CMS", True)) if flattened else ""),
        "lms/envs/common.py": "from openedx.envs.common import *  # noqa\n" + (
            "FEATURES = FeaturesProxy(globals())\n\n" if flattened else features("LMS", False))
        + module("LMS", 360, number),
        "cms/envs/common.py": "from openedx.envs.common import *  # noqa\n" + (
            "FEATURES = FeaturesProxy(globals())\n\n" if flattened else features("CMS", False))
        + module("CMS", 360, number),
    }
    for name, text in files.items():
        path = repo / name
        path.parent.mkdir(parents=True, exist_ok=True)
        for parent in (path.parent, path.parent.parent):
            (parent / "__init__.py").touch()
        path.write_text(text)


def make_repository(root: Path) -> Path:
    repo = root / "repo"
    repo.mkdir(parents=True)
    git(repo, "init", "-q")
    for line in ("teak", "ulmo"):
        for release in range(1, PER_LINE + 1):
            write_release(repo, line, release)
            git(repo, "add", "-A")
            git(repo, "commit", "-q", "-m", f"{line}.{release}")
            git(repo, "tag", f"open-release/{line}.{release}")
    docs = repo / "docs"
    docs.mkdir()
    (docs / "conf.py").write_text('project = "bench"\nextensions = ["opsdocs"]\n'
                                  'html_theme = "alabaster"\n')
    (docs / "index.rst").write_text(
        "Ulmo\n====\n\n.. release-notes:: open-release/teak.25 open-release/ulmo.25\n"
        "   :date: 2026-01-01\n\n   LMS: ../lms/envs/common.py\n   CMS: ../cms/envs/common.py\n")
    empty = root / "empty"
    empty.mkdir()
    (empty / "conf.py").write_text((docs / "conf.py").read_text())
    (empty / "index.rst").write_text("Ulmo\n====\n\nNothing.\n")
    return repo


def cpu_of_notes(repo: Path) -> tuple[float, int]:
    """CPU seconds of the notes alone in this process, and the lines of their text."""
    from opsdocs.changelog.release_notes import Service, release_notes
    from opsdocs.changelog.release_notes_text import notes_text

    start = time.process_time()
    notes = release_notes("open-release/teak.25", "open-release/ulmo.25", [
        Service("LMS", repo / "lms/envs/common.py"), Service("CMS", repo / "cms/envs/common.py")])
    text = notes_text(notes, "rst")
    return time.process_time() - start, text.count("\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3,
                        help="interleaved rounds of the builds compared (medians reported)")
    parser.add_argument("--workdir", type=Path, help="keep the repository here")
    args = parser.parse_args()
    root = args.workdir or Path(tempfile.mkdtemp(prefix="opsdocs-bench-notes-"))
    if args.workdir:
        shutil.rmtree(root, ignore_errors=True)
        root.mkdir(parents=True)
    start = time.perf_counter()
    repo = make_repository(root)
    sizes = ", ".join(f"{path.relative_to(repo)} {path.stat().st_size // 1024} KB" for path in
                      sorted(repo.glob("*/envs/common.py")))
    print(f"repository: {2 * PER_LINE} tags ({time.perf_counter() - start:.1f} s to make): "
          f"{sizes}")
    print(f"{args.rounds} interleaved rounds, {load()} at the start", flush=True)
    python = sys.executable
    results = interleaved([("empty page", python, root / "empty", root / "out-empty"),
                           ("release notes", python, repo / "docs", root / "out")],
                          args.rounds, allow_warnings=False)
    print(f"{load()} at the end")
    for label, runs in results.items():
        print(f"{label:<14} median CPU {runs.cpu:.2f} s ({runs.spread() or 'one round'}), "
              f"wall {runs.wall:.2f} s")
    over = sorted(ours.seconds - theirs.seconds for ours, theirs in zip(
        results["release notes"].builds, results["empty page"].builds, strict=True))
    median = statistics.median(over)
    print(f"over the empty build, CPU s: median {median:.2f}, round by round {over[0]:.2f} to "
          f"{over[-1]:.2f} ({'meets' if median <= TARGET else 'MISSES'} the {TARGET:.0f} s "
          "target)")
    alone, lines = min(cpu_of_notes(repo) for _ in range(args.rounds))
    print(f"the notes alone, in one process: {alone:.2f} s CPU (best of {args.rounds}), "
          f"{lines} lines of reStructuredText")
    if not args.workdir:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
