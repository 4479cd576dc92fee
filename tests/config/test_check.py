"""The config check, as a pure function on inline sources and the repository's configs."""

from __future__ import annotations

import difflib
import re

import pytest
import yaml

from opsdocs.config.check import (
    check_config,
    read_config_text,
)
from opsdocs.config.sample import sample_config
from opsdocs.errors import OpsdocsError
from opsdocs.reading import CONFIG_FILE, MAX_CHECKED_VALUES
from opsdocs.settings.django import django_setting_names
from opsdocs.settings.reader import read_settings_package
from opsdocs.suggest import NameMatcher
from tests.config.sources import GOOD, fill_in
from tests.helpers import EXAMPLE, ROOTS

ROOT = ROOTS / "test-config" / "settings"


def check(catalog, text, **kwargs):
    return [(p.line, p.check, p.message, p.path)
            for p in check_config(catalog, text, "config.yml", **kwargs)]


def test_a_good_config_has_no_problems(catalog):
    assert check(catalog, GOOD) == []


@pytest.mark.parametrize(("extra", "problems"), [
    ("DEBUG: true\nTIMEOUT: 3\nMODE: slow\nREPORTS_DIR: null\n", []),
    ("TIMEOUT: 3.5\nFEATURES: {A: true, B: false}\nALLOWED_HOSTS: []\n", []),
    # Types that do not match.
    ("DEBUG: 1\n", [(5, "config-type", "DEBUG is bool, but the YAML value is an integer; "
                     "write true or false, without quotes", None)]),
    ("DEBUG: 'yes'\n", [(5, "config-type", "DEBUG is bool, but the YAML value is a "
                         "string; write true or false, without quotes", None)]),
    ("TIMEOUT: true\n", [(5, "config-type", "TIMEOUT is float, but the YAML value is a "
                          "boolean; write a number, without quotes", None)]),
    ("TIMEOUT: '5'\n", [(5, "config-type", "TIMEOUT is float, but the YAML value is a "
                         "string; write a number, without quotes", None)]),
    ("ALLOWED_HOSTS: localhost\n", [
        (5, "config-type", "ALLOWED_HOSTS is list[str], but the YAML value is a "
         "string; write a list (one '- item' per line, or [a, b])", None)]),
    ("ALLOWED_HOSTS:\n- a\n- 8000\n", [
        (7, "config-type", "ALLOWED_HOSTS is list[str], but the YAML value here is an "
         "integer; put the value in quotes to make it a string", "ALLOWED_HOSTS[1]")]),
    ("FEATURES: {A: 'on'}\n", [
        (5, "config-type", "FEATURES is dict[str, bool], but the YAML value here is a "
         "string; write true or false, without quotes", "FEATURES.A")]),
    ("FEATURES: [A]\n", [
        (5, "config-type", "FEATURES is dict[str, bool], but the YAML value is a list; write "
         "a mapping (one 'key: value' per line)", None)]),
    ("MODE: medium\n", [
        (5, "config-type", "MODE is Literal['fast', 'slow'], but the YAML value is "
         "a string; use one of fast, slow", None)]),
    ("REPORTS_DIR: 2024-01-01\n", [
        (5, "config-type", "REPORTS_DIR is 'str | None', but the YAML value is a "
         "date; put the value in quotes to make it a string", None)]),
    # Unknown, deprecated and duplicated keys.
    ("TIMEOTU: 3\n", [(5, "config-unknown", "unknown setting TIMEOTU; did you mean 'TIMEOUT'?",
                       None)]),
    ("debug: true\n", [(5, "config-unknown", "unknown setting debug; did you mean 'DEBUG'?",
                        None)]),
    ("NOTHING_LIKE_IT: 1\n", [
        (5, "config-unknown", "unknown setting NOTHING_LIKE_IT: not a setting of this service "
         "(a typo, or a setting that was removed?); remove it", None)]),
    ("1: x\n", [(5, "config-unknown", "key 1 is read as an integer, not a setting name: "
                 "setting names are UPPERCASE words", None)]),
    ("[A, B]: x\n", [(5, "config-unknown", "a key that is a list, not a setting name: setting "
                      "names are UPPERCASE words", None)]),
    ("OLD_TIMEOUT: 3\n", [
        (5, "config-deprecated", "setting OLD_TIMEOUT is deprecated since 2.0 (Set TIMEOUT "
         "instead.): stop setting it", None)]),
    ("DEBUG: true\nDEBUG: false\n", [
        (6, "config-duplicate", "DEBUG is set twice (also on line 5); the last value wins: "
         "remove one of them", None)]),
    # Tags that yaml.safe_load refuses.
    ("HOME: !!python/object/apply:os.system [ls]\n", [
        (5, "config-tag", "the value of HOME has a !!python/ tag, which yaml.safe_load does not "
         "read: remove the tag, or put the value in quotes to make it a string", None)]),
    ("HOME: !env HOME\n", [
        (5, "config-tag", "the value of HOME has a custom tag (or a value starting with '!' "
         "without quotes), which yaml.safe_load does not read: remove the tag, or put the value "
         "in quotes to make it a string", None)]),
    # Values yaml.safe_load cannot construct: never quoted, they may be secrets.
    ("DEBUG: !!bool maybe\n", [
        (5, "config-value", "the value of DEBUG is not a boolean: write true or false, or put "
         "the value in quotes to make it a string", None)]),
    ("REPORTS_DIR: 2024-13-45\n", [
        (5, "config-value", "the value of REPORTS_DIR is not a real date or time: write one as "
         "YYYY-MM-DD or YYYY-MM-DD HH:MM:SS, or put the value in quotes to make it a string",
         None)]),
    ("TIMEOUT: !!int abc\n", [
        (5, "config-value", "the value of TIMEOUT is not a whole number YAML can read (at most "
         "4,300 digits): write one, or put the value in quotes to make it a string", None)]),
    # Merge keys are expanded as YAML does.
    ("base: &base {DEBUG: 1}\n<<: *base\n", [
        (5, "config-type", "DEBUG is bool, but the YAML value is an integer; write true or "
         "false, without quotes", None),
        (5, "config-unknown", "unknown setting base: not a setting of this service (a typo, or "
         "a setting that was removed?); remove it", None)]),
    ("<<: [1]\n", [(5, "config-structure", "a '<<' merge key in the config must name a mapping",
                    None)]),
    ("FEATURES: &f {<<: *f}\n", [
        (5, "config-structure", "a '<<' merge key in FEATURES merges the mapping into itself",
         None)]),
])
def test_config_problems(catalog, extra, problems):
    assert check(catalog, GOOD + extra) == problems


@pytest.mark.parametrize(("text", "problems"), [
    ("LMS_BASE_URL: x\nPORTS: [1]\nEXTRA: 1\n", [
        (None, "config-missing", "required setting SECRET_KEY is missing: add 'SECRET_KEY: ...' "
         "(the service refuses to start without it)", None)]),
    (GOOD.replace("EXTRA: {anything: [1, true]}", "EXTRA: null"), [
        (4, "config-missing", "required setting EXTRA is null: give it a value (the service "
         "refuses to start without it)", None)]),
    (GOOD.replace("https://lms.example.com", "'<required: str>'"), [
        (1, "config-placeholder", "required setting LMS_BASE_URL still holds the sample's "
         "placeholder <required: str>: give it a real value", None)]),
    (GOOD.replace("[8000, 8001]", "[8000, '8001']"), [
        (3, "config-type", "PORTS is list[int], but the YAML value here is a string; "
         "write a whole number, without quotes", "PORTS[1]")]),
])
def test_required_settings(catalog, text, problems):
    assert check(catalog, text) == problems


@pytest.mark.parametrize(("text", "problems"), [
    ("SECRET_KEY: [unclosed\n", [
        (2, "config-syntax", "YAML syntax error, column 1: while parsing a flow sequence "
         "started on line 1; expected ',' or ']', but got '<stream end>'; fix the YAML (a config "
         "is one mapping of SETTING_NAME: value lines)", None)]),
    ("A: 1\n B: 2\n", [
        (2, "config-syntax", "YAML syntax error on the line of B, column 3: mapping values are "
         "not allowed here; fix the YAML (a config is one mapping of SETTING_NAME: value lines)",
         None)]),
    ("A: 1\n---\nB: 2\n", [
        (2, "config-syntax", "YAML syntax error, column 1: expected a single document in the "
         "stream started on line 1; but found another document; fix the YAML (a config is one "
         "mapping of SETTING_NAME: value lines)", None)]),
    # An unquoted value starting with '*' or '!': the value is never quoted back.
    ("A: *Pa55word\n", [
        (1, "config-syntax", "YAML syntax error on the line of A, column 4: found undefined "
         "alias; a value starting with '*' is an alias in YAML: put the value in quotes; fix the "
         "YAML (a config is one mapping of SETTING_NAME: value lines)", None)]),
    ("A: 1\nB: \x07\n", [
        (2, "config-syntax", "YAML syntax error: character U+0007 is not allowed in YAML; "
         "remove it", None)]),
    ("- a\n- b\n", [
        (1, "config-structure", "the config is a list, not a mapping: write one "
         "'SETTING_NAME: value' line per setting", None)]),
    ("just text\n", [
        (1, "config-structure", "the config is a string, not a mapping: write one "
         "'SETTING_NAME: value' line per setting", None)]),
])
def test_bad_yaml(catalog, text, problems):
    assert check(catalog, text) == problems


def test_an_empty_config_misses_every_required_setting(catalog):
    assert [p[2].split(" is ")[0] for p in check(catalog, "# nothing\n")] == [
        "required setting LMS_BASE_URL", "required setting SECRET_KEY",
        "required setting PORTS", "required setting EXTRA",
    ]


@pytest.mark.parametrize("text", [
    "SECRET_KEY: 12345678\n",  # a type problem
    "SECRET_KEY: [12345678\n",  # a syntax error on the secret's line
    "SECRET_KEY: '12345678'\nSECRET_KEY: '12345678'\n",  # a duplicate
    "SECRET_KY: '12345678'\n",  # a typo of a secret's name
    "SECRET_KEY: !!binary 12345678\n",
])
def test_secrets_never_appear_in_messages(catalog, text):
    problems = check_config(catalog, text, "config.yml")
    assert problems
    assert not any("12345678" in str(problem) for problem in problems)


def test_allowed_keys_and_patterns(catalog):
    text = GOOD + "DATABASES: {}\nCELERY_X: 1\nCELERY_Y: 2\nOTHER: 3\n"
    assert [p[2] for p in check(catalog, text, allowed=["DATABASES", "CELERY_*"])] == [
        "unknown setting OTHER: not a setting of this service (a typo, or a setting that was "
        "removed?); remove it",
    ]
    # Allowed names are suggested too.
    assert check(catalog, GOOD + "DATABASE: {}\n", allowed=["DATABASES"])[0][2] == \
        "unknown setting DATABASE; did you mean 'DATABASES'?"


def test_alias_expansion_is_bounded(catalog):
    # "Billion laughs": ten levels of ten aliases each would be 10**10 values.
    lines = ["l0: &l0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 10) + "]" for i in range(1, 10)]
    problems = check_config(catalog, GOOD + "\n".join(lines) + "\n", "config.yml")
    assert [(p.check, p.message) for p in problems] == [(
        "config-size", "the config file expands to more than 1,000,000 values (through aliases, "
        "*name, or '<<' merges?): opsdocs stops reading it so that a crafted file cannot exhaust "
        "memory")]
    # Fewer than that, the check stops at its own budget.
    lines = ["l0: &l0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 10) + "]" for i in range(1, 5)]
    problems = check_config(catalog, GOOD + "\n".join(lines) + "\n", "config.yml")
    assert [p.message for p in problems if p.check == "config-size"] == [
        f"the config expands to more than {MAX_CHECKED_VALUES} values (through YAML aliases?); the "
        "check stopped there"
    ]


def test_recursive_aliases_end(catalog):
    problems = check(catalog, GOOD + "ALLOWED_HOSTS: &a [*a]\n")
    assert problems == [(5, "config-type", "ALLOWED_HOSTS is list[str], but the YAML value here "
                         "is a list; put the value in quotes to make it a string",
                         "ALLOWED_HOSTS[0]")]


def test_deep_nesting_is_a_problem_not_a_crash(catalog):
    text = GOOD + "EXTRA2: " + "[" * 5000 + "]" * 5000 + "\n"
    problems = check(catalog, text)
    assert problems[0][1] in ("config-syntax", "config-unknown")


def test_size_limit(catalog):
    problems = check(catalog, "A: '" + "x" * CONFIG_FILE.limit + "'\n")
    assert problems == [(None, "config-size", "the config file is larger than 1 MiB, the most "
                         "opsdocs reads of a config file: is this the right file?", None)]


def test_the_filled_in_sample_passes(catalog):
    filled = fill_in(sample_config(catalog), {
        "LMS_BASE_URL": "https://lms", "SECRET_KEY": "a-long-secret", "PORTS": "[8000]",
        "EXTRA": "1"})
    assert check(catalog, filled) == []
    # Uncommenting every default that has a YAML value still passes.
    uncommented = uncomment_defaults(filled)
    assert {"DEBUG", "ALLOWED_HOSTS", "MODE", "OLD_TIMEOUT"} <= set(yaml.safe_load(uncommented))
    assert {p[1] for p in check(catalog, uncommented)} == {"config-deprecated"}


def uncomment_defaults(sample: str) -> str:
    """The sample with every default written in YAML uncommented."""
    out, in_value = [], False
    for line in sample.splitlines():
        starts = re.match(r"^# [A-Z][A-Z0-9_]*:( |$)", line) and "  (" not in line
        if starts or (in_value and line.startswith(("#   ", "# - "))):
            out.append(line[2:])
            in_value = True
        else:
            out.append(line)
            in_value = False
    return "\n".join(out) + "\n"


def test_the_example_services_sample_and_configs_pass():
    example = EXAMPLE / "example_ida" / "settings"
    if not example.is_dir():
        pytest.skip("example_ida is not there")
    catalog = read_settings_package(example)
    for name in ("devstack.yml", "test.yml"):
        text = read_config_text(example / name)
        assert check_config(catalog, text, name, allowed=django_setting_names()) == []


# -- Files ------------------------------------------------------------------------------


def test_read_config_text_problems(tmp_path):
    with pytest.raises(OpsdocsError) as missing:
        read_config_text(tmp_path / "nope.yml")
    assert missing.value.problem.message == "cannot read the config file: No such file or directory"
    bad = tmp_path / "latin1.yml"
    bad.write_bytes(b"A: 1\nB: caf\xe9\n")
    with pytest.raises(OpsdocsError) as undecodable:
        read_config_text(bad)
    assert str(undecodable.value) == (f"{bad}:2: the config file is not UTF-8 text (byte "
                                      "0xe9 at line 2, column 7): save it as UTF-8")
    big = tmp_path / "big.yml"
    big.write_bytes(b"#" * (CONFIG_FILE.limit + 1))
    with pytest.raises(OpsdocsError, match="larger than 1 MiB"):
        read_config_text(big)
    bom = tmp_path / "bom.yml"
    bom.write_bytes(b"\xef\xbb\xbfA: 1\n")
    assert read_config_text(bom) == "A: 1\n"


def test_the_test_roots_config_matches_its_settings():
    catalog = read_settings_package(ROOT)
    text = read_config_text(ROOT / "devstack.yml")
    assert check_config(catalog, text, "devstack.yml", allowed=django_setting_names()) == []


@pytest.mark.parametrize("word", [
    "DEBG", "DEBUGG", "TIMOUT", "ALLOWED_HOST", "ALOWED_HOSTS", "SECRETKEY", "SECRET_KY",
    "DATABASE", "LOGING", "EMAIL_HOST_PASWORD", "CSRF_COOKIE_SECUR", "SESION_ENGINE",
    "STATIC_ROOOT", "XYZZY", "LANGUAGE", "USE_TZZ", "MIDDLEWARES", "TEMPLATE_DIRS",
])
def test_name_matcher_agrees_with_difflib(word):
    names = sorted({*django_setting_names(), "TIMEOUT", "DEBUG", "SECRET_KEY", "FEATURES"})
    expected = difflib.get_close_matches(word, names, n=1, cutoff=0.75)
    assert NameMatcher(names).closest(word) == (expected[0] if expected else None)
