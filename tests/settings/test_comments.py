"""Differential test: opsdocs.comments reads ``#:`` docs exactly as ModuleAnalyzer does."""

from __future__ import annotations

import sys
import textwrap

import pytest
from sphinx.errors import PycodeError
from sphinx.pycode import ModuleAnalyzer

from opsdocs.settings.comments import parse_module
from tests.helpers import REPO, found

CASES = {
    "above": """
        #: The timeout.
        #:
        #:    indented line
        TIMEOUT = 5
    """,
    "above-indented-block": """
        #:   Two spaces.
        #:   Same.
        X = 1
    """,
    "no-space": """
        #:doc without a space
        X = 1
    """,
    "empty-comment": """
        #:
        X = 1
    """,
    "blank-line-breaks-block": """
        #: Not attached.

        X = 1
    """,
    "plain-comment-breaks-block": """
        #: Doc.
        # plain
        X = 1
    """,
    "trailing": """
        X = 5  #: Trailing doc.
        Y: int = 5  #: Annotated trailing.
        Z: str  #: Annotation only.
    """,
    "trailing-wins-over-above": """
        #: Above.
        X = 5  #: Trailing.
    """,
    "trailing-after-multiline-value": """
        X = [
            1,  #: inside the brackets
            2,
        ]  #: After the bracket.
        Y = {
            "a": 1,  #: not a doc
        }
    """,
    "docstring-after": '''
        X = 1
        """Docstring after."""
        #: Above.
        Y = 2
        """Docstring wins."""
    ''',
    "docstring-tuple-and-chain": '''
        A, B = 1, 2
        """For both."""
        C = D = 3
        """Only the first target."""
        #: For C and D.
        E = F = 4
    ''',
    "starred": """
        #: Starred.
        A, *B = [1, 2, 3]
    """,
    "subscript-in-chain": """
        X = {}
        #: Not a new name.
        Y = X["k"] = 1
        #: Item.
        X["a"] = 2
        X.attr = 3  #: attribute
    """,
    "semicolons": """
        #: Above the first.
        X = 1; Y = 2  #: For Y.
        A = 1; B = 2
    """,
    "compound": '''
        import os
        if os.environ.get("A"):
            #: In if.
            X = 1
        else:
            """Docstring for X, from the else branch."""
            #: In else.
            Y = 2
        try:
            """Docstring for Y, the statement before try."""
            #: In try.
            Z = 3
        except KeyError:
            #: Ignored by the picker.
            W = 4
        else:
            #: In try-else.
            V = 5
        finally:
            #: Ignored too.
            U = 6
        with open(__file__) as f:
            #: In with.
            T = 7
        for i in range(3):
            #: In for.
            S = i
        else:
            R = 8  #: For-else.
        while False:
            #: In while.
            Q = 9
    ''',
    "functions-and-classes": '''
        #: Module level.
        X = 1

        class Config:
            #: Class level.
            X = 2

            def __init__(self):
                #: Instance.
                self.y = 3
        """After a class: not a doc."""

        def function():
            #: Local.
            X = 4
        Y = 5
    ''',
    "type-comments": """
        X = []  # type: list[int]
        #: Doc.
        Y = {}  # type: dict[str, int]
    """,
    "annotations": """
        import typing
        A: "typing.Optional[int]" = None
        B: dict[str, list[int | None]] = {}
        C: typing.Annotated[int, typing.Any] = 1  #: With a call-like annotation.
        D: tuple[int, ...] = ()
    """,
    "annotation-shapes": """
        E: typing.Callable[[int, str], bool] = print
        F: -1 = 0
        G: not x = 0
        H: a ** b + c * d = 0
        I: a and b or c = 0
        J: {int, str} = 0
        K: f(1, key=2) = 0
        L: lambda a, /, b=1, *c, d, e=2, **f: 0 = 0
        M: lambda: 0 = 0
        N: ~a = 0
        O: b"bytes" = 0
        P: 1.5 | 2j = 0
        Q: (int,) = 0
        R: () = 0
        S: {"k": int} = 0
        T: ... = 0
    """,
    "backslash": """
        X = 1 + \\
            2  #: After a continuation.
        Y = \\
            3
    """,
    "string-with-marker": '''
        X = "#: not a comment"
        #: Real.
        Y = """
        #: inside a string
        """
        Z = 1
    ''',
    "fstring-and-lambda": """
        NAME = "x"
        X = f"{NAME}/path"  #: F-string.
        Y = lambda: 1  #: Lambda.
        Z = (1 if NAME else 2)  #: Conditional.
    """,
    "non-ascii-before": """
        É = "é"; X = 1  #: After non-ASCII.
        #: Ünïcode doc.
        Y = "ü"
    """,
    "redefinition": """
        #: First doc.
        X = 1
        X = 2
        #: Second doc.
        Y = 1
        #: Replaced.
        Y = 2
    """,
    "bytes-docstring": """
        X = 1
        b"bytes are not docs"
    """,
    "walrus-and-calls": """
        #: Doc.
        X = [y := 1, y + 1]
        print(X)
        \"\"\"Not after an assignment.\"\"\"
    """,
    "match": """
        import sys
        match sys.platform:
            case "linux":
                #: In a case.
                X = 1
            case _:
                Y = 2  #: Trailing in a case.
    """,
}

if sys.version_info >= (3, 11):
    CASES["try-star"] = """
        try:
            #: In try.
            X = 1
        except* ValueError:
            #: In except-star, which the picker does visit.
            Y = 2
    """
if sys.version_info >= (3, 12):
    CASES["type-alias"] = '''
        #: An alias.
        type Alias = int
        """Docstring for the alias."""
    '''


def generated(count: int) -> str:
    """A large file cycling through the shapes settings files have."""
    shapes = [
        "#: Doc of {n}.\n#:\n#: More about {n}.\n{n} = {i}\n",
        "{n} = {i}  #: Trailing {n}.\n",
        "{n}: int = {i}\n",
        "#: Dict {n}.\n{n} = {{\n    'a': {i},  #: inner\n    'b': [1, 2],\n}}\n",
        "{n} = {i}\n\"\"\"Docstring of {n}.\"\"\"\n",
        "if DEBUG:\n    #: Conditional {n}.\n    {n} = {i}\nelse:\n    {n} = 0\n",
        "try:\n    #: Tried {n}.\n    {n} = int('{i}')\nexcept ValueError:\n    {n} = 1\n",
        "#: Str {n}.\n{n}: str | None = None  # type: ignore\n",
        "{n} = [\n    'x',\n]\n{n} += ['y']\n{n}[0] = 'z'\n",
        "# ---- Section {i} ----\n\n#: After a section {n}.\n{n} = 'v{i}'\n",
    ]
    body = ["DEBUG = False\n"]
    for index in range(count):
        body.append(shapes[index % len(shapes)].format(n=f"SETTING_{index}", i=index))
    return "\n".join(body)


def expected(source: str) -> tuple[dict[str, list[str]], dict[str, str]]:
    analyzer = ModuleAnalyzer.for_string(source, "settings")
    docs = analyzer.find_attr_docs()
    return ({name: lines for (scope, name), lines in docs.items() if scope == ""},
            {name: text for (scope, name), text in analyzer.annotations.items() if scope == ""})


def assert_same(source: str) -> None:
    try:
        attr_docs, annotations = expected(source)
    except PycodeError:
        with pytest.raises(SyntaxError):
            parse_module(source)
        return
    _, docs = parse_module(source)
    assert docs.attr_docs == attr_docs
    assert docs.annotations == annotations


@pytest.mark.parametrize("name", sorted(CASES))
def test_same_as_module_analyzer(name: str) -> None:
    assert_same(textwrap.dedent(CASES[name]).lstrip("\n"))


@pytest.mark.parametrize("name", sorted(CASES))
def test_same_with_crlf_form_feed_and_no_final_newline(name: str) -> None:
    source = textwrap.dedent(CASES[name]).lstrip("\n")
    assert_same(source.replace("\n", "\r\n"))
    assert_same(source.rstrip("\n"))
    assert_same(source.replace("#: ", "#: \f"))
    assert_same("\f" + source)  # Sphinx makes the form feed a space: an indent


def test_slices_in_annotations_as_sphinx_writes_them() -> None:
    source = "N: x[1:2, ::3] = 0\nO: x[:] = 0\nP: x[a:] = 0\n"
    assert parse_module(source)[1].annotations == {"N": "x[1:2, ::3]", "O": "x[:]", "P": "x[a:]"}
    try:  # Sphinx 7.2 cannot write a slice; newer ones write it as we do
        annotations = expected(source)[1]
    except PycodeError:
        return
    assert annotations == {"N": "x[1:2, ::3]", "O": "x[:]", "P": "x[a:]"}


def test_syntax_errors_raise() -> None:
    with pytest.raises(SyntaxError):
        parse_module("X = (\n")
    assert_same("X = 1  # type: int int\n")


def test_same_on_a_large_generated_file() -> None:
    source = generated(1500)
    assert_same(source)
    assert len(expected(source)[0]) > 1000


@pytest.mark.parametrize("path", [
    str(p.relative_to(REPO)) for pattern in ("tests/roots/*/settings*/*.py",
                                             "example_ida/**/settings/*.py")
    for p in found(REPO.glob(pattern))
])
def test_same_on_the_repository_settings_files(path: str) -> None:
    assert_same((REPO / path).read_text(encoding="utf-8"))
