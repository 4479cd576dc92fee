"""The suite's set-up: Sphinx's test fixtures, the Hypothesis profiles, and its own rules.

* Tests run in parallel (pytest-xdist, ``-n auto`` in pyproject's addopts), the longest
  first; ``-n0`` or ``-p no:xdist`` runs them in one process, for ``--pdb`` or a debugger.
* Markers are given by what a test does, so they cannot be forgotten: ``fuzz`` for every
  Hypothesis test, ``subprocess`` for every test that runs a program (sphinx-build, the
  example service, git, a linter) itself or through a fixture or a function of tests/ (the
  git that opsdocs itself runs does not count).
* No test is skipped: a skip fails, saying why it would have skipped.
"""

from __future__ import annotations

import inspect
import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from types import CodeType
from typing import Any

import pytest
from hypothesis import settings
from sphinx.testing.util import SphinxTestApp

from tests.browser.example_site import build_example_docs
from tests.helpers import ROOTS

pytest_plugins = ("sphinx.testing.fixtures",)

collect_ignore = ["roots"]

# Sphinx < 7.3 keeps the captured streams private; give tests one spelling for all versions.
if not hasattr(SphinxTestApp, "warning"):
    SphinxTestApp.warning = property(lambda self: self._warning)  # type: ignore[attr-defined]
    SphinxTestApp.status = property(lambda self: self._status)  # type: ignore[attr-defined]


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return ROOTS


@pytest.fixture
def app_params(app_params: Any) -> Any:
    """The ``app`` fixture's parameters, with every build reading its documents afresh: tests
    of one test root share its build directory, and run in any order on any worker."""
    app_params.kwargs.setdefault("freshenv", True)
    return app_params


@pytest.fixture(scope="session")
def example_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """example_ida/docs built to HTML with ``-W``, once per process: tests only read it."""
    return build_example_docs(tmp_path_factory.mktemp("example-html"))


# The fuzz test's profiles: "ci" (the default) tries the same few dozen cases every run;
# HYPOTHESIS_PROFILE=explore tries many random ones.
settings.register_profile("ci", derandomize=True, max_examples=150, deadline=None,
                          database=None, print_blob=True)
settings.register_profile("explore", max_examples=1000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


# -- Parallel runs -------------------------------------------------------------------------


def pytest_addoption(parser: pytest.Parser, pluginmanager: pytest.PytestPluginManager) -> None:
    if not pluginmanager.has_plugin("xdist"):
        # addopts says -n auto --dist loadgroup: without pytest-xdist (-p no:xdist) they
        # mean one process.
        group = parser.getgroup("xdist")
        ignored = "ignored: pytest-xdist is not loaded, the tests run in this process"
        group._addoption("-n", "--numprocesses", help=ignored)  # short: addoption refuses it
        group.addoption("--dist", help=ignored)


# -- Markers given by what a test does -------------------------------------------------------


def _names(code: CodeType) -> Iterator[str]:
    """The global and attribute names *code* and the functions defined in it use."""
    yield from code.co_names
    for constant in code.co_consts:
        if isinstance(constant, CodeType):
            yield from _names(constant)


def _ours(value: object) -> bool:
    module = getattr(value, "__module__", None) or ""
    return module == "tests" or module.startswith("tests.")


def _starts_processes(function: Callable[..., Any], seen: set[CodeType]) -> bool:
    """Whether *function*, or a function or class of tests/ it calls, uses :mod:`subprocess`."""
    function = inspect.unwrap(getattr(getattr(function, "hypothesis", None), "inner_test",
                                      function))
    code = getattr(function, "__code__", None)
    if code is None or code in seen:
        return False
    seen.add(code)
    namespace = getattr(function, "__globals__", {})
    for name in _names(code):
        value = namespace.get(name)
        if value is subprocess or getattr(value, "__module__", None) == "subprocess":
            return True
        if inspect.isclass(value) and _ours(value):
            if any(_starts_processes(member, seen) for member in vars(value).values()
                   if inspect.isfunction(member)):
                return True
        elif inspect.isfunction(value) and _ours(value) and _starts_processes(value, seen):
            return True
    return False


def _fixture_functions(item: pytest.Item) -> Iterator[Callable[..., Any]]:
    fixture_info = getattr(item, "_fixtureinfo", None)
    for definitions in (fixture_info.name2fixturedefs.values() if fixture_info else ()):
        for definition in definitions:
            if _ours(definition.func):
                yield definition.func


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    verdicts: dict[Callable[..., Any], bool] = {}

    def starts_processes(function: Callable[..., Any]) -> bool:
        if function not in verdicts:
            verdicts[function] = _starts_processes(function, set())
        return verdicts[function]

    for item in items:
        function = getattr(item, "obj", None)
        if function is None:
            continue
        if getattr(function, "is_hypothesis_test", False):
            item.add_marker(pytest.mark.fuzz)
        if any(starts_processes(f) for f in (function, *_fixture_functions(item))):
            item.add_marker(pytest.mark.subprocess)
    # The longest tests first, so that in a parallel run the others fill in around them
    # instead of one worker finishing them alone at the end.
    items.sort(key=lambda item: not any(item.get_closest_marker(name)
                                        for name in ("fuzz", "packaging")))


# -- No test is skipped ----------------------------------------------------------------------

SKIPS_FAIL = ("the suite skips nothing: install what the test needs "
              "(scripts/install-test-deps) or make it test what it can here")


def _fail_a_skip(report: pytest.TestReport | pytest.CollectReport) -> None:
    if report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"{reason}: {SKIPS_FAIL}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    _fail_a_skip(outcome.get_result())


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> Iterator[None]:
    outcome = yield
    _fail_a_skip(outcome.get_result())
