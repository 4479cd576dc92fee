"""A dict key documented as an entry of its own (edx-platform's ``FEATURES['X']``) whose
default changes between releases: the changelog reports it once, under the key's entry,
and the dict's own list of changed keys leaves it out."""

from __future__ import annotations

from pathlib import Path

import pytest

from opsdocs.cli import main
from tests.changelog.repository import PACKAGE, make_repository


def features(enable_x: str, other: str, flags: str, limit: str) -> str:
    """A defaults.py as edx-platform writes one: annotation blocks inside the dicts."""
    return f"""\
#: Feature flags.
FEATURES = {{
    # .. toggle_name: FEATURES['ENABLE_X']
    # .. toggle_implementation: DjangoSetting
    # .. toggle_default: {enable_x}
    # .. toggle_description: Turns on X.
    "ENABLE_X": {enable_x},
    'OTHER': {other},
{flags}}}

#: Where modules are stored.
MODULESTORE = {{
    'default': {{
        # .. setting_name: MODULESTORE['default']['limit']
        # .. setting_default: {limit}
        # .. setting_description: How many at most.
        'limit': {limit},
        'engine': 'mongo',
    }},
}}
"""


def flag(name: str) -> str:
    return (f"    # .. toggle_name: FEATURES['{name}']\n"
            "    # .. toggle_implementation: DjangoSetting\n"
            "    # .. toggle_default: False\n"
            f"    # .. toggle_description: Turns on {name.lower()}.\n"
            f"    '{name}': False,\n")


RELEASES = {
    "v1": {"required.py": "", "defaults.py": features("False", "1", flag("OLD_FLAG"), "5")},
    # every change in v2 is to a documented key, but OTHER's
    "v2": {"required.py": "", "defaults.py": features("True", "2", flag("NEW_FLAG"), "6")},
    # only documented keys change: the dicts have no change of their own
    "v3": {"required.py": "", "defaults.py": features("False", "2", flag("NEW_FLAG"), "7")},
}

V2_CHANGES = [
    "* Renamed \"FEATURES['OLD_FLAG']\" to \"FEATURES['NEW_FLAG']\" (same value and place).",
    "* Changed the default of \"FEATURES\":",
    "  * \"['OTHER']\" changed from \"1\" to \"2\"",
    "* Changed the default of \"FEATURES['ENABLE_X']\" from \"False\" to \"True\".",
    "* Changed the default of \"MODULESTORE['default']['limit']\" from \"5\" to \"6\".",
]
V3_CHANGES = [
    "* Changed the default of \"FEATURES['ENABLE_X']\" from \"True\" to \"False\".",
    "* Changed the default of \"MODULESTORE['default']['limit']\" from \"6\" to \"7\".",
]


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("documented-keys") / "repo"
    make_repository(root, RELEASES)
    return root


def section(text: str, title: str) -> list[str]:
    """The paragraphs of a release's section of the text builder's page, each on one line
    (a nested bullet keeps its indent)."""
    lines = text.splitlines()
    start = lines.index(title) + 2  # after the underline
    end = next((i - 1 for i in range(start + 1, len(lines))
                if lines[i] and set(lines[i]) == {"="}), len(lines))
    paragraphs = "\n".join(lines[start:end]).strip().split("\n\n")
    return [paragraph[:len(paragraph) - len(paragraph.lstrip())] + " ".join(paragraph.split())
            for paragraph in paragraphs if paragraph.strip()]


def test_the_changelog_page_reports_a_documented_key_once(make_app, tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text('extensions = ["opsdocs"]\nexclude_patterns = ["repo"]\n')
    (src / "index.rst").write_text(f"Changes\n=======\n\n.. settings-changelog:: repo/"
                                   f"{PACKAGE}\n   :no-unreleased:\n")
    make_repository(src / "repo", RELEASES)
    app = make_app("text", srcdir=src)
    app.build()
    assert app.warning.getvalue() == ""
    text = (app.outdir / "index.txt").read_text()
    assert section(text, "v3") == V3_CHANGES
    assert section(text, "v2") == V2_CHANGES
    assert section(text, "v1") == ["The oldest release shown: 5 settings."]


def test_opsdocs_diff_reports_a_documented_key_once(repo: Path, capsys,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    assert main(["diff", "v1", "v2", "--format", "markdown"]) == 0
    assert capsys.readouterr().out.splitlines()[2:] == [
        "- Renamed `FEATURES['OLD_FLAG']` to `FEATURES['NEW_FLAG']` (same value and place).",
        "- Changed the default of `FEATURES`:",
        "  - `['OTHER']` changed from `1` to `2`",
        "- Changed the default of `FEATURES['ENABLE_X']` from `False` to `True`.",
        "- Changed the default of `MODULESTORE['default']['limit']` from `5` to `6`.",
    ]
    assert main(["diff", "v2", "v3", "--format", "markdown"]) == 0
    assert capsys.readouterr().out.splitlines()[2:] == [
        "- Changed the default of `FEATURES['ENABLE_X']` from `True` to `False`.",
        "- Changed the default of `MODULESTORE['default']['limit']` from `6` to `7`.",
    ]


def features_call(enable_x: str, other: str) -> str:
    """The same dict written as ``dict(...)`` keywords."""
    return f"""\
#: Feature flags.
FEATURES = dict(
    # .. toggle_name: FEATURES['ENABLE_X']
    # .. toggle_implementation: DjangoSetting
    # .. toggle_default: {enable_x}
    # .. toggle_description: Turns on X.
    ENABLE_X={enable_x},
    OTHER={other},
)
"""


def test_a_dict_written_as_a_call_is_compared_key_by_key(tmp_path: Path, capsys,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    make_repository(tmp_path / "repo", {
        "v1": {"required.py": "", "defaults.py": features_call("False", "1")},
        "v2": {"required.py": "", "defaults.py": features_call("True", "1")},
        "v3": {"required.py": "", "defaults.py": features_call("True", "2")},
    })
    monkeypatch.chdir(tmp_path / "repo")
    assert main(["diff", "v1", "v2", "--format", "markdown"]) == 0
    assert capsys.readouterr().out.splitlines()[2:] == [
        "- Changed the default of `FEATURES['ENABLE_X']` from `False` to `True`.",
    ]
    assert main(["diff", "v2", "v3", "--format", "markdown"]) == 0
    assert capsys.readouterr().out.splitlines()[2:] == [
        "- Changed the default of `FEATURES`:",
        "  - `['OTHER']` changed from `1` to `2`",
    ]
