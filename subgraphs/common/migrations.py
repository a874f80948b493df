"""Alembic, driven from code: each subgraph has its own migrations folder and version table.

A subgraph's ``migrations/env.py`` is two lines::

    from subgraphs.common.migrations import run_migrations
    run_migrations(target_metadata=Base.metadata, version_table="alembic_version_orders")

and :func:`upgrade` runs it over an async engine (SQLite or PostgreSQL). Migrations use
batch mode so that ``ALTER`` works on SQLite too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from alembic import command, context
from alembic.autogenerate.api import AutogenContext
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData
from sqlalchemy.engine import Connection

from subgraphs.common.db import UtcDateTime, create_engine

__all__ = ["alembic_config", "current_revision", "head_revision", "run_migrations", "upgrade"]


def alembic_config(script_location: Path) -> Config:
    """An Alembic config for one subgraph's migrations folder (no ini file needed)."""
    config = Config()
    config.set_main_option("script_location", str(script_location))
    return config


def _render_item(kind: str, item: object, autogen_context: AutogenContext) -> str | Literal[False]:
    """Render our runtime-only column types as plain SQLAlchemy types in new migrations."""
    del autogen_context
    if kind == "type" and isinstance(item, UtcDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def run_migrations(*, target_metadata: MetaData, version_table: str) -> None:
    """The body of a subgraph's ``env.py``: migrate over the connection :func:`upgrade` passed."""
    connection = context.config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("run migrations through subgraphs.common.migrations.upgrade()")
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        version_table=version_table,
        render_as_batch=True,
        compare_type=True,
        render_item=_render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


def _upgrade(connection: Connection, config: Config, revision: str) -> None:
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


async def upgrade(database_url: str, script_location: Path, revision: str = "head") -> None:
    """Bring the database at ``database_url`` to ``revision`` (creating a SQLite file if needed)."""
    engine = create_engine(database_url)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(_upgrade, alembic_config(script_location), revision)
    finally:
        await engine.dispose()


def head_revision(script_location: Path) -> str | None:
    """The newest revision in a migrations folder."""
    return ScriptDirectory.from_config(alembic_config(script_location)).get_current_head()


async def current_revision(database_url: str, version_table: str) -> str | None:
    """The revision the database is at (``None`` before the first migration)."""
    engine = create_engine(database_url)

    def read(connection: Connection) -> str | None:
        migration = MigrationContext.configure(connection, opts={"version_table": version_table})
        return migration.get_current_revision()

    try:
        async with engine.connect() as connection:
            return await connection.run_sync(read)
    finally:
        await engine.dispose()
