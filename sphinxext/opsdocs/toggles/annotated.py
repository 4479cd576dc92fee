"""Toggles' code-annotations blocks as :mod:`opsdocs.toggles.facts` keeps them: one per
``toggle_name`` field of a comment block or a docstring, secrets left out."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass

from opsdocs.settings.comment_blocks import Annotation, Blocks, CommentBlock
from opsdocs.settings.secrets import text_without_secret_keys, without_secret_shapes


@dataclass(frozen=True)
class Annotated:
    """A toggle's code-annotations block: its fields, and the line of each (the first
    field of a name written twice)."""

    line: int
    fields: tuple[tuple[str, str], ...]
    field_lines: tuple[tuple[str, int], ...]


def annotated_docstring(node: ast.AST) -> bool:
    """Whether *node*'s docstring holds a toggle's block."""
    body = getattr(node, "body", None)
    first = body[0] if body else None
    return isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and \
        isinstance(first.value.value, str) and ".. toggle_name:" in first.value.value


def docstring_block(lines: list[str], first: int, last: int) -> tuple[Blocks, CommentBlock]:
    """The docstring at lines *first* to *last* as one comment block at the same lines
    (its source lines, so that each field keeps its line), dedented."""
    texts = [line.rstrip("\r\n") for line in lines[first - 1:last]]
    texts[0] = re.sub(r"^\s*[rRuU]?(\"\"\"|\'\'\')", "", texts[0])
    texts[-1] = re.sub(r"(\"\"\"|\'\'\')\s*$", "", texts[-1])
    cut = min((len(t) - len(t.lstrip()) for t in texts[1:] if t.strip()), default=0)
    synthetic = [""] * (first - 1) + [f"#{text}\n" for text in
                                      [texts[0].strip(), *(t[cut:] for t in texts[1:])]]
    blocks = Blocks(synthetic, ast.Module(body=[], type_ignores=[]))
    return blocks, blocks.by_end[last]


def split_annotations(blocks: Blocks, block: CommentBlock) -> Iterator[tuple[Annotated, bool]]:
    """The toggles' blocks in a comment block, one per ``toggle_name`` field, each with
    whether it ends the block (the others document nothing below them)."""
    whole = blocks.annotation(block)
    starts = [line - block.first for name, line in whole.field_lines
              if name == "toggle_name"] if whole is not None else []
    for number, start in enumerate(starts):
        end = starts[number + 1] if number + 1 < len(starts) else len(block.texts)
        part = CommentBlock(block.first + start, block.first + end - 1,
                            block.texts[start:end], block.column)
        annotation = blocks.annotation(part)
        if annotation is not None and annotation.toggle:
            yield annotated(annotation), end == len(block.texts)


def annotated(annotation: Annotation) -> Annotated:
    """*annotation* as facts keep it: a default's code without secret keys' values, and
    every field without secrets by their shape, as the settings reference shows them."""
    lines: dict[str, int] = {}
    for name, line in annotation.field_lines:
        lines.setdefault(name, line)
    fields = tuple((k, text_without_secret_keys(v) if k.endswith("_default") else
                    without_secret_shapes(v)) for k, v in annotation.fields)
    return Annotated(annotation.line, fields, tuple(lines.items()))
