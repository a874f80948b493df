"""customer owner of each shipment

Revision ID: 0901
Revises: 0001
Create Date: 2026-11-28 09:00:00

Adds the owning customer of each shipment (nullable: rows made before it have no known owner and
are visible to unrestricted callers only; `ordergate seed` fills it for seeded data).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0901"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("shipments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("customer_id", sa.Uuid(), nullable=True))
        batch_op.create_index("ix_shipments_customer_id", ["customer_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("shipments", schema=None) as batch_op:
        batch_op.drop_index("ix_shipments_customer_id")
        batch_op.drop_column("customer_id")
