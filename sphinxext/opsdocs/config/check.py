"""The config check: everything wrong with an operator's YAML config, for a settings catalog.

It works on a :class:`~opsdocs.settings.model.SettingsCatalog` and text, never on files
(but for :func:`read_config_text`), so the CLI and the Sphinx glue share it.  YAML is read
with :func:`yaml.compose` only (nodes with line marks; nothing is constructed), so it can
point at lines; values of secret settings never appear in a message.
"""

from __future__ import annotations

import ast
import fnmatch
import re
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import Any

import yaml

from opsdocs.config.annotations import Expected, expected_from_annotation
from opsdocs.config.sample import PLACEHOLDER
from opsdocs.errors import OpsdocsError, Problem
from opsdocs.markup import plain_roles
from opsdocs.reading import (
    CONFIG_FILE,
    MAX_CHECKED_VALUES,
    MAX_DEPTH,
    STANDARD_TAGS,
    BadValue,
    compose_yaml,
    construct,
    describe_tag,
    read_text,
    too_large_message,
    value_problem,
    yaml_children,
)
from opsdocs.settings.model import Setting, SettingsCatalog
from opsdocs.suggest import NameMatcher, did_you_mean

_TAG = "tag:yaml.org,2002:"
_KIND_OF_TAG = {
    f"{_TAG}str": "str", f"{_TAG}int": "int", f"{_TAG}float": "float",
    f"{_TAG}bool": "bool", f"{_TAG}null": "none", f"{_TAG}seq": "list", f"{_TAG}map": "dict",
    f"{_TAG}timestamp": "timestamp", f"{_TAG}binary": "binary",
}
_KIND_NAMES = {
    "str": "a string", "int": "an integer", "float": "a number", "bool": "a boolean",
    "none": "null", "list": "a list", "dict": "a mapping", "timestamp": "a date",
    "binary": "binary data", "set": "a set",
}
_HINTS = {
    "bool": "write true or false, without quotes",
    "int": "write a whole number, without quotes",
    "float": "write a number, without quotes",
    "str": "put the value in quotes to make it a string",
    "list": "write a list (one '- item' per line, or [a, b])",
    "dict": "write a mapping (one 'key: value' per line)",
}


# -- Config check ----------------------------------------------------------------------


def check_config(
    catalog: SettingsCatalog,
    yaml_text: str,
    filename: str,
    *,
    allowed: Collection[str] = (),
) -> list[Problem]:
    """Everything wrong with the config *yaml_text* for the settings in *catalog*.

    *allowed* names keys that are fine though the catalog does not define them (Django's
    own settings, say); shell-style patterns (``CELERY_*``) work.  Values of secret
    settings never appear in a message.
    """
    try:
        root = compose_config(yaml_text, filename)
    except OpsdocsError as error:
        return [error.problem]
    # Keys the service's code reads from the config are known (ENV_TOKENS.get("X"), AWS_*).
    allowed = {*allowed, *(key for key in catalog.config_keys if "." not in key)}
    return _ConfigChecker(catalog, filename, allowed).check(root)


def compose_config(yaml_text: str, filename: str) -> yaml.Node | None:
    """The config's YAML composed (nodes with their lines; nothing constructed), or
    :class:`OpsdocsError` saying, at its line, why it is not YAML."""
    if len(yaml_text.encode("utf-8", "surrogatepass")) > CONFIG_FILE.limit:
        raise OpsdocsError(CONFIG_FILE.problem(too_large_message(CONFIG_FILE), filename,
                                               check=CONFIG_FILE.too_large))
    return compose_yaml(yaml_text, filename, CONFIG_FILE, "fix the YAML (a config is one "
                        "mapping of SETTING_NAME: value lines)")


def check_value(setting: Setting, value: yaml.Node, filename: str) -> list[Problem]:
    """What is wrong with *value*, a composed YAML node, as the value of *setting*: its
    type, as the config check sees it (a secret's value is never shown)."""
    checker = _ConfigChecker(SettingsCatalog("", (setting,)), filename, ())
    expected = expected_from_annotation(setting.annotation)
    if expected is not None:
        checker.check_type(setting, value, expected, setting.name, 0)
    return checker.problems


def is_allowed(name: str, allowed: Collection[str]) -> bool:
    """Whether *name* is one of *allowed*, or matches one of its patterns (``CELERY_*``)."""
    return name in allowed or any(
        fnmatch.fnmatchcase(name, pattern) for pattern in allowed if any(c in pattern for c in "*?["))


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


class _ConfigChecker:
    """One pass over the composed YAML document."""

    def __init__(self, catalog: SettingsCatalog, filename: str, allowed: Collection[str]) -> None:
        self.catalog = catalog
        self.settings = {setting.name: setting for setting in catalog}
        self.matcher: NameMatcher | None = None
        self.folded: dict[str, str] = {}
        self.filename = filename
        self.patterns = [a for a in allowed if any(c in a for c in "*?[")]
        self.allowed = set(allowed) - set(self.patterns)
        self.problems: list[Problem] = []
        self.visited = 0
        self.stopped = False
        self.unreadable: set[int] = set()  # values reported as unreadable: no type problem
        # Dict settings whose keys are documented one by one (FEATURES['X']): their keys
        # in the config are checked too.
        self.documented_keys: dict[str, set[str]] = {}
        for setting in catalog:
            parent = self.settings.get(setting.parent or "")
            if parent is not None:
                self.documented_keys[parent.name] = {*parent.keys, *(
                    key.split(".", 1)[1] for key in catalog.config_keys
                    if key.startswith(f"{parent.name}."))}

    def problem(self, message: str, node: yaml.Node | None, check: str,
                path: str | None = None) -> None:
        line = _line(node) if node is not None else None
        self.problems.append(Problem(message, self.filename, line, f"config-{check}", path))

    def check(self, root: yaml.Node | None) -> list[Problem]:
        if root is None:
            root = yaml.MappingNode(f"{_TAG}map", [])
        if isinstance(root, yaml.MappingNode):
            for key, value in root.value:
                label = str(key.value) if isinstance(key, yaml.ScalarNode) else "a key"
                self.check_values(value, label, set())
        else:
            self.check_values(root, "the config", set())
        if not isinstance(root, yaml.MappingNode):
            self.problem(
                f"the config is {_describe_kind(root)}, not a mapping: write one "
                "'SETTING_NAME: value' line per setting", root, "structure",
            )
            return self.problems
        seen: dict[str, yaml.Node] = {}
        for key_node, value_node in self.pairs(root, "the config"):
            name = self.key_name(key_node)
            if name is None:
                continue
            if name in seen:
                self.problem(
                    f"{name} is set twice (also on line {_line(seen[name])}); the last value "
                    "wins: remove one of them", key_node, "duplicate",
                )
            seen[name] = key_node
            self.check_setting(name, key_node, value_node)
        for setting in self.catalog:
            # a setting read from the environment is set there, not in the config
            if setting.required and setting.name not in seen and not setting.env_vars:
                self.problem(
                    f"required setting {setting.name} is missing: add '{setting.name}: ...' "
                    "(the service refuses to start without it)", None, "missing",
                )
        return sorted(self.problems, key=lambda p: (p.line is None, p.line or 0))

    def pairs(self, node: yaml.MappingNode, where: str,
              active: frozenset[int] = frozenset()) -> Iterator[tuple[yaml.Node, yaml.Node]]:
        """The key/value pairs of a mapping, with ``<<`` merge keys expanded as YAML does."""
        merged: list[tuple[yaml.Node, yaml.Node]] = []
        active = active | {id(node)}
        for key, value in node.value:
            if key.tag != f"{_TAG}merge":
                continue
            sources = value.value if isinstance(value, yaml.SequenceNode) else [value]
            for source in sources:
                if id(source) in active:
                    self.problem(f"a '<<' merge key in {where} merges the mapping into itself",
                                 key, "structure")
                elif isinstance(source, yaml.MappingNode):
                    if self.count():
                        merged.extend(self.pairs(source, where, active))
                else:
                    self.problem(f"a '<<' merge key in {where} must name a mapping",
                                 key, "structure")
        own = [(k, v) for k, v in node.value if k.tag != f"{_TAG}merge"]
        own_keys = {k.value for k, _ in own if isinstance(k, yaml.ScalarNode)}
        yield from ((k, v) for k, v in merged
                    if not (isinstance(k, yaml.ScalarNode) and k.value in own_keys))
        yield from own

    def count(self) -> bool:
        """Count one visited value; ``False`` (once reported) when the budget is spent."""
        self.visited += 1
        if self.visited <= MAX_CHECKED_VALUES:
            return True
        if not self.stopped:
            self.stopped = True
            self.problem(
                f"the config expands to more than {MAX_CHECKED_VALUES} values (through YAML aliases?); "
                "the check stopped there", None, "size",
            )
        return False

    def check_values(self, node: yaml.Node, name: str, active: set[int]) -> None:
        """Values ``yaml.safe_load`` refuses: tags (``!!python/object``, ``!custom``, an
        unquoted value starting with ``!``) and scalars it cannot construct (a 13th month)."""
        if id(node) in active or not self.count():
            return
        reason = value_problem(node)
        if reason is not None:
            check = "tag" if node.tag not in STANDARD_TAGS else "value"
            self.problem(f"the value of {name} {reason}", node, check)
            self.unreadable.add(id(node))
        active.add(id(node))
        for child in yaml_children(node):
            self.check_values(child, name, active)
        active.discard(id(node))

    def key_name(self, key: yaml.Node) -> str | None:
        if isinstance(key, yaml.ScalarNode) and key.tag == f"{_TAG}str":
            return str(key.value)
        if isinstance(key, yaml.ScalarNode):
            what = f"key {key.value!s} is read as {_describe_kind(key)}"
        else:
            what = f"a key that is {_describe_kind(key)}"
        self.problem(f"{what}, not a setting name: setting names are UPPERCASE words", key,
                     "unknown")
        return None

    def check_setting(self, name: str, key: yaml.Node, value: yaml.Node) -> None:
        setting = self.settings.get(name)
        if setting is None:
            if name not in self.allowed and not is_allowed(name, self.patterns):
                self.problem(f"unknown setting {name}{self.suggestion(name)}", key, "unknown")
            return
        if setting.deprecated:
            self.problem(
                f"setting {name} is deprecated since {setting.deprecated}"
                f"{_deprecation_note(setting.doc)}: stop setting it", key, "deprecated",
            )
        if isinstance(value, yaml.ScalarNode) and value.tag == f"{_TAG}str" and \
                setting.required and PLACEHOLDER.match(str(value.value)):
            self.problem(
                f"required setting {name} still holds the sample's placeholder "
                f"{value.value!s}: give it a real value", value, "placeholder",
            )
            return
        if name in self.documented_keys and isinstance(value, yaml.MappingNode):
            self.check_keys(name, value)
        expected = expected_from_annotation(setting.annotation)
        if _kind(value) == "none" and setting.required and (
            expected is None or "none" not in expected.kinds
        ):
            self.problem(
                f"required setting {name} is null: give it a value (the service refuses to "
                "start without it)", value, "missing",
            )
            return
        if expected is not None:
            self.check_type(setting, value, expected, name, 0)

    def check_keys(self, name: str, mapping: yaml.MappingNode) -> None:
        """Keys of a dict setting whose keys are documented (``FEATURES``)."""
        known = self.documented_keys[name]
        matcher = NameMatcher(sorted(known))
        for key, _ in self.pairs(mapping, name):
            if not isinstance(key, yaml.ScalarNode) or str(key.value) in known:
                continue
            close = matcher.closest(str(key.value))
            advice = did_you_mean(close) or \
                f": not a documented key of {name} (a typo, or a key that was removed?)"
            self.problem(f"unknown {name} key {key.value}{advice}", key, "unknown",
                         f"{name}.{key.value}")

    def suggestion(self, name: str) -> str:
        if self.matcher is None:
            known = [*self.settings, *sorted(self.allowed)]
            self.matcher = NameMatcher(known)
            self.folded = {name.upper(): name for name in known}
        close = self.folded.get(name.upper()) or self.matcher.closest(name.upper())
        return did_you_mean(close) or (
            ": not a setting of this service (a typo, or a setting that was removed?); remove it")

    def check_type(self, setting: Setting, node: yaml.Node, expected: Expected, path: str,
                   depth: int) -> None:
        if depth > MAX_DEPTH or id(node) in self.unreadable or not self.count():
            return
        kind = _kind(node)
        if not _fits(node, kind, expected):
            self.type_problem(setting, node, kind, expected, path)
            return
        if kind == "list" and expected.items is not None and isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                self.check_type(setting, item, expected.items, f"{path}[{index}]", depth + 1)
        elif kind == "dict" and isinstance(node, yaml.MappingNode) and (
            expected.keys is not None or expected.values is not None
        ):
            for key, value in self.pairs(node, path):
                member = f"{path}.{key.value}" if isinstance(key, yaml.ScalarNode) else path
                if expected.keys is not None:
                    self.check_type(setting, key, expected.keys, member, depth + 1)
                if expected.values is not None:
                    self.check_type(setting, value, expected.values, member, depth + 1)

    def type_problem(self, setting: Setting, node: yaml.Node, kind: str, expected: Expected,
                     path: str) -> None:
        wanted = sorted(expected.kinds - {"none", "literal"})
        hint = _HINTS.get(wanted[0], "") if len(wanted) == 1 else ""
        if expected.literals:
            hint = "use one of " + ", ".join(_yaml_scalar(v) for v in expected.literals)
        member = path != setting.name
        self.problem(
            f"{setting.name} is {setting.annotation}, but the YAML value "
            f"{'here ' if member else ''}is {_describe_kind(node, kind)}"
            f"{'; ' + hint if hint else ''}",
            node, "type", path if member else None,
        )


def _kind(node: yaml.Node) -> str:
    return _KIND_OF_TAG.get(str(node.tag), "other")


def _fits(node: yaml.Node, kind: str, expected: Expected) -> bool:
    if kind == "other":
        return True  # a tag reported on its own; its type is no certainty
    if "literal" in expected.kinds and isinstance(node, yaml.ScalarNode):
        value = _scalar_value(node)
        if any(value == v and type(value) is type(v) for v in expected.literals):
            return True
    if kind in expected.kinds:
        return True
    return kind == "int" and "float" in expected.kinds


def _scalar_value(node: yaml.ScalarNode) -> Any:
    """The Python value of one plain scalar (no aliases, no user tags: safe to construct)."""
    try:
        return construct(node)
    except BadValue:
        return node.value


def _yaml_scalar(value: Any) -> str:
    return yaml.safe_dump(value, default_flow_style=True).removesuffix("\n...\n").strip()


def _describe_kind(node: yaml.Node, kind: str | None = None) -> str:
    kind = kind or _kind(node)
    if kind == "other":
        return f"a value with {describe_tag(node.tag)}"
    return _KIND_NAMES.get(kind, kind)


def _deprecation_note(doc: str) -> str:
    """The text of the ``.. deprecated::`` directive in *doc*: ``(use HTTP_TIMEOUT)``."""
    lines = doc.splitlines()
    for index, line in enumerate(lines):
        match = re.match(r"\s*\.\.\s+deprecated::\s*\S+\s*(.*)$", line)
        if not match:
            continue
        body = [match.group(1)] if match.group(1) else []
        for following in lines[index + 1:]:
            if following.strip() and not following[:1].isspace():
                break
            body.append(following.strip())
        text = " ".join(plain_roles(" ".join(body)).replace("``", "").split())
        return f" ({text})" if text else ""
    return ""


# -- Files ------------------------------------------------------------------------------


def read_config_text(path: str | Path) -> str:
    """The text of the config file at *path*; :class:`OpsdocsError` when it cannot be read."""
    return read_text(path, CONFIG_FILE)


_DJANGO_COMMON = """
ABSOLUTE_URL_OVERRIDES ADMINS ALLOWED_HOSTS APPEND_SLASH AUTHENTICATION_BACKENDS
AUTH_PASSWORD_VALIDATORS AUTH_USER_MODEL CACHES CACHE_MIDDLEWARE_ALIAS
CACHE_MIDDLEWARE_KEY_PREFIX CACHE_MIDDLEWARE_SECONDS CSRF_COOKIE_AGE CSRF_COOKIE_DOMAIN
CSRF_COOKIE_HTTPONLY CSRF_COOKIE_NAME CSRF_COOKIE_PATH CSRF_COOKIE_SAMESITE CSRF_COOKIE_SECURE
CSRF_FAILURE_VIEW CSRF_HEADER_NAME CSRF_TRUSTED_ORIGINS CSRF_USE_SESSIONS DATABASES
DATABASE_ROUTERS DATA_UPLOAD_MAX_MEMORY_SIZE DATA_UPLOAD_MAX_NUMBER_FIELDS
DATA_UPLOAD_MAX_NUMBER_FILES DATETIME_FORMAT DATETIME_INPUT_FORMATS DATE_FORMAT
DATE_INPUT_FORMATS DEBUG DEBUG_PROPAGATE_EXCEPTIONS DECIMAL_SEPARATOR DEFAULT_AUTO_FIELD
DEFAULT_CHARSET DEFAULT_EXCEPTION_REPORTER DEFAULT_EXCEPTION_REPORTER_FILTER
DEFAULT_FILE_STORAGE DEFAULT_FROM_EMAIL DEFAULT_INDEX_TABLESPACE DEFAULT_TABLESPACE
DISALLOWED_USER_AGENTS EMAIL_BACKEND EMAIL_HOST EMAIL_HOST_PASSWORD EMAIL_HOST_USER EMAIL_PORT
EMAIL_SSL_CERTFILE EMAIL_SSL_KEYFILE EMAIL_SUBJECT_PREFIX EMAIL_TIMEOUT EMAIL_USE_LOCALTIME
EMAIL_USE_SSL EMAIL_USE_TLS FILE_UPLOAD_DIRECTORY_PERMISSIONS FILE_UPLOAD_HANDLERS
FILE_UPLOAD_MAX_MEMORY_SIZE FILE_UPLOAD_PERMISSIONS FILE_UPLOAD_TEMP_DIR FIRST_DAY_OF_WEEK
FIXTURE_DIRS FORCE_SCRIPT_NAME FORMAT_MODULE_PATH FORMS_URLFIELD_ASSUME_HTTPS FORM_RENDERER
IGNORABLE_404_URLS INSTALLED_APPS INTERNAL_IPS LANGUAGES LANGUAGES_BIDI LANGUAGE_CODE
LANGUAGE_COOKIE_AGE LANGUAGE_COOKIE_DOMAIN LANGUAGE_COOKIE_HTTPONLY LANGUAGE_COOKIE_NAME
LANGUAGE_COOKIE_PATH LANGUAGE_COOKIE_SAMESITE LANGUAGE_COOKIE_SECURE LOCALE_PATHS LOGGING
LOGGING_CONFIG LOGIN_REDIRECT_URL LOGIN_URL LOGOUT_REDIRECT_URL MANAGERS MEDIA_ROOT MEDIA_URL
MESSAGE_STORAGE MIDDLEWARE MIGRATION_MODULES MONTH_DAY_FORMAT NUMBER_GROUPING PASSWORD_HASHERS
PASSWORD_RESET_TIMEOUT PREPEND_WWW SECRET_KEY SECRET_KEY_FALLBACKS SECURE_CONTENT_TYPE_NOSNIFF
SECURE_CROSS_ORIGIN_OPENER_POLICY SECURE_HSTS_INCLUDE_SUBDOMAINS SECURE_HSTS_PRELOAD
SECURE_HSTS_SECONDS SECURE_PROXY_SSL_HEADER SECURE_REDIRECT_EXEMPT SECURE_REFERRER_POLICY
SECURE_SSL_HOST SECURE_SSL_REDIRECT SERVER_EMAIL SESSION_CACHE_ALIAS SESSION_COOKIE_AGE
SESSION_COOKIE_DOMAIN SESSION_COOKIE_HTTPONLY SESSION_COOKIE_NAME SESSION_COOKIE_PATH
SESSION_COOKIE_SAMESITE SESSION_COOKIE_SECURE SESSION_ENGINE SESSION_EXPIRE_AT_BROWSER_CLOSE
SESSION_FILE_PATH SESSION_SAVE_EVERY_REQUEST SESSION_SERIALIZER SHORT_DATETIME_FORMAT
SHORT_DATE_FORMAT SIGNED_COOKIE_LEGACY_SALT_FALLBACK SIGNING_BACKEND SILENCED_SYSTEM_CHECKS
STATICFILES_DIRS STATICFILES_FINDERS STATICFILES_STORAGE STATIC_ROOT STATIC_URL STORAGES
TEMPLATES TEST_NON_SERIALIZED_APPS TEST_RUNNER THOUSAND_SEPARATOR TIME_FORMAT TIME_INPUT_FORMATS
TIME_ZONE USE_I18N USE_THOUSAND_SEPARATOR USE_TZ USE_X_FORWARDED_HOST USE_X_FORWARDED_PORT
WSGI_APPLICATION X_FRAME_OPTIONS YEAR_MONTH_FORMAT
"""
#: Django's global settings (those of 5.2, and two of 4.2), for when Django is not installed.
DJANGO_SETTINGS_FALLBACK = frozenset(_DJANGO_COMMON.split())


def django_setting_names() -> frozenset[str]:
    """Names of Django's global settings, read from its source without importing Django."""
    import importlib.util

    try:
        spec = importlib.util.find_spec("django")
    except (ImportError, ValueError):
        spec = None
    if spec is None or not spec.origin:
        return DJANGO_SETTINGS_FALLBACK
    path = Path(spec.origin).parent / "conf" / "global_settings.py"
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    except (OSError, SyntaxError, UnicodeDecodeError, ValueError):
        return DJANGO_SETTINGS_FALLBACK
    names = {
        target.id
        for statement in tree.body if isinstance(statement, (ast.Assign, ast.AnnAssign))
        for target in (statement.targets if isinstance(statement, ast.Assign)
                       else [statement.target])
        if isinstance(target, ast.Name) and target.id.isupper()
    }
    return frozenset(names) or DJANGO_SETTINGS_FALLBACK
