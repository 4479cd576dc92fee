"""What a setting's type annotation lets a YAML value be."""

from __future__ import annotations

import pytest

from opsdocs.config.annotations import Expected, expected_from_annotation

S = frozenset


@pytest.mark.parametrize(("annotation", "expected"), [
    ("str", Expected(S({"str"}))),
    ("int | None", Expected(S({"int", "none"}))),
    ("Optional[int]", Expected(S({"int", "none"}))),
    ("typing.Union[int, str]", Expected(S({"int", "str"}))),
    ("list[str]", Expected(S({"list"}), items=Expected(S({"str"})))),
    ("typing.List[str]", Expected(S({"list"}), items=Expected(S({"str"})))),
    ("tuple[str, ...]", Expected(S({"list"}), items=Expected(S({"str"})))),
    ("tuple[str, int]", Expected(S({"list"}))),
    ("list", Expected(S({"list"}))),
    ("dict[str, int]", Expected(S({"dict"}), keys=Expected(S({"str"})),
                                values=Expected(S({"int"})))),
    ("Mapping[str, list[int]]", Expected(S({"dict"}), keys=Expected(S({"str"})),
                                         values=Expected(S({"list"}),
                                                         items=Expected(S({"int"}))))),
    ("'list[str]'", Expected(S({"list"}), items=Expected(S({"str"})))),
    ("Literal['a', 1]", Expected(S({"literal"}), literals=("a", 1))),
    ("Annotated[int, 'doc']", Expected(S({"int"}))),
    # A member that is not certain may be anything; the outer kind still is certain.
    ("dict[str, Any]", Expected(S({"dict"}), keys=Expected(S({"str"})))),
    ("typing.Dict[str, object]", Expected(S({"dict"}), keys=Expected(S({"str"})))),
    ("Optional[dict[str, Any]]", Expected(S({"dict", "none"}), keys=Expected(S({"str"})))),
    ("list[Any]", Expected(S({"list"}))),
    ("list[Path]", Expected(S({"list"}))),
    ("list[dict[str, Any]]", Expected(S({"list"}),
                                      items=Expected(S({"dict"}), keys=Expected(S({"str"}))))),
    ("Path", None),
    ("str | Path", None),
    ("Any", None),
    ("list[int] | list[str]", None),
    ("dict[str, int] | dict[str, str]", None),
    ("dict[str, Any] | dict[str, int]", None),
    ("Optional[Path]", None),
    ("Callable[[], int]", None),
    ("not valid(", None),
    ("", None),
    (None, None),
])
def test_expected_from_annotation(annotation, expected):
    assert expected_from_annotation(annotation) == expected
