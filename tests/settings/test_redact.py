"""Secret values blanked out of a settings file's text, lines kept."""

from __future__ import annotations

import pytest

from opsdocs.settings.redact import redact

MARKER = "S3CR3T-MARKER"


@pytest.mark.parametrize(("source", "expected"), [
    (f'SECRET_KEY = "{MARKER}"\n', "SECRET_KEY = ...  # secret: not shown\n"),
    (f'SECRET_KEY: str = "{MARKER}"  # dev only\n',
     "SECRET_KEY: str = ...  # dev only  # secret: not shown\n"),
    (f'TOKEN = (\n    "{MARKER}"\n    "more"\n)\nX = 1\n',
     "TOKEN = (\n    ...  # secret: not shown\n\n)\nX = 1\n"),
    (f'TOKEN += "{MARKER}"\n', "TOKEN += ...  # secret: not shown\n"),
    (f'API["password"] = "{MARKER}"\n', 'API["password"] = ...  # secret: not shown\n'),
    (f'API.update(password="{MARKER}", user="u")\n',
     "API.update(password=..., user=...)  # secret: not shown\n"),
    (f'if DEBUG:\n    TOKEN = os.environ.get("TOKEN", "{MARKER}")\n',
     "if DEBUG:\n    TOKEN = ...  # secret: not shown\n"),
    (f'A, TOKEN = 1, "{MARKER}"\n', "A, TOKEN = ...  # secret: not shown\n"),
    (f'X = (TOKEN := "{MARKER}")\n', "X = (TOKEN := ...)  # secret: not shown\n"),
    (f'CACHES = {{\n    "k": "{MARKER}",\n}}\n', "CACHES = ...  # secret: not shown\n\n\n"),
])
def test_secret_values_are_blanked_and_lines_keep_their_numbers(source, expected):
    redacted = redact(source, ["SECRET_KEY", "TOKEN", "API", "CACHES"])
    assert redacted == expected
    assert MARKER not in redacted
    assert redacted.count("\n") == source.count("\n")


def test_other_settings_and_no_secrets_are_left_alone():
    source = 'PUBLIC = "visible"\nSECRET_KEY = "x"\n'
    assert redact(source, []) == source
    assert redact(source, ["SECRET_KEY"]).startswith('PUBLIC = "visible"\n')


def test_a_file_that_does_not_parse_keeps_no_line_naming_a_secret():
    source = f'SECRET_KEY = "{MARKER}"\nbroken(\n'
    assert redact(source, ["SECRET_KEY"]) == "# secret: not shown\nbroken(\n"


def test_a_secret_s_shown_defaults_in_comments_are_blanked_too():
    source = (f"#: The key.\n#:\n#: :secret:\n#: :default: {MARKER}-display\nKEY = 'x'\n\n"
              "#: Public.\n#: :default: five seconds\nTIMEOUT = 5\n\n"
              f"# .. setting_name: SHARED\n# .. setting_default: {MARKER}-annotation\n"
              f"#    {MARKER}-continued\n# .. setting_description: Shared.\nSHARED = 'y'\n")
    redacted = redact(source, ["KEY", "SHARED"])
    assert MARKER not in redacted
    assert redacted.splitlines() == [
        "#: The key.", "#:", "#: :secret:", "#: :default: ...  # secret: not shown",
        "KEY = ...  # secret: not shown", "",
        "#: Public.", "#: :default: five seconds", "TIMEOUT = 5", "",
        "# .. setting_name: SHARED", "# .. setting_default: ...  # secret: not shown", "#",
        "# .. setting_description: Shared.", "SHARED = ...  # secret: not shown"]
