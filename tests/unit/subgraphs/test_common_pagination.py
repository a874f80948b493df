"""Cursor encoding and page-size validation."""

from __future__ import annotations

import pytest

from subgraphs.common.errors import BadUserInputError
from subgraphs.common.pagination import MAX_PAGE_SIZE, check_first, decode_cursor, encode_cursor


def test_cursor_round_trip() -> None:
    cursor = encode_cursor(["2026-01-01T00:00:00+00:00", "abc", 7])
    assert decode_cursor(cursor, 3) == ["2026-01-01T00:00:00+00:00", "abc", 7]
    assert "=" not in cursor


@pytest.mark.parametrize("cursor", ["!!", "bm90IGpzb24", encode_cursor(["only-one"])])
def test_foreign_cursors_are_bad_input(cursor: str) -> None:
    with pytest.raises(BadUserInputError) as raised:
        decode_cursor(cursor, 2)
    assert raised.value.details["field"] == "after"


def test_page_size_bounds() -> None:
    assert check_first(0) == 0
    assert check_first(MAX_PAGE_SIZE) == MAX_PAGE_SIZE
    for bad in (-1, MAX_PAGE_SIZE + 1):
        with pytest.raises(BadUserInputError):
            check_first(bad)
