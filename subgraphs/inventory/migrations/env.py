"""Alembic environment of the inventory database (run via subgraphs.common.migrations.upgrade)."""

from subgraphs.common.migrations import run_migrations
from subgraphs.inventory.models import Base

run_migrations(target_metadata=Base.metadata, version_table="alembic_version_inventory")
