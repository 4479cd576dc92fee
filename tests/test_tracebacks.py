"""Inputs that used to end in a traceback (several aborted a whole Sphinx build): each is
now one message, located where it can be, or read as Docker or cron would read it."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from opsdocs.cli import main
from opsdocs.dockerfile.reader import parse_dockerfile
from opsdocs.errors import OpsdocsError
from opsdocs.operations.command_module import read_command_source
from opsdocs.operations.cron import cron_problem, describe_cron
from tests.helpers import strip_colors, typed


@pytest.mark.parametrize(("expression", "problem"), [
    ("² * * * *", "'²' is not a valid minute"),
    ("*/² * * * *", "the step '²' of the minute field must be a positive number"),
    ("0 ٣ * * *", "'٣' is not a valid hour"),
    ("1-² * * * *", "'²' is not a valid minute"),
])
def test_cron_fields_of_non_ascii_digits(expression, problem):
    assert cron_problem(expression) == problem
    assert describe_cron(expression) is None


def test_a_deeply_nested_exec_form_is_the_shell_form_as_docker_reads_it():
    brackets = "[" * 100_000 + "]" * 100_000
    dockerfile = parse_dockerfile(f"FROM x\nCMD {brackets}\nUSER app\n", "Dockerfile")
    stage = dockerfile.stages[0]
    assert stage.cmd is not None and not stage.cmd.exec_form
    assert stage.user is not None and stage.user.arguments == "app"


@pytest.mark.parametrize("help_text", [
    " + ".join(['"a"'] * 5000),  # the parser's own limit
    " + ".join(['"a"'] * 150),  # deeper than opsdocs reads
])
def test_a_deep_expression_in_a_management_command_is_a_message(help_text):
    with pytest.raises(OpsdocsError) as raised:
        read_command_source(f"class Command:\n    help = {help_text}\n", "cmd.py", "cmd")
    assert raised.value.problem.message == (
        "the management command module is too deeply nested (more than 100 levels) for opsdocs "
        "to read: flatten it")
    assert raised.value.problem.check == "django-command"


@pytest.fixture
def package(tmp_path: Path) -> Path:
    settings = tmp_path / "settings"
    settings.mkdir()
    (settings / "required.py").write_text("")
    (settings / "defaults.py").write_text("#: Doc.\nA = 1\n")
    return settings


@pytest.mark.parametrize("output", ["{tmp}", "/proc/self/x", "{tmp}/defaults.py/x.json"])
def test_snapshot_to_a_place_it_cannot_write_is_a_message(package, capsys, output):
    status = main(["snapshot", "--settings", str(package), "-o", output.format(tmp=package)])
    assert status == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{output.format(tmp=package)}: cannot write the snapshot: ")
    assert sorted(p.name for p in package.iterdir()) == ["defaults.py", "required.py"]


def build(make_app, tmp_path: Path, conf: str, page: str) -> str:
    src = tmp_path / "src"
    settings = src / "my settings"  # a path with a space
    settings.mkdir(parents=True)
    (settings / "required.py").write_text("")
    (settings / "defaults.py").write_text("#: Doc.\nA_SETTING = 1\n")
    (settings / "prod.yml").write_text("A_SETTING: 2\n")
    (src / "Docker file").write_text("FROM python\n# The user.\nUSER app\n")
    (src / "conf.py").write_text(f'extensions = ["opsdocs"]\n{conf}')
    (src / "index.rst").write_text(textwrap.dedent(page))
    app = make_app("html", srcdir=src)
    app.build()
    return strip_colors(app.warning.getvalue()).replace(str(src), "SRC")


@pytest.mark.parametrize(("template", "problem"), [
    ("https://x/{branch}/{path}", "has the placeholder {branch}: only {path} and {line} are "
     "filled in"),
    ("https://x/{path}#L{line", "is not a format string (expected '}' before end of string): "
     "write a literal brace as {{ or }}"),
    ("https://x/{path}#L{line:zz}", "cannot be filled in (ValueError: "),
])
def test_a_source_url_that_cannot_be_filled_in_is_one_warning(make_app, tmp_path, template,
                                                              problem):
    warnings = build(make_app, tmp_path, f"opsdocs_source_url = {template!r}\n",
                     ".. settings-reference:: my settings\n")
    [warning] = warnings.splitlines()
    assert warning.startswith(f"SRC/conf.py:2: WARNING: opsdocs_source_url {template!r} {problem}")
    assert warning.endswith(typed("; source links are left out until it is fixed "
                                  "[opsdocs.config]"))


def test_paths_with_spaces_and_absolute_check_patterns(make_app, tmp_path):
    warnings = build(make_app, tmp_path, "", """\
        .. settings-reference:: my settings

        .. sample-config:: my settings
           :check: /etc/*.yml prod.yml

        .. dockerfile-reference:: Docker file
        """)
    assert warnings.splitlines() == typed([
        "SRC/index.rst:3: WARNING: :check: takes patterns relative to the settings package "
        "(SRC/my settings), not the absolute '/etc/*.yml': give the config files' place from "
        "there [opsdocs.config-missing]"])


COMMANDS = [
    ["settings", "--settings", "{package}"],
    ["settings", "--settings", "{package}", "--format", "json"],
    ["sample-config", "--settings", "{package}"], ["schema", "--settings", "{package}"],
    ["snapshot", "--settings", "{package}"],
    ["reads", "{code}"], ["check-config", "{config}", "--settings", "{package}"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: "-".join(c[:1] + c[3:4]))
def test_standard_output_on_a_full_disk_is_one_message(package, tmp_path, command):
    config = tmp_path / "prod.yml"
    config.write_text("A: 2\n")
    code = tmp_path / "views.py"
    code.write_text("from django.conf import settings\nX = settings.A\n")
    argv = [part.format(package=package, config=config, code=code) for part in command]
    with open("/dev/full", "w") as full:
        result = subprocess.run([sys.executable, "-m", "opsdocs.cli", *argv], stdout=full,
                                stderr=subprocess.PIPE, text=True, check=False)
    assert (result.returncode, result.stderr) == (
        1, "opsdocs: cannot write to standard output: No space left on device\n")


@pytest.mark.parametrize("subcommand", ["schema", "sample-config", "snapshot"])
def test_dash_is_standard_output(package, tmp_path, capsys, monkeypatch, subcommand):
    monkeypatch.chdir(tmp_path)
    assert main([subcommand, "--settings", str(package), "-o", "-"]) == 0
    assert capsys.readouterr().out.strip()
    assert [p.name for p in tmp_path.iterdir()] == ["settings"]  # no file named "-"


@pytest.mark.parametrize(("output", "message"), [
    (".", ".: cannot write the schema: it is a folder: give a file name"),
    ("{tmp}/missing/dir/x.json", "{tmp}/missing/dir/x.json: cannot write the schema: the "
     "folder {tmp}/missing/dir does not exist: create it first"),
])
def test_an_output_that_is_no_file_is_one_message(package, tmp_path, capsys, monkeypatch,
                                                  output, message):
    monkeypatch.chdir(tmp_path)
    assert main(["schema", "--settings", str(package), "-o", output.format(tmp=tmp_path)]) == 1
    assert capsys.readouterr().err == message.format(tmp=tmp_path) + "\n"
    assert [p.name for p in tmp_path.iterdir()] == ["settings"]


def test_ctrl_c_is_one_message(package, capsys, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("opsdocs.config.cli.read_arguments", interrupted)
    assert main(["schema", "--settings", str(package)]) == 130
    assert capsys.readouterr().err == "opsdocs: interrupted; no file was left half-written\n"


HUGE = "1" * 5000


@pytest.mark.parametrize(("expression", "problem"), [
    (f"*/{HUGE} * * * *", None),  # a step longer than the hour: cron runs it at 0
    (f"{HUGE} * * * *", "minute '11111111...1111' (5000 characters) is out of range 0-59"),
    (f"0-{HUGE} * * * *", "minute '11111111...1111' (5000 characters) is out of range 0-59"),
    (f"*/0{HUGE} * * * *", None),
])
def test_a_cron_number_of_5000_digits_is_cron_s_own_message(expression, problem):
    assert cron_problem(expression) == problem
    assert describe_cron(expression) is None


@pytest.mark.parametrize(("files", "argv", "message"), [
    ({"settings/required.py": "", "settings/defaults.py": f"#: Doc.\nA = {HUGE}\n"},
     ["settings", "--settings", "{tmp}/settings"],
     "{tmp}/settings/defaults.py:2: syntax error: a whole number has more than 4,300 digits, "
     "more than Python reads (write it in hexadecimal); fix the file so that Python can "
     "import it\n"),
    ({"settings/required.py": "", "settings/defaults.py": "#: Doc.\nA: int = 1\n",
      "prod.yml": f"A: {HUGE}\n"},
     ["check-config", "{tmp}/prod.yml", "--settings", "{tmp}/settings"],
     "{tmp}/prod.yml:1: the value of A is not a whole number YAML can read (at most 4,300 "
     "digits): write one, or put the value in quotes to make it a string\n"),
    ({"commands.yml": f"version: {HUGE}\ngroups: []\n"}, ["operations", "{tmp}/commands.yml"],
     "{tmp}/commands.yml:1: 'version' is not a whole number YAML can read (at most 4,300 "
     "digits): write one, or put the value in quotes to make it a string (at version)\n"),
], ids=["python", "config", "commands"])
def test_a_number_of_5000_digits_is_opsdocs_own_message(tmp_path, capsys, files, argv,
                                                        message):
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    assert main([arg.format(tmp=tmp_path) for arg in argv]) == 1
    assert capsys.readouterr().err.endswith(message.format(tmp=tmp_path))


def test_dev_stdout_on_a_pipe_is_written_to(package):
    result = subprocess.run([sys.executable, "-m", "opsdocs.cli", "schema", "--settings",
                             str(package), "-o", "/dev/stdout"], capture_output=True, text=True, check=False)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.startswith('{\n  "$schema"')
