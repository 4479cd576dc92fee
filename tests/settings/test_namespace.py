"""The names a chain of modules binds, as it runs."""

from __future__ import annotations

from opsdocs.settings.model import Definition
from opsdocs.settings.namespace import Bound, Namespace


def test_a_change_attaches_to_a_bound_name_and_del_unbinds_its_entries() -> None:
    namespace = Namespace()
    assert not namespace.change("X", Bound(Definition("call", 1, "X.update({})")))
    assert not namespace.known("X")  # a change never creates a name
    namespace.bind("X", Bound(Definition("assign", 1, "{}")))
    namespace.bind("X['a']", Bound(Definition("assign", 2, "1"), parent="X"))
    namespace.bind("Y", Bound(Definition("assign", 3, "2")))
    assert namespace.change("X", Bound(Definition("item", 4, "2", key="'b'")))
    assert [b.definition.kind for b in namespace.bound["X"]] == ["assign", "item"]
    namespace.add_keys("X", ["a", "b"])
    namespace.add_keys("X", ["a"])
    assert list(namespace.keys["X"]) == ["a", "b"]
    namespace.unbind("X")
    assert list(namespace.bound) == ["Y"]  # the entries documented under X went with it
