"""One grammar for every subcommand: the settings given the same way, the same flag for the
same meaning, help for every option, exit status 2 for a mistake in the command line."""

from __future__ import annotations

import argparse
import inspect

import pytest

from opsdocs.changelog.history import WORKTREE
from opsdocs.cli import build_parser, main
from tests.helpers import EXAMPLE, ROOTS

SETTINGS = EXAMPLE / "example_ida" / "settings"
COMMANDS = EXAMPLE / "docs" / "operations" / "commands.yml"


def subcommands() -> dict[str, argparse.ArgumentParser]:
    actions = build_parser()._actions
    found = next(a for a in actions if isinstance(a, argparse._SubParsersAction))
    return dict(found.choices)


def options(parser: argparse.ArgumentParser) -> dict[str, argparse.Action]:
    return {flag: action for action in parser._actions for flag in action.option_strings}


def test_every_option_says_what_it_does() -> None:
    for name, parser in subcommands().items():
        for action in parser._actions:
            assert action.help, (name, action.option_strings or action.dest)


# Every subcommand that reads settings takes them as --settings PATH, repeatable.
READERS = ("settings", "reads", "sample-config", "schema", "check-config", "check-commands",
           "upgrade", "diff", "snapshot")


@pytest.mark.parametrize("name", READERS)
def test_the_settings_are_given_the_same_way_to_every_subcommand(name) -> None:
    flags = options(subcommands()[name])
    assert flags["--settings"].metavar == "PATH"
    assert isinstance(flags["--settings"], argparse._AppendAction)


@pytest.mark.parametrize("name", ["reads", "schema", "check-config", "check-commands",
                                  "upgrade"])
def test_django_s_own_settings_are_accepted_unless_no_django_settings(name) -> None:
    flag = options(subcommands()[name])["--no-django-settings"]
    assert flag.dest == "django_settings" and flag.default is True


@pytest.mark.parametrize("argv", [
    ["settings"], ["sample-config"], ["schema"], ["snapshot"],  # no settings at all
    ["check-config", str(SETTINGS / "devstack.yml")],  # neither settings nor a schema
    ["settings", "--settings", str(SETTINGS), "--format", "html"],
    ["upgrade", str(SETTINGS / "devstack.yml"), "--from", "v0.3.0", "--to", "v0.3.0", "--snapshots",
     str(EXAMPLE / "snapshots")],
])
def test_a_mistake_in_the_command_line_exits_with_status_2_and_says_it(argv, capsys) -> None:
    try:
        status = main(argv)
    except SystemExit as exit_:
        status = int(exit_.code or 0)
    err = capsys.readouterr().err
    assert status == 2, err
    assert err.strip() and "Traceback" not in err


def test_an_unknown_option_is_told_with_the_subcommand_s_usage(capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["settings", "--settings", str(SETTINGS), "--bogus"])
    err = capsys.readouterr().err
    assert exit_.value.code == 2
    assert err.startswith("usage: opsdocs settings ")
    assert err.endswith("opsdocs settings: error: unrecognized arguments: --bogus\n")


SNAPSHOTS = EXAMPLE / "snapshots"

# Every subcommand that prints a document writes it to -o FILE instead, the same text.
PRINTED = [
    ["settings", "--settings", str(SETTINGS)],
    ["settings", "--settings", str(SETTINGS), "--format", "json"],
    ["reads", str(EXAMPLE / "example_ida"), "--settings", str(SETTINGS)],
    ["toggles", str(ROOTS / "test-toggles" / "tree" / "reports"), "--format", "json"],
    ["sample-config", "--settings", str(SETTINGS)],
    ["schema", "--settings", str(SETTINGS)],
    ["operations", str(COMMANDS), "--format", "markdown"],
    ["diff", str(SNAPSHOTS / "v0.3.0.json"), str(SNAPSHOTS / "v0.4.0.json")],
]


@pytest.mark.parametrize("argv", PRINTED, ids=lambda argv: " ".join(a for a in argv if "/" not in a))
def test_what_a_subcommand_prints_it_writes_to_output_instead(argv, tmp_path, capsys) -> None:
    printed = main(argv)
    out = capsys.readouterr().out
    assert out
    written = tmp_path / "out"
    assert main([*argv, "-o", str(written)]) == printed
    assert capsys.readouterr().out == ""
    assert written.read_text(encoding="utf-8") == out


def test_output_into_a_missing_folder_is_a_problem_and_no_file(tmp_path, capsys) -> None:
    target = tmp_path / "missing" / "settings.rst"
    assert main(["settings", "--settings", str(SETTINGS), "-o", str(target)]) == 1
    assert capsys.readouterr().err == (
        f"{target}: cannot write the settings reference: the folder {target.parent} does not "
        "exist: create it first\n")
    assert not target.parent.exists()


def test_a_diff_is_written_to_output_or_as_a_fragment_not_both(tmp_path, capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["diff", "a.json", "b.json", "-o", str(tmp_path / "x"), "--fragment", str(tmp_path)])
    assert exit_.value.code == 2
    assert "argument --fragment: not allowed with argument -o/--output" in \
        capsys.readouterr().err


def test_the_older_forms_still_work_with_a_note(capsys) -> None:
    assert main(["settings", str(SETTINGS), "--format", "markdown", "--strict"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("| Setting | Default |")
    assert err.splitlines() == [
        "opsdocs settings: --strict is deprecated: use --warnings-as-errors",
        f"opsdocs settings: giving the settings as arguments is deprecated: use --settings "
        f"{SETTINGS}"]
    assert main(["sample-config", "--settings", str(SETTINGS), "--schema", "my.json"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("# yaml-language-server: $schema=my.json\n")
    assert "--schema is deprecated: use --schema-url" in err
    assert main(["check", str(COMMANDS), "--settings", str(SETTINGS)]) == 0
    assert "opsdocs check is deprecated: it is opsdocs check-commands now" in \
        capsys.readouterr().err


def test_check_commands_and_check_config_say_what_they_check() -> None:
    found = subcommands()
    assert found["check-commands"].description.startswith("Validate a commands file")
    assert found["check-config"].description.startswith("Report unknown keys")


def test_each_subcommand_is_described_by_the_docstring_of_the_function_that_runs_it() -> None:
    for name, parser in subcommands().items():
        run = parser.get_default("run")
        assert parser.description and parser.description == inspect.getdoc(run), name
        assert parser.get_default("parser") is parser, name  # for a usage error's message


def test_the_descriptions_name_the_working_tree_as_releases_are_read() -> None:
    found = subcommands()
    for name in ("diff", "notes"):
        assert f"{WORKTREE} (or '.')" in found[name].description
