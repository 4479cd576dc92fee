"""Django's own commands as the installed Django builds them: options added at run time,
help texts made with ``%``; the service is never imported."""

from __future__ import annotations

import textwrap

from opsdocs.operations.management import CommandFinder
from opsdocs.operations.model import RUN_TIME
from opsdocs.operations.reader import manual_from_text

AUTH = ("django.contrib.auth", "django.contrib.contenttypes")


def options(command):
    return [(a.usage, a.aliases, a.description, a.shown_default) for a in command.arguments]


def test_createsuperuser_has_the_options_of_the_default_user_model_and_its_sentences():
    found = CommandFinder(apps=AUTH).find("createsuperuser")
    assert found.help == "Used to create a superuser."
    assert options(found) == [
        ("--username USERNAME", (), "Specifies the login for the superuser.", None),
        ("--noinput", ("--no-input",),
         "Tells Django to NOT prompt the user for input of any kind. You must use --username "
         "with --noinput, along with an option for any other required field. Superusers "
         "created with --noinput will not be able to log in until they're given a valid "
         "password.", None),
        # The default is in the sentence: it is not said again; the aliases are the settings'.
        ("--database DATABASE", (), 'Specifies the database to use. Default is "default".',
         None),
        ("--email EMAIL", (), "Specifies the email for the superuser.", None),
    ]


def test_check_shows_its_positional_argument_once_and_its_default_once():
    found = CommandFinder(apps=AUTH).find("check")
    positional, *rest = found.arguments
    assert (positional.usage, positional.aliases) == ("[app_label ...]", ())
    fail_level = next(a for a in rest if a.name == "--fail-level")
    assert fail_level.default == "ERROR" and fail_level.shown_default is None
    assert fail_level.choices == ("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG")
    database = next(a for a in rest if a.name == "--database")
    assert database.choices == ()  # made from the settings' databases: not the service's


def test_another_user_model_keeps_the_static_read(tmp_path):
    settings = tmp_path / "settings"
    settings.mkdir()
    (settings / "required.py").write_text("")
    (settings / "defaults.py").write_text(
        'INSTALLED_APPS = ["django.contrib.auth", "django.contrib.contenttypes"]\n'
        'AUTH_USER_MODEL = "accounts.User"\n')
    text = textwrap.dedent("""\
        version: 1
        settings_package: settings
        groups:
          - name: ad-hoc
            commands:
              - django: createsuperuser
    """)
    manual = manual_from_text(text, str(tmp_path / "commands.yml"))
    (found,) = manual.commands
    noinput = next(a for a in found.arguments if a.name == "--noinput")
    assert noinput.description == RUN_TIME  # built from the user model: not the default's
    assert "--username" not in [a.name for a in found.arguments]


def test_a_django_folder_in_the_service_tree_is_never_run(tmp_path, monkeypatch):
    """Only the Django installed in this Python's site directories is asked: a ``django``
    package on the service's search path (a vendored copy, a hostile one) is read
    statically, never imported."""
    from opsdocs.operations import installed_django

    marker = tmp_path / "ran"
    commands = tmp_path / "django" / "core" / "management" / "commands"
    commands.mkdir(parents=True)
    for package in (commands, *commands.parents[:3]):
        (package / "__init__.py").write_text(f"open({str(marker)!r}, 'w').close()\n")
    (commands / "createsuperuser.py").write_text(
        "open('ran', 'w').close()\n"
        "class Command:\n    help = 'A vendored createsuperuser.'\n")
    monkeypatch.chdir(tmp_path)
    installed_django._read.cache_clear()
    found = CommandFinder(apps=AUTH, path=[str(tmp_path)]).find("createsuperuser")
    installed_django._read.cache_clear()
    assert not marker.exists() and not (tmp_path / "ran").exists()
    assert installed_django.installed_django() != tmp_path / "django"
    assert (found.help, found.file) == ("A vendored createsuperuser.",
                                        str(commands / "createsuperuser.py"))
