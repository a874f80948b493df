"""The payments subgraph app: ``create_app(settings)`` and its :data:`DEFINITION` for the CLI."""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette

from subgraphs.common.app import create_subgraph_app
from subgraphs.common.db import Database
from subgraphs.common.definition import SubgraphDefinition
from subgraphs.common.principal import principal_resolver_from
from subgraphs.common.settings import SubgraphSettings
from subgraphs.payments.loaders import PaymentsLoaders
from subgraphs.payments.processors import simulated_processors
from subgraphs.payments.schema import build_payments_schema
from subgraphs.payments.services import PaymentsUnitOfWork
from subgraphs.payments.settings import PaymentsSettings

__all__ = ["DEFINITION", "create_app"]


def create_app(settings: SubgraphSettings | None = None) -> Starlette:
    """The payments subgraph as an ASGI app, with the simulated processors."""
    processors = simulated_processors()

    def unit_of_work(database: Database) -> PaymentsUnitOfWork:
        return PaymentsUnitOfWork(database.write_sessions, processors)

    settings = settings or PaymentsSettings()
    return create_subgraph_app(
        name="payments",
        settings=settings,
        schema=build_payments_schema(),
        make_loaders=PaymentsLoaders,
        principal_resolver=principal_resolver_from(settings),
        make_unit_of_work=unit_of_work,
        idempotency_model=PaymentsUnitOfWork.idempotency_model,
    )


DEFINITION = SubgraphDefinition(
    name="payments",
    settings_class=PaymentsSettings,
    create_app=create_app,
    build_schema=build_payments_schema,
    migrations=Path(__file__).parent / "migrations",
    version_table="alembic_version_payments",
)
