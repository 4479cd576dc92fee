"""Benchmark: release notes of two real-shaped releases, in a history of 50 tags.

Creates a git repository (in a temporary directory, or ``--workdir``) shaped like
openedx-platform: ``openedx/envs/common.py`` star-imported by ``lms/envs/common.py`` and
``cms/envs/common.py``, each about 100 KB of code-annotations blocks (settings and
toggles), tagged ``open-release/teak.1`` to ``.25`` then ``open-release/ulmo.1`` to
``.25``: every release changes a few defaults, and ``ulmo.1`` flattens ``FEATURES`` (a
dict of flags in the LMS and the CMS before, ``FeaturesProxy(globals())`` and top-level
settings in the shared module after); beside them, code trees (``lms``, ``cms``,
``openedx``: apps with a ``toggles.py`` of waffle flags and modules without toggles, one
flag added each release).  Then times ``python -m sphinx`` building a page holding
``.. release-notes:: open-release/teak.25 open-release/ulmo.25`` for the LMS and the CMS
with their code trees' toggles (``LMS toggles: ../lms ../openedx``), each build a fresh
process (``measure.py``), in interleaved rounds beside the same builds of an empty page
with opsdocs loaded (the fixed cost).  It also prints the CPU time of the notes alone, in
one process (its ``git`` processes counted), and their size.

With ``--real REPO``, the same for a repository of real openedx-platform trees tagged
``open-release/teak.1`` and ``open-release/ulmo.1`` (``--make-real MIRROR NEWEST`` makes
it: the trees ``lms cms openedx common xmodule`` of MIRROR's HEAD, then the settings
modules of the folder NEWEST on top; a vendored copy of a package's toggles under
``lms/.venv``, which the notes must not list): the notes with and without the code trees,
their counts, and the CPU time of each over the empty build.

Run from the repository root::

    .venv/bin/python benchmarks/bench_notes.py
    .venv/bin/python benchmarks/bench_notes.py --rounds 5
    .venv/bin/python benchmarks/bench_notes.py --make-real MIRROR NEWEST --real /tmp/real

Target: at most 2 s of CPU over the empty build.
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
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import git, interleaved, load, over_empty

TARGET = 2.0
PER_LINE = 25  # releases per release line
FLAGS = 120  # FEATURES keys, a third of them documented
APPS = 40  # apps in each code tree: a toggles module and MODULES modules without toggles
MODULES = 5
TREES: dict[str, tuple[str, ...]] = {"LMS": ("lms", "openedx"), "CMS": ("cms", "openedx")}
REAL_TREES: dict[str, tuple[str, ...]] = {"LMS": ("lms", "openedx", "common", "xmodule"),
              "CMS": ("cms", "openedx", "common", "xmodule")}


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


def toggles_module(app: str, number: int) -> str:
    """An app's toggles: four flags, and one more for each release that added one here."""
    flags = [f"{app}.flag_{n}" for n in range(4)] + [
        f"{app}.new_{n}" for n in range(number + 1) if n % APPS == int(app.rsplit("_", 1)[1])]
    return "from edx_toggles.toggles import WaffleFlag\n\n" + "".join(
        f"# .. toggle_name: {name}\n# .. toggle_implementation: WaffleFlag\n"
        f"# .. toggle_default: False\n# .. toggle_description: Turns on {name} for every "
        "course of the platform.\n# .. toggle_use_cases: open_edx\n"
        f"# .. toggle_creation_date: 2024-01-01\n"
        f"FLAG_{index} = WaffleFlag({name!r}, __name__)\n\n" for index, name in enumerate(flags))


def plain_module(name: str) -> str:
    """Some 4 KB of code without toggles."""
    return "".join(f"def {name}_{n}(request, course_id):\n    \"\"\"Handles one view.\"\"\"\n"
                   f"    return render(request, 'page_{n}.html', {{'course': course_id}})\n\n"
                   for n in range(30))


def write_code(repo: Path, number: int) -> None:
    """The code trees at release *number*: every module at the first, then the one app's
    toggles a release adds a flag to."""
    for tree in ("lms", "cms", "openedx"):
        for app in range(APPS):
            folder = repo / tree / "djangoapps" / f"{tree}_{app}"
            if number == 0:
                folder.mkdir(parents=True, exist_ok=True)
                for parent in (folder, folder.parent):
                    (parent / "__init__.py").touch()
                for module in range(MODULES):
                    (folder / f"views_{module}.py").write_text(plain_module(f"view_{module}"))
            if number == 0 or number % APPS == app:
                (folder / "toggles.py").write_text(toggles_module(f"{tree}_{app}", number))


def write_release(repo: Path, line: str, release: int) -> None:
    flattened = line == "ulmo"
    number = release + (PER_LINE if flattened else 0)
    write_code(repo, number - 1)
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
    notes_page(docs, repo, "open-release/teak.25", "open-release/ulmo.25", TREES)
    empty_page(root / "empty")
    return repo


def notes_page(docs: Path, repo: Path, old: str, new: str,
               trees: dict[str, tuple[str, ...]] | None) -> Path:
    """A project in *docs* whose page holds the notes of *repo*'s LMS and CMS from *old*
    to *new*, with the toggles of their code *trees* when given."""
    docs.mkdir(parents=True, exist_ok=True)
    (docs / "conf.py").write_text('project = "bench"\nextensions = ["opsdocs"]\n'
                                  'html_theme = "alabaster"\n')
    up = Path(os.path.relpath(repo, docs)).as_posix()
    lines = [f"   {name}: {up}/{name.lower()}/envs/common.py\n" for name in ("LMS", "CMS")]
    lines += [f"   {name} toggles: {' '.join(f'{up}/{tree}' for tree in names)}\n"
              for name, names in (trees or {}).items()]
    (docs / "index.rst").write_text(
        f"Ulmo\n====\n\n.. release-notes:: {old} {new}\n   :date: 2026-01-01\n\n"
        + "".join(lines))
    return docs


def empty_page(empty: Path) -> Path:
    empty.mkdir(parents=True, exist_ok=True)
    (empty / "conf.py").write_text('project = "bench"\nextensions = ["opsdocs"]\n'
                                   'html_theme = "alabaster"\n')
    (empty / "index.rst").write_text("Ulmo\n====\n\nNothing.\n")
    return empty


def cpu_of_notes(repo: Path, old: str = "open-release/teak.25",
                 new: str = "open-release/ulmo.25",
                 trees: dict[str, tuple[str, ...]] | None = None) -> tuple[float, str]:
    """CPU seconds of the notes alone in this process (with the git processes it ran), and
    their text; the toggles of the code *trees* when given."""
    from opsdocs.changelog.release_notes import Service, release_notes
    from opsdocs.changelog.release_notes_text import notes_text

    start = _cpu()
    notes = release_notes(old, new, [
        Service(name, repo / f"{name.lower()}/envs/common.py", None,
                tuple(repo / tree for tree in (trees or {}).get(name, ()))
                ) for name in ("LMS", "CMS")], date(2026, 1, 1))
    text = notes_text(notes, "rst")
    return _cpu() - start, text


def _cpu() -> float:
    return sum(usage.ru_utime + usage.ru_stime for usage in map(
        resource.getrusage, (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)))


PUBLISHED = ("published Teak -> Ulmo list: 124 toggles added, 94 removed; after "
             "normalising names about 36 new and 10 removed")


def compare(label: str, jobs: list[tuple[str, str, Path, Path]], rounds: int) -> None:
    """Build *jobs* (the empty page first) in interleaved rounds; print each one's CPU time
    and its median over the empty page's."""
    print(f"{label}: {rounds} interleaved rounds, {load()} at the start", flush=True)
    results = interleaved(jobs, rounds, allow_warnings=False)
    print(f"{load()} at the end")
    empty = results[jobs[0][0]]
    for name, runs in results.items():
        print(f"  {name:<26} median CPU {runs.cpu:.2f} s ({runs.spread() or 'one round'}), "
              f"wall {runs.wall:.2f} s")
        if name == jobs[0][0]:
            continue
        over = over_empty(runs, empty)
        median = statistics.median(over)
        print(f"  {'':<26} over the empty build: median {median:.2f} s CPU, round by round "
              f"{over[0]:.2f} to {over[-1]:.2f} ({'meets' if median <= TARGET else 'MISSES'} "
              f"the {TARGET:.0f} s target)")


def make_real(mirror: Path, newest: Path, repo: Path) -> Path:
    """*repo*: the trees of *mirror*'s HEAD tagged ``open-release/teak.1``, then *newest*'s
    settings modules on top (and a vendored package's toggles under ``lms/.venv``) tagged
    ``open-release/ulmo.1``.  Objects the mirror lacks are left out."""
    trees = sorted({tree for names in REAL_TREES.values() for tree in names})
    listed = subprocess.run(["git", "ls-tree", "-r", "HEAD", "--", *trees], cwd=mirror,
                            capture_output=True, text=True, check=True).stdout.splitlines()
    ids = "\n".join(line.split()[2] for line in listed) + "\n"
    check = subprocess.run(["git", "cat-file", "--batch-check"], cwd=mirror, input=ids,
                           capture_output=True, text=True, check=True).stdout.splitlines()
    missing = [line.split("\t", 1)[1] for line, answer in zip(listed, check, strict=True)
               if answer.endswith(" missing")]
    shutil.rmtree(repo, ignore_errors=True)
    repo.mkdir(parents=True)
    git(repo, "init", "-q")
    archive = subprocess.run(["git", "archive", "HEAD", *trees,
                              *(f":(exclude){path}" for path in missing)], cwd=mirror,
                             capture_output=True, check=True).stdout
    subprocess.run(["tar", "x"], cwd=repo, input=archive, check=True)
    release(repo, "open-release/teak.1", "2025-12-11T12:00:00")
    for folder in sorted(p for p in newest.iterdir() if p.is_dir()):
        shutil.copytree(folder, repo / folder.name, dirs_exist_ok=True)
    vendored = repo / "lms/.venv/lib/python3.11/site-packages/vendored/toggles.py"
    vendored.parent.mkdir(parents=True)
    original = (repo / "lms/djangoapps/courseware/toggles.py").read_text()
    vendored.write_text(original.replace("# .. toggle_name: ", "# .. toggle_name: vendored."))
    release(repo, "open-release/ulmo.1", "2026-04-01T12:00:00")
    print(f"{repo}: {len(missing)} file(s) the mirror lacks left out ({', '.join(missing)})")
    return repo


def release(repo: Path, tag: str, day: str) -> None:
    git(repo, "add", "-A")
    subprocess.run(["git", "-c", "user.name=Bench", "-c", "user.email=bench@example.com",
                    "-c", "commit.gpgsign=false", "commit", "-q", "-m", tag, "--date", day],
                   cwd=repo, check=True, env={**os.environ, "GIT_COMMITTER_DATE": day})
    git(repo, "tag", tag)


def real(repo: Path, root: Path, rounds: int) -> None:
    """The notes of real openedx-platform trees, with and without their code toggles."""
    old, new = "open-release/teak.1", "open-release/ulmo.1"
    python = sys.executable
    compare("real openedx-platform trees", [
        ("empty page", python, empty_page(root / "real-empty"), root / "out-real-empty"),
        ("notes, settings only", python,
         notes_page(root / "real-settings", repo, old, new, None), root / "out-real-settings"),
        ("notes with the code trees", python,
         notes_page(root / "real-trees", repo, old, new, REAL_TREES), root / "out-real-trees"),
    ], rounds)
    for trees in (None, REAL_TREES):
        seconds, text = cpu_of_notes(repo, old, new, trees)
        print(f"the notes alone, {'with' if trees else 'without'} the code trees: "
              f"{seconds:.2f} s CPU, {text.count(chr(10))} lines")
        print("".join(f"  {line}\n" for line in text.splitlines()[5:7]))
    counts = toggle_counts(repo, old, new)
    print(f"toggles, each change once (LMS and CMS together): {counts}")
    print(PUBLISHED)
    _, text = cpu_of_notes(repo, old, new, REAL_TREES)
    for copy in (".venv", "site-packages", "vendored."):
        print(f"{copy!r} in the notes: {copy in text}")


def toggle_counts(repo: Path, old: str, new: str) -> str:
    """How many toggles the notes add, remove and rename, each shared change once."""
    from opsdocs.changelog.release_notes import Service, release_notes
    from opsdocs.changelog.toggle_changes import ToggleChange

    notes = release_notes(old, new, [
        Service(name, repo / f"{name.lower()}/envs/common.py", None,
                tuple(repo / tree for tree in REAL_TREES[name])) for name in ("LMS", "CMS")],
        date(2026, 1, 1))
    found: dict[str, int] = {}
    for group in notes.groups:
        for change in group.toggles:
            key = f"{change.kind} ({'code' if isinstance(change, ToggleChange) else 'settings'})"
            found[key] = found.get(key, 0) + 1
    return ", ".join(f"{n} {key}" for key, n in sorted(found.items()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3,
                        help="interleaved rounds of the builds compared (medians reported)")
    parser.add_argument("--workdir", type=Path, help="keep the repository here")
    parser.add_argument("--real", type=Path, metavar="REPO",
                        help="also measure the notes of real openedx-platform trees there")
    parser.add_argument("--make-real", nargs=2, type=Path, metavar=("MIRROR", "NEWEST"),
                        help="make the --real repository first (see above)")
    parser.add_argument("--real-only", action="store_true", help="skip the 50-tag history")
    args = parser.parse_args()
    root = args.workdir or Path(tempfile.mkdtemp(prefix="opsdocs-bench-notes-"))
    if args.workdir:
        shutil.rmtree(root, ignore_errors=True)
        root.mkdir(parents=True)
    if args.make_real:
        mirror, newest = args.make_real
        make_real(mirror, newest, args.real or root / "real")
    if not args.real_only:
        start = time.perf_counter()
        repo = make_repository(root)
        sizes = ", ".join(f"{path.relative_to(repo)} {path.stat().st_size // 1024} KB"
                          for path in sorted(repo.glob("*/envs/common.py")))
        print(f"repository: {2 * PER_LINE} tags ({time.perf_counter() - start:.1f} s to "
              f"make): {sizes}; code trees of {3 * APPS * (MODULES + 1)} modules")
        python = sys.executable
        compare("a 50-tag history", [
            ("empty page", python, root / "empty", root / "out-empty"),
            ("release notes", python, repo / "docs", root / "out")], args.rounds)
        alone, text = min(cpu_of_notes(repo, trees=TREES) for _ in range(args.rounds))
        print(f"the notes alone, in one process: {alone:.2f} s CPU (best of {args.rounds}), "
              f"{text.count(chr(10))} lines of reStructuredText")
    if args.real or args.make_real:
        real(args.real or root / "real", root, args.rounds)
    if not args.workdir:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
