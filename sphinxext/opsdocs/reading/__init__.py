"""Reading users' files: the one bounded way opsdocs opens, decodes and parses them.

Every file opsdocs reads (settings modules, management command modules, commands files,
configs, snapshots, Dockerfiles, and settings files at git refs) comes through here, by
format:

* :mod:`~opsdocs.reading.kinds`: every kind of file (:class:`FileKind`: its name, its size
  cap, its checks) and every cap on nesting and counts;
* :mod:`~opsdocs.reading.files`: regular files only, read within the cap, decoded with an
  error located at the first bad byte (PEP 263 for Python);
* :mod:`~opsdocs.reading.python`, :mod:`~opsdocs.reading.yaml` and
  :mod:`~opsdocs.reading.json`: parsed, a document nested too deeply for anyone to mean it
  (or for a recursive reader) reported as one message at the file, never a
  ``RecursionError``; YAML errors never quote the file, since the line may hold a password.

Problems are raised as :class:`~opsdocs.errors.OpsdocsError`.  Imports nothing of Sphinx:
the runtime loader uses it.  The names below are the public API, importable from here.
"""

from __future__ import annotations

from opsdocs.reading.files import (
    decode_source,
    decode_text,
    escaped_surrogate,
    not_the_projects,
    read_bytes,
    read_source,
    read_text,
    repository_top,
    source_lines,
)
from opsdocs.reading.json import HugeNumber, json_line, load_json
from opsdocs.reading.kinds import (
    COMMAND_MODULE,
    COMMANDS_FILE,
    CONFIG_FILE,
    DOCKERFILE,
    MAX_CACHE_ENTRIES,
    MAX_CHANGED_DEPTH,
    MAX_CHANGED_PARTS,
    MAX_CHECKED_VALUES,
    MAX_DEPTH,
    MAX_INHERITANCE,
    MAX_JSON_DIGITS,
    MAX_NAME_STEPS,
    MAX_POWER_BITS,
    MAX_PROJECT_DEPTH,
    MAX_TREE_FILES,
    MAX_YAML_VALUES,
    PYTHON_FILE,
    SCHEMA_FILE,
    SETTINGS_MODULE,
    SKIPPED_FOLDERS,
    SNAPSHOT,
    FileKind,
    MiB,
    nested_too_deeply,
    too_large_message,
)
from opsdocs.reading.python import deep_node_line, parse_python
from opsdocs.reading.yaml import (
    DATA_TAGS,
    STANDARD_TAGS,
    BadValue,
    check_yaml_size,
    compose_yaml,
    construct,
    describe_tag,
    value_problem,
    yaml_children,
    yaml_problem,
)

__all__ = [
    "COMMANDS_FILE",
    "COMMAND_MODULE",
    "CONFIG_FILE",
    "DATA_TAGS",
    "DOCKERFILE",
    "MAX_CACHE_ENTRIES",
    "MAX_CHANGED_DEPTH",
    "MAX_CHANGED_PARTS",
    "MAX_CHECKED_VALUES",
    "MAX_DEPTH",
    "MAX_INHERITANCE",
    "MAX_JSON_DIGITS",
    "MAX_NAME_STEPS",
    "MAX_POWER_BITS",
    "MAX_PROJECT_DEPTH",
    "MAX_TREE_FILES",
    "MAX_YAML_VALUES",
    "PYTHON_FILE",
    "SCHEMA_FILE",
    "SETTINGS_MODULE",
    "SKIPPED_FOLDERS",
    "SNAPSHOT",
    "STANDARD_TAGS",
    "BadValue",
    "FileKind",
    "HugeNumber",
    "MiB",
    "check_yaml_size",
    "compose_yaml",
    "construct",
    "decode_source",
    "decode_text",
    "deep_node_line",
    "describe_tag",
    "escaped_surrogate",
    "json_line",
    "load_json",
    "nested_too_deeply",
    "not_the_projects",
    "parse_python",
    "read_bytes",
    "read_source",
    "read_text",
    "repository_top",
    "source_lines",
    "too_large_message",
    "value_problem",
    "yaml_children",
    "yaml_problem",
]
