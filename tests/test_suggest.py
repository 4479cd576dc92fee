""""Did you mean": the answers of difflib for misspellings, in work linear in the word."""

from __future__ import annotations

import ast
import difflib

import pytest

from opsdocs.suggest import NameMatcher, did_you_mean
from tests.helpers import REPO

NAMES = [f"{area}_{thing}_{n}" for area in ("CACHE", "EMAIL", "LMS", "AUTH", "API")
         for thing in ("TIMEOUT", "URL", "HOST", "PORT", "BACKEND", "USER", "KEY", "LEVEL")
         for n in range(125)]  # 5,000 names


@pytest.mark.parametrize(("word", "expected"), [
    ("CACHE_TIMEOTU_7", "CACHE_TIMEOUT_7"),  # two letters swapped
    ("CACHE_TIMEUT_7", "CACHE_TIMEOUT_7"),  # one missing
    ("CACHE_TIMEOUTT_7", "CACHE_TIMEOUT_7"),  # one added
    ("CACHE_TIMEXUT_7", "CACHE_TIMEOUT_7"),  # one wrong
    ("EMAIL_HOST", "EMAIL_HOST_9"),  # far from any one-letter slip: the slow search
    ("NOTHING_LIKE_THIS_AT_ALL", None),
    ("X" * 100_000, None),  # a long word costs no more than its length
])
def test_the_closest_name_is_difflib_s(word, expected):
    assert NameMatcher(NAMES).closest(word) == expected
    if len(word) < 100:
        assert difflib.get_close_matches(word, NAMES, n=1, cutoff=0.75) == (
            [expected] if expected else [])


def test_thousands_of_misspellings_cost_a_few_comparisons_each(monkeypatch):
    """The work, counted rather than timed: ratio() computations per word."""
    calls = 0
    ratio = difflib.SequenceMatcher.ratio

    def counting(self: difflib.SequenceMatcher) -> float:
        nonlocal calls
        calls += 1
        return ratio(self)

    monkeypatch.setattr(difflib.SequenceMatcher, "ratio", counting)
    matcher = NameMatcher(NAMES)
    words = [name[:3] + "Q" + name[4:] for name in NAMES[::2]] + ["UNLIKE_ANY"] * 500
    found = [matcher.closest(word) for word in words]
    assert found[:2500] == NAMES[::2]
    # A slip is compared with the few names one deletion away; a word like no name is
    # searched among them all only SLOW_SEARCHES times, then gets no suggestion.
    assert calls < 10 * len(words)
    assert matcher.slow_searches == 0


def test_did_you_mean_is_one_sentence_ending_a_message():
    assert did_you_mean("DEBUG") == "; did you mean 'DEBUG'?"
    assert did_you_mean("it's") == "; did you mean \"it's\"?"
    assert did_you_mean(None) == did_you_mean("") == ""


def test_no_module_writes_did_you_mean_by_hand():
    """Every "did you mean" of a message comes from did_you_mean (docstrings may name it)."""
    package = REPO / "sphinxext" / "opsdocs"
    by_hand = []
    for path in sorted(package.rglob("*.py")):
        if path.name == "suggest.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                      if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef))
                      and node.body and isinstance(node.body[0], ast.Expr)}
        by_hand += [f"{path.relative_to(package)}:{node.lineno}" for node in ast.walk(tree)
                    if isinstance(node, ast.Constant) and isinstance(node.value, str)
                    and "did you mean" in node.value.lower() and id(node) not in docstrings]
    assert by_hand == []
