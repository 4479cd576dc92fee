"""The Dockerfile reader, on inline Dockerfiles."""

from __future__ import annotations

import pytest

from opsdocs.dockerfile.model import BuildArg, Command, EnvVar, Instruction
from opsdocs.dockerfile.reader import (
    list_arguments,
    parse_dockerfile,
    read_dockerfile,
    split_words,
)
from opsdocs.errors import OpsdocsError
from tests.helpers import EXAMPLE as SERVICE

EXAMPLE = SERVICE / "Dockerfile"


def parse(text: str):
    return parse_dockerfile(text, "Dockerfile")


def problems(text: str) -> list[tuple[int | None, str, str]]:
    return [(p.line, p.check, p.message) for p in parse(text).problems]


def test_stages_args_and_what_the_image_runs():
    dockerfile = parse("""\
# syntax=docker/dockerfile:1

# Python version of every stage.
ARG PYTHON_VERSION=3.12

# ---- Build stage ----
FROM --platform=linux/amd64 python:${PYTHON_VERSION}-slim AS build
ARG PYTHON_VERSION
RUN pip wheel .

# The image that runs the service.
# Second line.
from python:${PYTHON_VERSION}-slim as runtime
# Number of gunicorn workers.
ARG WORKERS=3 THREADS="2"
# Where the configuration is.
ENV CFG=/config/x.yml \\
    UNBUFFERED=1
# gunicorn listens here.
EXPOSE 8000 9000/udp
VOLUME ["/config", "/data"]
USER app:app
WORKDIR /app
ENTRYPOINT ["tini", "--"]
CMD ["gunicorn", "--bind=0.0.0.0:8000", "x.wsgi"]
# The last CMD wins.
CMD gunicorn x.wsgi
""")
    assert dockerfile.problems == ()
    assert dockerfile.directives == {"syntax": "docker/dockerfile:1"}
    assert dockerfile.args == (
        BuildArg("PYTHON_VERSION", "3.12", 4, "Python version of every stage."),)
    build, runtime = dockerfile.stages
    assert (build.index, build.name, build.base, build.platform, build.line, build.comment) == (
        0, "build", "python:${PYTHON_VERSION}-slim", "linux/amd64", 7, "Build stage")
    assert build.args == (BuildArg("PYTHON_VERSION", None, 8, ""),)
    assert [i.keyword for i in build.instructions] == ["FROM", "ARG", "RUN"]
    assert (runtime.name, runtime.comment) == (
        "runtime", "The image that runs the service.\nSecond line.")
    assert runtime.args == (BuildArg("WORKERS", "3", 15, "Number of gunicorn workers."),
                            BuildArg("THREADS", "2", 15, "Number of gunicorn workers."))
    assert runtime.env == (EnvVar("CFG", "/config/x.yml", 17, "Where the configuration is."),
                           EnvVar("UNBUFFERED", "1", 17, "Where the configuration is."))
    assert runtime.expose == (Instruction("EXPOSE", "8000 9000/udp", 20, "gunicorn listens here."),)
    assert [list_arguments(i) for i in runtime.expose + runtime.volumes] == [
        ["8000", "9000/udp"], ["/config", "/data"]]
    assert (runtime.user.arguments, runtime.workdir.arguments) == ("app:app", "/app")
    assert runtime.entrypoint == Command("ENTRYPOINT", ("tini", "--"), True, 24, "")
    assert runtime.cmd == Command("CMD", ("gunicorn x.wsgi",), False, 27, "The last CMD wins.")
    assert runtime.cmd.text == "gunicorn x.wsgi"
    assert runtime.entrypoint.text == '["tini", "--"]'
    assert dockerfile.final is runtime
    assert runtime.title == "runtime"


def test_unnamed_stages_are_numbered():
    dockerfile = parse("FROM alpine\nFROM debian\n")
    assert [s.title for s in dockerfile.stages] == ["stage 0", "stage 1"]


@pytest.mark.parametrize(("text", "expected"), [
    # A comment line inside a continuation is dropped; so is an empty one.
    ("FROM a\nRUN one \\\n# note\n    two \\\n\n    three\n", "one two three"),
    # A trailing backslash before blanks still continues (Docker's rule).
    ("FROM a\nRUN one \\  \n two\n", "one two"),
    # With `# escape=`` the backtick continues and the backslash is a path character.
    ("# escape=`\nFROM a\nRUN dir C:\\ `\n  /b\n", "dir C:\\ /b"),
    # A continuation at the end of the file ends there.
    ("FROM a\nRUN one \\\n", "one"),
])
def test_continuations(text, expected):
    assert parse(text).stages[0].instructions[-1].arguments == expected


def test_heredoc_bodies_are_skipped():
    dockerfile = parse('FROM a\nRUN <<EOF\nFROM not-a-stage\nBOGUS\nEOF\nRUN <<-"END" cat\n\t'
                       'ARG X\n\tEND\nUSER app\n')
    assert dockerfile.problems == ()
    assert len(dockerfile.stages) == 1
    assert [i.keyword for i in dockerfile.stages[0].instructions] == ["FROM", "RUN", "RUN", "USER"]


@pytest.mark.parametrize(("text", "directives", "first"), [
    ("# syntax=x\n# escape=`\nFROM a\n", {"syntax": "x", "escape": "`"}, 3),
    ("# SYNTAX = x\nFROM a\n", {"syntax": "x"}, 2),
    # Directives only count at the top: after a comment they are comments.
    ("# a comment\n# syntax=x\nFROM a\n", {}, 3),
    ("\n# syntax=x\nFROM a\n", {}, 3),
    # An unknown directive is a comment and ends the directives.
    ("# unknown=1\n# syntax=x\nFROM a\n", {}, 3),
])
def test_parser_directives(text, directives, first):
    dockerfile = parse(text)
    assert dockerfile.directives == directives
    assert dockerfile.stages[0].line == first


def test_comment_of_the_first_instruction_after_directives():
    dockerfile = parse("# syntax=x\n# The base.\nFROM a\n")
    assert dockerfile.stages[0].comment == "The base."


def test_comments_attach_only_directly_above():
    dockerfile = parse("# Header of the file.\n\nFROM a\n# About X.\n\nARG X=1\n")
    assert dockerfile.stages[0].comment == ""
    assert dockerfile.stages[0].args[0].comment == ""


@pytest.mark.parametrize(("text", "expected"), [
    ("ENV A=1", [("A", "1")]),
    ('ENV A="two words" B=\'x y\' C=a\\ b', [("A", "two words"), ("B", "x y"), ("C", "a b")]),
    ("ENV LEGACY some value here", [("LEGACY", "some value here")]),
    ('ENV A=""', [("A", "")]),
])
def test_env_forms(text, expected):
    env = parse(f"FROM a\n{text}\n").stages[0].env
    assert [(v.name, v.value) for v in env] == expected


@pytest.mark.parametrize(("text", "argv", "exec_form"), [
    ('CMD ["a", "b c"]', ("a", "b c"), True),
    ("CMD a b", ("a b",), False),
    ('CMD ["a", 1]', ('["a", 1]',), False),  # not an array of strings: shell form, as Docker
    ("CMD [not json", ("[not json",), False),
    # A lone surrogate is no character: U+FFFD, as Docker's JSON decoder makes it.
    ('CMD ["\\ud800x", "\\ud83d\\ude00"]', ("\ufffdx", "\U0001f600"), True),
])
def test_command_forms(text, argv, exec_form):
    cmd = parse(f"FROM a\n{text}\n").stages[0].cmd
    assert (cmd.argv, cmd.exec_form) == (argv, exec_form)


@pytest.mark.parametrize(("text", "words"), [
    ("a b  c", ["a", "b", "c"]),
    ('a="x y" b', ["a=x y", "b"]),
    ("'a b'\"c\"", ["a bc"]),
    ('"a \\" b"', ['a " b']),
    ("a\\ b", ["a b"]),
    ('""', [""]),
    ("", []),
])
def test_split_words(text, words):
    assert split_words(text) == words


@pytest.mark.parametrize(("text", "expected"), [
    ("FROM a\nFORM b\n", [(2, "dockerfile-syntax", "unknown instruction FORM: a Dockerfile "
                          "instruction is one of ADD, ARG, CMD, COPY, ENTRYPOINT, ENV, EXPOSE, "
                          "FROM, HEALTHCHECK, LABEL, MAINTAINER, ONBUILD, RUN, SHELL, STOPSIGNAL, "
                          "USER, VOLUME, WORKDIR")]),
    ("RUN x\nFROM a\n", [(1, "dockerfile-syntax", "RUN before the first FROM: only ARG may come "
                          "before FROM")]),
    ("# Only ARGs.\nARG A=1\n", [(None, "dockerfile-syntax", "no FROM instruction: a Dockerfile "
                                 "starts its first build stage with FROM IMAGE")]),
    ("", [(None, "dockerfile-syntax", "no FROM instruction: a Dockerfile starts its first build "
           "stage with FROM IMAGE")]),
    ("FROM a AS x\nFROM b AS X\n", [(2, "dockerfile-syntax", "stage name X is used twice (first "
                                     "on line 1): give each stage its own name")]),
    ("FROM a AS\n", [(1, "dockerfile-syntax", "FROM takes an image and an optional 'AS name': "
                      "FROM [--platform=...] IMAGE [AS NAME]")]),
    ("FROM\n", [(1, "dockerfile-syntax", "FROM takes an image and an optional 'AS name': "
                 "FROM [--platform=...] IMAGE [AS NAME]")]),
    ("# escape=x\nFROM a\n", [(1, "dockerfile-syntax", "invalid escape directive 'x': the escape "
                               "character must be \\ or `")]),
    ("# syntax=a\n# syntax=b\nFROM a\n", [(2, "dockerfile-syntax", "parser directive 'syntax' is "
                                           "given twice: keep one")]),
    ("FROM a\n# Doc.\nARG\n", [(3, "dockerfile-syntax", "ARG needs a name: ARG NAME[=default]")]),
    ("FROM a\n# Doc.\nARG 1X=2\n", [(3, "dockerfile-syntax", "invalid build argument name '1X': "
                                     "use letters, digits and underscores")]),
    ("FROM a\nENV A\n", [(2, "dockerfile-syntax", "ENV A has no value: write ENV A=VALUE")]),
    ("FROM a\nENV A=1 B\n", [(2, "dockerfile-syntax", "ENV expects NAME=VALUE pairs, got 'B'")]),
    ("ARG A=1\nFROM a\nARG B\n", [
        (1, "undocumented-arg", "build argument A has no comment: say what it is for in a '#' "
         "comment directly above its ARG line"),
        (3, "undocumented-arg", "build argument B has no comment: say what it is for in a '#' "
         "comment directly above its ARG line")]),
    # Bringing a documented global ARG into a stage needs no comment of its own.
    ("# Doc.\nARG A=1\nFROM a\nARG A\n", []),
    # ... but giving it a new default does.
    ("# Doc.\nARG A=1\nFROM a\nARG A=2\n", [
        (4, "undocumented-arg", "build argument A has no comment: say what it is for in a '#' "
         "comment directly above its ARG line")]),
])
def test_problems(text, expected):
    assert problems(text) == expected


def test_read_dockerfile_problems(tmp_path):
    with pytest.raises(OpsdocsError) as missing:
        read_dockerfile(tmp_path / "Dockerfile")
    assert missing.value.problem.message == "cannot read the Dockerfile: No such file or directory"
    assert missing.value.problem.check == "dockerfile-missing"
    latin = tmp_path / "Latin"
    latin.write_bytes(b"FROM caf\xe9\n")
    with pytest.raises(OpsdocsError, match="not UTF-8"):
        read_dockerfile(latin)
    crlf = tmp_path / "Windows"
    crlf.write_bytes(b"\xef\xbb\xbf# Doc.\r\nARG A=1\r\nFROM a \\\r\n  AS b\r\n")
    dockerfile = read_dockerfile(crlf)
    assert dockerfile.problems == ()
    assert dockerfile.args[0].comment == "Doc."
    assert dockerfile.stages[0].name == "b"


def test_the_example_services_dockerfile_documents_every_argument():
    dockerfile = read_dockerfile(EXAMPLE)
    assert dockerfile.problems == ()
    assert dockerfile.final is not None and dockerfile.final.cmd is not None
    assert all(arg.comment for _, arg in dockerfile.all_args())


@pytest.mark.parametrize(("comment", "expected"), [
    # Each name documented by name, two on one line.
    ("# A: the first.  B: the second,\n# on two lines.",
     {"A": "the first.", "B": "the second, on two lines.", "C": ""}),
    # Text before the first name goes to the names left without a part.
    ("# Runtime settings.\n# B: the second.", {"A": "Runtime settings.", "B": "the second.",
                                                "C": "Runtime settings."}),
    # No name mentioned: every variable shares the comment.
    ("# All three.", {"A": "All three.", "B": "All three.", "C": "All three."}),
    # A name inside a word or without a colon is no heading.
    ("# XA: no. A is first.", {"A": "XA: no. A is first.", "B": "XA: no. A is first.",
                               "C": "XA: no. A is first."}),
])
def test_a_shared_comment_is_split_by_name(comment, expected):
    for instruction in ("ENV A=1 B=2 C=3", "ARG A=1 B=2 C=3"):
        stage = parse(f"FROM a\n{comment}\n{instruction}\n").stages[0]
        items = stage.env or stage.args
        assert {item.name: item.comment for item in items} == expected


@pytest.mark.parametrize(("text", "keywords"), [
    # A heredoc marker inside quotes, or glued to a word, starts none (BuildKit's rule).
    ('FROM a\nRUN python -c "print(1<<EOF)"\nEXPOSE 80\nUSER app\nCMD ["x"]\n',
     ["FROM", "RUN", "EXPOSE", "USER", "CMD"]),
    ("FROM a\nRUN echo x<<EOF\nUSER app\n", ["FROM", "RUN", "USER"]),
    ("FROM a\nRUN cat << EOF\nUSER app\n", ["FROM", "RUN", "USER"]),  # a word of its own
    ('FROM a\nRUN ["sh", "-c", "<<EOF"]\nUSER app\n', ["FROM", "RUN", "USER"]),  # exec form
    ("FROM a\nLABEL x=<<EOF\nUSER app\n", ["FROM", "LABEL", "USER"]),
    # Heredocs BuildKit reads: a file descriptor, quotes, <<- and tabs, several, ONBUILD.
    ("FROM a\nRUN 3<<EOF cat\nUSER root\nEOF\nUSER app\n", ["FROM", "RUN", "USER"]),
    ("FROM a\nCOPY <<'A' <<\"B\" /x/\nUSER root\nA\nUSER root\nB\nUSER app\n",
     ["FROM", "COPY", "USER"]),
    ("FROM a\nRUN <<-EOF\n\tUSER root\n\t\tEOF\nUSER app\n", ["FROM", "RUN", "USER"]),
    ("FROM a\nRUN <<EOF\n\tUSER root\n\tEOF\nEOF\nUSER app\n", ["FROM", "RUN", "USER"]),
    ("FROM a\nONBUILD RUN <<EOF\nUSER root\nEOF\nUSER app\n", ["FROM", "ONBUILD", "USER"]),
    # Lines end at \n only: a form feed or U+2028 is inside a line.
    ("FROM a\r\nRUN <<EOF\r\nx\fUSER root\r\nEOF\r\nUSER app\u2028x\r\n",
     ["FROM", "RUN", "USER"]),
])
def test_heredocs_follow_buildkit(text, keywords):
    dockerfile = parse(text)
    assert dockerfile.problems == ()
    assert [i.keyword for i in dockerfile.stages[0].instructions] == keywords
    assert dockerfile.stages[0].user is not None
    assert dockerfile.stages[0].user.arguments.startswith("app")


def test_an_unterminated_heredoc_is_a_problem_and_swallows_nothing():
    dockerfile = parse("FROM a\nRUN <<EOF\necho x\nEOX\nEXPOSE 80\nUSER app\nCMD run\n")
    assert [(p.line, p.message) for p in dockerfile.problems] == [
        (2, "the heredoc <<EOF of this RUN has no end: add a line holding only EOF after its "
         "body (BuildKit refuses the file)")]
    stage = dockerfile.stages[0]
    assert stage.user is not None and stage.cmd is not None and len(stage.expose) == 1


@pytest.mark.parametrize(("line", "text"), [
    ("# --- Runtime ---", "Runtime"),
    ("# ====", ""),
    ("#--- Title", "Title"),
    ("# Title ~~~~", "Title"),
    ("# -- two dashes --", "-- two dashes --"),
    ("# a" + " " * 30_000 + "b", "a" + " " * 30_000 + "b"),
])
def test_comment_rules_are_taken_off(line, text):
    assert parse(f"FROM a\n{line}\nUSER app\n").stages[0].user.comment == text


def test_parser_directive_values_are_stripped():
    assert parse("# syntax =  docker/dockerfile:1  \nFROM a\n").directives == {
        "syntax": "docker/dockerfile:1"}
