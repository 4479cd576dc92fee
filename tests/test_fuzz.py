"""A standing fuzz test: generated files, valid and broken, through every reader, the CLI
and a Sphinx build.

Hypothesis generates settings packages, commands files, configs, snapshots and
Dockerfiles: well-formed ones, and the same with garbage lines, bytes that are not UTF-8,
deep nesting, huge numbers, unquoted ``*`` and ``!`` values, YAML tags, unterminated
heredocs ... Every value of a secret setting and every config value holds a marker; the
HTML of every ``raw`` directive is a tag of its own.  Operators' configs go through
``upgrade --fix``, and comments mixing allowed and refused markup through a build.  For
each case:

* no traceback: readers return or raise :class:`~opsdocs.errors.OpsdocsError`, the CLI
  returns an exit status, Sphinx builds;
* no marker in any output (text, JSON, pages, warnings, messages), and no raw HTML in a
  page (a refused directive is shown as text, escaped);
* ``--fix`` changes only the keys it reports, byte for byte elsewhere; nothing outside
  the allow-list of markup takes effect in a build;
* bounded time: :func:`tests.helpers.deadline` fails a case that runs away.

CI runs the ``ci`` profile (``tests/conftest.py``): derandomized, so every run tries the
same cases, and a few dozen per test, so the file takes a few tens of seconds.
``HYPOTHESIS_PROFILE=explore`` runs many random cases instead.
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import re
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opsdocs.cli import main
from opsdocs.config.check import check_config
from opsdocs.config.sample import sample_config
from opsdocs.dockerfile.reader import parse_dockerfile
from opsdocs.errors import OpsdocsError
from opsdocs.loader import read_config
from opsdocs.operations.reader import manual_from_text
from opsdocs.settings.reader import read_settings_package
from opsdocs.settings.snapshot import read_snapshot_text
from opsdocs.settings.text import catalog_text
from tests.config.upgrades import untouched
from tests.helpers import deadline

MARKER = "S3CR3T-MARKER"
#: The HTML of a ``raw`` directive in a comment: shown escaped at most, never as HTML.
RAW_HTML = "<b>RAW-HTML-MARKER</b>"
#: Seconds one case may take before it counts as running away.
CASE_SECONDS = 20
FAST = settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# -- Pieces ------------------------------------------------------------------------------

NAMES = st.sampled_from(["TIMEOUT", "DEBUG", "ALLOWED_HOSTS", "LMS_URL", "FEATURES", "PORT",
                         "LOG_LEVEL", "CACHE_TTL", "EMAIL_HOST", "ITEMS"])
#: Secret settings: names that look secret, so they stay secret whatever a garbage line
#: does to their ``:secret:`` comment.
SECRET_NAMES = st.sampled_from(["API_SECRET", "DB_PASSWORD", "AUTH_TOKEN", "SIGNING_KEY",
                                "OAUTH_CREDENTIALS"])
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
GARBAGE = st.one_of(
    TEXT,
    st.sampled_from(["(", "[[[", "if x:", "\t\tX = 1", "\x0c", "\u2028", "#: ", "# ---- ",
                     "del TIMEOUT", "for TIMEOUT in []:\n    pass", "X = (Y := 3)",
                     "# .. setting_name: PORT", "# -*- coding: latin-1 -*-", "\\",
                     "TIMEOUT: typing.sys.modules['os'].environ['HOME'] = 1"]),
    st.integers(1, 300).map(lambda n: "X = " + "(" * n + "1" + ")" * n),
    st.integers(1, 3000).map(lambda n: "# --- a" + " " * n + "b"),
)
LITERALS = st.one_of(
    st.integers(-10**6, 10**6).map(str), st.booleans().map(str), TEXT.map(repr),
    st.lists(TEXT.map(repr), max_size=3).map(lambda items: f"[{', '.join(items)}]"),
    st.just("None"), st.just("60 * 5"), st.just("{'a': 1}"), st.just("-" * 5000 + "1"),
)
DOCS = st.one_of(TEXT, st.sampled_from([
    "Plain prose.", "See :setting:`DEBUG`.", "``literal`` and *em*", ".. raw:: html",
    ":default: five minutes", ":example: ``x``", ".. deprecated:: 1.0", "`link <http://x>`_",
    "**bold *and* more**", ":r:`" + " " * 200,
]))


@st.composite
def setting_lines(draw: st.DrawFn, secret: bool) -> list[str]:
    name = draw(SECRET_NAMES if secret else NAMES)
    doc = [f"#: {line}" for line in draw(st.lists(DOCS, min_size=0, max_size=3))]
    if secret:
        doc += ["#:", "#: :secret:"]
        value = draw(st.sampled_from([f'"{MARKER}-1"', f'["{MARKER}-2"]',
                                      f'{{"k": "{MARKER}-3"}}']))
    else:
        value = draw(LITERALS)
    annotation = draw(st.sampled_from(["", ": int", ": list[str]", ": str | None",
                                       ": typing.Optional[int]"]))
    lines = [*doc, f"{name}{annotation} = {value}"]
    if secret:  # defined again, changed: every value holds the marker
        lines += draw(st.lists(st.sampled_from([
            f'if DEBUG:\n    {name} = "{MARKER}-4"', f'{name} = "{MARKER}-5"',
            f'try:\n    {name} = "{MARKER}-6"\nexcept ImportError:\n    pass',
        ]), max_size=2))
    return lines


@st.composite
def settings_module(draw: st.DrawFn) -> bytes:
    blocks = draw(st.lists(st.booleans().flatmap(setting_lines), max_size=6))
    lines = ["import typing", "DEBUG = False", *(line for block in blocks for line in block)]
    for _ in range(draw(st.integers(0, 2))):  # broken: garbage between the lines
        lines.insert(draw(st.integers(0, len(lines))), draw(GARBAGE))
    data = "\n".join(lines).encode("utf-8", "surrogatepass")
    if draw(st.booleans()) and draw(st.booleans()):
        at = draw(st.integers(0, len(data)))
        # bytes that break the text, not ones that start a statement: a newline or ";"
        # inside OAUTH_CREDENTIALS would make a setting REDENTIALS, rightly not secret
        noise = draw(st.binary(max_size=4).filter(lambda b: not set(b) & set(b"\n\r;")))
        data = data[:at] + noise + data[at:]
    return data


YAML_SCALARS = st.one_of(
    st.integers().map(str), TEXT.map(json.dumps), st.sampled_from([
        "true", "maybe", "!!int abc", "!!bool maybe", "!!float x", "2024-13-45", "1" * 5000,
        "*nothing", "!tag x", "!a!b x", "@x", "`x", "null", "~", "[", "{a: [}", "&a x",
        "!!python/object/apply:os.system [ls]", "'unclosed",
    ]),
)


@st.composite
def config_text(draw: st.DrawFn) -> str:
    lines = []
    for _ in range(draw(st.integers(0, 6))):
        key = draw(st.one_of(NAMES, SECRET_NAMES, st.sampled_from(["debug", "1", "<<"])))
        value = draw(st.one_of(YAML_SCALARS, st.just(f"{MARKER}-config"),
                               st.just(f"*{MARKER}"), st.just(f"!{MARKER}"),
                               st.just(f"!!int {MARKER}"), st.just(f"[{MARKER}, 1]")))
        lines.append(f"{key}: {value}")
    if draw(st.booleans()):
        depth = draw(st.integers(1, 1500))
        lines.append("DEEP: " + "[" * depth + "]" * depth)
    if draw(st.booleans()):
        lines += ["a: &a {x: 1}", *(f"b{i}: &b{i} {{<<: *{'a' if i == 0 else f'b{i - 1}'}}}"
                                    for i in range(draw(st.integers(0, 150))))]
    if draw(st.booleans()):
        lines.insert(draw(st.integers(0, len(lines))), draw(GARBAGE))
    return "\n".join(lines) + "\n"


@st.composite
def commands_text(draw: st.DrawFn) -> str:
    commands = []
    for index in range(draw(st.integers(0, 4))):
        command = {"name": f"c{index}", "summary": draw(DOCS), "command": "run"}
        if draw(st.booleans()):
            command["schedule"] = draw(st.sampled_from(
                ["0 3 * * *", "² * * * *", "*/0 * * * *", "@daily", "1-² * * * *", "x"]))
        if draw(st.booleans()):
            command["settings"] = draw(st.lists(NAMES, max_size=3))
        commands.append(command)
    document = {"version": draw(st.sampled_from([1, "1", 2])),
                "groups": [{"name": "web", "commands": commands}]}
    text = json.dumps(document)  # JSON is YAML
    if draw(st.booleans()):
        text = text.replace('"run"', draw(YAML_SCALARS), 1)
    if draw(st.booleans()):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(GARBAGE) + text[at:]
    return text


@st.composite
def snapshot_text(draw: st.DrawFn) -> str:
    settings_json = []
    for index in range(draw(st.integers(0, 4))):
        secret = draw(st.booleans())
        value = f"'{MARKER}-snapshot'" if secret else draw(LITERALS)
        settings_json.append({
            "name": f"S{index}", "required": draw(st.booleans()), "file": "d.py",
            "line": draw(st.one_of(st.integers(1, 99), st.just("2"), st.just(-1))),
            "value": value, "secret": secret, "doc": draw(DOCS),
            "definitions": [{"kind": "assign", "line": 1, "value": value}],
        })
    data = {"format": draw(st.sampled_from(["opsdocs-settings", "other"])),
            "version": draw(st.sampled_from([1, 2, "1", 99, 0, None])),
            "root": "settings", "settings": settings_json}
    text = json.dumps(data, indent=2).replace('"line": -1', '"line": 1' + "0" * 5000)
    if draw(st.booleans()):
        depth = draw(st.integers(1, 3000))
        text = text.replace('"root": "settings"', '"root": ' + "[" * depth + "]" * depth, 1)
    if draw(st.booleans()):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(GARBAGE) + text[at:]
    return text


@st.composite
def dockerfile_text(draw: st.DrawFn) -> str:
    lines = ["FROM python:3.12 AS base"]
    pieces = st.sampled_from([
        "# The version.\nARG VERSION=1", "ENV A=1 B=2", "EXPOSE 80", "USER app",
        "CMD [\"run\"]", "CMD run", 'RUN python -c "print(1<<EOF)"', "RUN <<EOF\necho\nEOF",
        "RUN <<EOF\necho never ends", "RUN <<-X\n\techo\n\tX", "COPY <<'A' /x\nbody\nA",
        f"# .. raw:: html\n#\n#    {RAW_HTML}\nUSER root",
        "# .. include:: /etc/passwd\nWORKDIR /srv", "# " + " " * 30000 + "x\nUSER x",
        "CMD " + "[" * 5000 + "]" * 5000, "# syntax= a" + " " * 3000 + "b", "ONBUILD RUN <<E",
        "FROM base AS base", "BOGUS x", "RUN echo \\\n  # comment\n  x",
    ])
    lines += draw(st.lists(st.one_of(pieces, GARBAGE), max_size=8))
    return "\n".join(lines) + "\n"


# -- What every case asserts ---------------------------------------------------------------


def calls_quietly(function, *args, **kwargs):  # type: ignore[no-untyped-def]
    """*function*'s result, ``None`` when it raised :class:`OpsdocsError` (a message);
    anything else raised fails the case."""
    try:
        return function(*args, **kwargs)
    except OpsdocsError as error:
        assert MARKER not in str(error)
        return None


def cli(*argv: str) -> str:
    """``opsdocs ARGV``: its output and messages; a traceback fails the case."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(list(argv))
    assert status in (0, 1), (argv, status, err.getvalue())
    return out.getvalue() + err.getvalue()


def no_marker(*texts: object) -> None:
    for text in texts:
        assert MARKER not in str(text), text


def write_package(root: Path, required: bytes, defaults: bytes) -> Path:
    package = root / "settings"
    package.mkdir()
    (package / "required.py").write_bytes(required)
    (package / "defaults.py").write_bytes(defaults)
    return package


# -- The fuzz tests ------------------------------------------------------------------------


@FAST
@given(required=settings_module(), defaults=settings_module())
def test_settings_packages(required, defaults):
    with tempfile.TemporaryDirectory() as tmp, deadline(CASE_SECONDS):
        package = write_package(Path(tmp), required, defaults)
        catalog = read_settings_package(package)
        no_marker(*catalog.problems, sample_config(catalog),
                  *(catalog_text(catalog, markup) for markup in ("rst", "markdown", "json")))
        for setting in catalog:
            assert not setting.secret or setting.value is None
        snapshot = Path(tmp) / "v1.json"
        output = "".join(cli(*argv) for argv in (
            ["settings", "--settings", str(package), "--format", "markdown"],
            ["sample-config", "--settings", str(package)],
            ["schema", "--settings", str(package)],
            ["snapshot", "--settings", str(package), "-o", str(snapshot)],
        ))
        no_marker(output, snapshot.read_text() if snapshot.exists() else "")
        if snapshot.exists():
            no_marker(cli("diff", str(snapshot), "WORKTREE", "--settings", str(package)))


@FAST
@given(text=config_text(), defaults=settings_module())
def test_configs(text, defaults):
    with tempfile.TemporaryDirectory() as tmp, deadline(CASE_SECONDS):
        package = write_package(Path(tmp), b"", defaults)
        config = Path(tmp) / "config.yml"
        config.write_text(text, encoding="utf-8", errors="surrogatepass")
        catalog = read_settings_package(package)
        no_marker(*check_config(catalog, text, "config.yml"))
        _, problems = read_config(config)
        no_marker(*problems)
        no_marker(cli("check-config", str(config), "--settings", str(package)))


@FAST
@given(text=commands_text())
def test_commands_files(text):
    with tempfile.TemporaryDirectory() as tmp, deadline(CASE_SECONDS):
        manual = calls_quietly(manual_from_text, text, str(Path(tmp) / "commands.yml"))
        if manual is not None:
            assert all(problem.file for problem in manual.problems)
        path = Path(tmp) / "commands.yml"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        cli("check-commands", str(path))
        cli("operations", str(path), "--format", "markdown")


@FAST
@given(text=snapshot_text())
def test_snapshots(text):
    with tempfile.TemporaryDirectory() as tmp, deadline(CASE_SECONDS):
        catalog = calls_quietly(read_snapshot_text, text, "v1.json")
        if catalog is not None:
            no_marker(*(catalog_text(catalog, markup) for markup in ("rst", "json")))
        path = Path(tmp) / "v1.json"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        no_marker(cli("diff", str(path), str(path)))


@FAST
@given(text=dockerfile_text())
def test_dockerfiles(text):
    with deadline(CASE_SECONDS):
        dockerfile = parse_dockerfile(text, "Dockerfile")
        assert all(problem.line is None or problem.line >= 1 for problem in dockerfile.problems)


@settings(max_examples=8, suppress_health_check=list(HealthCheck))
@given(required=settings_module(), defaults=settings_module(), config=config_text(),
       commands=commands_text(), dockerfile=dockerfile_text(), snapshot=snapshot_text())
def test_a_sphinx_build_of_everything(required, defaults, config, commands, dockerfile,
                                      snapshot):

    with tempfile.TemporaryDirectory() as tmp, deadline(CASE_SECONDS * 3):
        src = Path(tmp) / "src"
        src.mkdir()
        package = write_package(src, required, defaults)
        (package / "prod.yml").write_text(config, encoding="utf-8", errors="surrogatepass")
        (src / "commands.yml").write_text(commands, encoding="utf-8", errors="surrogatepass")
        (src / "Dockerfile").write_text(dockerfile, encoding="utf-8", errors="surrogatepass")
        (src / "snapshots").mkdir()
        (src / "snapshots" / "v1.0.json").write_text(snapshot, encoding="utf-8",
                                                     errors="surrogatepass")
        (src / "conf.py").write_text(
            'extensions = ["sphinx.ext.autodoc", "sphinx_autodoc_typehints", "opsdocs"]\n')
        outdir, status, warnings = build_html(
            src, ".. settings-reference:: settings\n\n"
            ".. sample-config:: settings\n   :check: *.yml\n\n"
            ".. settings-changelog:: settings\n   :snapshots: snapshots\n\n"
            ".. operations-manual:: commands.yml\n\n.. dockerfile-reference:: Dockerfile\n")
        outputs = [p.read_bytes().decode("utf-8", "replace")
                   for p in outdir.rglob("*") if p.is_file()]
        no_marker(status, warnings, *outputs)
        assert "Traceback" not in warnings
        assert not any(RAW_HTML in output for output in outputs)


def build_html(src: Path, directives: str) -> tuple[Path, str, str]:
    """Build *src* as HTML, its index a title and *directives*: the output folder, the
    status and the warnings."""
    from sphinx.testing.util import SphinxTestApp

    (src / "index.rst").write_text(f"Service\n=======\n\n{directives}")
    status, warning = io.StringIO(), io.StringIO()
    app = SphinxTestApp("html", srcdir=src, status=status, warning=warning)
    try:
        app.build()
    finally:
        app.cleanup()
    return Path(app.outdir), status.getvalue(), warning.getvalue()


# -- upgrade --fix: every key the report does not name stays, byte for byte ---------------

#: Two releases: v1 -> v2 renames OLD_NAME to NEW_NAME, removes GONE and the secret
#: GONE_TOKEN, and makes NEW_REQUIRED required.
RELEASES = {
    "v1": {"required.py": "#: The key.\n#:\n#: :secret:\nSECRET_KEY: str\n",
           "defaults.py": "#: Debugging.\nDEBUG = False\n\n#: The queue.\nOLD_NAME = 'q'\n\n"
                          "#: A.\nKEEP_A = 1\n\n#: B.\nKEEP_B = [1]\n\n#: Gone.\nGONE = 2\n\n"
                          "#: A token.\n#:\n#: :secret:\nGONE_TOKEN = ''\n"},
    "v2": {"required.py": "#: The key.\n#:\n#: :secret:\nSECRET_KEY: str\n\n"
                          "#: Needed.\nNEW_REQUIRED: str\n",
           "defaults.py": "#: Debugging.\nDEBUG = False\n\n#: The queue.\nNEW_NAME = 'q'\n\n"
                          "#: A.\nKEEP_A = 1\n\n#: B.\nKEEP_B = [1]\n"},
}


@functools.lru_cache(maxsize=1)
def release_snapshots() -> Path:
    """The snapshots of :data:`RELEASES`, written once per session."""
    root = Path(tempfile.mkdtemp(prefix="opsdocs-fuzz-releases-"))
    (root / "snapshots").mkdir()
    for name, files in RELEASES.items():
        package = root / name / "settings"
        package.mkdir(parents=True)
        for filename, text in files.items():
            (package / filename).write_text(text)
        assert main(["snapshot", "--settings", str(package), "-o", str(root / "snapshots" / f"{name}.json"),
                     "--relative-to", str(root / name)]) == 0
    return root / "snapshots"


CONFIG_KEYS = st.sampled_from(["DEBUG", "OLD_NAME", "KEEP_A", "KEEP_B", "SECRET_KEY", "GONE",
                               "GONE_TOKEN", "UNKNOWN_X", "'OLD_NAME'", '"GONE"'])
SECRET_VALUE = f"{MARKER}-upgrade"
#: Values of the secret settings (SECRET_KEY, GONE_TOKEN): the marker in any form.
SECRET_VALUES = st.sampled_from([f" {SECRET_VALUE}", f" '{SECRET_VALUE}'", f" [{SECRET_VALUE}]",
                                 f"\n  a: {SECRET_VALUE}", f" |\n  {SECRET_VALUE}"])
#: Values of any key; the marker only where its shape or key makes it a secret.
CONFIG_VALUES = st.one_of(
    st.sampled_from([
        " -15", " 0x1F", " 1e3", " ~", " yes", " 'quoted'", ' "double"',
        f" redis://:{SECRET_VALUE}@cache", " [1, 2,  3]", " {a: 1,  b: [x]}", " ''",
        f"\n  PASSWORD: {SECRET_VALUE}\n  HOST: db", "\n- a\n- b", "\n  - a\n  - b",
        " |\n  line one\n\n  line two", " >-\n  folded\n  text", f" '{{\"SECRET_KEY\": \"{SECRET_VALUE}\"}}'",
    ]),
    TEXT.filter(lambda t: t.isprintable()).map(json.dumps).map(lambda v: " " + v),
)
TRAILERS = st.sampled_from(["", "  # why", "\t# tab then comment", " #: not a doc"])
BETWEEN = st.sampled_from(["", "# health checks: do not remove", "   # indented comment"])
#: Constructs a rewrite refuses: it must then write nothing.
REFUSED = st.sampled_from(["KEEP_A: 1", "ANCHOR: &a 1\nALIAS: *a", "MERGED:\n  <<: {a: 1}"])


@st.composite
def operator_config(draw: st.DrawFn) -> bytes:
    lines: list[str] = []
    if draw(st.booleans()):
        lines.append("# An operator's config.")
    for key in draw(st.lists(CONFIG_KEYS, unique=True, max_size=8)):
        between = draw(BETWEEN)
        if between:
            lines.append(between)
        value = draw(SECRET_VALUES if key in ("SECRET_KEY", "GONE_TOKEN") else CONFIG_VALUES)
        trailer = draw(TRAILERS) if "\n" not in value and not value.endswith("|") else ""
        lines.append(f"{key}:{value}{trailer}")
    if draw(st.integers(0, 9)) == 0:
        lines.append(draw(REFUSED))
    text = "\n".join(lines) + ("\n" if draw(st.booleans()) else "")
    if draw(st.integers(0, 9)) == 0:
        text = "{" + ", ".join(line.split("\n")[0] for line in lines[:3]
                               if not line.lstrip().startswith("#")) + "}\n"
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    return (b"\xef\xbb\xbf" if draw(st.booleans()) else b"") + text.encode("utf-8")


def upgrade(config: Path, *more: str) -> tuple[int, str, str]:
    snapshots = release_snapshots()
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(["upgrade", str(config), "--from", str(snapshots / "v1.json"), "--to",
                       str(snapshots / "v2.json"), *more])
    assert status in (0, 1), err.getvalue()
    return status, out.getvalue(), err.getvalue()


@settings(max_examples=60, suppress_health_check=list(HealthCheck))
@given(data=operator_config())
def test_upgrade_fix_changes_only_the_keys_it_reports(data):
    with tempfile.TemporaryDirectory() as tmp, deadline(CASE_SECONDS):
        config = Path(tmp) / "config.yml"
        config.write_bytes(data)
        _, out, err = upgrade(config, "--dry-run")
        no_marker(out, err)
        _, out, err = upgrade(config, "--fix", "--format", "json")
        no_marker(out, err)
        after = config.read_bytes()
        if "--fix does not rewrite this file" in err or "--fix stopped" in err or \
                "YAML" in err or "not a mapping" in err:
            assert after == data  # refused: nothing written
            return
        report, _ = json.JSONDecoder().raw_decode(out)
        reported = {item["key"] for item in report["items"]}
        before_text, after_text = data.decode("utf-8-sig"), after.decode("utf-8-sig")
        assert untouched(before_text, after_text, reported) == []
        assert after.startswith(b"\xef\xbb\xbf") == data.startswith(b"\xef\xbb\xbf")
        if b"\r\n" in data:
            assert after.count(b"\n") == after.count(b"\r\n")  # no line end of another kind
        yaml.compose(after_text, Loader=yaml.CSafeLoader)  # still YAML


# -- Comments through a build: nothing outside the allow-list takes effect ----------------

#: Markup a comment may hold that must not take effect: each with what would show it did.
REFUSED_MARKUP = st.sampled_from([
    ".. automodule:: fuzzsvc.evil", ":download:`x </etc/hostname>`", ".. image:: /etc/hostname",
    ".. figure:: /etc/hostname", ".. meta::\n   :http-equiv=refresh: 0; url=https://evil.example",
    ".. raw:: html\n\n   <script>alert('raw')</script>", ".. include:: /etc/hostname",
    "`x <javascript:alert('js')>`_", "see javascript:alert('bare')", "`y <data:text/html,x>`_",
    ".. csv-table::\n   :file: /etc/hostname", ".. only:: html\n\n   only", ".. toctree::",
    ":raw-html:`<b>raw role</b>`", "`z <JaVa\tScRiPt:alert(1)>`_",
])
ALLOWED_MARKUP = st.sampled_from([
    "**bold**", ".. note:: A note.", ".. versionadded:: 1.0", ":setting:`DEBUG`",
    "`ok <https://example.com>`_", ".. code-block:: python\n\n   x = 1", "- a list",
])


def as_comment(pieces: list[str], prefix: str) -> list[str]:
    return [f"{prefix}{line}".rstrip() for piece in pieces
            for line in [*piece.split("\n"), ""]]


@settings(max_examples=8, suppress_health_check=list(HealthCheck))
@given(comments=st.lists(st.lists(st.one_of(REFUSED_MARKUP, ALLOWED_MARKUP), min_size=1,
                                  max_size=4), min_size=3, max_size=3))
def test_comments_run_nothing_outside_the_allow_list(comments):
    with tempfile.TemporaryDirectory() as tmp, deadline(CASE_SECONDS * 3):
        src = Path(tmp) / "src"
        (src / "fuzzsvc").mkdir(parents=True)
        (src / "fuzzsvc" / "__init__.py").write_text("")
        (src / "fuzzsvc" / "evil.py").write_text(
            "from pathlib import Path\n(Path(__file__).parent / 'IMPORTED').write_text('x')\n")
        write_package(src, b"", "\n".join(
            ["#: Debugging.", "DEBUG = False", "", "#: Documented.", "#:",
             *as_comment(comments[0], "#: "), "DOCUMENTED = 1"]).encode())
        description = "\n".join(f"      {line}" for line in as_comment(comments[1], ""))
        (src / "commands.yml").write_text(
            "version: 1\ngroups:\n  - name: web\n    commands:\n      - name: serve\n"
            "        summary: Serves.\n        command: run\n        description: |\n"
            + "\n".join(f"    {line}" for line in description.split("\n")) + "\n")
        (src / "Dockerfile").write_text(
            "FROM python\n# The user.\n#\n" + "\n".join(as_comment(comments[2], "# ")) +
            "\nUSER app\n")
        (src / "conf.py").write_text(
            f"import sys\nsys.path.insert(0, {str(src)!r})\n"
            'extensions = ["sphinx.ext.autodoc", "opsdocs"]\n')
        out, _, warnings = build_html(
            src, ".. settings-reference:: settings\n\n"
            ".. operations-manual:: commands.yml\n\n.. dockerfile-reference:: Dockerfile\n")
        page = (out / "index.html").read_text()
        assert not (src / "fuzzsvc" / "IMPORTED").exists(), "automodule ran the module"
        assert not (out / "_downloads").exists() and not (out / "_images").exists()
        assert 'http-equiv="refresh"' not in page and "<script>alert" not in page
        assert "<b>raw role</b>" not in page
        assert not re.search(r"(?i)(?:href|src)=\"\s*(?:java\s*script|data):", page)
        assert "hostname" not in "".join(p.name for p in out.rglob("*"))
        used = [piece for group in comments for piece in group]
        if any(piece.startswith((".. automodule", ".. image", ".. meta")) for piece in used):
            assert "shown as text" in warnings
