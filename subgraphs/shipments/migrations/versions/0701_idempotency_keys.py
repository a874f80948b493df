"""idempotency keys

Revision ID: 0701
Revises: 0901
Create Date: 2026-11-27 07:33:37
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0701"
down_revision: str | None = "0901"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table("shipments_idempotency_keys",
    sa.Column("key", sa.String(length=64), nullable=False),
    sa.Column("operation", sa.String(length=64), nullable=False),
    sa.Column("request_hash", sa.String(length=64), nullable=False),
    sa.Column("result_id", sa.String(length=200), nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint("key", name=op.f("pk_shipments_idempotency_keys"))
    )


def downgrade() -> None:
    op.drop_table("shipments_idempotency_keys")
