"""Reading the toggles of a code tree: definitions, blocks, names, defaults, the cache."""

from __future__ import annotations

import os

from opsdocs.toggles.reader import FactsCache, ReadOptions, read_toggles
from tests.toggles.tree import TODAY, block, by_name, code, read, write

FLAG_NAMESPACE = "WAFFLE_FLAG_NAMESPACE = 'reports'\n\n"


def test_a_course_flag_named_by_an_f_string_is_read_with_every_field(tmp_path):
    toggle = by_name(read(tmp_path, {"reports/toggles.py": FLAG_NAMESPACE + code("""\
        # .. toggle_name: reports.enable_async_export
        # .. toggle_implementation: CourseWaffleFlag
        # .. toggle_default: False
        # .. toggle_description: Builds course exports in a background task instead of in
        #   the request.
        # .. toggle_use_cases: temporary
        # .. toggle_creation_date: 2024-02-01
        # .. toggle_target_removal_date: 2024-08-01
        # .. toggle_tickets: https://example.com/tickets/1
        # .. toggle_warning: Exports may arrive late.
        ENABLE_ASYNC_EXPORT = CourseWaffleFlag(f'{WAFFLE_FLAG_NAMESPACE}.enable_async_export', __name__)
        """)}))["reports.enable_async_export"]
    assert (toggle.registered, toggle.implementation, toggle.default) == (
        "reports.enable_async_export", "CourseWaffleFlag", "False")
    assert toggle.description == ("Builds course exports in a background task instead of in "
                                  "the request.")
    assert (toggle.use_cases, toggle.creation_date, toggle.target_removal_date) == (
        ("temporary",), "2024-02-01", "2024-08-01")
    assert toggle.tickets == "https://example.com/tickets/1"
    assert toggle.warnings == ("Exports may arrive late.",)
    assert (toggle.variable, toggle.line, toggle.annotation_line) == ("ENABLE_ASYNC_EXPORT", 13, 3)
    assert toggle.past_due(TODAY)


def test_non_namespaced_flags_and_switches_are_toggles(tmp_path):
    """edx-toggles' classes for names without a namespace are a flag and a switch."""
    catalog = read(tmp_path, {"app/toggles.py": "".join([
        block("old_flag"), "OLD_FLAG = NonNamespacedWaffleFlag('old_flag', __name__)\n",
        block("old_switch", "WaffleSwitch"),
        "OLD_SWITCH = toggles.NonNamespacedWaffleSwitch('old_switch', __name__)\n",
        "UNDOCUMENTED = NonNamespacedWaffleFlag('undocumented', __name__)\n"])})
    assert [(t.name, t.implementation, t.default, t.line) for t in catalog] == [
        ("old_flag", "WaffleFlag", "False", 7), ("old_switch", "WaffleSwitch", "False", 14),
        ("undocumented", "WaffleFlag", "False", 15)]
    assert [(p.line, p.check) for p in catalog.problems] == [(15, "toggle-undocumented")]


def test_unchanged_files_are_not_read_again(tmp_path):
    write(tmp_path, {"app/__init__.py": "", "app/config.py": "NS = 'app'\n",
                     "app/toggles.py": "from .config import NS\nA = WaffleFlag(f'{NS}.a', __name__)\n",
                     "app/other.py": "B = WaffleFlag('app.b', __name__)\n",
                     "app/plain.py": "x = 1\n"})
    cache = FactsCache(tmp_path / "cache.pickle")
    options = ReadOptions(today=TODAY)
    first = read_toggles(["app"], options, base=tmp_path, search_path=[tmp_path], cache=cache)
    assert cache.reads == 6  # five walked, config.py parsed again for its names
    cache.save()
    again = FactsCache(tmp_path / "cache.pickle")  # the next build
    again.load()
    assert read_toggles(["app"], options, base=tmp_path, cache=again) == first
    assert again.reads == 0
    other = tmp_path / "app" / "other.py"
    other.write_text("B = WaffleFlag('app.c', __name__)\n")
    os.utime(other, ns=(1, 1))  # a new stamp, whatever the clock's resolution
    assert [t.name for t in read_toggles(["app"], options, base=tmp_path, cache=again)] == [
        "app.a", "app.c"]
    assert again.reads == 1
    assert set(first.files) == {str(tmp_path / "app" / n) for n in (
        "__init__.py", "config.py", "other.py", "plain.py", "toggles.py")}


def test_a_broken_cache_is_ignored(tmp_path):
    write(tmp_path, {"cache.pickle": b"not a pickle", "a.py": "A = WaffleFlag('a', __name__)\n"})
    cache = FactsCache(tmp_path / "cache.pickle")
    cache.load()
    assert [t.name for t in read_toggles(["a.py"], base=tmp_path, cache=cache)] == ["a"]


def test_problems_are_located_at_their_file(tmp_path):
    catalog = read(tmp_path, {"missing/__init__.py": ""}, "nowhere", "app.missing")
    assert [(p.file, p.check) for p in catalog.problems] == [
        ("nowhere", "toggle-missing"), ("app.missing", "toggle-missing")]
    assert "neither a folder, a Python file nor a dotted package" in catalog.problems[0].message


def test_a_dotted_package_is_found_on_the_search_path(tmp_path):
    catalog = read(tmp_path, {"lms/__init__.py": "", "lms/djangoapps/__init__.py": "",
                              "lms/djangoapps/toggles.py": "A = WaffleFlag('a', __name__)\n",
                              "cms/toggles.py": "B = WaffleFlag('b', __name__)\n"},
                   "lms.djangoapps")
    assert [t.name for t in catalog] == ["a"]
