"""Code that wraps only where a reader expects: after an underscore, a slash, ``=``."""

from __future__ import annotations

import pytest

from opsdocs._breaks import pieces, pieces_html


@pytest.mark.parametrize("text, expected", [
    ("DJANGO_SETTINGS_MODULE", ["DJANGO_", "SETTINGS_", "MODULE"]),
    ("--timeout=${GUNICORN_TIMEOUT}", ["--timeout=", "${GUNICORN_", "TIMEOUT}"]),
    ("--access-logfile=- --timeout=60", ["--access-logfile=-", " ", "--timeout=", "60"]),
    ("/opt/venv/bin:$PATH", ["/", "opt/", "venv/", "bin:$PATH"]),
    ("0.0.0.0:8000 python:3.11-slim", ["0.0.0.0:8000", " ", "python:3.11-slim"]),
    ("example_ida.wsgi:application", ["example_", "ida.", "wsgi:application"]),
    ("/config/example_ida.yml", ["/", "config/", "example_", "ida.yml"]),
    ("django.contrib.auth.management", ["django.", "contrib.", "auth.management"]),
])
def test_code_wraps_between_its_pieces_only(text, expected):
    assert pieces(text) == expected
    assert "".join(pieces(text)) == text


def test_html_pieces_are_joined_by_word_break_opportunities():
    assert pieces_html("A_BC d") == ('<span class="pre">A_</span><wbr><span class="pre">BC</span>'
                                    ' <span class="pre">d</span>')
