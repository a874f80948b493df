"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-27 06:56:21.734912
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "shipments",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("carrier", sa.String(length=16), nullable=False),
        sa.Column("tracking_number", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("dest_line1", sa.String(length=200), nullable=False),
        sa.Column("dest_line2", sa.String(length=200), nullable=True),
        sa.Column("dest_city", sa.String(length=100), nullable=False),
        sa.Column("dest_region", sa.String(length=100), nullable=True),
        sa.Column("dest_postal_code", sa.String(length=20), nullable=False),
        sa.Column("dest_country", sa.String(length=2), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shipments")),
        sa.UniqueConstraint("carrier", "tracking_number", name="uq_shipments_carrier_tracking"),
    )
    with op.batch_alter_table("shipments", schema=None) as batch_op:
        batch_op.create_index("ix_shipments_order_id", ["order_id"], unique=False)

    op.create_table(
        "shipment_items",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("shipment_id", sa.Uuid(), nullable=False),
        sa.Column("order_line_id", sa.Uuid(), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_shipment_items_quantity_positive")),
        sa.ForeignKeyConstraint(
            ["shipment_id"], ["shipments.id"], name=op.f("fk_shipment_items_shipment_id_shipments")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shipment_items")),
    )
    with op.batch_alter_table("shipment_items", schema=None) as batch_op:
        batch_op.create_index("ix_shipment_items_order_line_id", ["order_line_id"], unique=False)
        batch_op.create_index("ix_shipment_items_shipment_id", ["shipment_id"], unique=False)

    op.create_table(
        "tracking_events",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("shipment_id", sa.Uuid(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("location", sa.String(length=200), nullable=True),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["shipment_id"], ["shipments.id"], name=op.f("fk_tracking_events_shipment_id_shipments")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tracking_events")),
        sa.UniqueConstraint("shipment_id", "sequence", name="uq_tracking_events_shipment_sequence"),
    )


def downgrade() -> None:

    op.drop_table("tracking_events")
    with op.batch_alter_table("shipment_items", schema=None) as batch_op:
        batch_op.drop_index("ix_shipment_items_shipment_id")
        batch_op.drop_index("ix_shipment_items_order_line_id")

    op.drop_table("shipment_items")
    with op.batch_alter_table("shipments", schema=None) as batch_op:
        batch_op.drop_index("ix_shipments_order_id")

    op.drop_table("shipments")
