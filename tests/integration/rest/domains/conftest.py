"""Fixtures of the REST domain tests: the seeded stack of the REST runtime tests (four subgraphs
requiring a signed principal, the gateway serving the repository's route file) on SQLite and
on PostgreSQL, and the job API's deployments for the imports alias.

The stack module lives beside the runtime tests (tests/integration/rest/runtime/); its folder is
put on the import path here, as pytest does for the test modules of that folder.
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from stack_fixtures import deployment as deployment
from stack_fixtures import deployment_kind as deployment_kind

from subgraphs.registry import SUBGRAPH_NAMES

_RUNTIME_TESTS = str(Path(__file__).resolve().parents[1] / "runtime")
if _RUNTIME_TESTS not in sys.path:
    sys.path.insert(0, _RUNTIME_TESTS)

from rest_runtime_stack import RestStack, serve_rest_stack  # noqa: E402


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def domain_urls(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, str]:
    """Empty databases of the four subgraphs, on SQLite or on PostgreSQL (one database the
    four share: their tables do not collide)."""
    if request.param == "postgres":
        url = str(request.getfixturevalue("fresh_postgres_database"))
        return dict.fromkeys(SUBGRAPH_NAMES, url)
    return {name: f"sqlite+aiosqlite:///{tmp_path / f'{name}.db'}" for name in SUBGRAPH_NAMES}


@pytest.fixture
async def rest(domain_urls: dict[str, str], tmp_path: Path) -> AsyncIterator[RestStack]:
    """The seeded stack serving persisted_queries/rest-routes.yaml, on SQLite and PostgreSQL."""
    async with serve_rest_stack(domain_urls, tmp_path) as served:
        yield served
