"""Benchmark: the feature toggles reference of a real tree, beside code-annotations.

Builds, each a fresh ``sphinx-build -b html`` process, in interleaved rounds
(``measure.py``; CPU seconds, median and range over the rounds):

* a page holding ``.. feature-toggles::`` of the tree's folders (opsdocs, with
  ``opsdocs_source_url`` set, as a project on a public repository has it);
* a page holding code-annotations' ``.. featuretoggles::`` with
  ``featuretoggles_source_path`` at the same tree (code-annotations 2.3.2 and this Sphinx,
  in the virtualenv ``bench_modules.py`` makes, ``benchmarks/_generated/code-annotations-venv``;
  never a dependency of opsdocs);
* an empty page in each environment, Sphinx's fixed cost;

then, after the rounds, opsdocs' rebuilds: nothing changed, and one toggles module touched
(the page is read again; only that file is). It checks that both pages list toggles and
prints the ratio (opsdocs - empty) / (code-annotations - empty), round by round.

The tree is a checkout of openedx-platform (its ``lms``, ``cms``, ``openedx``,
``xmodule`` and ``common`` folders, a few thousand Python files), or any tree::

    git -C openedx-platform archive HEAD lms cms openedx xmodule common | tar -x -C /tmp/oe
    .venv/bin/python benchmarks/bench_toggles.py --tree /tmp/oe
    .venv/bin/python benchmarks/bench_toggles.py --tree /tmp/oe --rounds 5

Target (issue 20): opsdocs costs at most 0.3 of code-annotations over the empty build.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from bench_modules import code_annotations_python, write_pages
from measure import Runs, build, print_table, versus, versus_line

HERE = Path(__file__).resolve().parent
DEFAULT_WORKDIR = HERE / "_generated" / "toggles"
FOLDERS = ("lms", "cms", "openedx", "xmodule", "common")


def write_projects(workdir: Path, tree: Path, folders: list[str]) -> dict[str, Path]:
    trees = " ".join(str(tree / folder) for folder in folders)
    pages = {
        "opsdocs": ("extensions = ['opsdocs.toggles']\n"
                    "opsdocs_source_url = 'https://github.com/openedx/edx-platform/blob/"
                    "master/{path}#L{line}'\n"
                    f"opsdocs_source_root = {str(tree)!r}\n",
                    f".. feature-toggles:: {trees}\n"),
        "code-annotations": (
            "extensions = ['code_annotations.contrib.sphinx.extensions.featuretoggles']\n"
            f"featuretoggles_source_path = {str(tree)!r}\n"
            "featuretoggles_repo_url = 'https://github.com/openedx/edx-platform'\n",
            ".. featuretoggles::\n"),
        "empty": ("extensions = []\n", "Nothing here.\n"),
    }
    return write_pages(workdir, pages, "Feature toggles")


def count_entries(out: Path, marker: str) -> int:
    return (out / "html" / "index.html").read_text(encoding="utf-8").count(marker)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tree", type=Path, required=True,
                        help="the tree holding the folders (an openedx-platform checkout)")
    parser.add_argument("--folders", nargs="+", default=list(FOLDERS))
    parser.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR)
    parser.add_argument("--rounds", type=int, default=3,
                        help="interleaved rounds of the builds compared (medians reported)")
    args = parser.parse_args(argv)
    tree = args.tree.resolve()
    files = sum(1 for folder in args.folders for _ in (tree / folder).rglob("*.py"))
    print(f"tree: {tree} ({', '.join(args.folders)}): {files} Python files")
    projects = write_projects(args.workdir, tree, args.folders)
    other = code_annotations_python(args.workdir.parent / "modules")
    out = args.workdir / "out"
    ours, theirs = "opsdocs .. feature-toggles::", "code-annotations .. featuretoggles::"
    results = versus((ours, projects["opsdocs"]), (theirs, projects["code-annotations"]),
                     projects["empty"], other, out, args.rounds)
    listed = (count_entries(out / "opsdocs", 'class="opsdocs-setting"'),
              count_entries(out / "other", 'id="featuretoggle-'))
    print(f"entries: opsdocs {listed[0]}, code-annotations {listed[1]}")
    rebuilds = {"no-op rebuild": build(sys.executable, projects["opsdocs"], out / "opsdocs",
                                       fresh=False)}
    touched = next(p for p in sorted((tree / args.folders[0]).rglob("toggles.py")))
    os.utime(touched)
    time.sleep(0.01)
    rebuilds[f"rebuild, {touched.relative_to(tree)} touched"] = build(
        sys.executable, projects["opsdocs"], out / "opsdocs", fresh=False)
    print_table({**results, **{label: Runs([done]) for label, done in rebuilds.items()}},
                peak=True)
    print(versus_line(results, (ours, theirs), 0.3))
    return 0


if __name__ == "__main__":
    sys.exit(main())
