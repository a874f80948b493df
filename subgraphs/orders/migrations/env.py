"""Alembic environment of the orders database (run via subgraphs.common.migrations.upgrade)."""

from subgraphs.common.migrations import run_migrations
from subgraphs.orders.models import Base

run_migrations(target_metadata=Base.metadata, version_table="alembic_version_orders")
