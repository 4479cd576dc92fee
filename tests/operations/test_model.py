"""The operations manual's model: how an argument is written, and a command found by name."""

from __future__ import annotations

import pytest

from opsdocs.operations.model import RUN_TIME, RUN_TIME_HELP, Argument, Command, Group, Manual


@pytest.mark.parametrize(("argument", "usage"), [
    (Argument("--older-than", metavar="DAYS"), "--older-than DAYS"),
    (Argument("--dry-run"), "--dry-run"),
    (Argument("app_label", required=True), "app_label"),
    (Argument("app_label", required=True, repeat="+"), "app_label [app_label ...]"),
    (Argument("addrport"), "[addrport]"),
    (Argument("paths", repeat="*"), "[paths ...]"),
])
def test_an_argument_is_written_as_on_a_command_line(argument, usage):
    assert argument.usage == usage
    assert argument.is_option is argument.name.startswith("-")


def test_a_command_is_found_by_name_across_groups():
    serve, purge = Command("serve", "web"), Command("purge", "maintenance")
    manual = Manual("commands.yml", (Group("web", "Web", commands=(serve,)),
                                     Group("maintenance", "Maintenance", commands=(purge,))))
    assert list(manual.commands) == [serve, purge]
    assert manual.command("purge") is purge
    assert manual.command("nope") is None


@pytest.mark.parametrize("description, default, shown", [
    ('Specifies the database to use. Default is "default".', "default", None),
    ("delete reports older than DAYS days (default: 30)", "30", None),
    ("Older than this (30 by default).", "30", None),
    ("Use the default database.", "default", "default"),  # "default" itself is no default
    ("Worker processes.", "3", "3"),
    ("", "set at run time", "set at run time"),
])
def test_a_default_the_description_says_is_not_said_again(description, default, shown):
    assert Argument("--x", description, default, "X").shown_default == shown


@pytest.mark.parametrize("default, prose", [
    ("the number of CPUs", True), ("example_ida.default", False), ("30", False),
    ("--fast --quiet", False), (None, False), (RUN_TIME, True),
])
def test_a_default_written_as_words_is_text(default, prose):
    assert Argument("--x", "", default, "X").default_is_prose is prose


def test_what_the_code_decides_when_it_runs_is_shown_as_words():
    built = Argument("--x", RUN_TIME)
    assert (built.description_at_run_time, built.shown_description) == (True, RUN_TIME_HELP)
    written = Argument("--x", "Days to keep.")
    assert (written.description_at_run_time, written.shown_description) == \
        (False, "Days to keep.")
    assert Command("c", "web", help=RUN_TIME).shown_help == ""
    assert Command("c", "web", help="Reports things.").shown_help == "Reports things."
