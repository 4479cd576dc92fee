"""The operations manual: a versioned commands file (YAML) read into a model.

The file is composed with :func:`yaml.compose` (safe: no Python objects), so every
value keeps its line; it is validated against the JSON Schema shipped in
``opsdocs/operations/commands.schema.json`` by the small interpreter of
:mod:`opsdocs.operations.validate`, which understands exactly the keywords that schema
uses (a test keeps the two in step), then by the rules a schema cannot say (duplicate
names, cron expressions, management commands that do not exist).  Problems are returned,
one per mistake, each with its file, line and path inside the document
(``groups[1].commands[2].schedule``, counted from 0); only an unreadable file raises
:class:`OpsdocsError`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from opsdocs.code_text import literal
from opsdocs.errors import OpsdocsError, Problem
from opsdocs.operations.cron import cron_problem
from opsdocs.operations.management import CommandFinder, installed_apps
from opsdocs.operations.model import (
    DEFAULT_MANAGE,
    GROUP_TITLES,
    Argument,
    Command,
    EnvironmentVariable,
    Example,
    Group,
    ManagementCommand,
    Manual,
    SettingReference,
)
from opsdocs.operations.packages import package_directories
from opsdocs.operations.validate import (
    INVALID,
    Validator,
    commands_schema,
    compose,
)
from opsdocs.reading import COMMANDS_FILE, read_text, too_large_message
from opsdocs.settings.model import SETTINGS_FILES, Setting
from opsdocs.settings.reader import package_not_found, read_settings_package, source_from_specs
from opsdocs.suggest import NameMatcher, closest_name, did_you_mean

# -- Reading --------------------------------------------------------------------------


def read_manual(path: str | Path, finder: CommandFinder | None = None,
                settings_package: str | Path | Sequence[Path] | None = None) -> Manual:
    """Read and validate the commands file at *path*.

    *finder* locates ``django:`` commands; by default the project is the nearest
    directory above the file holding ``manage.py`` (or the file's ``project:``), and the
    apps are the file's ``apps:``, else ``INSTALLED_APPS`` of the settings package (the
    file's ``settings_package:``, else *settings_package*: a package, or settings
    modules read together), else ``django.contrib``'s.
    """
    path = Path(path)
    text = read_text(path, COMMANDS_FILE)
    return manual_from_text(text, str(path), finder, settings_package)


def manual_from_text(text: str, filename: str, finder: CommandFinder | None = None,
                     settings_package: str | Path | Sequence[Path] | None = None) -> Manual:
    """Read a commands file from its text; relative paths in it are relative to *filename*."""
    if len(text.encode("utf-8", "surrogatepass")) > COMMANDS_FILE.limit:
        COMMANDS_FILE.fail(too_large_message(COMMANDS_FILE), filename, check="too-large")
    root = compose(text, filename)
    if root is None:
        empty = Problem("the commands file is empty: start it with 'version: 1' and a "
                        "'groups:' list", filename, 1, "missing")
        return Manual(file=filename, problems=(empty,), dependencies=(filename,))
    schema = commands_schema()
    validator = Validator(schema, filename)
    value = validator.validate(root, schema, "")
    if value is INVALID or not isinstance(value, dict):
        value = {}
    builder = _Builder(filename, validator.lines, validator.styles, value)
    if finder is None:
        apps = builder.installed_apps(settings_package)
        finder = replace(default_finder(filename, value, apps), user_model=builder.user_model)
    manual = builder.manual(finder)
    problems = tuple(validator.problems) + tuple(builder.problems)
    return replace(manual, problems=problems)


def default_finder(filename: str, value: dict[str, Any],
                   installed: tuple[str, ...] | None = None) -> CommandFinder:
    """Where ``django:`` commands are looked for, as the file's ``project``/``apps`` say.

    Without ``apps``, the *installed* apps (the settings' ``INSTALLED_APPS``) are searched.
    """
    here = Path(filename).resolve().parent
    project: Path | None = None
    if isinstance(value.get("project"), str):
        project = (here / value["project"]).resolve()
    else:
        project = next((d for d in (here, *here.parents) if (d / "manage.py").is_file()), None)
    apps = tuple(a for a in value.get("apps", ()) if isinstance(a, str))
    if "apps" not in value and installed:
        apps = installed
    return CommandFinder(str(project) if project else None, apps)


# -- From validated values to the model -----------------------------------------------


class _Builder:
    """Builds the model from validated values and checks what the schema cannot say."""

    def __init__(self, filename: str, lines: dict[str, int], styles: dict[str, str | None],
                 value: dict[str, Any]) -> None:
        self.filename = filename
        self.lines = lines
        self.styles = styles
        self.value = value
        self.problems: list[Problem] = []
        self.dependencies: list[str] = [filename]
        self.names: dict[str, int | None] = {}
        self.modules: dict[str, ManagementCommand | None] = {}
        self.user_model: str | None = None  # the settings' AUTH_USER_MODEL, when not Django's

    def problem(self, message: str, path: str, check: str) -> None:
        self.problems.append(Problem(message, self.filename, self.line(path), check, path))

    def line(self, path: str) -> int | None:
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path.rsplit(".", 1)[0] if "." in path else ""
        return self.lines.get("")

    def text_line(self, path: str) -> int | None:
        """Where a text value's first line is: after ``|`` or ``>``, on the next line."""
        line = self.lines.get(path)
        if line is not None and self.styles.get(path) in ("|", ">"):
            return line + 1
        return line

    def installed_apps(self, argument: str | Path | Sequence[Path] | None,
                       ) -> tuple[str, ...] | None:
        """``INSTALLED_APPS`` of the settings package the file (or else *argument*) names."""
        given = self.value.get("settings_package")
        if isinstance(given, str):
            modules = [Path(self.filename).resolve().parent / given]
        elif argument is not None and "settings_package" not in self.value:
            modules = [Path(argument)] if isinstance(argument, (str, Path)) else list(argument)
        else:
            return None
        directory = modules[0]
        if all(path.suffix == ".py" and path.is_file() for path in modules):  # modules
            catalog = source_from_specs(modules)
            self.dependencies.extend(catalog.files)
            self.user_model = _user_model(catalog.get("AUTH_USER_MODEL"))
            return installed_apps(catalog.get("INSTALLED_APPS"))
        files = [directory / name for name in SETTINGS_FILES]
        self.dependencies.extend(str(file) for file in files if file.is_file())
        if not any(file.is_file() for file in files):
            if isinstance(given, str):  # a wrong --settings is the command line's to report
                missing = package_not_found(directory.resolve(), ", relative to this file")
                self.problem(missing.message, "settings_package", missing.check)
            return None
        catalog = read_settings_package(directory)
        self.user_model = _user_model(catalog.get("AUTH_USER_MODEL"))
        return installed_apps(catalog.get("INSTALLED_APPS"))

    def manual(self, finder: CommandFinder) -> Manual:
        value = self.value
        self.check_search(finder)
        manage = value.get("manage", DEFAULT_MANAGE)
        groups: list[Group] = []
        seen: dict[str, int | None] = {}
        for index, group_value in enumerate(value.get("groups", ())):
            path = f"groups[{index}]"
            if group_value is INVALID:
                continue
            name = group_value["name"]
            if name in seen:
                self.problem(f"duplicate group {name!r} (first at line {seen[name]}): merge the "
                             "two groups", f"{path}.name", "duplicate")
                continue
            seen[name] = self.line(f"{path}.name")
            commands = tuple(
                command for i, item in enumerate(group_value.get("commands", ()))
                if item is not INVALID
                for command in [self.command(item, name, f"{path}.commands[{i}]", finder, manage)]
                if command is not None
            )
            groups.append(Group(
                name=name,
                title=group_value.get("title") or GROUP_TITLES.get(name) or _titled(name),
                description=group_value.get("description", ""),
                commands=commands,
                file=self.filename,
                line=self.line(path),
                path=path,
                description_line=self.text_line(f"{path}.description"),
            ))
        return Manual(
            file=self.filename, groups=tuple(groups), title=value.get("title", ""),
            description=value.get("description", ""),
            description_line=self.text_line("description"),
            dependencies=tuple(dict.fromkeys(self.dependencies)),
        )

    def check_search(self, finder: CommandFinder) -> None:
        """The ``project`` and ``apps`` the file gives must exist."""
        if "project" in self.value and not (finder.project and Path(finder.project).is_dir()):
            self.problem(f"project directory {finder.project or self.value['project']!r} not "
                         "found: give the service's directory (the one with manage.py), "
                         "relative to this file", "project", "missing")
        for index, app in enumerate(self.value.get("apps", ())):
            if app is not INVALID and not finder.app_package(app)[1]:
                self.problem(f"app {app!r} not found on the Python path: check its name, or "
                             "install it where the docs are built", f"apps[{index}]", "missing")

    def command(self, value: dict[str, Any], group: str, path: str, finder: CommandFinder,
                manage: str) -> Command | None:
        django = value.get("django")
        module = self.django_command(django, f"{path}.django", finder) if django else None
        name = str(value.get("name") or django)
        duplicate = name in self.names
        if duplicate:
            self.problem(f"duplicate command {name!r} (first at line {self.names[name]}): "
                         "command names are link targets, so each must be unique; rename one",
                         f"{path}.name" if "name" in value else f"{path}.django", "duplicate")
        else:
            self.names[name] = self.line(path)
        when, schedule = self.when(value, path)  # checked for a duplicate too: one pass
        destructive = value.get("destructive", False)
        arguments = self.arguments(value, path, module)
        if duplicate:
            return None
        return Command(
            name=name,
            group=group,
            summary=value.get("summary", ""),
            help=module.help if module else "",
            description=value.get("description", ""),
            command_line=value.get("command") or f"{manage} {django}",
            arguments=arguments,
            environment=tuple(
                EnvironmentVariable(item) if isinstance(item, str) else EnvironmentVariable(
                    item["name"], item.get("description", ""),
                    self.line(f"{path}.environment[{i}].description"))
                for i, item in enumerate(value.get("environment", ())) if item is not INVALID
            ),
            settings=tuple(
                SettingReference(item, self.line(f"{path}.settings[{i}]"), f"{path}.settings[{i}]")
                for i, item in enumerate(value.get("settings", ())) if item is not INVALID
            ),
            when=when,
            schedule=schedule,
            safe_to_rerun=value.get("safe_to_rerun"),
            destructive=bool(destructive),
            destructive_note=destructive if isinstance(destructive, str) else "",
            duration=value.get("duration"),
            examples=tuple(
                Example(item) if isinstance(item, str) else Example(
                    item["command"], item.get("description", ""),
                    self.text_line(f"{path}.examples[{i}].description"))
                for i, item in enumerate(value.get("examples", ())) if item is not INVALID
            ),
            django=django,
            django_module=module.module if module else None,
            django_file=module.file if module else None,
            django_line=module.line if module else None,
            file=self.filename,
            line=self.line(path),
            path=path,
            description_line=self.text_line(f"{path}.description"),
            summary_line=self.text_line(f"{path}.summary"),
            destructive_line=self.text_line(f"{path}.destructive"),
        )

    def when(self, value: dict[str, Any], path: str) -> tuple[str, str | None]:
        schedule = value.get("schedule")
        when = value.get("when", "schedule" if schedule else "on-demand")
        if schedule is not None:
            error = cron_problem(schedule)
            if error:
                self.problem(f"invalid cron expression {schedule!r}: {error}", f"{path}.schedule",
                             "cron")
                schedule = None
            elif when != "schedule":
                self.problem(f"'schedule' is given but 'when' is {when!r}: remove one, or say "
                             "'when: schedule'", f"{path}.schedule", "value")
        elif when == "schedule" and "schedule" not in value:
            self.problem("'when: schedule' needs a 'schedule': add a cron expression such as "
                         "\"0 3 * * *\"", f"{path}.when", "missing")
        return when, schedule

    def arguments(self, value: dict[str, Any], path: str,
                  module: ManagementCommand | None) -> tuple[Argument, ...]:
        declared: dict[str, Argument] = {}
        for key in ("arguments", "options"):
            for i, item in enumerate(value.get(key, ())):
                if item is INVALID:
                    continue
                name = item["name"]
                if (key == "options") != name.startswith("-"):
                    self.problem(
                        f"{name!r} is listed under {key!r}, but options start with '-' and "
                        "positional arguments do not: move it", f"{path}.{key}[{i}].name", "value")
                    continue
                if name in declared:
                    self.problem(f"duplicate argument {name!r}: remove one",
                                 f"{path}.{key}[{i}].name", "duplicate")
                    continue
                default = item.get("default")
                declared[name] = Argument(
                    name=name,
                    description=item.get("description", ""),
                    default=_yaml_text(default) if default is not None else None,
                    metavar=item.get("value"),
                    required=item.get("required", not name.startswith("-")),
                )
        if module is None:
            return tuple(declared.values())
        # What the file says about a management command's argument wins over its code.
        merged = [_merge(a, declared.pop(a.name, None)) for a in module.arguments]
        for name in list(declared):
            alias_of = next((a for a in module.arguments if name in a.aliases), None)
            if alias_of is not None:
                index = merged.index(next(m for m in merged if m.name == alias_of.name))
                merged[index] = _merge(merged[index], declared.pop(name))
        return (*merged, *declared.values())

    def django_command(self, name: str, path: str, finder: CommandFinder
                       ) -> ManagementCommand | None:
        try:
            if name not in self.modules:  # a file may document one command many times
                self.modules[name] = finder.find(name)
            module = self.modules[name]
        except OpsdocsError as error:
            self.problems.append(error.problem)
            self.dependencies.append(error.problem.file)
            return None
        if module is None:
            hint = did_you_mean(closest_name(name, finder.names())) or (
                ": give 'project' (the service's directory) or 'apps' at the top of the file "
                "if it lives elsewhere")
            if not package_directories("django", finder.path):
                hint = (": Django is not on the Python path where the docs are built: install "
                        "it there (opsdocs reads its code, it never runs it)")
            where = f"{finder.project} or " if finder.project else ""
            self.problem(f"management command {name!r} not found in {where}the installed apps "
                         f"and Django{hint}", path, "unknown-command")
            return None
        self.dependencies.extend(module.sources or (module.file,))
        return module


def _merge(found: Argument, declared: Argument | None) -> Argument:
    if declared is None:
        return found
    return replace(
        found,
        description=declared.description or found.description,
        default=declared.default if declared.default is not None else found.default,
        metavar=declared.metavar or found.metavar,
    )


def _user_model(setting: Setting | None) -> str | None:
    """``AUTH_USER_MODEL`` as the settings give it: ``None`` when unset (Django's own),
    the code when it is not a plain string."""
    if setting is None:
        return None
    value = literal(setting.effective_value or setting.value or "")
    return value[0] if value is not None and isinstance(value[0], str) else "unknown"


def _yaml_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _titled(name: str) -> str:
    return name.replace("-", " ").replace("_", " ").capitalize()


# -- Checks needing more than the file ---------------------------------------------------


def check_settings(manual: Manual, known: Collection[str]) -> list[Problem]:
    """A problem for every setting the manual names that is not in *known*."""
    names = NameMatcher(known)
    problems = []
    for command in manual.commands:
        for setting in command.settings:
            if setting.name not in known:
                problems.append(Problem(
                    unknown_setting_message(setting.name, names), command.file, setting.line,
                    "unknown-setting", setting.path,
                ))
    return problems


def unknown_setting_message(name: str, known: Iterable[str] | NameMatcher) -> str:
    """The message for a setting that the settings catalog does not have."""
    close = (known if isinstance(known, NameMatcher) else NameMatcher(known)).closest(name)
    hint = did_you_mean(close) or (
        ": document it in the settings package (required.py or defaults.py) or fix the name")
    return f"setting {name!r} is not in the settings catalog{hint}"
