"""How code builds a toggle's name, kept as an expression to resolve."""

from __future__ import annotations

import ast

import pytest

from opsdocs.toggles.expressions import expression, module_names


def built(code: str):
    return expression(ast.parse(code, mode="eval").body)


@pytest.mark.parametrize(("code", "expected"), [
    ("'reports.flag'", ("str", "reports.flag")),
    ("NAMESPACE", ("name", "NAMESPACE")),
    ("config.NAMESPACE", ("attr", ("name", "config"), "NAMESPACE")),
    ("f'{NS}.flag'", ("join", (("name", "NS"), ("str", ".flag")))),
    ("f'{NS!s}.flag'", ("join", (("name", "NS"), ("str", ".flag")))),
    ("NS + '.flag'", ("join", (("name", "NS"), ("str", ".flag")))),
    ("'%s.flag' % NS", ("join", (("str", ""), ("name", "NS"), ("str", ".flag")))),
    ("'%s.%s' % (NS, FLAG)",
     ("join", (("str", ""), ("name", "NS"), ("str", "."), ("name", "FLAG"), ("str", "")))),
    ("'{}.flag'.format(NS)", ("join", (("str", ""), ("name", "NS"), ("str", ".flag")))),
    ("'{0}.flag'.format(NS)", ("join", (("str", ""), ("name", "NS"), ("str", ".flag")))),
    ("LegacyWaffleFlagNamespace(name='ns')", ("namespace", ("str", "ns"))),
    ("WaffleSwitchNamespace('ns', log_prefix='x')", ("namespace", ("str", "ns"))),
])
def test_names_are_kept_as_the_code_builds_them(code, expected):
    assert built(code) == expected


@pytest.mark.parametrize("code", ["get_name()", "f'{NS:>10}'", "'%d.flag' % NUMBER",
                                  "'{name}'.format(name=NS)", "NAMES[0]"])
def test_what_builds_no_name_is_unknown_with_its_code(code):
    found = built(code)
    unknown = found if found[0] == "unknown" else next(p for p in found[1] if p[0] == "unknown")
    assert unknown[1] in code


def test_module_names_are_its_top_level_name_builders_and_imports():
    tree = ast.parse(
        "import os\nimport a.b\nimport a.b as ab\nfrom . import waffle\n"
        "from ..config import NS as NAMESPACE\nfrom x import *\n"
        "WAFFLE = 'w'\nFLAG: str = f'{WAFFLE}.flag'\nFEATURES = {'A': True}\n"
        "def f():\n    LOCAL = 'no'\n")
    bindings, imports = module_names(tree)
    assert dict(bindings) == {"WAFFLE": ("str", "w"),
                              "FLAG": ("join", (("name", "WAFFLE"), ("str", ".flag")))}
    assert dict(imports) == {"os": (0, "os", None), "a": (0, "a", None),
                             "ab": (0, "a.b", None), "waffle": (1, "", "waffle"),
                             "NAMESPACE": (2, "config", "NS")}
