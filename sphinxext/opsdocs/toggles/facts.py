"""What one Python file says about feature toggles, read with ``ast`` and never imported.

Each file gives its :class:`FileFacts`: the toggles it defines (:class:`Found`: a toggle
class called, a ``ConfigurationModel`` subclass documented as a toggle, a Django setting
under a toggle's block, a waffle flag or switch named by a string constant under a block
that says so or read by its literal name (:mod:`.waffle_reads`), or a block alone), the
blocks that document them, and the module-level names a toggle's name may be built from
(string constants, waffle namespaces, imports).  A module-level name is a Django setting
only in a settings module (:func:`~.setting_code.settings_module`) or when Django's
settings give its value.  Names are kept as small expressions (:data:`Expr`) that
:mod:`.resolve` resolves across files.  Facts depend on the file alone (its bytes and its
path), so they are cached by the file's stamp (:mod:`.reader`).  No secret's value is kept
(the settings' one rule, and secrets by their shape).

A block documents the statement, dict key, list item or argument that starts on the first
line below it that is not blank; over a function that makes one toggle, that toggle; in a
class's docstring, the class.
"""

from __future__ import annotations

import ast
from collections import deque
from dataclasses import dataclass, replace
from functools import cached_property

from opsdocs.errors import OpsdocsError, Problem
from opsdocs.reading import PYTHON_FILE, decode_source, parse_python, source_lines
from opsdocs.settings.comment_blocks import Blocks
from opsdocs.settings.secrets import looks_secret
from opsdocs.settings.usage import Change, imported_names, setting_changes, settings_inside
from opsdocs.settings.values import TOGGLE_CLASSES, called_name
from opsdocs.toggles.annotated import (
    Annotated,
    annotated_docstring,
    docstring_block,
    split_annotations,
)
from opsdocs.toggles.expressions import (
    Expr,
    constant_text,
    expression,
    kept_default,
    mentions,
    module_names,
    star_imports,
    target_name,
)
from opsdocs.toggles.pragmas import waived_lines
from opsdocs.toggles.setting_code import (
    function_setting,
    sets_module_name,
    setting_reads,
    settings_module,
)
from opsdocs.toggles.waffle_reads import READ_MARKERS, literal_reads

#: Bytes without which a file defines and documents no toggle: it is not parsed.
MARKERS = (b"toggle_name", b"WaffleFlag(", b"WaffleSwitch(", b"SettingToggle(",
           b"SettingDictToggle(", *READ_MARKERS)
_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
#: Implementations whose name is a waffle flag's or switch's: a block naming one over a
#: string constant documents the flag or switch the constant names.
_WAFFLE = frozenset({"WaffleFlag", "WaffleSwitch", "CourseWaffleFlag", "ExperimentWaffleFlag"})
#: What a message about a file that cannot be parsed ends with.
NOT_READ = "; the toggles of this file are not read"


@dataclass(frozen=True)
class Found:
    """A toggle of one file, its name not yet resolved: what it is, what names it, and
    what documents it.

    ``arguments`` are the expressions a toggle class is called with that make its name
    (the name, or a legacy namespace and the flag's name; a ``SettingDictToggle``'s
    setting and key); ``registered`` is the name when the file alone says it (a setting
    assigned, a model class).  ``setting_block``: its block stands over the setting's
    assignment (a settings module's toggle), not over code that reads it.  ``waived``: a
    ``# pylint: disable=toggle-missing-annotation`` covers the call (:mod:`.pragmas`).
    ``read``: waffle's own function reads it by its name (:mod:`.waffle_reads`).
    """

    line: int
    implementation: str | None = None
    default: str | None = None
    arguments: tuple[Expr, ...] = ()
    registered: str | None = None
    variable: str | None = None
    annotation: Annotated | None = None
    setting_block: bool = False
    waived: bool = False
    read: bool = False


@dataclass(frozen=True)
class FileFacts:
    """What a file says: its toggles, the module-level names toggles' names may be built
    from (``bindings``; ``imports``: local name to (level, module, name or ``None`` for
    the module itself)), and its problems.  ``complete`` is false for a file that was
    not parsed (none of :data:`MARKERS` in it): its names are read when a name needs them.
    ``star_imports``: the modules it star-imports, as (level, module).
    """

    found: tuple[Found, ...] = ()
    bindings: tuple[tuple[str, Expr], ...] = ()
    imports: tuple[tuple[str, tuple[int, str, str | None]], ...] = ()
    problems: tuple[Problem, ...] = ()
    complete: bool = True
    secrets: tuple[str, ...] = ()
    star_imports: tuple[tuple[int, str], ...] = ()


#: The facts of a file with no toggle marker: not parsed (one object, pickled once).
NO_TOGGLES = FileFacts(complete=False)

def file_facts(data: bytes, filename: str, *, parse_all: bool = False) -> FileFacts:
    """The facts of the Python file *filename* whose bytes are *data*; only a file with
    toggle markers is parsed, unless *parse_all* (its names are needed)."""
    if b"\0" in data:
        return FileFacts(problems=(Problem(
            "the file holds NUL bytes: it is binary, not Python source; its toggles are not "
            "read", filename, data.count(b"\n", 0, data.index(b"\0")) + 1, "toggle-syntax"),))
    if not parse_all and not any(marker in data for marker in MARKERS):
        return NO_TOGGLES
    try:
        source = decode_source(data, filename, PYTHON_FILE)
        tree = parse_python(source, filename, PYTHON_FILE)
    except OpsdocsError as error:
        return FileFacts(problems=(error.problem,))
    except SyntaxError as error:
        return FileFacts(problems=(Problem(
            f"syntax error: {error.msg}{NOT_READ}", filename, error.lineno, "toggle-syntax"),))
    return _FileReader(source_lines(source), tree, settings_module(filename, tree)).facts()


class _FileReader:
    """Reads one parsed module."""

    def __init__(self, lines: list[str], tree: ast.Module, settings_module: bool) -> None:
        self.lines = lines
        self.tree = tree
        self.settings_module = settings_module
        self.blocks = Blocks(lines, tree)
        self.parents: dict[int, ast.AST] = {}
        # the blocks that document what starts on a line, by that line; and blocks alone
        self.by_target: dict[int, Annotated] = {}
        self.alone: list[Annotated] = []
        self.docstrings: dict[int, Annotated] = {}  # by id of the class or function
        self.found: list[Found] = []
        #: the first statement starting on each line (no function or class: their blocks
        #: are docstrings)
        self.statements: dict[int, ast.stmt] = {}
        self.functions: dict[int, ast.FunctionDef | ast.AsyncFunctionDef] = {}
        self.secrets: set[str] = set()  # secret settings a SettingToggle reads

    def facts(self) -> FileFacts:
        calls: list[ast.Call] = []
        reads: list[ast.Call] = []  # the other calls, and imports: waffle's may read a toggle
        imported: list[ast.Import | ast.ImportFrom] = []
        classes: list[ast.ClassDef] = []
        documented: list[ast.AST] = []  # what has a docstring holding a toggle's block
        todo: deque[ast.AST] = deque([self.tree])
        while todo:  # ast.walk's order, each node's children listed once
            node = todo.popleft()
            for child in ast.iter_child_nodes(node):
                self.parents[id(child)] = node
                todo.append(child)
            if isinstance(node, ast.Call):
                (calls if called_name(node.func) in TOGGLE_CLASSES else reads).append(node)
            elif isinstance(node, ast.stmt) and not isinstance(node, _DEFINITIONS):
                self.statements.setdefault(node.lineno, node)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self.functions.setdefault(_first_line(node), node)
            if isinstance(node, ast.ClassDef):
                classes.append(node)
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                imported.append(node)
            if isinstance(node, (ast.Module, *_DEFINITIONS)) and annotated_docstring(node):
                documented.append(node)
        self.comment_annotations()
        for node in documented:
            self.docstring_annotations(node)
        for call in calls:
            self.toggle_call(call)
        self.waffle_reads(imported, reads)
        for node in classes:
            self.model(node)
        changes = {line: list(setting_changes(statement, self.local(statement)))
                   for line, statement in self.statements.items()}
        self.settings(changes)
        self.found.extend(Found(a.line, annotation=a) for a in [*self.alone,
                                                                *self.by_target.values()])
        bindings, imports = module_names(self.tree)
        return FileFacts(tuple(sorted(self.found, key=lambda f: f.line)), bindings, imports,
                         secrets=tuple(sorted({*_secrets(changes), *self.secrets})),
                         star_imports=star_imports(self.tree))

    # -- Blocks ------------------------------------------------------------------------

    def comment_annotations(self) -> None:
        for block in list(self.blocks.by_end.values()):
            for annotated, last in split_annotations(self.blocks, block):
                if last:
                    self.by_target[self.below(block.last)] = annotated
                else:
                    self.alone.append(annotated)

    def below(self, line: int) -> int:
        """The first line after *line* that is not blank: what a block ending on *line*
        documents (code-annotations does not care about blank lines in between)."""
        while line < len(self.lines) and not self.lines[line].strip():
            line += 1
        return line + 1

    def docstring_annotations(self, node: ast.AST) -> None:
        statement = node.body[0]  # type: ignore[attr-defined]
        first, last = statement.lineno, statement.end_lineno or statement.lineno
        for annotated, _ in split_annotations(*docstring_block(self.lines, first, last)):
            if isinstance(node, ast.ClassDef) and id(node) not in self.docstrings:
                self.docstrings[id(node)] = annotated
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and \
                    _first_line(node) not in self.by_target:
                self.by_target[_first_line(node)] = annotated  # the toggle it makes
            else:
                self.alone.append(annotated)

    # -- Definitions -------------------------------------------------------------------

    def toggle_call(self, call: ast.Call) -> None:
        called = called_name(call.func)
        implementation = TOGGLE_CLASSES[called]
        keywords = {k.arg: k.value for k in call.keywords if k.arg}
        names = ("name", "key") if implementation == "SettingDictToggle" else \
            ("name",) if implementation == "SettingToggle" else \
            ("name", "flag_name" if "Flag" in called else "switch_name")
        arguments = [call.args[i] if i < len(call.args) else keywords.get(names[i])
                     for i in range(len(names))]
        if arguments[0] is None:  # edx-toggles' legacy API
            arguments[0] = keywords.get("waffle_namespace")
        made = [expression(a) if a is not None else ("unknown", "") for a in arguments]
        if called.startswith("Legacy") and made[0][0] != "namespace":
            made[0] = ("namespace", made[0])  # LegacyWaffleFlag("ns", "flag", __name__)
        statement, line, annotation, waived = self.placed(call)
        default = None
        if implementation in ("SettingToggle", "SettingDictToggle"):
            position = len(names)
            node = call.args[position] if len(call.args) > position else keywords.get("default")
            setting = constant_text(arguments[0])
            default, annotation = ("False", annotation) if node is None else \
                kept_default(setting, node, annotation)
            if node is not None and default is None and setting is not None:
                self.secrets.add(setting)  # its block's default is blanked in a copy too
        elif implementation != "ConfigurationModel":
            default = "False"  # waffle's: a flag or switch nobody set is off
        self.found.append(Found(line, implementation, default, tuple(made),
                                variable=target_name(statement, call), annotation=annotation,
                                waived=waived))

    def waffle_reads(self, imported: list[ast.Import | ast.ImportFrom],
                     calls: list[ast.Call]) -> None:
        """Switches and flags that waffle's own functions, as *imported*, read by a literal
        name (:mod:`.waffle_reads`)."""
        for call, implementation, name in literal_reads(imported, calls):
            line, annotation, waived = self.placed(call)[1:]
            self.found.append(Found(line, implementation, "False", (("str", name),),
                                    annotation=annotation, waived=waived, read=True))

    def placed(self, call: ast.Call) -> tuple[ast.AST, int, Annotated | None, bool]:
        """The statement holding *call*, its line (the item or argument its block stands
        above, else the statement's), the block documenting it (taken), and whether
        edx-lint's waiver covers it."""
        statement, anchors = self.anchors(call)
        documented = next((line for line in anchors if line in self.by_target), None)
        annotation = self.by_target.pop(documented) if documented is not None else None
        start: int = getattr(statement, "lineno", anchors[-1])
        line = documented if documented is not None and documented >= start else start
        return statement, line, annotation, bool({call.lineno, start} & self.waivers)

    def anchors(self, node: ast.AST) -> tuple[ast.AST, list[int]]:
        """The statement holding *node*, and the lines a block documenting *node* may
        stand above, innermost first: the item, argument or key it is, then the
        statement."""
        lines: list[int] = []
        child = node
        parent = self.parents.get(id(node))
        while parent is not None and not isinstance(child, ast.stmt):
            if isinstance(parent, ast.Dict) and child in parent.values:
                key = parent.keys[parent.values.index(child)]  # type: ignore[arg-type]
                lines.append((key or child).lineno)
            elif isinstance(parent, ast.keyword):
                lines.append(parent.lineno)
            elif isinstance(parent, (ast.List, ast.Tuple, ast.Set, ast.Call)) or \
                    (isinstance(child, ast.expr) and isinstance(parent, ast.stmt)):
                lines.append(getattr(child, "lineno", 0))
            child, parent = parent, self.parents.get(id(parent))
        lines.append(getattr(child, "lineno", 0))
        statement = child
        while parent is not None and not isinstance(parent, _DEFINITIONS):
            parent = self.parents.get(id(parent))
        if isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef)) and \
                sum(1 for n in ast.walk(parent) if isinstance(n, ast.Call) and
                    called_name(n.func) in TOGGLE_CLASSES) == 1:
            # a function that makes one toggle: its block may stand above the function
            lines.append(_first_line(parent))
        return statement, list(dict.fromkeys(line for line in lines if line))

    def model(self, node: ast.ClassDef) -> None:
        """A ``ConfigurationModel`` subclass is a toggle when a block documents it."""
        if not any(called_name(base).endswith("ConfigurationModel") for base in node.bases):
            return
        annotation = self.docstrings.pop(id(node), None) or \
            self.by_target.pop(_first_line(node), None)
        if annotation is not None:
            self.found.append(Found(node.lineno, "ConfigurationModel", registered=node.name,
                                    variable=node.name, annotation=annotation))

    def settings(self, changes: dict[int, list[Change]]) -> None:
        """Blocks over a Django setting (the *changes* of each statement, by line):
        assigned, a key of a dict assigned or updated, read; or, over a function, the one
        it sets or reads (the one the block names)."""
        for line, changed in changes.items():
            statement = self.statements[line]
            for name, value, whole in changed:
                if whole and line in self.by_target and self.waffle_name(line, name, value):
                    continue
                if not self.sets_setting(statement, value):
                    continue  # a module's own constant: a block over it documents no setting
                if whole and line in self.by_target and not _calls_toggle(value):
                    own = setting_reads(value, self.settings_at(statement)).get(name)
                    own = own if isinstance(value, ast.Call) and own in value.args else value
                    self.setting(line, name, own, assigned=True)  # getattr(settings, X, d): d
                self.dict_keys(name, value)
        for line in sorted(self.by_target):
            under = self.statements.get(line)
            if under is not None:
                reads = setting_reads(under, self.settings_at(under))
                if len(reads) == 1:
                    self.setting(line, *next(iter(reads.items())))
            elif line in self.functions:
                published = dict(self.by_target[line].fields).get("toggle_name", "")
                function = self.functions[line]
                found = function_setting(function, published, self.settings_at(function))
                if found is not None:
                    self.setting(line, *found)

    def sets_setting(self, statement: ast.stmt, value: ast.expr) -> bool:
        """Whether *statement*, which sets *value*, sets a Django setting: any assignment
        of a settings module, ``settings.X = ...``, or a name assigned what Django's settings
        say (``X = getattr(settings, "X", False)``); not a constant of another module
        (``SWITCH = "app.switch"``)."""
        return self.settings_module or not sets_module_name(statement) or \
            bool(setting_reads(value, self.settings_at(statement)))

    def waffle_name(self, line: int, name: str, value: ast.expr) -> bool:
        """A block whose implementation is a waffle class over a module's string constant
        (``SWITCH = "app.switch"``, read by ``waffle.switch_is_active(SWITCH)``) documents
        the flag or switch the constant names; whether it is one."""
        fields = dict(self.by_target[line].fields)
        implementation = fields.get("toggle_implementation", "")
        made = expression(value)
        if implementation.strip() not in _WAFFLE or made[0] == "unknown" or \
                not sets_module_name(self.statements[line]) or not name.isidentifier():
            return False
        users = [i for i, found in enumerate(self.found) if found.annotation is None and
                 found.implementation in _WAFFLE and mentions(found.arguments, name)]
        if len(users) == 1:  # the one flag this module makes of the constant: documented
            user = self.found[users[0]]
            self.found[users[0]] = replace(user, annotation=self.by_target.pop(line))
            return True
        if made[0] == "str" and fields.get("toggle_name", "").strip().endswith("." + made[1]):
            # the flag's own name, a namespace put before it where the flag is made
            made = ("join", (("unknown", "namespace"), ("str", "." + made[1])))
        self.found.append(Found(line, implementation.strip(), "False", (made,),
                                variable=name, annotation=self.by_target.pop(line)))
        return True

    @cached_property
    def waivers(self) -> frozenset[int]:
        return waived_lines(self.lines)

    @cached_property
    def django_settings(self) -> set[str]:
        """The names the module imports Django's settings as."""
        return imported_names(self.tree)[0]

    def settings_at(self, node: ast.AST) -> set[str]:
        """The names of Django's settings where *node* is: imported, or a parameter named
        ``settings`` of a function around it, unless a function between rebinds them."""
        functions = []
        parent = self.parents.get(id(node))
        while parent is not None:
            if isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                functions.append(parent)
            parent = self.parents.get(id(parent))
        names = self.django_settings
        for function in reversed(functions):
            names = settings_inside(function, names)
        return names

    def local(self, node: ast.AST) -> bool:
        """Whether *node* is inside a function, where a bare name is a local variable."""
        parent = self.parents.get(id(node))
        while parent is not None and not isinstance(parent, (ast.FunctionDef,
                                                             ast.AsyncFunctionDef)):
            parent = self.parents.get(id(parent))
        return parent is not None

    def dict_keys(self, name: str, value: ast.expr) -> None:
        items: list[tuple[ast.expr | None, ast.expr, int]] = []
        if isinstance(value, ast.Dict):
            items = [(k, v, (k or v).lineno) for k, v in zip(value.keys, value.values, strict=True)]
        elif isinstance(value, ast.Call) and called_name(value.func) == "dict":
            items = [(ast.Constant(k.arg), k.value, k.lineno) for k in value.keywords if k.arg]
        for key, item, line in items:
            if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
                continue
            path = f"{name}[{key.value!r}]"
            if line in self.by_target and not _calls_toggle(item):
                self.setting(line, path, item, assigned=True)
            self.dict_keys(path, item)

    def setting(self, line: int, name: str, value: ast.expr | None,
                assigned: bool = False) -> None:
        """The setting *name* under the block ending above *line*, *assigned* there or read."""
        code, annotation = kept_default(name, value, self.by_target.pop(line))
        self.found.append(Found(line, "DjangoSetting", registered=name, default=code,
                                annotation=annotation, setting_block=assigned))


def _secrets(changes: dict[int, list[Change]]) -> tuple[str, ...]:
    """The settings the *changes* set that are secret by the one rule (:func:`looks_secret`,
    as the settings reference decides): a copy of the file shown in the docs leaves their
    values out."""
    return tuple(sorted({name for changed in changes.values() for name, value, _ in changed
                         if looks_secret(name, value)}))


def _first_line(node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> int:
    """The first line of a definition, its decorators' included."""
    return min([node.lineno, *(d.lineno for d in node.decorator_list)])


def _calls_toggle(node: ast.expr) -> bool:
    return any(isinstance(n, ast.Call) and called_name(n.func) in TOGGLE_CLASSES
               for n in ast.walk(node))
