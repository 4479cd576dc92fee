"""A settings module parsed once; a file that does not parse is one located problem."""

from __future__ import annotations

import pytest

from opsdocs.errors import OpsdocsError
from tests.settings.support import (
    read,
)


def test_syntax_error_names_file_and_line():
    with pytest.raises(OpsdocsError) as info:
        read("A = 1\nB = (\n")
    assert info.value.problem.file == "settings/x.py"
    assert info.value.problem.line == 2
    assert str(info.value).startswith("settings/x.py:2: syntax error:")
