"""Fixtures of the ownership tests: the seeded stack on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from ownership_stack import OwnershipStack, database_urls, serve_stack


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def stack_urls(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, str]:
    """Empty databases of the four subgraphs, on SQLite or on PostgreSQL."""
    backend = str(request.param)
    postgres = request.getfixturevalue("fresh_postgres_database") if backend == "postgres" else None
    return database_urls(backend, tmp_path, postgres)


@pytest.fixture
async def stack(stack_urls: dict[str, str], tmp_path: Path) -> AsyncIterator[OwnershipStack]:
    """Seeded subgraphs requiring a signed principal, and the gateway signing it."""
    async for served in serve_stack(stack_urls, tmp_path):
        yield served
