"""Keyset pagination: ``first``/``after`` arguments, opaque cursors, and generic connections.

``first`` defaults to :data:`DEFAULT_PAGE_SIZE` and may not exceed :data:`MAX_PAGE_SIZE`
(a larger or negative value is ``BAD_USER_INPUT``). A cursor is the URL-safe base64 of a JSON
array of the sort key of the last row; repositories decide what the sort key is.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import strawberry
from sqlalchemy import ColumnElement, and_, or_
from sqlalchemy.orm import QueryableAttribute

from subgraphs.common.errors import BadUserInputError
from subgraphs.common.values import PageInfo

__all__ = [
    "DEFAULT_PAGE_SIZE",
    "MAX_PAGE_SIZE",
    "Connection",
    "Edge",
    "Page",
    "check_first",
    "decode_cursor",
    "encode_cursor",
    "keyset_after",
]

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100

ItemT = TypeVar("ItemT")
NodeT = TypeVar("NodeT")


def check_first(first: int) -> int:
    """Validate a page size argument."""
    if first < 0 or first > MAX_PAGE_SIZE:
        raise BadUserInputError(
            f"first must be between 0 and {MAX_PAGE_SIZE}, got {first}",
            field="first",
            maximum=MAX_PAGE_SIZE,
        )
    return first


def encode_cursor(key: Sequence[str | int]) -> str:
    """The opaque cursor of a sort key."""
    raw = json.dumps(list(key), separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, arity: int) -> list[Any]:
    """The sort key inside ``cursor``; ``BAD_USER_INPUT`` when it is not one of ours."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        key = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise BadUserInputError(f"malformed cursor {cursor!r}", field="after") from exc
    if not isinstance(key, list) or len(key) != arity:
        raise BadUserInputError(f"malformed cursor {cursor!r}", field="after")
    return key


def keyset_after(
    columns: Sequence[ColumnElement[Any] | QueryableAttribute[Any]],
    values: Sequence[Any],
    *,
    descending: bool,
) -> ColumnElement[bool]:
    """``WHERE`` clause for rows strictly after ``values`` in ``columns`` order."""
    clauses = []
    for index, column in enumerate(columns):
        equal_prefix = [columns[i] == values[i] for i in range(index)]
        beyond = column < values[index] if descending else column > values[index]
        clauses.append(and_(*equal_prefix, beyond))
    return or_(*clauses)


@dataclass(frozen=True, slots=True)
class Page(Generic[ItemT]):
    """One page of rows from a repository, with each row's cursor."""

    items: list[ItemT]
    cursors: list[str]
    has_next_page: bool
    total_count: int

    def map(self, convert: Callable[[ItemT], NodeT]) -> Connection[NodeT]:
        """The GraphQL connection of this page, converting each row."""
        edges = [
            Edge(cursor=cursor, node=convert(item))
            for item, cursor in zip(self.items, self.cursors, strict=True)
        ]
        return Connection(
            edges=edges,
            page_info=PageInfo(
                has_next_page=self.has_next_page,
                end_cursor=self.cursors[-1] if self.cursors else None,
            ),
            total_count=self.total_count,
        )


@strawberry.type
class Edge(Generic[NodeT]):
    """One node of a connection and its cursor."""

    cursor: str
    node: NodeT


@strawberry.type
class Connection(Generic[NodeT]):
    """A page of nodes (Relay-style)."""

    edges: list[Edge[NodeT]]
    page_info: PageInfo
    total_count: int
