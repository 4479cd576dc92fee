"""Tests of the reading layer, a file per module of opsdocs.reading."""

from __future__ import annotations

import pytest

from opsdocs.errors import OpsdocsError


def problem_of(call, *args, **kwargs):  # type: ignore[no-untyped-def]
    """What *call* raises, as ``(check, line, message)``."""
    with pytest.raises(OpsdocsError) as raised:
        call(*args, **kwargs)
    problem = raised.value.problem
    return problem.check, problem.line, problem.message
