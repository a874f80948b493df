"""The orders subgraph app: ``create_app(settings)`` and its :data:`DEFINITION` for the CLI."""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette

from subgraphs.common.app import create_subgraph_app
from subgraphs.common.definition import SubgraphDefinition
from subgraphs.common.principal import principal_resolver_from
from subgraphs.common.settings import SubgraphSettings
from subgraphs.orders.loaders import OrdersLoaders
from subgraphs.orders.schema import build_orders_schema
from subgraphs.orders.services import OrdersUnitOfWork
from subgraphs.orders.settings import OrdersSettings

__all__ = ["DEFINITION", "create_app"]


def create_app(settings: SubgraphSettings | None = None) -> Starlette:
    """The orders subgraph as an ASGI app (database engine created here, not on import)."""
    settings = settings or OrdersSettings()
    return create_subgraph_app(
        name="orders",
        settings=settings,
        schema=build_orders_schema(),
        make_loaders=OrdersLoaders,
        principal_resolver=principal_resolver_from(settings),
        make_unit_of_work=lambda database: OrdersUnitOfWork(database.write_sessions),
        idempotency_model=OrdersUnitOfWork.idempotency_model,
    )


DEFINITION = SubgraphDefinition(
    name="orders",
    settings_class=OrdersSettings,
    create_app=create_app,
    build_schema=build_orders_schema,
    migrations=Path(__file__).parent / "migrations",
    version_table="alembic_version_orders",
)
