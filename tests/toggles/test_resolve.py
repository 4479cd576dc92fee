"""The names toggles' code registers, resolved statically across files."""

from __future__ import annotations

import pytest

from tests.toggles.tree import read


@pytest.mark.parametrize(("files", "registered"), [
    ({"app/toggles.py": "from .config import NS\nFLAG = WaffleFlag(f'{NS}.flag', __name__)\n",
      "app/config.py": "NS = 'app_ns'\n"}, "app_ns.flag"),
    ({"app/toggles.py": "from app.config import NS\nFLAG = WaffleFlag(NS + '.flag', __name__)\n",
      "app/config.py": "NS = 'app_ns'\n"}, "app_ns.flag"),
    ({"app/toggles.py": "from . import config\nFLAG = WaffleFlag('%s.flag' % config.NS, __name__)\n",
      "app/config.py": "NS = 'app_ns'\n"}, "app_ns.flag"),
    ({"app/toggles.py": "import app.config as c\nFLAG = WaffleFlag('{}.flag'.format(c.NS), __name__)\n",
      "app/config.py": "NS = 'app_ns'\n"}, "app_ns.flag"),
    ({"app/toggles.py": "from .config import NS\nFLAG = WaffleFlag(f'{NS}.flag', __name__)\n",
      "app/config.py": "from .names import BASE as NS\n",
      "app/names.py": "APP = 'app'\nBASE = f'{APP}_ns'\n"}, "app_ns.flag"),
    ({"app/toggles.py": "NS = LegacyWaffleFlagNamespace(name='legacy')\n"
                        "FLAG = LegacyWaffleFlag(NS, 'old', __name__)\n"}, "legacy.old"),
    ({"app/toggles.py": "NS = WaffleSwitchNamespace('legacy')\n"
                        "FLAG = WaffleSwitch(NS, 'old', __name__)\n"}, "legacy.old"),
    ({"app/toggles.py": "NS = WaffleFlagNamespace(name='legacy')\n"
                        "FLAG = CourseWaffleFlag(waffle_namespace=NS, flag_name='old')\n"},
     "legacy.old"),
    ({"app/toggles.py": "FLAG = LegacyWaffleSwitch('legacy', 'old', __name__)\n"}, "legacy.old"),
    ({"app/toggles.py": "FLAG = WaffleFlag(name='app.named', module_name=__name__)\n"}, "app.named"),
])
def test_registered_names_are_resolved_statically(tmp_path, files, registered):
    files = {"app/__init__.py": "", **files}
    (toggle,) = read(tmp_path, files).toggles
    assert (toggle.registered, toggle.known, toggle.name) == (registered, True, registered)


@pytest.mark.parametrize(("code", "pattern"), [
    ("def flag(name):\n    return WaffleSwitch(f'{NS}.{name}', __name__)\n", "app.{name}"),
    ("class A:\n    def flag(self):\n        return WaffleFlag(self.NAME, __name__)\n",
     "{self.NAME}"),
    ("from elsewhere import OTHER\nFLAG = WaffleFlag(f'{OTHER}.x', __name__)\n", "{OTHER}.x"),
    ("FLAG = WaffleFlag(make_name(), __name__)\n", "{make_name()}"),
])
def test_a_name_made_at_run_time_is_not_known_statically(tmp_path, code, pattern):
    (toggle,) = read(tmp_path, {"app/toggles.py": "NS = 'app'\n" + code}).toggles
    assert (toggle.registered, toggle.pattern, toggle.known, toggle.name) == (
        None, pattern, False, pattern)


def test_an_import_cycle_or_a_long_chain_ends_unknown(tmp_path):
    catalog = read(tmp_path, {
        "app/__init__.py": "",
        "app/a.py": "from .b import NS\nFLAG = WaffleFlag(f'{NS}.x', __name__)\n",
        "app/b.py": "from .a import NS\n",
    })
    assert [t.pattern for t in catalog] == ["{NS}.x"]
