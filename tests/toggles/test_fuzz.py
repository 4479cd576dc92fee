"""The standing fuzz test of the toggles reader (as ``tests/test_fuzz.py``): generated code
trees, valid and broken, through the reader, every format of ``opsdocs toggles`` and a
Sphinx build: no traceback, no secret's value in any output, bounded time."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from opsdocs.toggles.reader import read_toggles
from opsdocs.toggles.text import FORMATS
from tests.helpers import deadline
from tests.test_fuzz import CASE_SECONDS, FAST, GARBAGE, MARKER, TEXT, cli, no_marker

NAMES = st.one_of(
    st.sampled_from(["'app.flag'", "f'{NS}.flag'", "NS + '.x'", "'%s.x' % NS", "'{}.x'.format(NS)",
                     "OTHER", "f'{NS}.{name}'", "self.NAME", "f'{NS!r:>{W}}'", "NS_OBJ",
                     "make()", "''", "f''", "'%s' % (1, 2)", "'{}{}'.format(NS)"]),
    TEXT.map(repr))
CLASSES = st.sampled_from(["WaffleFlag", "CourseWaffleFlag", "WaffleSwitch", "SettingToggle",
                           "SettingDictToggle", "LegacyWaffleFlag", "ExperimentWaffleFlag"])
FIELDS = st.sampled_from(["toggle_implementation", "toggle_default", "toggle_description",
                          "toggle_use_cases", "toggle_creation_date", "toggle_warnings",
                          "toggle_target_removal_date", "toggle_oops", "setting_name"])
VALUES = st.one_of(TEXT, st.sampled_from(["WaffleFlag", "temporary", "2024-01-01", "2024-13-01",
                                          "None", "temporary, opt_in", "", "  indented"]))


@st.composite
def toggle_lines(draw: st.DrawFn) -> list[str]:
    lines: list[str] = []
    if draw(st.booleans()):
        lines.append(f"# .. toggle_name: {draw(TEXT)}")
        lines += [f"# .. {draw(FIELDS)}: {draw(VALUES)}"
                  for _ in range(draw(st.integers(0, 4)))]
        lines += draw(st.lists(st.sampled_from(["#   continued", "#", "# pylint: disable=x"]),
                               max_size=2))
        lines += [""] * draw(st.integers(0, 2))
    kind = draw(st.integers(0, 3))
    if kind == 0:
        lines.append(f"X = {draw(CLASSES)}({draw(NAMES)}, {draw(NAMES)}, __name__)")
    elif kind == 1:
        lines.append(f"API_SECRET = '{MARKER}'")  # a setting under a block: never shown
    elif kind == 2:
        lines += ["def f(name):", f"    return {draw(CLASSES)}({draw(NAMES)}, __name__)"]
    else:
        lines += ['class C(ConfigurationModel):', '    """', "    .. toggle_name: C.enabled",
                  f"    .. toggle_default: {draw(VALUES)}", '    """']
    return lines


@st.composite
def toggle_module(draw: st.DrawFn) -> bytes:
    blocks = draw(st.lists(toggle_lines(), max_size=5))
    lines = ["from .names import NS, OTHER", "NS_OBJ = WaffleFlagNamespace(name=NS)",
             *(line for block in blocks for line in block)]
    for _ in range(draw(st.integers(0, 2))):
        lines.insert(draw(st.integers(0, len(lines))), draw(GARBAGE))
    data = "\n".join(lines).encode("utf-8", "surrogatepass")
    if draw(st.booleans()) and draw(st.booleans()):
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(max_size=4)) + data[at:]
    return data


@FAST
@given(toggles=toggle_module(), names=st.sampled_from([
    b"NS = 'app'\nOTHER = NS\n", b"from .toggles import NS\n", b"NS = (\n", b"\x00"]))
def test_code_trees(toggles, names):
    with tempfile.TemporaryDirectory() as tmp, deadline(CASE_SECONDS):
        tree = Path(tmp) / "app"
        tree.mkdir()
        (tree / "__init__.py").write_text("")
        (tree / "toggles.py").write_bytes(toggles)
        (tree / "names.py").write_bytes(names)
        catalog = read_toggles([tree])
        no_marker(*catalog.problems, *catalog.toggles)
        no_marker(*(cli("toggles", str(tree), "--format", markup) for markup in FORMATS))
