"""The shipments subgraph app: ``create_app(settings)`` and its :data:`DEFINITION` for the CLI."""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette

from subgraphs.common.app import create_subgraph_app
from subgraphs.common.definition import SubgraphDefinition
from subgraphs.common.principal import principal_resolver_from
from subgraphs.common.settings import SubgraphSettings
from subgraphs.shipments.loaders import ShipmentsLoaders
from subgraphs.shipments.schema import build_shipments_schema
from subgraphs.shipments.services import ShipmentsUnitOfWork
from subgraphs.shipments.settings import ShipmentsSettings

__all__ = ["DEFINITION", "create_app"]


def create_app(settings: SubgraphSettings | None = None) -> Starlette:
    """The shipments subgraph as an ASGI app (database engine created here, not on import)."""
    settings = settings or ShipmentsSettings()
    return create_subgraph_app(
        name="shipments",
        settings=settings,
        schema=build_shipments_schema(),
        make_loaders=ShipmentsLoaders,
        principal_resolver=principal_resolver_from(settings),
        make_unit_of_work=lambda database: ShipmentsUnitOfWork(database.write_sessions),
        idempotency_model=ShipmentsUnitOfWork.idempotency_model,
    )


DEFINITION = SubgraphDefinition(
    name="shipments",
    settings_class=ShipmentsSettings,
    create_app=create_app,
    build_schema=build_shipments_schema,
    migrations=Path(__file__).parent / "migrations",
    version_table="alembic_version_shipments",
)
