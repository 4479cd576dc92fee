"""Star imports and ``from module import X``: modules read where Python imports them."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from opsdocs.cli import main
from opsdocs.settings.reader import source_from_specs
from opsdocs.settings.sources import import_target
from opsdocs.settings.text import catalog_to_markdown


def envs_package(root: Path, service: str) -> Path:
    """``ROOT/SERVICE/envs``, a package in a package, as Open edX's settings are."""
    package = root / service / "envs"
    package.mkdir(parents=True)
    for directory in (root / service, package):
        (directory / "__init__.py").write_text("")
    return package


def test_one_rule_finds_the_file_an_import_reaches(tmp_path: Path) -> None:
    package = envs_package(tmp_path, "app")
    (package / "common.py").write_text("")
    installed = tmp_path / "site-packages" / "lib"
    installed.mkdir(parents=True)
    (installed / "names.py").write_text("")
    here = package / "production.py"
    path = [tmp_path / "site-packages"]
    assert import_target(here, "common", 1, path) == package / "common.py"
    assert import_target(here, None, 2, path) == tmp_path / "app" / "__init__.py"
    assert import_target(here, "app.envs.common", 0, path) == package / "common.py"
    assert import_target(here, "app.envs.missing", 0, path) is None
    # installed code: a settings star import stays in the project; a toggle's name does not
    assert import_target(here, "lib.names", 0, path) is None
    assert import_target(here, "lib.names", 0, path, installed=True) == installed / "names.py"


def test_star_imports_are_followed_and_attributed(tmp_path: Path) -> None:
    package = envs_package(tmp_path, "lms")
    (package / "base.py").write_text("#: Base.\nA = 1\nB = [1]\n")
    (package / "common.py").write_text("from .base import *\nB.append(2)\n#: C.\nC = A\n")
    (package / "production.py").write_text("from lms.envs.common import *\nA = 2\n")
    catalog = source_from_specs([package / "production.py"])
    assert [(s.name, Path(s.file).name, s.line, s.value) for s in catalog] == [
        ("A", "production.py", 2, "2"), ("B", "base.py", 3, "[1]"), ("C", "common.py", 4, "A")]
    b = catalog.get("B")
    assert b.effective_value == "[1, 2]"
    assert [(Path(d.file).name if d.file else None, d.line) for d in b.definitions] == [
        (None, 3), ("common.py", 2)]
    assert catalog.get("A").doc == "Base."  # the doc of the definition it overrides
    assert [Path(f).name for f in catalog.files] == ["production.py", "common.py", "base.py"]


def test_star_import_cycles_and_outside_modules_are_messages(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("from .b import *\nA = 1\n")
    (tmp_path / "b.py").write_text("from .a import *\nfrom django.conf.global_settings import *\n"
                                   "B = 1\n")
    catalog = source_from_specs([tmp_path / "a.py"])
    assert [s.name for s in catalog] == ["B", "A"]
    assert [(Path(p.file).name, p.line, p.message) for p in catalog.problems
            if p.check == "import"] == [
        ("b.py", 1, "star-import cycle: a.py -> b.py -> a.py; Python cannot import these "
                    "modules either"),
        ("b.py", 2, "'from django.conf.global_settings import *' names a module outside the "
                    "project (or one that is not there): its settings are not documented here; "
                    "give its file as another settings source to include them"),
    ]


def test_named_imports_bind_the_settings_as_their_module_leaves_them(tmp_path: Path) -> None:
    for package in ("lms", "lms/envs", "cms", "cms/envs"):
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("")
    (tmp_path / "lms/envs/common.py").write_text(textwrap.dedent("""\
        # .. setting_name: TIME_ZONE_AWARE
        # .. setting_default: True
        # .. setting_description: Store datetimes with their time zone.
        TIME_ZONE_AWARE = False
        TIME_ZONE_AWARE = True
        API_SETTINGS = {
            # .. setting_name: API_SETTINGS['PAGE_SIZE']
            # .. setting_default: 10
            # .. setting_description: Items on a page.
            'PAGE_SIZE': 10,
        }
        #: Where uploads go.
        UPLOAD_ROOT = "/uploads"
        # .. setting_name: LMS_ONLY
        # .. setting_default: 1
        # .. setting_description: Not imported by the CMS.
        LMS_ONLY = 1


        def helper():
            return 1
    """))
    (tmp_path / "lms/envs/private.py").write_text("PRIVATE_TOKEN = None\n")
    (tmp_path / "cms/envs/common.py").write_text(textwrap.dedent("""\
        from lms.envs.common import (
            TIME_ZONE_AWARE, API_SETTINGS, helper, NOT_DEFINED_THERE,
        )
        from lms.envs.common import UPLOAD_ROOT as MEDIA_UPLOAD_ROOT
        from vendor.constants import VENDOR_LIMIT
        try:
            from lms.envs.private import PRIVATE_TOKEN
        except ImportError:
            pass
        API_SETTINGS['FORMAT'] = 'json'
        #: The name of the authoring site.
        STUDIO_NAME = "Studio"
    """))
    catalog = source_from_specs([tmp_path / "cms/envs/common.py"])
    assert [(s.name, Path(s.file).relative_to(tmp_path).as_posix(), s.line, s.value, s.doc)
            for s in catalog] == [
        ("TIME_ZONE_AWARE", "lms/envs/common.py", 5, "True",
         "Store datetimes with their time zone."),
        ("API_SETTINGS", "lms/envs/common.py", 6,
         "{\n    # .. setting_name: API_SETTINGS['PAGE_SIZE']\n    # .. setting_default: 10\n"
         "    # .. setting_description: Items on a page.\n    'PAGE_SIZE': 10,\n}", ""),
        ("API_SETTINGS['PAGE_SIZE']", "lms/envs/common.py", 10, "10", "Items on a page."),
        ("MEDIA_UPLOAD_ROOT", "lms/envs/common.py", 13, '"/uploads"', "Where uploads go."),
        ("PRIVATE_TOKEN", "lms/envs/private.py", 1, "None", ""),
        ("STUDIO_NAME", "cms/envs/common.py", 12, '"Studio"', "The name of the authoring site."),
    ]
    assert catalog.get("PRIVATE_TOKEN").definitions[0].condition == "try"
    assert catalog.get("API_SETTINGS['PAGE_SIZE']").parent == "API_SETTINGS"
    assert catalog.get("API_SETTINGS").effective_value == "{'PAGE_SIZE': 10, 'FORMAT': 'json'}"
    # the Studio module's change, told apart from the LMS module of the same name
    assert "`API_SETTINGS['FORMAT'] = 'json'` (cms/envs/common.py, line 10)" in \
        catalog_to_markdown(catalog)
    # LMS_ONLY's annotation documents a setting of the LMS, not an orphan of the Studio's
    assert [(Path(p.file).relative_to(tmp_path).as_posix(), p.line, p.message.split(" has")[0])
            for p in catalog.problems] == [
        ("lms/envs/common.py", 6, "setting API_SETTINGS"),
        ("lms/envs/private.py", 1, "setting PRIVATE_TOKEN")]
    assert [Path(f).relative_to(tmp_path).as_posix() for f in catalog.files] == [
        "cms/envs/common.py", "lms/envs/common.py", "lms/envs/private.py"]


def test_a_module_only_functions_are_imported_from_is_not_read(tmp_path: Path) -> None:
    (tmp_path / "envs").mkdir()
    (tmp_path / "envs" / "__init__.py").write_text("")
    (tmp_path / "envs" / "helpers.py").write_text("def make_paths(:\n")  # not Python
    (tmp_path / "envs" / "common.py").write_text(
        "from envs.helpers import make_paths, derived as _derived\n#: Roots.\nROOTS = []\n")
    catalog = source_from_specs([tmp_path / "envs" / "common.py"])
    assert [s.name for s in catalog] == ["ROOTS"]
    assert catalog.problems == ()
    assert [Path(f).name for f in catalog.files] == ["common.py"]


CHAIN = 300  # twice the length that ended in a RecursionError


def _chain(tmp_path: Path, statement: str) -> Path:
    """A package of CHAIN modules, each importing the next with *statement* (``{next}``)."""
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    for index in range(CHAIN):
        following = statement.format(next=f"m{index + 1}", setting=f"S{index + 1}") \
            if index + 1 < CHAIN else ""
        (package / f"m{index}.py").write_text(
            f"#: Setting {index}.\nS{index} = {index}\n\nif True:\n    {following or 'pass'}\n")
    return package


@pytest.mark.parametrize("statement", ["from .{next} import *",
                                       "from .{next} import {setting}"])
def test_a_long_chain_of_imports_is_read_without_recursion(tmp_path: Path, statement) -> None:
    catalog = source_from_specs([_chain(tmp_path, statement) / "m0.py"])
    assert not catalog.problems
    names = {s.name for s in catalog}
    assert names == ({f"S{i}" for i in range(CHAIN)} if "*" in statement else {"S0", "S1"})


@pytest.mark.parametrize("argv", [
    ["settings", "{m0}", "--format", "json"], ["sample-config", "{m0}"], ["schema", "{m0}"],
    ["snapshot", "{m0}"], ["check-config", "{config}", "--settings", "{m0}"],
])
def test_every_command_reads_a_long_chain(tmp_path: Path, capsys, argv) -> None:
    m0 = _chain(tmp_path, "from .{next} import *") / "m0.py"
    config = tmp_path / "prod.yml"
    config.write_text("S0: 1\n")
    assert main([arg.format(m0=m0, config=config) for arg in argv]) == 0
    assert f"S{CHAIN - 1}" in capsys.readouterr().out or argv[0] == "check-config"


def test_a_name_imported_again_is_defined_once(tmp_path: Path, capsys) -> None:
    package = envs_package(tmp_path, "svc")
    (tmp_path / "svc" / "names.py").write_text(
        'SERVICE_KIND = "svc.app"\nLABELS = ["a"]\nLEVEL = 1\nLEVEL = 2\n')
    (package / "base.py").write_text(
        "from svc.names import SERVICE_KIND, LABELS, LEVEL\nLABELS.append('b')\n")
    (package / "production.py").write_text(
        "from svc.envs.base import *\nfrom svc.names import SERVICE_KIND, LABELS, LEVEL\n")
    production = str(package / "production.py")
    assert main(["settings", "--settings", production, "--sys-path", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    kind = out.split(".. setting:: SERVICE_KIND")[1].split(".. setting::")[0]
    assert ":Source: names.py, line 1" in kind and "Defined by" not in kind
    # the list the base module changed is the same list imported again: the change stays
    labels = out.split(".. setting:: LABELS")[1].split(".. setting::")[0]
    assert "``['a', 'b']``" in labels and labels.count("- ``") == 2
    level = out.split(".. setting:: LEVEL")[1]
    assert level.count("- ``LEVEL = 1`` (line 3, overridden)") == 1 and level.count("- ``") == 2
    assert main(["sample-config", "--settings", production, "--sys-path", str(tmp_path)]) == 0
    sample = capsys.readouterr().out
    assert "\n# SERVICE_KIND: svc.app\n" in sample and "changed on line" not in sample
