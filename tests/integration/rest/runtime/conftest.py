"""Fixtures of the REST runtime tests: the seeded stack on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any

import pytest
from rest_runtime_stack import RestStack, StackFactory, serve_rest_stack

from subgraphs.registry import SUBGRAPH_NAMES


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def stack_urls(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, str]:
    """Empty databases of the four subgraphs, on SQLite or on PostgreSQL (one database the
    four share: their tables do not collide)."""
    if request.param == "postgres":
        url = str(request.getfixturevalue("fresh_postgres_database"))
        return dict.fromkeys(SUBGRAPH_NAMES, url)
    return {name: f"sqlite+aiosqlite:///{tmp_path / f'{name}.db'}" for name in SUBGRAPH_NAMES}


@pytest.fixture
def sqlite_urls(tmp_path: Path) -> dict[str, str]:
    """Empty SQLite databases of the four subgraphs (tests of the HTTP contract only)."""
    return {name: f"sqlite+aiosqlite:///{tmp_path / f'{name}.db'}" for name in SUBGRAPH_NAMES}


@pytest.fixture
async def stack(stack_urls: dict[str, str], tmp_path: Path) -> AsyncIterator[RestStack]:
    """The stack with the repository's route file, on SQLite and on PostgreSQL."""
    async with serve_rest_stack(stack_urls, tmp_path) as served:
        yield served


@pytest.fixture
def stack_with(sqlite_urls: dict[str, str], tmp_path: Path) -> StackFactory:
    """A stack on SQLite with other settings: ``routes_file=``, ``clients=``, sections."""

    def make(**options: Any) -> AbstractAsyncContextManager[RestStack]:
        return serve_rest_stack(sqlite_urls, tmp_path, **options)

    return make
