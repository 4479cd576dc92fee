"""django-waffle's own functions reading a switch or flag by its literal name."""

from __future__ import annotations

import json

from opsdocs.cli import main
from tests.toggles.tree import block, checks, code, read

VIEWS = code("""\
    import waffle
    from waffle import flag_is_active as flag_on
    from waffle import sample_is_active, switch_is_active


    def index(request, name):
        if switch_is_active('enable_api'):
            return waffle.flag_is_active(request, 'beta_reports')
        if flag_on(request, flag_name='new_nav') or switch_is_active(name):
            return sample_is_active('sampled')
        return waffle.switch_is_active('enable_api')
    """)


def test_a_literal_name_read_with_waffles_functions_is_an_undocumented_toggle(tmp_path):
    """Each name once, at its first read; a name built at run time, a sample (no
    code-annotations choice for one) and another module's function of the same name are
    not toggles."""
    catalog = read(tmp_path, {
        "app/views.py": VIEWS,
        "app/other.py": "from waffle import switch_is_active\nswitch_is_active('enable_api')\n",
        "app/utils.py": code("""\
            def switch_is_active(name):
                return name == 'mine'
            switch_is_active('mine')
            """)})
    assert [(t.name, t.implementation, t.default, t.file[len(str(tmp_path)) + 1:], t.line)
            for t in catalog] == [
        ("beta_reports", "WaffleFlag", "False", "app/views.py", 8),
        ("enable_api", "WaffleSwitch", "False", "app/other.py", 2),
        ("new_nav", "WaffleFlag", "False", "app/views.py", 9)]
    assert checks(catalog, tmp_path) == [("app/views.py", 8, "toggle-undocumented"),
                                         ("app/other.py", 2, "toggle-undocumented"),
                                         ("app/views.py", 9, "toggle-undocumented")]
    assert catalog.problems[1].message == (
        "the WaffleSwitch enable_api is read here by its name, and no toggle object or block "
        "defines it: document it with a '# .. toggle_name: enable_api' block right above this "
        "read (toggle_implementation: WaffleSwitch, default, description, use cases, creation "
        "date)")


def test_a_read_of_a_name_an_object_or_a_block_defines_is_only_a_read(tmp_path):
    catalog = read(tmp_path, {
        "app/toggles.py": "".join([
            "SWITCH = WaffleSwitch('app.made', __name__)\n",
            block("app.alone", "WaffleSwitch"), "\n",
            block("app.constant", "WaffleFlag"), "FLAG = 'app.constant'\n"]),
        "app/views.py": code("""\
            import waffle
            waffle.switch_is_active('app.made')
            waffle.switch_is_active('app.alone')
            waffle.flag_is_active(None, 'app.constant')
            """)})
    assert [(t.name, t.file.endswith("toggles.py")) for t in catalog] == [
        ("app.alone", True), ("app.constant", True), ("app.made", True)]
    assert checks(catalog, tmp_path) == [("app/toggles.py", 1, "toggle-undocumented")]


def test_a_block_above_a_read_documents_it(tmp_path):
    """The block's read is the toggle; the name's other reads are reads of it."""
    catalog = read(tmp_path, {
        "app/a.py": "from waffle import switch_is_active\nswitch_is_active('app.x')\n",
        "app/b.py": "from waffle import switch_is_active\n\n\ndef view():\n" + "".join(
            "    " + line + "\n" for line in block("app.x", "WaffleFlag").splitlines()) +
            "    if switch_is_active('app.x'):\n        return 1\n"})
    toggle, = catalog
    assert (toggle.name, toggle.implementation, toggle.documented, toggle.line) == (
        "app.x", "WaffleSwitch", True, 11)
    assert checks(catalog, tmp_path) == [("app/b.py", 6, "toggle-implementation")]


def test_the_cli_lists_a_switch_that_only_a_read_names(tmp_path, monkeypatch, capsys):
    """Was "no feature toggles here"."""
    (tmp_path / "views.py").write_text(
        "from waffle import switch_is_active\n\nif switch_is_active('my_switch'):\n    pass\n")
    monkeypatch.chdir(tmp_path)
    status = main(["toggles", "views.py", "--format", "json"])
    out, err = capsys.readouterr()
    toggle, = json.loads(out)["toggles"]
    assert (status, toggle["name"], toggle["implementation"], toggle["default"],
            toggle["line"], toggle["documented"]) == (1, "my_switch", "WaffleSwitch", "False",
                                                       3, False)
    assert err.splitlines() == [
        "views.py:3: the WaffleSwitch my_switch is read here by its name, and no toggle object "
        "or block defines it: document it with a '# .. toggle_name: my_switch' block right "
        "above this read (toggle_implementation: WaffleSwitch, default, description, use "
        "cases, creation date)"]
