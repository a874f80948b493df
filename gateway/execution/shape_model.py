"""The compiled response shape of one planned operation: what :mod:`gateway.execution.shape`
builds and walks, and what :mod:`gateway.execution.shaper` turns into code."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["FieldShape", "NullViolation", "ObjectShape", "Shaper"]


class NullViolation:
    """A null where the schema says non-null; carries the path while it bubbles up."""

    __slots__ = ("message", "path")

    def __init__(self, message: str) -> None:
        self.message = message
        self.path: list[str | int] = []


#: ``shaper(data, violations)``: the projected object, a violation, or ``None``
Shaper = Callable[[dict[str, Any], list[NullViolation]], Any]


@dataclass(slots=True)
class FieldShape:
    """How to produce one response key of an object."""

    key: str
    name: str
    parent: str
    #: non-null flag of each level: the field itself, then each list's items
    non_null: tuple[bool, ...]
    child: ObjectShape | None = None
    enum_values: frozenset[str] | None = None
    #: copied as they are (introspection results computed by the gateway)
    passthrough: bool = False
    #: precomputed dispatch: 1 ``__typename``, 2 passthrough, 3 plain scalar, 0 anything else
    kind: int = 0

    def __post_init__(self) -> None:
        if self.name == "__typename":
            self.kind = 1
        elif self.passthrough:
            self.kind = 2
        elif self.child is None and self.enum_values is None and len(self.non_null) == 1:
            self.kind = 3


@dataclass(slots=True)
class ObjectShape:
    """The fields of an object position, per runtime type."""

    #: the type name for object-typed positions (``__typename`` needs no data)
    static_type: str | None
    by_type: dict[str, tuple[FieldShape, ...]]
    #: for a missing ``__typename`` or one naming an abstract type (an interface object's)
    default: tuple[FieldShape, ...]
    #: type names that use ``default``; any other unknown type (``@inaccessible``) is null
    default_for: frozenset[str] = frozenset()
    #: the specialized projection (:mod:`gateway.execution.shaper`), made on first use
    shaper: Shaper | None = None
    #: whether ``shaper`` was tried (``None`` then means too large: the generic walk)
    compiled: bool = False
