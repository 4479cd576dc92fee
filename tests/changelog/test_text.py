"""The words of the changelog: each change's sentence, and the text of a changelog section."""

from __future__ import annotations

import pytest
from docutils import nodes
from docutils.core import publish_doctree
from docutils.utils import Reporter

from opsdocs.changelog.diff import diff_catalogs
from opsdocs.changelog.model import SettingChange
from opsdocs.changelog.text import describe, diff_text, scriv_fragment, towncrier_fragment
from opsdocs.code_text import value_text
from tests.changelog.catalogs import DEFAULTS, REQUIRED, catalog, changes, sentences


def test_text_renderings() -> None:
    found = changes(REQUIRED, '#: Seconds to wait.\nTIMEOUT = 10\n\n#: New.\nNEW = "x`y"\n')
    assert diff_text(found, "v1", "v2", "rst") == (
        "Settings\n~~~~~~~~\n\n"
        "- Added ``NEW``, default ``'x`y'``.\n"
        "- Removed ``QUEUE``.\n"
        "- Changed the default of ``TIMEOUT`` from ``5`` to ``10``.\n"
    )
    assert diff_text(found, "v1", "v2", "markdown", title="Changed settings") == (
        "### Changed settings\n\n"
        "- Added `NEW`, default `` 'x`y' ``.\n"
        "- Removed `QUEUE`.\n"
        "- Changed the default of `TIMEOUT` from `5` to `10`.\n"
    )
    assert diff_text(found, "v1", "v2", "rst", roles=True).splitlines()[3] == (
        "- Added :setting:`NEW`, default ``'x`y'``.")
    assert diff_text((), "v1", "v2", "rst").endswith("No changes to settings.\n")
    assert towncrier_fragment(found, "v1", "rst").startswith(
        "Settings changed since v1:\n\n- Added ``NEW``")
    assert scriv_fragment(found, "rst") == (
        "Added\n-----\n\n- Added ``NEW``, default ``'x`y'``.\n\n"
        "Changed\n-------\n\n- Changed the default of ``TIMEOUT`` from ``5`` to ``10``.\n\n"
        "Removed\n-------\n\n- Removed ``QUEUE``.\n"
    )


def test_describe_marks_removed_names_unlinked() -> None:
    parts = describe(SettingChange("renamed", "NEW", old_name="OLD"))
    assert ("name", "OLD") in parts and ("setting", "NEW") in parts
    assert describe(SettingChange("removed", "GONE"))[1] == ("name", "GONE")


def test_long_values_are_shortened() -> None:
    found = changes(REQUIRED, "#: Seconds to wait.\nTIMEOUT = [" + ", ".join(
        str(i) for i in range(40)) + ']\n\n#: The queue.\nQUEUE = "default"\n')
    assert sentences(found)[0].endswith("to ``[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, ...``.")


@pytest.mark.parametrize("value", [
    '"a`b"', '"Use ``x``"', '"a\\\\"', "'``'", '"`"', "`x`", '"x" * 3',
])
def test_any_value_is_a_literal_in_rst_and_markdown(value: str) -> None:
    change = SettingChange("default", "X", "1", value)
    text = diff_text([change], "a", "b", "rst")
    doctree = publish_doctree(text, settings_overrides={"report_level": Reporter.SEVERE_LEVEL + 1})
    shown = value_text(value)  # a literal in Python's repr style, other code as written
    assert [node.astext() for node in doctree.findall(nodes.literal)] == ["X", "1", shown]
    assert not list(doctree.findall(nodes.system_message))
    # CommonMark: a code span's fence is longer than any run of backticks inside it, and
    # one space is stripped from each end when both ends have one.
    code = diff_text([change], "a", "b", "markdown").split(" to ", 1)[1].rstrip(".\n")
    fence = len(code) - len(code.lstrip("`"))
    inner = code[fence:-fence]
    if inner.startswith(" ") and inner.endswith(" ") and inner.strip():
        inner = inner[1:-1]
    assert code.endswith("`" * fence) and "`" * fence not in inner and inner == shown


def test_long_values_are_shortened_around_their_first_difference() -> None:
    before = '"' + "".join(f"K{i}, " for i in range(20)) + '"'
    after = before.replace("K19", "K20")
    old, new = (catalog(defaults=DEFAULTS.replace("TIMEOUT = 5", f"TIMEOUT = {value}"))
                for value in (before, after))
    assert sentences(list(diff_catalogs(old, new))) == [
        "Changed the default of ``TIMEOUT`` from ``...K16, K17, K18, K19, '`` to "
        "``...K16, K17, K18, K20, '``."]


def test_a_dict_or_list_default_is_reported_key_by_key_and_item_by_item() -> None:
    keys = "".join(f'    "K{i}": {i},\n' for i in range(40))
    before = (f'#: Flags.\n#:\n#: :default: all off\nFEATURES = {{\n{keys}    "OLD": 1,\n'
              '    "NESTED": {"A": [1, 2], "B": "x" * 3},\n}\n'
              '#: Apps.\nAPPS = ["a", "b", "c"]\n#: Order.\nORDER = [1, 2, 3]\n')
    after = (before.replace('"K39": 39', '"K39": 390').replace('    "OLD": 1,\n', "")
             .replace('"A": [1, 2]', '"A": [1, 2, 3]').replace("}\n#: Apps", '"NEW": True}\n#: Apps')
             .replace('["a", "b", "c"]', '["a", "c", "d"]').replace("ORDER = [1, 2, 3]", "ORDER = [3, 2, 1]"))
    found = list(diff_catalogs(catalog(defaults=before), catalog(defaults=after)))
    assert diff_text(found, "v1", "v2", "rst") == (
        "Settings\n~~~~~~~~\n\n"
        "- Changed the default of ``APPS``:\n\n"
        "  - item ``'b'`` removed\n"
        "  - item ``'d'`` added\n\n"
        "- Changed the default of ``FEATURES`` (shown as all off before, all off now):\n\n"
        "  - ``['NEW']`` added: ``True``\n"
        "  - ``['OLD']`` removed (was ``1``)\n"
        "  - ``['K39']`` changed from ``39`` to ``390``\n"
        "  - ``['NESTED']['A']`` item ``3`` added\n\n"
        "- Changed the default of ``ORDER``:\n\n"
        "  - the same items in another order, ``[3, 2, 1]``\n\n")
    assert "``39`` to ``390``" in diff_text(found, "v1", "v2", "markdown").replace("`39` to `390`",
                                                                                 "``39`` to ``390``")
