"""Benchmark: the settings reference of a 5,000-setting package, beside autodoc.

Generates a settings package (``required.py`` and ``defaults.py``) of documented settings,
then times

* extraction alone (:func:`opsdocs.settings.reader.read_settings_package`), best of ``--repeat``;
* a full Sphinx HTML build, fresh output directory, of a page holding
  ``.. settings-reference::`` of that package;
* the same build of a page holding ``.. automodule:: ... :members:`` of the same modules
  (autodoc imports the generated code; opsdocs never does);
* the same build of an empty page, the fixed cost of starting Sphinx,

and prints a table and the ratio opsdocs/autodoc.  Every build runs ``python -m sphinx`` in
a subprocess the same way, so no cache survives from one build to the next.

Run from the repository root::

    .venv/bin/python benchmarks/bench_settings.py
    .venv/bin/python benchmarks/bench_settings.py --settings 1000 --build-repeat 3
    .venv/bin/python benchmarks/bench_settings.py --profile reference.prof

Targets: extraction under 1 s; the reference build no slower than autodoc's.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import shutil
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util.inventory import InventoryFile

from opsdocs.settings.reader import read_settings_package

HERE = Path(__file__).resolve().parent
DEFAULT_WORKDIR = HERE / "_generated"
EXTRACTION_TARGET = 1.0

AREAS = (
    "API", "AUTH", "BLOCKSTORE", "BRAZE", "CACHE", "CATALOG", "CELERY", "CERTIFICATES",
    "COURSE", "CREDENTIALS", "CSRF", "DISCOVERY", "ECOMMERCE", "EDXNOTES", "ELASTICSEARCH",
    "EMAIL", "ENTERPRISE", "EVENT_BUS", "FEATURE", "GRADES", "JWT", "LMS", "LOGGING",
    "MKTG", "NOTIFICATIONS", "OAUTH2", "ORA", "PAYMENT", "PROCTORING", "PROGRAMS", "REDIS",
    "REGISTRATION", "SEARCH", "SEGMENT", "SESSION", "SOCIAL_AUTH", "STATIC", "STUDIO",
    "THIRD_PARTY", "VIDEO", "XBLOCK", "XQUEUE",
)
NOUNS = (
    "BACKEND", "BATCH", "BROKER", "BUCKET", "CLIENT", "CONNECTION", "DOMAIN", "ENDPOINT",
    "EXPORT", "GATEWAY", "HANDLER", "HOST", "IMPORT", "INDEX", "KEY", "LIMIT", "LOCK",
    "MODEL", "PAGE", "POLICY", "POOL", "PREFIX", "PROVIDER", "QUEUE", "RATE", "REPORT",
    "RETRY", "ROUTER", "SCHEDULE", "SCOPE", "SERVER", "SERVICE", "SIGNAL", "STORAGE",
    "SWITCH", "TASK", "TEMPLATE", "TOKEN", "USER", "WORKER",
)
SUFFIXES = (
    "ENABLED", "TIMEOUT", "URL", "NAME", "SIZE", "COUNT", "SECONDS", "PATH", "OPTIONS",
    "CONFIG", "ROOT", "MODE", "LEVEL", "TTL", "MAX", "MIN", "LIST", "MAP", "CLASS", "ID",
)
WORDS = (
    "service", "request", "learner", "course", "cache", "worker", "queue", "value",
    "operator", "deployment", "timeout", "response", "backend", "client", "message",
    "record", "report", "upstream", "retry", "database", "token", "session", "event",
)


# -- Generating the package ----------------------------------------------------------------


class Generator:
    """Writes a realistic, importable settings package; deterministic for a given seed."""

    def __init__(self, settings: int, required: int, seed: int) -> None:
        self.random = random.Random(seed)
        self.total = settings
        self.required_count = min(required, settings)
        names = [f"{a}_{n}_{s}" for a in AREAS for n in NOUNS for s in SUFFIXES]
        if settings > len(names):
            names += [f"EXTRA_SETTING_{i}" for i in range(settings - len(names))]
        self.names = self.random.sample(names, settings)
        self.defined: list[str] = []

    def write(self, package: Path) -> None:
        package.mkdir(parents=True, exist_ok=True)
        (package.parent / "__init__.py").write_text("")
        (package / "__init__.py").write_text('"""Settings of the benchmark service."""\n')
        required = self.names[: self.required_count]
        defaults = self.names[self.required_count :]
        (package / "required.py").write_text(self.required_module(required))
        (package / "defaults.py").write_text(self.defaults_module(defaults))

    # required.py: annotation-only settings, a few "= None"

    def required_module(self, names: list[str]) -> str:
        out = ['"""Settings every deployment must provide."""', "", "from __future__ import "
               "annotations", ""]
        for index, name in enumerate(names):
            if index % 40 == 0:
                out += ["", f"# --- Required settings, part {index // 40 + 1} ---", ""]
            out += self.doc_comment(name)
            annotation = self.random.choice(("str", "str", "int", "list[str]", "dict[str, str]"))
            if index % 25 == 24:
                out.append(f"{name}: {annotation} | None = None")
            else:
                out.append(f"{name}: {annotation}")
            out.append("")
        return "\n".join(out) + "\n"

    # defaults.py: the realistic mix

    def defaults_module(self, names: list[str]) -> str:
        out = [
            '"""Production-ready defaults of the benchmark service."""', "",
            "import os", "from pathlib import Path", "",
            "#: Turns on debugging; never in production.",
            'DEBUG = os.environ.get("BENCH_DEBUG") == "1"', "",
            "#: Root of the service checkout.",
            "BASE_DIR = Path(__file__).resolve().parent.parent", "",
        ]
        self.defined = ["DEBUG", "BASE_DIR"]
        for index, name in enumerate(names[2:] if len(names) > 2 else names):
            if index % 50 == 0:
                out += self.section_comment(index // 50 + 1)
            out += self.definition(name, self.doc_comment(name))
            out.append("")
            self.defined.append(name)
        return "\n".join(out) + "\n"

    def section_comment(self, number: int) -> list[str]:
        title = f"{self.random.choice(AREAS).replace('_', ' ').title()} settings ({number})"
        if number % 2:
            return ["", "# " + "-" * 70, f"# {title}", "# " + "-" * 70, ""]
        return ["", f"# ---- {title} ----", ""]

    def sentence(self, low: int = 5, high: int = 12) -> str:
        words = [self.random.choice(WORDS) for _ in range(self.random.randint(low, high))]
        return " ".join(words).capitalize()

    def doc_comment(self, name: str) -> list[str]:
        """A ``#:`` block of 1-4 lines: nearly half plain prose, the rest with inline markup
        (literals, roles, links, emphasis) and some directives and metadata fields."""
        r = self.random
        subject = f"``{name.lower()}``" if r.random() < 0.3 else r.choice(WORDS)
        lines = [f"{self.sentence()} for the {subject}."]
        markup = r.random()
        if markup < 0.15 and self.defined:
            lines.append(f"See also :setting:`{r.choice(self.defined)}`.")
        elif markup < 0.25:
            lines.append(f"Read `the operator guide <https://example.com/{name.lower()}>`_ first.")
        elif markup < 0.35:
            lines.append(f"*{self.sentence(2, 4)}*, **{self.sentence(1, 3)}**.")
        for _ in range(r.choice((0, 0, 1, 2))):
            if len(lines) < 4:
                lines.append(self.sentence() + ".")
        extra = r.random()
        if extra < 0.03:
            lines += ["", ".. note::", "", f"   {self.sentence()}."]
        elif extra < 0.05:
            lines += ["", f".. deprecated:: {r.randint(1, 9)}.{r.randint(0, 9)}",
                      f"   Use {r.choice(self.defined) if self.defined else 'nothing'} instead."]
        elif extra < 0.07:
            lines += ["", f".. versionadded:: {r.randint(1, 9)}.{r.randint(0, 9)}"]
        elif extra < 0.09:
            lines += ["", ":secret:"]
        elif extra < 0.11:
            lines += ["", f":example: {r.randint(1, 500)}"]
        return ["#: " + line if line else "#:" for line in lines]

    def definition(self, name: str, doc: list[str]) -> list[str]:
        """The doc comment and the statements that define *name*."""
        r = self.random
        if r.random() < 0.04:  # documented inside the try, as autodoc needs it
            return ["try:", *(f"    {line}" for line in doc),
                    f"    {name} = int(os.environ['{name}'])", "except KeyError:",
                    f"    {name} = {r.randint(1, 99)}"]
        return doc + self.statements(name)

    def statements(self, name: str) -> list[str]:  # noqa: PLR0911
        r = self.random
        kind = r.random()
        annotation = f": {r.choice(('int', 'str', 'bool'))}" if r.random() < 0.1 else ""
        if kind < 0.35:
            value = r.choice((
                str(r.randint(0, 10_000)), "True", "False", "None",
                repr(f"{r.choice(WORDS)}-{r.choice(WORDS)}"), f"{r.random():.2f}",
            ))
            if annotation:
                value = {": int": "1", ": str": repr(name.lower()), ": bool": "True"}[annotation]
            return [f"{name}{annotation} = {value}"]
        if kind < 0.50:
            items = [f'    "{r.choice(WORDS)}.{r.choice(WORDS)}",' for _ in range(r.randint(2, 8))]
            lines = [f"{name} = [", *items, "]"]
            if r.random() < 0.2:
                lines += ["", f'{name} += ["{r.choice(WORDS)}.extra"]']
            return lines
        if kind < 0.65:
            lines = [f"{name} = {{"]
            for _ in range(r.randint(2, 6)):
                key = r.choice(WORDS)
                if r.random() < 0.3:
                    enabled = r.choice(("True", "False"))
                    lines += [f'    "{key}": {{', f'        "enabled": {enabled},',
                              f'        "limit": {r.randint(1, 99)},', "    },"]
                else:
                    lines.append(f'    "{key}": "{r.choice(WORDS)}",')
            lines.append("}")
            if r.random() < 0.25:
                lines += ["", f'{name}["{r.choice(WORDS)}_flag"] = True']
            return lines
        if kind < 0.80 and self.defined:
            other = r.choice(self.defined)
            return [r.choice((
                f'{name} = os.environ.get("{name}", "{r.choice(WORDS)}")',
                f"{name} = 60 * 60 * {r.randint(1, 48)}",
                f'{name} = f"{{{other}}}/{r.choice(WORDS)}"',
                f'{name} = str(BASE_DIR / "{r.choice(WORDS)}")',
                f'{name} = int(os.environ.get("{name}", "{r.randint(1, 99)}"))',
            ))]
        if kind < 0.88:
            return [f"{name} = {r.randint(1, 600)}", "if DEBUG:",
                    f"    {name} = {r.randint(1, 5)}"]
        if kind < 0.96:
            return [f'{name} = ("{r.choice(WORDS)}", "{r.choice(WORDS)}")']
        return [f"{name} = {r.randint(1, 9)}  #: {self.sentence(3, 6)}."]


# -- The Sphinx projects -------------------------------------------------------------------


def write_projects(workdir: Path, package: Path) -> dict[str, Path]:
    """Three tiny projects: opsdocs' reference, autodoc's automodule, and an empty page."""
    projects = {name: workdir / f"docs-{name}" for name in ("opsdocs", "autodoc", "empty")}
    for path in projects.values():
        path.mkdir(parents=True, exist_ok=True)
    common = 'project = "bench"\nhtml_theme = "alabaster"\n'
    relative = Path("..", package.relative_to(workdir)).as_posix()
    (projects["opsdocs"] / "conf.py").write_text(common + 'extensions = ["opsdocs"]\n')
    (projects["opsdocs"] / "settings.rst").write_text(
        f"Settings\n========\n\n.. settings-reference:: {relative}\n"
    )
    (projects["autodoc"] / "conf.py").write_text(common + textwrap.dedent(f"""\
        import sys
        from pathlib import Path

        sys.path.insert(0, str(Path(__file__).parent / {str(Path("..", "service"))!r}))
        extensions = ["sphinx.ext.autodoc"]


        def setup(app):
            # As Django's docs do, so that :setting: in the docs is a known role.
            app.add_object_type("setting", "setting", indextemplate="pair: %s; setting")
        """))
    module = ".".join(package.relative_to(workdir / "service").parts)
    (projects["autodoc"] / "settings.rst").write_text(
        "Settings\n========\n\n"
        f".. automodule:: {module}.required\n   :members:\n\n"
        f".. automodule:: {module}.defaults\n   :members:\n"
    )
    (projects["empty"] / "conf.py").write_text(common)
    (projects["empty"] / "settings.rst").write_text("Settings\n========\n\nNothing here.\n")
    # The reference is a page of its own, as in a real project: the root document (which
    # every page's sidebar reads back) stays small.
    for path in projects.values():
        (path / "index.rst").write_text("Service\n=======\n\n.. toctree::\n\n   settings\n")
    return projects


def sphinx_command(source: Path, out: Path, builder: str) -> list[str]:
    return [sys.executable, "-m", "sphinx", "-b", builder, "-q", "-d", str(out / ".doctrees"),
            str(source), str(out / builder)]


def build(source: Path, out: Path, builder: str) -> tuple[float, int]:
    """Seconds of a fresh build, and how many warnings it printed."""
    shutil.rmtree(out, ignore_errors=True)
    start = time.perf_counter()
    result = subprocess.run(sphinx_command(source, out, builder), capture_output=True,
                            text=True, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode:
        sys.exit(f"build of {source} failed:\n{result.stderr}")
    warnings = [line for line in result.stderr.splitlines() if "WARNING" in line]
    for line in warnings[:5]:
        print(f"  {source.name}: {line}", file=sys.stderr)
    return elapsed, len(warnings)


def objects_documented(out: Path, builder: str) -> int:
    """Objects in the build's ``objects.inv``: both sides must document every setting."""
    path = out / builder / "objects.inv"
    if not path.exists():
        return 0
    with path.open("rb") as stream:
        inventory = InventoryFile.load(stream, "", lambda base, uri: uri)
    data = getattr(inventory, "data", inventory)  # Sphinx 8.2+ wraps it in _Inventory
    kinds = ("std:setting", "py:data", "py:attribute")
    return sum(len(data.get(kind, {})) for kind in kinds)


def best_of(repeat: int, function: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def profile_reference(source: Path, out: Path, builder: str, destination: Path) -> None:
    """Build the reference in this process under cProfile and print the top functions."""
    shutil.rmtree(out, ignore_errors=True)
    app = Sphinx(str(source), str(source), str(out / builder), str(out / ".doctrees"),
                 builder, status=None, warning=sys.stderr, freshenv=True)
    profiler = cProfile.Profile()
    profiler.runcall(app.build)
    profiler.dump_stats(destination)
    stats = pstats.Stats(str(destination))
    stats.sort_stats("cumulative").print_stats(40)
    stats.sort_stats("tottime").print_stats(25)


# -- Main -------------------------------------------------------------------------------


def rows(results: dict[str, tuple[float, str]]) -> Iterator[str]:
    width = max(len(label) for label in results)
    for label, (seconds, note) in results.items():
        yield f"{label:<{width}}  {seconds:8.2f} s  {note}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--settings", type=int, default=5000, help="settings in all (5000)")
    parser.add_argument("--required", type=int, default=300, help="of them in required.py (300)")
    parser.add_argument("--seed", type=int, default=45)
    parser.add_argument("--repeat", type=int, default=5, help="extraction runs; best is kept")
    parser.add_argument("--build-repeat", type=int, default=1, help="runs of each build; 0: none")
    parser.add_argument("--builder", default="html")
    parser.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR)
    parser.add_argument("--no-autodoc", action="store_true", help="skip autodoc's build")
    parser.add_argument("--profile", type=Path, metavar="FILE",
                        help="instead of timing, profile the reference build into FILE")
    args = parser.parse_args(argv)

    workdir = args.workdir.resolve()
    shutil.rmtree(workdir, ignore_errors=True)
    package = workdir / "service" / "benchsvc" / "settings"
    Generator(args.settings, args.required, args.seed).write(package)
    projects = write_projects(workdir, package)
    out = workdir / "out"

    catalog = read_settings_package(package)
    lines = sum(len((package / f).read_text().splitlines()) for f in ("required.py", "defaults.py"))
    print(f"Generated {len(catalog)} settings ({lines} lines) in {package}")
    if catalog.problems:
        print(f"  {len(catalog.problems)} problems, e.g. {catalog.problems[0].message}")

    if args.profile:
        profile_reference(projects["opsdocs"], out / "opsdocs", args.builder, args.profile)
        return 0

    results: dict[str, tuple[float, str]] = {}
    extraction = best_of(args.repeat, lambda: read_settings_package(package))
    verdict = "ok" if extraction < EXTRACTION_TARGET else f"over the {EXTRACTION_TARGET} s target"
    results["extraction (read_settings_package)"] = (
        extraction, f"best of {args.repeat}; {verdict}")

    names = ["empty", "opsdocs"] + ([] if args.no_autodoc else ["autodoc"])
    if not args.build_repeat:  # extraction only
        names = []
    labels = {"empty": "Sphinx start-up (empty page)",
              "opsdocs": f"{args.builder}: settings-reference",
              "autodoc": f"{args.builder}: automodule :members:"}
    for name in names:
        runs = [build(projects[name], out / name, args.builder) for _ in range(args.build_repeat)]
        seconds = min(t for t, _ in runs)
        documented = objects_documented(out / name, args.builder)
        note = f"best of {args.build_repeat}; {runs[0][1]} warnings"
        if name != "empty":
            note += f"; {documented} objects in objects.inv"
        results[labels[name]] = (seconds, note)

    print()
    print("\n".join(rows(results)))
    if names and not args.no_autodoc:
        ratio = results[labels["opsdocs"]][0] / results[labels["autodoc"]][0]
        verdict = "ok" if ratio <= 1 else "slower than autodoc"
        print(f"\nratio opsdocs/autodoc: {ratio:.2f} ({verdict})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
