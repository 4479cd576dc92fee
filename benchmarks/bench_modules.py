"""Benchmark: the reference of an Open edX-shaped settings module, beside code-annotations.

Generates ``lms/envs/common.py`` in the shape of edx-platform's (675 module-level settings,
about 300 KB: ``#### Banner ####`` sections, 163 code-annotations blocks, 61 on settings
and 102 on toggles, 77 of those on keys of a ``FEATURES`` dict, long multi-line lists and
dicts, plain comments, names assigned twice, ``.append``/``[k] =`` changes), then times,
each a fresh ``sphinx-build -b html`` process, in interleaved rounds (``measure.py``; CPU
seconds, median and range over the rounds):

* a page holding ``.. settings-reference:: lms.envs.common`` (opsdocs);
* a page holding code-annotations' ``.. settings::`` with ``:folder_path:`` of the same
  file (code-annotations 2.3.2 and the same Sphinx, installed into a virtualenv of the
  benchmark's own, ``benchmarks/_generated/code-annotations-venv``, on first use; never a
  dependency of opsdocs);
* an empty page in each environment, Sphinx's fixed cost;

and reading the module alone (``source_from_specs``), best of ``--repeat``.  With ``--real
FILE`` it also times reading that file (edx-platform's own ``lms/envs/common.py``, say).

With ``--site DIR`` (a checkout of openedx-platform), it builds instead the site its docs
have: three pages, one per module, ``openedx/envs/common.py``, ``lms/envs/common.py`` and
``cms/envs/common.py``, each a ``.. settings-reference::`` beside each a code-annotations
``.. settings::``, and reports each side's cost over its empty build and their ratio.

Run from the repository root::

    .venv/bin/python benchmarks/bench_modules.py
    .venv/bin/python benchmarks/bench_modules.py --real ../edx-platform/lms/envs/common.py
    .venv/bin/python benchmarks/bench_modules.py --site ../openedx-platform --rounds 5

Target: the opsdocs reference builds no slower than ``.. settings::``; reading well under
a second; the three-module site at most a quarter of code-annotations' three pages over an
empty build.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import textwrap
from pathlib import Path

import sphinx
from bench_settings import AREAS, NOUNS, SUFFIXES, WORDS, best_of
from measure import print_table, versus, versus_line

from opsdocs.settings.reader import source_from_specs

HERE = Path(__file__).resolve().parent
DEFAULT_WORKDIR = HERE / "_generated" / "modules"
CODE_ANNOTATIONS = "code-annotations==2.3.2"

SETTINGS = 675
FEATURE_TOGGLES = 77
MODULE_TOGGLES = 25  # 102 toggle blocks in all
SETTING_BLOCKS = 61


class ModuleGenerator:
    """Writes ``lms/envs/common.py``; deterministic for a given seed."""

    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)
        self.used: set[str] = set()

    def name(self) -> str:
        while True:
            pick = self.random.choice
            name = f"{pick(AREAS)}_{pick(NOUNS)}_{pick(SUFFIXES)}"
            if name not in self.used:
                self.used.add(name)
                return name

    def sentence(self, low: int = 8, high: int = 18) -> str:
        words = self.random.choices(WORDS, k=self.random.randint(low, high))
        return " ".join(words).capitalize() + "."

    def wrapped(self, prefix: str, text: str, indent: str = "") -> list[str]:
        """*text* as ``# .. field: text`` wrapped the way edx-platform wraps it."""
        lines = textwrap.wrap(text, 92 - len(indent) - len(prefix))
        return [f"{indent}# .. {prefix}{lines[0]}",
                *(f"{indent}#   {line}" for line in lines[1:])]

    def toggle_block(self, name: str, default: str, indent: str = "") -> list[str]:
        block = [f"{indent}# .. toggle_name: {name}",
                 f"{indent}# .. toggle_implementation: DjangoSetting",
                 f"{indent}# .. toggle_default: {default}"]
        block += self.wrapped("toggle_description: ", self.sentence(20, 45), indent)
        block += [f"{indent}# .. toggle_use_cases: open_edx",
                  f"{indent}# .. toggle_creation_date: 20{self.random.randint(12, 24)}-0"
                  f"{self.random.randint(1, 9)}-1{self.random.randint(0, 9)}"]
        if self.random.random() < 0.4:
            block += self.wrapped("toggle_warning: ", self.sentence(10, 25), indent)
        if self.random.random() < 0.7:
            block.append(f"{indent}# .. toggle_tickets: https://example.invalid/tickets/"
                         f"{self.random.randint(100, 9999)}")
        return block

    def setting_block(self, name: str, default: str) -> list[str]:
        block = [f"# .. setting_name: {name}", f"# .. setting_default: {default}"]
        block += self.wrapped("setting_description: ", self.sentence(20, 50))
        if self.random.random() < 0.25:
            block += self.wrapped("setting_warning: ", self.sentence(10, 20))
        return block

    def value(self, name: str) -> tuple[str, list[str]]:
        """A value's annotation default and its source lines."""
        kind = self.random.random()
        if kind < 0.25:
            return "True", ["True"]
        if kind < 0.45:
            number = str(self.random.randint(1, 100000))
            return number, [number]
        if kind < 0.6:
            text = repr(f"https://{self.random.choice(WORDS)}.example.invalid/api/v1")
            return text, [text]
        if kind < 0.75:
            items = [f"    '{self.random.choice(WORDS)}.{self.random.choice(WORDS)}."
                     f"{name.lower()}{i}'," for i in range(self.random.randint(4, 38))]
            return "[]", ["[", *items, "]"]
        if kind < 0.9:
            items = [f"    '{word.upper()}_{i}': {self.random.randint(0, 600)},"
                     for i, word in enumerate(self.random.choices(WORDS, k=self.random.randint(3, 12)))]
            return "dict of settings", ["{", *items, "}"]
        return "None", [f"os.environ.get('{name}', None)"]

    def features(self) -> list[str]:
        lines = ["################################### FEATURES ###################################",
                 "# .. setting_name: PLATFORM_NAME",
                 "# .. setting_default: Your Platform Name Here",
                 "# .. setting_description: The display name of the platform.",
                 "PLATFORM_NAME = _('Your Platform Name Here')", "",
                 "FEATURES = {"]
        for index in range(FEATURE_TOGGLES + 40):
            key = f"ENABLE_{self.name()}"
            default = self.random.choice(("True", "False"))
            if index < FEATURE_TOGGLES:
                lines += self.toggle_block(f"FEATURES['{key}']", default, "    ")
            else:
                lines.append(f"    # {self.sentence(6, 14)}")
            lines += [f"    '{key}': {default},", ""]
        return [*lines, "}", ""]

    def module(self) -> str:
        lines = ['"""', "Common settings of a generated learning service.", '"""',
                 "# pylint: disable=unused-import, invalid-name", "",
                 "import os", "", "from django.utils.translation import gettext_lazy as _", "",
                 *self.features()]
        toggles, blocks = MODULE_TOGGLES, SETTING_BLOCKS - 1  # PLATFORM_NAME has one
        remaining = SETTINGS - 2  # PLATFORM_NAME and FEATURES
        section = 0
        while remaining:
            if remaining % 12 == 0:
                section += 1
                title = f" {self.random.choice(AREAS).title()} configuration {section} "
                lines += ["", title.center(80, "#"), ""]
            name = self.name()
            default, source = self.value(name)
            pick = self.random.random()
            if toggles and pick < 0.06:
                lines += self.toggle_block(name, "False")
                source = ["False"]
                toggles -= 1
            elif blocks and pick < 0.2:
                lines += self.setting_block(name, default)
                blocks -= 1
            elif pick < 0.6:
                lines += [f"# {self.sentence()}", f"# {self.sentence()}"]
            lines.append(f"{name} = {source[0]}")
            lines += source[1:]
            if remaining % 97 == 0 and source[0] in ("[", "{"):
                change = f"{name}.append('extra')" if source[0] == "[" else \
                    f"{name}['EXTRA'] = 1"
                lines.append(change)
            lines.append("")
            remaining -= 1
        for _ in range(toggles):  # ones the random walk left over
            lines += [*self.toggle_block(f"FEATURES['LATE_{self.name()}']", "True"),
                      f"FEATURES['LATE_{sorted(self.used)[-1]}'] = True", ""]
        return "\n".join(lines) + "\n"

    def write(self, root: Path) -> Path:
        envs = root / "lms" / "envs"
        envs.mkdir(parents=True, exist_ok=True)
        for directory in (root / "lms", envs):
            (directory / "__init__.py").write_text("")
        module = envs / "common.py"
        module.write_text(self.module())
        return module


def write_projects(workdir: Path) -> dict[str, Path]:
    pages = {
        "opsdocs": ("extensions = ['opsdocs']\nopsdocs_undocumented = 'ignore'\n"
                    f"import sys; sys.path.insert(0, {str(workdir)!r})\n",
                    ".. settings-reference:: lms.envs.common\n"),
        "code-annotations": (
            "extensions = ['code_annotations.contrib.sphinx.extensions.settings']\n"
            f"settings_source_path = {str(workdir / 'lms' / 'envs')!r}\n"
            "settings_repo_url = 'https://example.invalid/repo'\n",
            ".. settings::\n   :folder_path: common.py\n"),
        "empty": ("extensions = []\n", "Nothing here.\n"),
    }
    return write_pages(workdir, pages, "Settings")


def write_pages(workdir: Path, pages: dict[str, tuple[str, str]], title: str) -> dict[str, Path]:
    """A Sphinx project per page, *name*: (``conf.py``'s lines, the page's body)."""
    return {name: write_project(workdir / "projects" / name, conf, {"index": body}, title)
            for name, (conf, body) in pages.items()}


def write_project(source: Path, conf: str, pages: dict[str, str], title: str = "Settings") -> Path:
    """A Sphinx project at *source*: its ``conf.py`` and each page, under a title."""
    source.mkdir(parents=True, exist_ok=True)
    (source / "conf.py").write_text(f"project = {source.name!r}\n{conf}")
    for page, body in pages.items():
        heading = title if page == "index" else f"{page} settings"
        (source / f"{page}.rst").write_text(f"{heading}\n{'=' * len(heading)}\n\n{body}")
    return source


#: The modules of openedx-platform's settings pages, each on a page of its own.
SITE_MODULES = ("openedx.envs.common", "lms.envs.common", "cms.envs.common")


def write_site_projects(workdir: Path, repository: Path) -> dict[str, Path]:
    """The three-page site of *repository*'s settings, with opsdocs and with
    code-annotations."""
    repository = repository.resolve()
    toctree = "\n".join(f"   {m.split('.')[0]}" for m in SITE_MODULES)
    sides = {
        "opsdocs": ("extensions = ['opsdocs']\nopsdocs_undocumented = 'ignore'\n"
                    f"import sys; sys.path.insert(0, {str(repository)!r})\n",
                    lambda dotted: f".. settings-reference:: {dotted}\n"),
        "code-annotations": (
            "extensions = ['code_annotations.contrib.sphinx.extensions.settings']\n"
            f"settings_source_path = {str(repository)!r}\n"
            "settings_repo_url = 'https://example.invalid/repo'\n",
            lambda dotted: f".. settings::\n   :folder_path: {dotted.replace('.', '/')}.py\n"),
    }
    return {name: write_project(workdir / "site" / name, conf, {
        "index": f".. toctree::\n\n{toctree}\n",
        **{dotted.split(".")[0]: directive(dotted) for dotted in SITE_MODULES}})
        for name, (conf, directive) in sides.items()}


def site(args: argparse.Namespace) -> int:
    """``--site``: the three-module site, opsdocs beside code-annotations."""
    workdir = args.workdir
    projects = {**write_projects(workdir), **{f"site {k}": v for k, v in
                                              write_site_projects(workdir, args.site).items()}}
    other = code_annotations_python(workdir)
    out = workdir / "out-site"
    labels = ("opsdocs, three references", "code-annotations, three .. settings::")
    results = versus((labels[0], projects["site opsdocs"]),
                     (labels[1], projects["site code-annotations"]), projects["empty"], other,
                     out, args.rounds)
    print_table(results)
    print(versus_line(results, labels, 0.25))
    return 0


def code_annotations_python(workdir: Path) -> Path:
    """The Python of a virtualenv with code-annotations and this Sphinx, made on first use."""
    venv = workdir.parent / "code-annotations-venv"
    python = venv / "bin" / "python"
    if not python.exists():
        print(f"installing {CODE_ANNOTATIONS} and sphinx=={sphinx.__version__} into {venv}",
              file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", CODE_ANNOTATIONS,
                        f"sphinx=={sphinx.__version__}"], check=True)
    return python


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR)
    parser.add_argument("--seed", type=int, default=45)
    parser.add_argument("--repeat", type=int, default=5, help="best of N readings")
    parser.add_argument("--rounds", type=int, default=3,
                        help="interleaved rounds of the builds compared (medians reported)")
    parser.add_argument("--real", type=Path, help="also time reading this settings module")
    parser.add_argument("--site", type=Path, metavar="DIR",
                        help="build the three-module site of this openedx-platform checkout "
                        "instead, beside code-annotations")
    args = parser.parse_args(argv)
    if args.site is not None:
        return site(args)

    module = ModuleGenerator(args.seed).write(args.workdir)
    catalog = source_from_specs([module])
    top = [s for s in catalog if s.parent is None]
    print(f"module: {module} ({module.stat().st_size // 1024} KB), {len(top)} settings, "
          f"{sum(1 for s in catalog if s.annotation_fields)} annotated "
          f"({sum(1 for s in catalog if s.toggle)} toggles, "
          f"{sum(1 for s in catalog if s.parent == 'FEATURES')} on FEATURES keys)")
    reading = best_of(args.repeat, lambda: source_from_specs([module]))
    print(f"reading the module: {reading:.3f} s (best of {args.repeat})")
    if args.real is not None:
        real = best_of(args.repeat, lambda: source_from_specs([args.real]))
        print(f"reading {args.real}: {real:.3f} s (best of {args.repeat})")

    projects = write_projects(args.workdir)
    other = code_annotations_python(args.workdir)
    out = args.workdir / "out"
    labels = ("opsdocs .. settings-reference::", "code-annotations .. settings::")
    results = versus((labels[0], projects["opsdocs"]), (labels[1], projects["code-annotations"]),
                     projects["empty"], other, out, args.rounds)
    print_table(results)
    each = sorted(ours.seconds / theirs.seconds for ours, theirs in zip(
        *(results[label].builds for label in labels), strict=True))
    print(f"ratio opsdocs / code-annotations: median {statistics.median(each):.2f}, round by "
          f"round {each[0]:.2f} to {each[-1]:.2f} (target: <= 1)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
