"""Benchmark: the settings reference of 5,000 and 1,000 settings, beside the floor and autodoc.

Generates settings packages (``required.py`` and ``defaults.py``) of documented settings,
plain and with markup, then times

* extraction alone (:func:`opsdocs.settings.reader.read_settings_package`), best of ``--repeat``;
* in interleaved rounds (``measure.py``: one of each per round, each a fresh
  ``sphinx-build`` process with a fresh output directory, its CPU seconds): a page holding
  ``.. settings-reference::`` of the package, one holding the floor (``floor.py``), an
  empty page (Sphinx's fixed cost), and rebuilds after each round;
* once each (slow): ``.. automodule:: ... :members:`` of the same modules (autodoc imports
  the generated code; opsdocs never does) and code-annotations' ``.. settings::``;
* with ``--instructions``, the instructions of the empty, floor and opsdocs builds under
  valgrind's callgrind, which load does not change,

and prints medians, ranges over the rounds and ratios.

Run from the repository root::

    .venv/bin/python benchmarks/bench_settings.py --rounds 5
    .venv/bin/python benchmarks/bench_settings.py --sizes 1000 --rounds 9 --ratios-only --instructions
    .venv/bin/python benchmarks/bench_settings.py --profile reference.prof

Targets: extraction under 1 s; (opsdocs - empty) / (floor - empty) at most 0.5 plain and
0.8 with markup; faster than autodoc.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import shutil
import statistics
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util.inventory import InventoryFile

from opsdocs.settings.model import SettingsCatalog
from opsdocs.settings.reader import read_settings_package

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import Build, Job, Runs, billions, build, interleaved, load, ratio_over_empty

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

    def __init__(self, settings: int, required: int, seed: int, markup: float = 0.0) -> None:
        self.random = random.Random(seed)
        self.markup = markup
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
        """A ``#:`` block of 1-4 lines of prose; a ``markup`` share of them hold inline
        markup (literals, roles, links, emphasis) or a directive, the rest none at all."""
        r = self.random
        lines = [f"{self.sentence()} for the {r.choice(WORDS)}."]
        lines += [self.sentence() + "." for _ in range(r.choice((0, 0, 1, 2)))]
        if r.random() < self.markup:
            kind = r.random()
            if kind < 0.3 and self.defined:
                lines.append(f"See also :setting:`{r.choice(self.defined)}`.")
            elif kind < 0.5:
                lines.append(f"Read `the operator guide <https://example.com/{name.lower()}>`_ first.")
            elif kind < 0.7:
                lines.append(f"*{self.sentence(2, 4)}*, **{self.sentence(1, 3)}** ``{name.lower()}``.")
            elif kind < 0.8:
                lines += ["", ".. note::", "", f"   {self.sentence()}."]
            elif kind < 0.9:
                lines += ["", f".. deprecated:: {r.randint(1, 9)}.{r.randint(0, 9)}",
                          f"   Use {r.choice(self.defined) if self.defined else 'nothing'} instead."]
            else:
                lines += ["", f".. versionadded:: {r.randint(1, 9)}.{r.randint(0, 9)}"]
        extra = r.random()
        if extra < 0.02:
            lines += ["", ":secret:"]
        elif extra < 0.04:
            lines += ["", f":example: {r.randint(1, 500)}"]
        return ["#: " + line if line else "#:" for line in lines]

    def annotated_module(self, catalog: SettingsCatalog) -> str:
        """The same settings as code-annotations blocks, which its ``.. settings::`` reads."""
        out = ['"""The benchmark settings, documented with code-annotations."""', ""]
        for setting in catalog:
            doc = " ".join(setting.doc.split()) or "Undocumented."
            default = " ".join((setting.value or "None").split())
            out += [f"# .. setting_name: {setting.name}", f"# .. setting_default: {default}",
                    f"# .. setting_description: {doc}", f"{setting.name} = None", ""]
        return "\n".join(out) + "\n"

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
    """The projects built side by side, each a small index page and a page of settings."""
    relative = Path("..", "..", package.relative_to(workdir)).as_posix()  # from projects/NAME
    common = 'project = "bench"\nhtml_theme = "alabaster"\n'
    ours = common + 'extensions = ["opsdocs"]\nopsdocs_undocumented = "ignore"\n'
    url = 'opsdocs_source_url = "https://example.invalid/repo/{path}#L{line}"\n'
    module = ".".join(package.relative_to(workdir / "service").parts)
    pages = {
        "empty": (ours, "Nothing here.\n"),
        "empty, no extension": (common, "Nothing here.\n"),
        "floor": (common + f"import sys\nsys.path.insert(0, {str(HERE)!r})\n"
                  'extensions = ["floor"]\nopsdocs_undocumented = "ignore"\n',
                  f".. settings-floor:: {relative}\n"),
        "opsdocs": (ours + url, f".. settings-reference:: {relative}\n"),
        "opsdocs, source pages": (ours, f".. settings-reference:: {relative}\n"),
        "autodoc": (common + textwrap.dedent(f"""\
            import sys
            sys.path.insert(0, {str(workdir / "service")!r})
            extensions = ["sphinx.ext.autodoc"]


            def setup(app):
                # As Django's docs do, so that :setting: in the docs is a known role.
                app.add_object_type("setting", "setting", indextemplate="pair: %s; setting")
            """), f".. automodule:: {module}.required\n   :members:\n\n"
                  f".. automodule:: {module}.defaults\n   :members:\n"),
        "code-annotations": (common + (
            "extensions = ['code_annotations.contrib.sphinx.extensions.settings']\n"
            f"settings_source_path = {str(package)!r}\n"
            "settings_repo_url = 'https://example.invalid/repo'\n"),
            ".. settings::\n   :folder_path: annotated.py\n"),
    }
    projects = {}
    for name, (conf, body) in pages.items():
        source = workdir / "projects" / name.replace(", ", "-").replace(" ", "-")
        source.mkdir(parents=True, exist_ok=True)
        (source / "conf.py").write_text(conf)
        # The settings are a page of their own, as in a real project: the root document
        # (which every page's sidebar reads back) stays small.
        (source / "index.rst").write_text("Service\n=======\n\n.. toctree::\n\n   settings\n")
        (source / "settings.rst").write_text(f"Settings\n========\n\n{body}")
        projects[name] = source
    return projects


def objects_documented(out: Path) -> int:
    """Objects in the build's ``objects.inv``: every build must document every setting."""
    path = out / "html" / "objects.inv"
    if not path.exists():
        return 0
    with path.open("rb") as stream:
        inventory = InventoryFile.load(stream, "", lambda base, uri: uri)
    data = getattr(inventory, "data", inventory)  # Sphinx 8.2+ wraps it in _Inventory
    return sum(len(data.get(kind, {})) for kind in ("std:setting", "py:data", "py:attribute"))


def best_of(repeat: int, function: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def profile_reference(source: Path, out: Path, destination: Path) -> None:
    """Build the reference in this process under cProfile, timing CPU seconds (not wall
    time, which the machine's load inflates), and print the top functions."""
    shutil.rmtree(out, ignore_errors=True)
    app = Sphinx(str(source), str(source), str(out / "html"), str(out / ".doctrees"),
                 "html", status=None, warning=sys.stderr, freshenv=True)
    profiler = cProfile.Profile(time.process_time)
    profiler.runcall(app.build)
    profiler.dump_stats(destination)
    stats = pstats.Stats(str(destination))
    stats.sort_stats("cumulative").print_stats(40)
    stats.sort_stats("tottime").print_stats(25)


# -- Main -------------------------------------------------------------------------------


def generate(workdir: Path, settings: int, required: int, seed: int,
             markup: float) -> tuple[Path, dict[str, Path]]:
    """A settings package of *settings* (a *markup* share of docs with markup), the
    code-annotations module of the same settings, and the projects that show them."""
    package = workdir / "service" / "benchsvc" / "settings"
    Generator(settings, required, seed, markup).write(package)
    catalog = read_settings_package(package)
    (package / "annotated.py").write_text(Generator(0, 0, seed).annotated_module(catalog))
    return package, write_projects(workdir, package)


#: The builds each ratio to the floor compares, and the targets of those ratios.
RATIO_PROJECTS = ("empty", "floor", "opsdocs")
TARGETS = {"plain": 0.5, "20% markup": 0.8}


def run_size(args: argparse.Namespace, settings: int, annotations: str | None) -> list[str]:
    """Every build of one size, side by side in interleaved rounds, and the report's lines."""
    python = sys.executable
    projects: dict[str, dict[str, Path]] = {}
    packages: dict[str, Path] = {}
    outs: dict[str, Path] = {}
    for variant, markup in (("plain", 0.0), ("20% markup", args.markup)):
        workdir = args.workdir / f"{settings}-{variant.split()[0].replace('%', '')}"
        shutil.rmtree(workdir, ignore_errors=True)
        packages[variant], projects[variant] = generate(
            workdir, settings, min(args.required, settings // 10 or 1), args.seed, markup)
        outs[variant] = workdir / "out"
    names = {variant: list(RATIO_PROJECTS) for variant in projects}
    if not args.ratios_only:
        names["plain"].append("opsdocs, source pages")
    jobs = [(f"{name} ({variant})", python, projects[variant][name], outs[variant] / name)
            for variant in projects for name in names[variant]]

    def rebuild_round(results: dict[str, Runs]) -> None:
        for label, result in rebuilds(python, projects["plain"], packages["plain"],
                                      outs["plain"]).items():
            results.setdefault(label, Runs()).builds.append(result)

    report = [f"{settings} settings: {args.rounds} interleaved rounds, {load()} at the start",
              "-" * 78]
    results = interleaved(jobs, args.rounds, None if args.ratios_only else rebuild_round)
    for label, _, _, out in jobs:
        documented = objects_documented(out)
        if not label.startswith("empty") and documented != settings:
            sys.exit(f"{label} documented {documented} objects, not {settings}")
    if not args.ratios_only:
        results.update(interleaved(
            [("autodoc (plain)", python, projects["plain"]["autodoc"], outs["plain"] / "autodoc")],
            1))
        if annotations is not None:
            results.update(interleaved([
                ("code-annotations (plain)", annotations, projects["plain"]["code-annotations"],
                 outs["plain"] / "code-annotations"),
                ("empty, code-annotations' Python", annotations,
                 projects["plain"]["empty, no extension"], outs["plain"] / "empty-ca")], 1))
    report.append(f"load average at the end: {load()}")
    report += comparisons(results)
    if args.instructions:
        report += instruction_counts(jobs)
    return report


def comparisons(results: dict[str, Runs]) -> list[str]:
    """Each build's median CPU seconds, and the ratios."""
    report = []
    width = max(map(len, results))
    report.append(f"{'':<{width}}  median CPU s (range)      wall s  peak MB")
    for label, runs in results.items():
        spread = f"({runs.spread()})" if runs.spread() else ""
        report.append(f"{label:<{width}}  {runs.cpu:6.2f} {spread:<17} {runs.wall:7.2f}  "
                      f"{runs.peak_mb:5.0f}" + (f"  {runs.warnings} warnings" if runs.warnings
                                                 else ""))
    for variant, target in TARGETS.items():
        report.append(ratio_line(results, variant, target))
    if "opsdocs, source pages (plain)" in results:
        pages = ratio_over_empty(results["opsdocs, source pages (plain)"].cpu,
                                 results["floor (plain)"].cpu, results["empty (plain)"].cpu)
        report.append(f"  the same with highlighted copies of the settings files: {pages:.2f}")
    plain = results["opsdocs (plain)"].cpu
    if "autodoc (plain)" in results:
        report.append(f"opsdocs / autodoc: {plain / results['autodoc (plain)'].cpu:.2f}")
    if "code-annotations (plain)" in results:
        theirs = results["code-annotations (plain)"].cpu
        their_empty = results["empty, code-annotations' Python"].cpu
        ours = plain - results["empty (plain)"].cpu
        report.append(f"opsdocs / code-annotations: {plain / theirs:.2f}")
        report.append("(opsdocs - empty) / (code-annotations - empty): "
                      f"{ours / (theirs - their_empty):.2f}")
    report.append("peak memory, opsdocs / floor: "
                  f"{results['opsdocs (plain)'].peak_mb / results['floor (plain)'].peak_mb:.2f}")
    if "no-op rebuild, opsdocs" in results:
        noop = results["no-op rebuild, opsdocs"].cpu / results["no-op rebuild, empty"].cpu
        report.append(f"no-op rebuild, opsdocs / empty: {noop:.2f} (target <= 2)")
    return report


def ratio_line(results: dict[str, Runs], variant: str, target: float) -> str:
    """(opsdocs - empty) / (floor - empty) of the medians, and of each round's builds."""
    empty, floor, ours = (results[f"{name} ({variant})"] for name in RATIO_PROJECTS)
    line = (f"(opsdocs - empty) / (floor - empty), {variant}: "
            f"{ratio_over_empty(ours.cpu, floor.cpu, empty.cpu):.2f} of the medians")
    if len(ours.builds) > 1:
        each = sorted(ratio_over_empty(o.seconds, f.seconds, e.seconds)
                      for e, f, o in zip(empty.builds, floor.builds, ours.builds, strict=True))
        line += (f"; round by round {each[0]:.2f}-{each[-1]:.2f}, "
                 f"median {statistics.median(each):.2f}")
    return line + f" (target <= {target}, aim 0.2)"


def instruction_counts(jobs: list[Job]) -> list[str]:
    """The ratio builds once more under callgrind: instructions, the same whatever the load."""
    counts = {label: build(python, source, out, instructions=True).instructions or 0
              for label, python, source, out in jobs if label.split(" (")[0] in RATIO_PROJECTS}
    report = ["instructions (valgrind --tool=callgrind, PYTHONHASHSEED=0):"]
    report += [f"  {label:<24} {billions(count)}" for label, count in counts.items()]
    for variant, target in TARGETS.items():
        empty, floor, ours = (counts[f"{name} ({variant})"] for name in RATIO_PROJECTS)
        report.append(f"(opsdocs - empty) / (floor - empty) in instructions, {variant}: "
                      f"{ratio_over_empty(ours, floor, empty):.2f} (target <= {target}, aim 0.2)")
    return report


def rebuilds(python: str, projects: dict[str, Path], package: Path,
             out: Path) -> dict[str, Build]:
    """Rebuilds after the cold builds: nothing changed, and the settings file touched."""
    results = {}
    for name in ("empty", "opsdocs"):
        results[f"no-op rebuild, {name}"] = build(python, projects[name], out / name, fresh=False)
    (package / "defaults.py").touch()
    results["defaults.py touched, opsdocs"] = build(python, projects["opsdocs"], out / "opsdocs",
                                                    fresh=False)
    (projects["empty"] / "settings.rst").touch()
    results["page touched, empty"] = build(python, projects["empty"], out / "empty", fresh=False)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="5000,1000", help="settings in all, each size (5000,1000)")
    parser.add_argument("--required", type=int, default=300, help="of them in required.py (300)")
    parser.add_argument("--markup", type=float, default=0.2,
                        help="share of docs with markup in the markup runs (0.2)")
    parser.add_argument("--seed", type=int, default=45)
    parser.add_argument("--repeat", type=int, default=5, help="extraction runs; best is kept")
    parser.add_argument("--rounds", type=int, default=3,
                        help="interleaved rounds of the builds compared (medians reported)")
    parser.add_argument("--ratios-only", action="store_true",
                        help="only empty, floor and opsdocs: no autodoc, code-annotations, "
                             "source pages or rebuilds")
    parser.add_argument("--instructions", action="store_true",
                        help="also count the instructions of empty, floor and opsdocs under "
                             "valgrind (about 50 times slower; the same whatever the load)")
    parser.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR)
    parser.add_argument("--no-code-annotations", action="store_true",
                        help="skip code-annotations (it needs a virtualenv of its own)")
    parser.add_argument("--profile", type=Path, metavar="FILE",
                        help="instead of timing, profile the 5,000 plain reference into FILE")
    args = parser.parse_args(argv)
    args.workdir = args.workdir.resolve()
    sizes = [int(size) for size in args.sizes.split(",")]

    if args.profile:
        package, projects = generate(args.workdir / "profile", sizes[0], args.required,
                                     args.seed, 0.0)
        profile_reference(projects["opsdocs"], args.workdir / "profile" / "out", args.profile)
        return 0

    package, _ = generate(args.workdir / "extraction", sizes[0], args.required, args.seed,
                          args.markup)
    extraction = best_of(args.repeat, lambda: read_settings_package(package))
    verdict = "ok" if extraction < EXTRACTION_TARGET else f"over the {EXTRACTION_TARGET} s target"
    report = [f"extraction of {sizes[0]} settings: {extraction:.2f} s (best of {args.repeat}; "
              f"{verdict})", ""]
    annotations = None
    if not args.no_code_annotations and not args.ratios_only:
        from bench_modules import code_annotations_python

        annotations = str(code_annotations_python(args.workdir / "code-annotations"))
    print("\n".join(report), flush=True)
    for size in sizes:
        print("\n".join([*run_size(args, size, annotations), ""]), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
