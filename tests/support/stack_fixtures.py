"""Fixtures serving the four subgraphs on seeded SQLite and PostgreSQL databases.

A test folder's ``conftest.py`` re-exports them::

    from stack_fixtures import order_stack as order_stack
    from stack_fixtures import stack_backend as stack_backend
    ...

``stack_backend`` is parametrized ``sqlite`` / ``postgres`` (``postgres`` marker).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from order_stack import OrderStack, prepare_stack, serve_stack, stack_database_urls


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def stack_backend(request: pytest.FixtureRequest) -> str:
    """The database engine of the subgraphs."""
    return str(request.param)


@pytest.fixture
def stack_urls(
    stack_backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> dict[str, str]:
    """Empty databases of the four subgraphs on ``stack_backend``."""
    postgres = (
        str(request.getfixturevalue("fresh_postgres_database"))
        if stack_backend == "postgres"
        else None
    )
    return stack_database_urls(stack_backend, tmp_path, postgres)


@pytest.fixture
async def stack_databases(stack_urls: dict[str, str]) -> dict[str, str]:
    """The databases of ``stack_urls``, migrated and seeded."""
    await prepare_stack(stack_urls)
    return stack_urls


@pytest.fixture
async def order_stack(stack_databases: dict[str, str]) -> AsyncIterator[OrderStack]:
    """The four subgraphs served over HTTP on the seeded databases."""
    async with serve_stack(stack_databases) as stack:
        yield stack
