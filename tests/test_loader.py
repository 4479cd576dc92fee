"""The runtime loader: a YAML file over required.py and defaults.py, failing fast."""

from __future__ import annotations

import copy
import pickle
import textwrap
import types
from pathlib import Path
from typing import Any

import pytest

from opsdocs.loader import REQUIRED, ConfigurationError, apply_config, required_settings
from tests.helpers import modules_loaded_by

ENV = "EXAMPLE_IDA_CFG_PATH"
SECRET = "s3cr3t-do-not-print"

REQUIRED_SOURCE = """
from opsdocs.loader import REQUIRED

#: Django's secret key.
SECRET_KEY: str

#: Base URL of the LMS.
LMS_BASE_URL: str

#: Hosts served.
ALLOWED_HOSTS: list[str] = None

#: OAuth client secret.
OAUTH_SECRET = REQUIRED
"""


def make_module(source: str, name: str = "required") -> types.ModuleType:
    """A real module object from *source*, as ``import`` would build it."""
    module = types.ModuleType(name)
    exec(compile(textwrap.dedent(source), f"{name}.py", "exec"), vars(module))
    return module


@pytest.fixture
def required() -> types.ModuleType:
    return make_module(REQUIRED_SOURCE)


def settings_namespace(required: types.ModuleType) -> dict[str, Any]:
    """A settings module's globals after ``from .required import *`` and defaults."""
    namespace = {k: v for k, v in vars(required).items() if not k.startswith("_")}
    namespace.update(DEBUG=False, TIME_ZONE="UTC", FEATURES={"A": True})
    return namespace


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.yml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


COMPLETE = f"""\
SECRET_KEY: {SECRET}
LMS_BASE_URL: https://lms.example.com
ALLOWED_HOSTS: [ida.example.com]
OAUTH_SECRET: {SECRET}
"""


def apply(namespace: dict[str, Any], required: Any, path: Path | None, **options: Any) -> Any:
    environ = {ENV: str(path)} if path is not None else {}
    return apply_config(namespace, env_var=ENV, required=required, environ=environ, **options)


def error_of(namespace: dict[str, Any], required: Any, path: Path | None,
             **options: Any) -> ConfigurationError:
    before = dict(namespace)
    with pytest.raises(ConfigurationError) as info:
        apply(namespace, required, path, **options)
    assert namespace == before, "a failed load must leave the settings unchanged"
    assert SECRET not in str(info.value)
    return info.value


def test_required_settings_from_annotations_none_and_sentinel(required: types.ModuleType) -> None:
    assert required_settings(required) == [
        "SECRET_KEY", "LMS_BASE_URL", "ALLOWED_HOSTS", "OAUTH_SECRET",
    ]


def test_required_settings_of_a_mapping() -> None:
    mapping = {"__annotations__": {"A": str, "B": int}, "B": 3, "C": None, "d": None,
               "REQUIRED": REQUIRED}
    assert required_settings(mapping) == ["A", "C"]


def test_applies_the_file_and_returns_its_path(tmp_path: Path, required: types.ModuleType) -> None:
    path = write(tmp_path, COMPLETE + "DEBUG: true\nFEATURES: {B: false}\n")
    namespace = settings_namespace(required)
    assert apply(namespace, required, path) == path
    assert namespace["SECRET_KEY"] == SECRET
    assert namespace["ALLOWED_HOSTS"] == ["ida.example.com"]
    assert namespace["DEBUG"] is True
    assert namespace["FEATURES"] == {"B": False}, "a mapping replaces the default, as OEP-45 says"
    assert namespace["TIME_ZONE"] == "UTC"


def test_no_env_var_and_nothing_required_is_fine() -> None:
    namespace = {"DEBUG": False}
    assert apply(namespace, {}, None) is None
    assert namespace == {"DEBUG": False}


def test_no_env_var_names_every_missing_setting(required: types.ModuleType) -> None:
    error = error_of(settings_namespace(required), required, None)
    assert str(error) == (
        "4 configuration problems (EXAMPLE_IDA_CFG_PATH is not set, so no configuration "
        "file was read: set it to the path of a YAML file that gives every required setting):\n"
        "  missing required setting SECRET_KEY\n"
        "  missing required setting LMS_BASE_URL\n"
        "  missing required setting ALLOWED_HOSTS\n"
        "  missing required setting OAUTH_SECRET"
    )
    assert [p.check for p in error.problems] == ["required"] * 4


def test_empty_env_var_counts_as_unset(required: types.ModuleType) -> None:
    with pytest.raises(ConfigurationError, match="is not set"):
        apply_config({}, env_var=ENV, required=required, environ={ENV: "  "})


def test_reads_os_environ_by_default(tmp_path: Path, required: types.ModuleType,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, COMPLETE)
    monkeypatch.setenv(ENV, str(path))
    namespace = settings_namespace(required)
    assert apply_config(namespace, env_var=ENV, required=required) == path


def test_missing_and_empty_settings_name_the_file_and_line(
    tmp_path: Path, required: types.ModuleType
) -> None:
    path = write(tmp_path, f"""\
        # production overrides
        SECRET_KEY: {SECRET}
        LMS_BASE_URL:
        OAUTH_SECRET: null
        """)
    error = error_of(settings_namespace(required), required, path)
    assert str(error).splitlines() == [
        f"3 configuration problems ({path}, named by {ENV}):",
        f"  {path}:3: required setting LMS_BASE_URL is empty: give it a value",
        f"  {path}: missing required setting ALLOWED_HOSTS: add it to this file",
        f"  {path}:4: required setting OAUTH_SECRET is empty: give it a value",
    ]


def test_a_default_may_be_set_to_null(tmp_path: Path, required: types.ModuleType) -> None:
    path = write(tmp_path, COMPLETE + "TIME_ZONE: null\n")
    namespace = settings_namespace(required)
    apply(namespace, required, path)
    assert namespace["TIME_ZONE"] is None


def test_sentinel_left_in_defaults_is_required(tmp_path: Path) -> None:
    error = error_of({"CACHE_URL": REQUIRED, "REQUIRED": REQUIRED}, {}, write(tmp_path, ""))
    assert [p.message for p in error.problems] == [
        "missing required setting CACHE_URL: add it to this file"
    ]


@pytest.mark.parametrize(("text", "line", "message"), [
    pytest.param(f"SECRET_KEY: {SECRET}\nLMS_BASE_URL: [unclosed\n", 3,
                 "YAML syntax error, column 1: while parsing a flow sequence started on line 2; "
                 "expected ',' or ']', but got '<stream end>'; fix the YAML (a configuration "
                 "file is one mapping of SETTING_NAME: value lines)", id="syntax"),
    pytest.param(f"SECRET_KEY: {SECRET}\n\tLMS_BASE_URL: x\n", 2,
                 "YAML syntax error on the line of LMS_BASE_URL, column 1: while scanning for "
                 "the next token; found character '\\t' that cannot start any token; indent "
                 "with spaces: YAML allows no tab there; fix the YAML (a configuration file is "
                 "one mapping of SETTING_NAME: value lines)", id="tab"),
    pytest.param(f"SECRET_KEY: {SECRET}\n---\nDEBUG: true\n", 2,
                 "YAML syntax error, column 1: expected a single document in the stream started "
                 "on line 1; but found another document; fix the YAML (a configuration file is "
                 "one mapping of SETTING_NAME: value lines)", id="two-documents"),
    pytest.param(f"SECRET_KEY: {SECRET}\nLMS_BASE_URL: x\x07y\n", 2,
                 "YAML syntax error: character U+0007 is not allowed in YAML; remove it",
                 id="control-character"),
    # A password that starts with '*' or '!' is not quoted back.
    pytest.param(f"SECRET_KEY: *{SECRET}\n", 1,
                 "YAML syntax error on the line of SECRET_KEY, column 13: found undefined alias; "
                 "a value starting with '*' is an alias in YAML: put the value in quotes; fix "
                 "the YAML (a configuration file is one mapping of SETTING_NAME: value lines)",
                 id="alias"),
    pytest.param(f"SECRET_KEY: !{SECRET}!x\n", 1,
                 "YAML syntax error on the line of SECRET_KEY, column 13: while parsing a node; "
                 "found undefined tag handle; a value starting with '!' is a tag in YAML: put "
                 "the value in quotes; fix the YAML (a configuration file is one mapping of "
                 "SETTING_NAME: value lines)", id="tag-handle"),
    pytest.param(f"- SECRET_KEY: {SECRET}\n", 1,
                 "the top level of a configuration file must be a mapping of setting names to "
                 "values (SECRET_KEY: ...), not a list", id="list"),
    pytest.param(f"\n{SECRET}\n", 2,
                 "the top level of a configuration file must be a mapping of setting names to "
                 "values (SECRET_KEY: ...), not a single value", id="scalar"),
])
def test_unreadable_yaml_is_one_located_problem(
    tmp_path: Path, required: types.ModuleType, text: str, line: int, message: str
) -> None:
    path = write(tmp_path, text)
    error = error_of(settings_namespace(required), required, path)
    assert [(p.file, p.line, p.message) for p in error.problems] == [(str(path), line, message)]


def test_missing_file(tmp_path: Path, required: types.ModuleType) -> None:
    path = tmp_path / "nowhere.yml"
    error = error_of(settings_namespace(required), required, path)
    assert str(error).splitlines() == [
        f"1 configuration problem ({path}, named by {ENV}):",
        f"  {path}: configuration file not found (named by {ENV}): create it or correct "
        "the path",
    ]


def test_directory_instead_of_file(tmp_path: Path) -> None:
    error = error_of({}, {}, tmp_path)
    assert error.problems[0].message == (
        "cannot read the config file: it is a directory, not a regular file; give the "
        "path of the file itself")


def test_undecodable_file(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yml"
    path.write_bytes(b"SECRET_KEY: caf\xe9\n")
    error = error_of({}, {}, path)
    assert (error.problems[0].line, error.problems[0].message) == (1, (
        "the config file is not UTF-8 text (byte 0xe9 at line 1, column 16): save it "
        "as UTF-8"))


@pytest.mark.parametrize(("key", "message"), [
    ("secret_key", "'secret_key' is not a setting name: settings are UPPERCASE identifiers; "
                   "did you mean 'SECRET_KEY'?"),
    ("ON", None),  # YAML 1.1 would read it as True: the key's text is what counts
    ("_PRIVATE", "'_PRIVATE' is not a setting name: settings are UPPERCASE identifiers"),
    ("LMS-URL", "'LMS-URL' is not a setting name: settings are UPPERCASE identifiers"),
    ("42", "'42' is not a setting name: settings are UPPERCASE identifiers"),
    ("[A, B]", "a non-string key is not a setting name: settings are UPPERCASE identifiers"),
])
def test_keys_must_be_setting_names(
    tmp_path: Path, required: types.ModuleType, key: str, message: str | None
) -> None:
    path = write(tmp_path, f"{COMPLETE}{key}: {SECRET}\n")
    namespace = settings_namespace(required)
    if message is None:
        apply(namespace, required, path)
        assert namespace[key] == SECRET
        return
    error = error_of(namespace, required, path)
    assert [(p.line, p.message, p.check) for p in error.problems] == [(5, message, "bad-key")]


@pytest.mark.parametrize(("value", "message"), [
    ("\n  2024-13-45", "is not a real date or time: write one as YYYY-MM-DD or YYYY-MM-DD "
     "HH:MM:SS, or put the value in quotes to make it a string"),
    (f"\n  !!int {SECRET}", "is not a whole number YAML can read (at most 4,300 digits): write "
     "one, or put the value in quotes to make it a string"),
    (f"\n  !!float {SECRET}", "is not a number YAML can read: write one, or put the value in "
     "quotes to make it a string"),
    (f"\n  !!bool {SECRET}", "is not a boolean: write true or false, or put the value in "
     "quotes to make it a string"),
    ("\n  " + "9" * 5000, "is not a whole number YAML can read (at most 4,300 digits): write "
     "one, or put the value in quotes to make it a string"),
    (f"\n  !!python/object:os.system {SECRET}", "has a !!python/ tag, which yaml.safe_load does "
     "not read: remove the tag, or put the value in quotes to make it a string"),
    (f"\n  !{SECRET}", "has a custom tag (or a value starting with '!' without quotes), which "
     "yaml.safe_load does not read: remove the tag, or put the value in quotes to make it a "
     "string"),
    (f"\n  - [{SECRET}]\n  - {{a: !!bool {SECRET}}}", "is not a boolean: write true or false, "
     "or put the value in quotes to make it a string"),
])
def test_value_that_cannot_be_built(tmp_path: Path, required: types.ModuleType, value: str,
                                    message: str) -> None:
    path = write(tmp_path, COMPLETE + f"LAUNCH_DATE:{value}\n")
    error = error_of(settings_namespace(required), required, path)
    line = 6 + value.count("\n") - 1
    assert [(p.line, p.message) for p in error.problems] == [
        (line, f"the value of LAUNCH_DATE {message}")]
    assert SECRET not in str(error)


def test_duplicate_key(tmp_path: Path, required: types.ModuleType) -> None:
    path = write(tmp_path, COMPLETE + "SECRET_KEY: other\n")
    error = error_of(settings_namespace(required), required, path)
    assert [(p.line, p.message) for p in error.problems] == [
        (5, "SECRET_KEY is given twice (first on line 1); YAML keeps only the last: remove one")
    ]


def test_unknown_keys_pass_unless_strict(tmp_path: Path, required: types.ModuleType) -> None:
    path = write(tmp_path, COMPLETE + "TIME_ZOME: Europe/Paris\nEMAIL_HOST: smtp\nZZZ_QQQ: 1\n")
    namespace = settings_namespace(required)
    apply(namespace, required, path)
    assert namespace["TIME_ZOME"] == "Europe/Paris"

    namespace = settings_namespace(required)
    error = error_of(namespace, required, path, strict=True, known=["EMAIL_HOST"])
    assert [(p.line, p.message, p.check) for p in error.problems] == [
        (5, "unknown setting TIME_ZOME; did you mean 'TIME_ZONE'?", "unknown"),
        (7, "unknown setting ZZZ_QQQ: no such setting in this service; remove it", "unknown"),
    ]


def test_strict_knows_required_settings_declared_by_annotation_only(
    tmp_path: Path, required: types.ModuleType
) -> None:
    namespace = settings_namespace(required)
    assert "SECRET_KEY" not in namespace, "annotation-only names are not star-imported"
    apply(namespace, required, write(tmp_path, COMPLETE), strict=True)
    assert namespace["SECRET_KEY"] == SECRET


def test_every_problem_at_once(tmp_path: Path, required: types.ModuleType) -> None:
    path = write(tmp_path, f"secret_key: {SECRET}\nLMS_BASE_URL: x\nDEBUG: 1\nDEBUG: 2\n")
    error = error_of(settings_namespace(required), required, path)
    assert [p.check for p in error.problems] == [
        "bad-key", "duplicate", "type", "required", "required", "required",
    ]


def test_merge_keys_and_anchors(tmp_path: Path, required: types.ModuleType) -> None:
    path = write(tmp_path, """\
        base: &base
          ENGINE: django.db.backends.sqlite3
        <<: {SECRET_KEY: x, LMS_BASE_URL: y, ALLOWED_HOSTS: [], OAUTH_SECRET: z}
        DATABASES:
          default:
            <<: *base
            NAME: ":memory:"
        """)
    error = error_of(settings_namespace(required), required, path)
    assert [p.message for p in error.problems] == [
        "'base' is not a setting name: settings are UPPERCASE identifiers; did you mean 'BASE'?"
    ]
    path.write_text(path.read_text().replace("base: &base", "BASE: &base"))
    namespace = settings_namespace(required)
    apply(namespace, required, path)
    assert namespace["DATABASES"] == {
        "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}
    }
    assert namespace["OAUTH_SECRET"] == "z"


def test_empty_file_overrides_nothing(tmp_path: Path) -> None:
    namespace = {"DEBUG": False}
    assert apply(namespace, {}, write(tmp_path, "# nothing yet\n")) is not None
    assert namespace == {"DEBUG": False}


def test_required_sentinel() -> None:
    assert repr(REQUIRED) == "REQUIRED"
    assert not REQUIRED
    assert copy.deepcopy(REQUIRED) is REQUIRED
    assert pickle.loads(pickle.dumps(REQUIRED)) is REQUIRED
    assert type(REQUIRED)() is REQUIRED


def test_loader_imports_neither_sphinx_nor_django() -> None:
    assert modules_loaded_by("import opsdocs.loader", "sphinx", "django", "docutils") == []


@pytest.mark.parametrize(("text", "message"), [
    ("SECRET_KEY: " + "[" * 900 + "]" * 900 + "\n",
     "the config file is too deeply nested (more than 100 levels) for opsdocs to read: "
     "flatten it"),
    ("a0: &a0 {x: 1}\n" + "".join(f"a{i}: &a{i} {{<<: *a{i - 1}}}\n" for i in range(1, 200)),
     "the config file is too deeply nested (more than 100 levels) for opsdocs to read: "
     "flatten it"),
    ("l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 10) + "]\n" for i in range(1, 9)),
     "the config file expands to more than 1,000,000 values (through aliases, *name, or "
     "'<<' merges?): opsdocs stops reading it so that a crafted file cannot exhaust memory"),
])
def test_nesting_merge_chains_and_alias_bombs_are_one_problem(
    tmp_path: Path, required: types.ModuleType, text: str, message: str
) -> None:
    error = error_of(settings_namespace(required), required, write(tmp_path, text))
    assert [p.message for p in error.problems] == [message]


@pytest.mark.parametrize("line, message", [
    # The annotation of a required setting: a string is not a list.
    ("ALLOWED_HOSTS: ida.example.com", "ALLOWED_HOSTS must be a list, not a string"),
    # Without one, the default's type: DEBUG is a bool.
    ("DEBUG: 'yes'", "DEBUG must be a boolean, not a string"),
    ("FEATURES: [A]", "FEATURES must be a mapping, not a list"),
    ("TIME_ZONE: 3", "TIME_ZONE must be a string, not an integer"),
])
def test_a_value_of_the_wrong_type_is_a_located_problem(tmp_path: Path,
                                                         required: types.ModuleType,
                                                         line: str, message: str) -> None:
    text = COMPLETE.replace("ALLOWED_HOSTS: [ida.example.com]\n", "") + line + "\n"
    if not line.startswith("ALLOWED_HOSTS"):
        text += "ALLOWED_HOSTS: [ida.example.com]\n"
    path = write(tmp_path, text)
    error = error_of(settings_namespace(required), required, path)
    assert [(p.line, p.message, p.check) for p in error.problems] == [
        (4, f"{message}: the service would fail with it", "type")]


@pytest.mark.parametrize("annotation, value", [
    ("float", 5), ("str | None", None), ("Optional[int]", 3), ("Path", "/srv"),
    ("dict[str, bool]", {"A": True}), ("list[str]", ["a"]),
])
def test_what_an_annotation_allows(tmp_path: Path, annotation: str, value: object) -> None:
    required = make_module(f"from __future__ import annotations\nfrom pathlib import Path\n"
                           f"from typing import Optional\nLIMIT: {annotation}\n")
    namespace = {"LIMIT": None}
    shown = "null" if value is None else repr(value).replace("'", '"')
    path = write(tmp_path, f"LIMIT: {shown}\n")
    if value is None:
        assert "required setting LIMIT is empty" in str(error_of(namespace, required, path))
    else:
        assert apply(namespace, required, path) == path


@pytest.mark.parametrize("future", ["from __future__ import annotations\n", ""])
@pytest.mark.parametrize("annotation, shown, message", [
    ("Optional[int]", '"3"', "LIMIT must be an integer or null, not a string"),
    ("Union[int, str]", "[3]", "LIMIT must be an integer or a string, not a list"),
    ("typing.Dict[str, bool]", "true", "LIMIT must be a mapping, not a boolean"),
    ("set[str]", "[a]", None),  # a YAML list, as opsdocs check-config takes it
    # A member YAML does not write, or any member: the outer kind is still checked.
    ("list[Path]", '"/srv"', "LIMIT must be a list, not a string"),
    ("Path | None", "[a]", None),  # a kind YAML does not write: not checked
    ("dict[str, Any]", "[a, b]", "LIMIT must be a mapping, not a list"),
    ("typing.Dict[str, typing.Any]", "[a, b]", "LIMIT must be a mapping, not a list"),
    ("Optional[dict[str, Any]]", "[a, b]", "LIMIT must be a mapping or null, not a list"),
    ("dict[str, object]", "[a, b]", "LIMIT must be a mapping, not a list"),
    ("list[Any]", "{a: 1}", "LIMIT must be a list, not a mapping"),
    ("list[dict[str, Any]]", "a", "LIMIT must be a list, not a string"),
    ("dict[str, Any]", "{a: [1], b: x}", None),
    ("Literal['a', 'b']", '"c"', None),  # values: opsdocs check-config checks them
])
def test_an_annotation_is_read_as_check_config_reads_it(
    tmp_path: Path, future: str, annotation: str, shown: str, message: str | None
) -> None:
    """Written as text or evaluated, an annotation allows the same kinds, in the same
    words as ``opsdocs check-config``'s."""
    required = make_module(f"{future}import typing\nfrom pathlib import Path\n"
                           "from typing import Any, Literal, Optional, Union\n"
                           f"LIMIT: {annotation} = None\n")
    path = write(tmp_path, f"LIMIT: {shown}\n")
    if message is None:
        assert apply({"LIMIT": None}, required, path) == path
    else:
        assert [(p.line, p.message) for p in error_of({"LIMIT": None}, required, path).problems] \
            == [(1, f"{message}: the service would fail with it")]
