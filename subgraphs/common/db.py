"""Database access shared by every subgraph: engine, session factories, portable column types.

No engine exists at import time: :meth:`Database.connect` is called by a service's
``create_app(settings)`` (or by a CLI command) and disposed by its lifespan.

SQLite (the embedded default) is configured for correctness under concurrency: foreign keys on,
write-ahead logging, a busy timeout, and SQLAlchemy-emitted ``BEGIN`` (``BEGIN IMMEDIATE`` for
write transactions, so two writers queue on the lock instead of failing on upgrade).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, MetaData, event, text
from sqlalchemy.engine import Connection, Dialect, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.types import TypeDecorator

__all__ = [
    "NAMING_CONVENTION",
    "Database",
    "UtcDateTime",
    "create_engine",
    "ensure_sqlite_directory",
    "new_metadata",
    "utc_now",
]

#: Constraint names that are the same on SQLite and PostgreSQL (Alembic needs stable names).
NAMING_CONVENTION: dict[str, str] = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

_WRITER_OPTION = "ordergate_writer"


def utc_now() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


def new_metadata() -> MetaData:
    """A ``MetaData`` with the shared naming convention (one per subgraph)."""
    return MetaData(naming_convention=NAMING_CONVENTION)


class UtcDateTime(TypeDecorator[datetime]):
    """A timestamp stored as UTC and always read back timezone-aware (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UtcDateTime column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def _configure_sqlite(engine: AsyncEngine) -> None:
    sync_engine = engine.sync_engine

    @event.listens_for(sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # let SQLAlchemy, not the sqlite3 module, decide when transactions begin
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in (
            "PRAGMA foreign_keys=ON",
            "PRAGMA journal_mode=WAL",
            "PRAGMA synchronous=NORMAL",
            "PRAGMA busy_timeout=10000",
        ):
            cursor.execute(pragma)
        cursor.close()

    @event.listens_for(sync_engine, "begin")
    def _on_begin(connection: Connection) -> None:
        writer = connection.get_execution_options().get(_WRITER_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writer else "BEGIN")


def ensure_sqlite_directory(url: str) -> None:
    """Create the parent directory of a file-based SQLite database URL (no-op otherwise)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)


def create_engine(url: str, *, pool_size: int = 5, echo: bool = False) -> AsyncEngine:
    """An async engine for ``url`` (``sqlite+aiosqlite`` or ``postgresql+asyncpg``)."""
    ensure_sqlite_directory(url)
    options: dict[str, Any] = {"echo": echo}
    if url.startswith("postgresql"):
        options.update(pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True)
    engine = create_async_engine(url, **options)
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)
    return engine


@dataclass(frozen=True, slots=True)
class Database:
    """One subgraph's engine with its two session factories.

    ``read_sessions`` serve DataLoader batches (one short session per batch); ``write_sessions``
    serve units of work (``BEGIN IMMEDIATE`` on SQLite). On PostgreSQL the read sessions run
    in autocommit (docs/adr/0012): a batch's statements are each their own transaction, which
    under PostgreSQL's default READ COMMITTED isolation sees exactly what the same statements
    inside ``BEGIN`` ... ``ROLLBACK`` would see, minus two round trips per batch.
    """

    engine: AsyncEngine
    read_sessions: async_sessionmaker[AsyncSession]
    write_sessions: async_sessionmaker[AsyncSession]

    @classmethod
    def connect(cls, url: str, *, pool_size: int = 5, echo: bool = False) -> Database:
        """Create the engine (no connection is opened until first use)."""
        engine = create_engine(url, pool_size=pool_size, echo=echo)
        writer = engine.execution_options(**{_WRITER_OPTION: True})
        reader = (
            engine.execution_options(isolation_level="AUTOCOMMIT")
            if engine.dialect.name == "postgresql"
            else engine
        )
        return cls(
            engine=engine,
            read_sessions=async_sessionmaker(reader, expire_on_commit=False),
            write_sessions=async_sessionmaker(writer, expire_on_commit=False),
        )

    async def ping(self, within_seconds: float) -> None:
        """Run ``SELECT 1``; raises when the database does not answer within the given time."""
        async with asyncio.timeout(within_seconds), self.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        """Close every pooled connection."""
        await self.engine.dispose()
