"""The inventory subgraph app: ``create_app(settings)`` and its :data:`DEFINITION` for the CLI."""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette

from subgraphs.common.app import create_subgraph_app
from subgraphs.common.definition import SubgraphDefinition
from subgraphs.common.principal import principal_resolver_from
from subgraphs.common.settings import SubgraphSettings
from subgraphs.inventory.loaders import InventoryLoaders
from subgraphs.inventory.schema import build_inventory_schema
from subgraphs.inventory.services import InventoryUnitOfWork
from subgraphs.inventory.settings import InventorySettings

__all__ = ["DEFINITION", "create_app"]


def create_app(settings: SubgraphSettings | None = None) -> Starlette:
    """The inventory subgraph as an ASGI app (database engine created here, not on import)."""
    settings = settings or InventorySettings()
    return create_subgraph_app(
        name="inventory",
        settings=settings,
        schema=build_inventory_schema(),
        make_loaders=lambda database, _access: InventoryLoaders(database),  # nothing owned
        principal_resolver=principal_resolver_from(settings),
        make_unit_of_work=lambda database: InventoryUnitOfWork(database.write_sessions),
        idempotency_model=InventoryUnitOfWork.idempotency_model,
    )


DEFINITION = SubgraphDefinition(
    name="inventory",
    settings_class=InventorySettings,
    create_app=create_app,
    build_schema=build_inventory_schema,
    migrations=Path(__file__).parent / "migrations",
    version_table="alembic_version_inventory",
)
