"""Reading and validating a commands file: the model, and one located problem per mistake."""

from __future__ import annotations

import json
import textwrap

import pytest

from opsdocs.errors import OpsdocsError
from opsdocs.operations.management import CommandFinder
from opsdocs.operations.reader import check_settings, manual_from_text, read_manual
from opsdocs.operations.text import manual_to_json
from opsdocs.operations.validate import commands_schema
from opsdocs.reading import COMMANDS_FILE
from tests.helpers import ROOTS, modules_loaded_by

ROOT = ROOTS / "test-operations"
SERVICE = ROOT / "service"
FINDER = CommandFinder(str(SERVICE))


def read(text: str, finder: CommandFinder = FINDER):
    return manual_from_text(textwrap.dedent(text), "commands.yml", finder)


def problems(text: str) -> list[str]:
    return [str(p) for p in read(text).problems]


def test_the_example_root_reads_without_problems():
    manual = read_manual(ROOT / "operations" / "commands.yml")
    assert manual.problems == ()
    assert [g.name for g in manual.groups] == ["web", "schema", "maintenance"]
    assert [g.title for g in manual.groups] == [
        "Running for web traffic", "Managing the database schema", "Maintenance tasks"]
    gunicorn = manual.command("gunicorn")
    assert gunicorn is not None
    assert gunicorn.when == "long-running" and gunicorn.safe_to_rerun is True
    assert [s.name for s in gunicorn.settings] == ["SECRET_KEY", "DATABASES"]
    assert gunicorn.settings[1].line == 19
    assert gunicorn.settings[1].path == "groups[0].commands[0].settings[1]"
    assert [(v.name, v.description) for v in gunicorn.environment] == [
        ("SERVICE_CFG_PATH", "the YAML configuration file"), ("DJANGO_SETTINGS_MODULE", "")]
    assert [(a.usage, a.default) for a in gunicorn.options] == [("--workers N", "4")]
    # The description is reStructuredText located where it starts in the file.
    assert gunicorn.description == "Runs the WSGI application with **gunicorn**.\n"
    assert gunicorn.description_line == 11


def test_django_commands_are_read_statically():
    manual = read_manual(ROOT / "operations" / "commands.yml")
    clear = manual.command("clearsessions")
    assert clear.summary == ""  # no summary in the file: the command's help is shown
    assert clear.help.startswith("Can be run as a cronjob")
    assert clear.command_line == "python manage.py clearsessions"
    assert clear.when == "schedule" and clear.schedule == "0 3 * * *"
    assert clear.django_module == "django.contrib.sessions.management.commands.clearsessions"
    migrate = manual.command("migrate")
    usages = [a.usage for a in migrate.arguments]
    expected = ["[app_label]", "[migration_name]", "--noinput", "--database DATABASE"]
    assert [u for u in usages if u in expected] == expected  # Django 4.2 adds --skip-checks first
    assert "--check" in usages
    purge = manual.command("purge_stale_reports")
    assert purge.help == "Delete reports older than the retention period."
    assert [(a.usage, a.default, a.description) for a in purge.options] == [
        ("--older-than DAYS", "90", "Delete reports older than this many days (default: 90)."),
        ("--dry-run", None, "Only count them."),
    ]
    assert purge.destructive and purge.destructive_note == "Deletes report rows and their files."
    # Every module read is a dependency, so editing it rebuilds the page.
    assert purge.django_file in manual.dependencies
    assert clear.django_file in manual.dependencies


def test_reading_imports_neither_django_nor_the_service():
    code = ("from opsdocs.operations.reader import read_manual; "
            f"m = read_manual({str(ROOT / 'operations' / 'commands.yml')!r}); "
            "assert m.command('migrate').arguments")
    assert modules_loaded_by(code, "django", "reports") == []


def test_yaml_values_override_what_the_module_says():
    manual = read("""\
        version: 1
        groups:
          - name: maintenance
            commands:
              - django: purge_stale_reports
                summary: Remove old reports.
                command: make purge
                options:
                  - name: --older-than
                    default: 30
                    description: Age in days.
                  - name: --extra
                    description: Added by the wrapper.
        """)
    purge = manual.command("purge_stale_reports")
    assert purge.summary == "Remove old reports."
    assert purge.command_line == "make purge"
    assert [(a.name, a.default, a.description) for a in purge.options] == [
        ("--older-than", "30", "Age in days."),
        ("--dry-run", None, "Only count them."),
        ("--extra", None, "Added by the wrapper."),
    ]


ERROR_CASES = {
    "unknown key with a suggestion": (
        """\
        version: 1
        groups:
          - name: maintenance
            commands:
              - django: clearsessions
                schedul: "0 3 * * *"
        """,
        "commands.yml:6: unknown key 'schedul' in command; did you mean 'schedule'? "
        "(at groups[0].commands[0].schedul)",
    ),
    "unknown top-level key": (
        "version: 1\ngroup: []\n",
        "commands.yml:2: unknown key 'group' at the top level; did you mean 'groups'? "
        "(at group)",
    ),
    "wrong type": (
        """\
        version: 1
        groups:
          - name: web
            commands:
              - name: gunicorn
                command: gunicorn app
                safe_to_rerun: [yes]
        """,
        "commands.yml:7: 'safe_to_rerun' must be true or false, not a list "
        "(at groups[0].commands[0].safe_to_rerun)",
    ),
    "a number where text is needed": (
        """\
        version: 1
        groups:
          - name: web
            commands:
              - name: gunicorn
                command: gunicorn app
                duration: 1:30
        """,
        "commands.yml:7: 'duration' must be a string, not an integer; put it in quotes "
        "(\"1:30\") to make it a string (at groups[0].commands[0].duration)",
    ),
    "duplicate command names": (
        """\
        version: 1
        groups:
          - name: schema
            commands:
              - django: migrate
          - name: ad-hoc
            commands:
              - name: migrate
                command: python manage.py migrate --plan
        """,
        "commands.yml:8: duplicate command 'migrate' (first at line 5): command names are link "
        "targets, so each must be unique; rename one (at groups[1].commands[0].name)",
    ),
    "a mistake in a duplicate command": (
        """\
        version: 1
        groups:
          - name: maintenance
            commands:
              - {name: a, command: a}
              - {name: a, command: b, schedule: "0 3 * * 8"}
        """,
        [
            "commands.yml:6: duplicate command 'a' (first at line 5): command names are link "
            "targets, so each must be unique; rename one (at groups[0].commands[1].name)",
            "commands.yml:6: invalid cron expression '0 3 * * 8': day of week 8 is out of range "
            "0-7 (at groups[0].commands[1].schedule)",
        ],
    ),
    "duplicate group": (
        "version: 1\ngroups:\n  - name: web\n  - name: web\n",
        "commands.yml:4: duplicate group 'web' (first at line 3): merge the two groups "
        "(at groups[1].name)",
    ),
    "duplicate key": (
        "version: 1\ngroups:\n  - name: web\n    name: worker\n",
        "commands.yml:4: duplicate key 'name': the second one is ignored; remove one "
        "(at groups[0].name)",
    ),
    "invalid cron expression": (
        """\
        version: 1
        groups:
          - name: maintenance
            commands:
              - django: clearsessions
                schedule: "0 25 * * *"
        """,
        "commands.yml:6: invalid cron expression '0 25 * * *': hour 25 is out of range 0-23 "
        "(at groups[0].commands[0].schedule)",
    ),
    "cron with the wrong number of fields": (
        """\
        version: 1
        groups:
          - name: maintenance
            commands:
              - django: clearsessions
                schedule: "0 3 * *"
        """,
        "commands.yml:6: invalid cron expression '0 3 * *': it has 4 fields, cron needs 5 "
        "(minute hour day-of-month month day-of-week), e.g. \"30 3 * * *\" for 03:30 every day "
        "(at groups[0].commands[0].schedule)",
    ),
    "unknown management command": (
        """\
        version: 1
        groups:
          - name: maintenance
            commands:
              - django: clearsession
        """,
        f"commands.yml:5: management command 'clearsession' not found in {SERVICE} or the "
        "installed apps and Django; did you mean 'clearsessions'? "
        "(at groups[0].commands[0].django)",
    ),
    "enum with a suggestion": (
        """\
        version: 1
        groups:
          - name: schema
            commands:
              - django: migrate
                when: every-deploys
        """,
        "commands.yml:6: 'when' must be one of long-running, every-deploy, schedule, on-demand, "
        "not 'every-deploys'; did you mean 'every-deploy'? (at groups[0].commands[0].when)",
    ),
    "setting name not uppercase": (
        """\
        version: 1
        groups:
          - name: schema
            commands:
              - django: migrate
                settings: [databases]
        """,
        "commands.yml:6: 'settings[0]' 'databases' is not valid: give an UPPERCASE setting name "
        "(at groups[0].commands[0].settings[0])",
    ),
    "neither django nor a command line": (
        """\
        version: 1
        groups:
          - name: web
            commands:
              - name: gunicorn
        """,
        "commands.yml:5: a command needs 'django: NAME' (a management command) or both 'name' "
        "and 'command' (at groups[0].commands[0])",
    ),
    "missing required key": (
        "version: 1\ngroups:\n  - title: Web\n",
        "commands.yml:3: missing 'name' in group: add it (web, worker, schema, maintenance, "
        "ad-hoc, or a name of your own.) (at groups[0])",
    ),
    "schedule needs when: schedule": (
        """\
        version: 1
        groups:
          - name: maintenance
            commands:
              - django: clearsessions
                when: schedule
        """,
        "commands.yml:6: 'when: schedule' needs a 'schedule': add a cron expression such as "
        "\"0 3 * * *\" (at groups[0].commands[0].when)",
    ),
    "schedule contradicts when": (
        """\
        version: 1
        groups:
          - name: maintenance
            commands:
              - django: clearsessions
                when: on-demand
                schedule: "@daily"
        """,
        "commands.yml:7: 'schedule' is given but 'when' is 'on-demand': remove one, or say "
        "'when: schedule' (at groups[0].commands[0].schedule)",
    ),
    "option listed as argument": (
        """\
        version: 1
        groups:
          - name: web
            commands:
              - name: gunicorn
                command: gunicorn app
                arguments:
                  - name: --workers
        """,
        "commands.yml:8: '--workers' is listed under 'arguments', but options start with '-' "
        "and positional arguments do not: move it (at groups[0].commands[0].arguments[0].name)",
    ),
    "missing version": (
        "groups: []\n",
        "commands.yml:1: missing 'version' at the top level: add it (Version of this file's "
        "format. Only 1 exists.)",
    ),
    "a list where a choice is needed": (
        """\
        version: 1
        groups:
          - name: schema
            commands:
              - django: migrate
                when: [every-deploy]
        """,
        "commands.yml:6: 'when' must be 'long-running' or 'every-deploy' or 'schedule' or "
        "'on-demand', not a list (at groups[0].commands[0].when)",
    ),
    "missing version and groups": (
        "title: T\n",
        "commands.yml:1: missing 'version' and 'groups' at the top level: add them",
    ),
    "a list as a key": (
        "version: 1\ngroups: []\n? [a]\n: b\n",
        "commands.yml:3: a key at the top level must be a name, not a list; known keys: "
        "version, title, description, manage, project, settings_package, apps, groups",
    ),
    "an empty file": (
        "# only a comment\n",
        "commands.yml:1: the commands file is empty: start it with 'version: 1' and a "
        "'groups:' list",
    ),
    "unsupported version": (
        "version: 2\ngroups: []\n",
        "commands.yml:1: 'version' must be 1, not 2 (at version)",
    ),
    "not a mapping": (
        "- web\n- worker\n",
        "commands.yml:1: the document must be a mapping (key: value), not a list",
    ),
}


def test_project_and_apps_must_exist(tmp_path):
    path = tmp_path / "commands.yml"
    path.write_text("version: 1\nproject: ../nowhere\napps: [django.contrib.sessions, nope.app]\n"
                    "groups: []\n")
    assert [str(p) for p in read_manual(path).problems] == [
        f"{path}:2: project directory {str(tmp_path.parent / 'nowhere')!r} not found: give the "
        "service's directory (the one with manage.py), relative to this file (at project)",
        f"{path}:3: app 'nope.app' not found on the Python path: check its name, or install "
        "it where the docs are built (at apps[1])",
    ]


@pytest.mark.parametrize("text, message", list(ERROR_CASES.values()), ids=list(ERROR_CASES))
def test_each_mistake_is_one_located_problem(text, message):
    assert problems(text) == (message if isinstance(message, list) else [message])


def test_problems_keep_the_rest_of_the_file():
    manual = read("""\
        version: 1
        groups:
          - name: web
            commands:
              - name: gunicorn
                command: gunicorn app
                destructive: [no]
              - name: bad
          - name: maintenance
            commands:
              - django: clearsessions
        """)
    assert len(manual.problems) == 2
    assert [c.name for c in manual.commands] == ["gunicorn", "clearsessions"]
    assert manual.command("gunicorn").destructive is False


@pytest.mark.parametrize("text, line", [
    ("version: 1\ngroups:\n  - name: web\n   commands: []\n", 4),
    ("version: 1\ngroups: [web\n", 3),
    ("version: 1\n\tgroups: []\n", 2),
    ("version: 1\n---\nversion: 1\n", 2),
])
def test_malformed_yaml_is_one_error_with_its_line(text, line):
    with pytest.raises(OpsdocsError) as raised:
        read(text)
    problem = raised.value.problem
    assert problem.check == "yaml" and problem.line == line and problem.file == "commands.yml"
    assert problem.message.startswith("YAML syntax error")


def test_a_huge_file_is_refused_before_parsing(tmp_path):
    path = tmp_path / "commands.yml"
    path.write_text("version: 1\n#" + "x" * COMMANDS_FILE.limit + "\n")
    with pytest.raises(OpsdocsError) as raised:
        read_manual(path)
    assert raised.value.problem.check == "too-large"
    assert raised.value.problem.message == (
        "the commands file is larger than 2 MiB, the most opsdocs reads of a commands file: is "
        "this the right file?")


def test_deep_nesting_is_an_error_not_a_crash():
    with pytest.raises(OpsdocsError) as raised:
        read("version: 1\ngroups: " + "[" * 50_000 + "]" * 50_000 + "\n")
    assert raised.value.problem.check in ("too-large", "yaml")


def test_unknown_settings_against_a_catalog():
    manual = read_manual(ROOT / "operations" / "commands.yml")
    found = check_settings(manual, {"SECRET_KEY", "DATABASES", "SESSION_ENGINE",
                                    "REPORT_RETENTION_DAY"})
    assert [str(p) for p in found] == [
        f"{ROOT / 'operations' / 'commands.yml'}:40: setting 'REPORT_RETENTION_DAYS' is not in "
        "the settings catalog; did you mean 'REPORT_RETENTION_DAY'? "
        "(at groups[2].commands[1].settings[0])",
    ]


def test_every_key_the_schema_allows_is_read():
    manual = read("""\
        version: 1
        title: T
        description: D
        manage: ./manage
        project: .
        apps: [django.contrib.sessions]
        groups:
          - name: custom
            title: Custom things
            description: G
            commands:
              - name: everything
                summary: S
                description: L
                command: run it
                django: clearsessions
                arguments: [{name: WHAT, value: W, description: d, default: 1, required: true}]
                options: [{name: --x, value: X, description: d, default: true, required: true}]
                environment: [A, {name: B, description: b}]
                settings: [C]
                when: schedule
                schedule: "@daily"
                safe_to_rerun: false
                destructive: yes
                duration: long
                examples: [e, {command: f, description: g}]
        """, CommandFinder(str(SERVICE), ("django.contrib.sessions",)))
    assert [str(p) for p in manual.problems] == []
    assert (manual.title, manual.description) == ("T", "D")
    group = manual.groups[0]
    assert (group.name, group.title, group.description) == ("custom", "Custom things", "G")
    command = manual.command("everything")
    data = manual_to_json(manual)["groups"][0]["commands"][0]
    assert command.command_line == "run it" and command.django_module.endswith("clearsessions")
    assert [(a.usage, a.metavar, a.default, a.required) for a in command.arguments] == [
        ("WHAT", "W", "1", True), ("--x X", "X", "true", True)]
    assert list(data["environment"]) == [{"name": "A", "description": ""},
                                   {"name": "B", "description": "b"}]
    assert (data["settings"], data["when"], data["schedule"]) == (["C"], "schedule", "@daily")
    assert (command.safe_to_rerun, command.destructive, command.duration) == (False, True, "long")
    assert [(e.command, e.description) for e in command.examples] == [("e", ""), ("f", "g")]
    command_keys = set(commands_schema()["$defs"]["command"]["properties"])
    assert command_keys == {"name", "summary", "description", "command", "django", "arguments",
                            "options", "environment", "settings", "when", "schedule",
                            "safe_to_rerun", "destructive", "duration", "examples"}


REPLACEMENTS = ("[]", "{}", "null", "1", "true", "x", "[1, {a: b}]", "'0 99 * * *'", "-1.5")


def test_any_value_anywhere_gives_problems_never_a_traceback():
    """Every value of the test file replaced by values of every other type, one at a time."""
    from opsdocs.operations.text import manual_to_markdown, manual_to_rst

    lines = (ROOT / "operations" / "commands.yml").read_text().splitlines()
    cases = 0
    for number, line in enumerate(lines):
        key, colon, value = line.partition(": ")
        if not colon or not value.strip() or value.strip() == "|":
            continue
        for replacement in REPLACEMENTS:
            mutated = [*lines[:number], f"{key}: {replacement}", *lines[number + 1:]]
            try:
                manual = read("\n".join(mutated) + "\n")
            except OpsdocsError:
                continue
            manual_to_rst(manual)
            manual_to_markdown(manual)
            json.dumps(manual_to_json(manual))
            cases += 1
    assert cases > 200
