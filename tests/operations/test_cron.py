"""Cron expressions: what is wrong with one, and the common shapes in plain words."""

from __future__ import annotations

import pytest

from opsdocs.operations.cron import cron_problem, describe_cron


@pytest.mark.parametrize(("expression", "problem"), [
    ("0 25 * * *", "hour 25 is out of range 0-23"),
    ("0 3 * * 8", "day of week 8 is out of range 0-7"),
    ("0 3 * *", "it has 4 fields, cron needs 5 (minute hour day-of-month month day-of-week), "
     "e.g. \"30 3 * * *\" for 03:30 every day"),
])
def test_a_wrong_expression_says_what_is_wrong(expression, problem):
    assert cron_problem(expression) == problem


@pytest.mark.parametrize("expression", ["@daily", "30 4 * * 1-5", "*/15 * * * *",
                                        "0 3 1 jan *"])
def test_valid_expressions_have_no_problem(expression):
    assert cron_problem(expression) is None


@pytest.mark.parametrize(("expression", "words"), [
    ("@daily", "every day at midnight"),
    ("30 4 * * *", "every day at 04:30"),
    ("0 3 * * 1", "every Monday at 03:00"),
    ("*/15 * * * *", None),  # no common shape: the expression alone is shown
])
def test_common_shapes_are_described_in_words(expression, words):
    assert describe_cron(expression) == words
