"""Backfill the owning customer of payments and shipments made before they carried one.

Migration ``0901`` adds ``customer_id`` to payments and shipments as ``NULL``; such rows are
visible to unrestricted callers only. For databases the operator can reach together (the dev
stack, ``ordergate seed``), :func:`backfill_owners` copies each order's customer from the orders
database. It is an operator's tool: the subgraphs themselves never read each other's tables.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence

from sqlalchemy import bindparam, select, update

from subgraphs.common.db import create_engine

__all__ = ["backfill_owners"]

_CHUNK = 500


async def _order_owners(
    orders_url: str, order_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, uuid.UUID]:
    from subgraphs.orders.models import Order

    owners: dict[uuid.UUID, uuid.UUID] = {}
    engine = create_engine(orders_url)
    try:
        async with engine.connect() as connection:
            for start in range(0, len(order_ids), _CHUNK):
                chunk = order_ids[start : start + _CHUNK]
                rows = await connection.execute(
                    select(Order.id, Order.customer_id).where(Order.id.in_(chunk))
                )
                owners.update({row[0]: row[1] for row in rows})
    finally:
        await engine.dispose()
    return owners


async def backfill_owners(urls: Mapping[str, str]) -> dict[str, int]:
    """Fill ``customer_id`` of payments and shipments where it is ``NULL`` and the order is
    known to the orders database of ``urls``; returns the rows changed per subgraph."""
    from subgraphs.payments.models import Payment
    from subgraphs.shipments.models import Shipment

    changed: dict[str, int] = {}
    if "orders" not in urls:
        return changed
    for name, model in (("payments", Payment), ("shipments", Shipment)):
        if name not in urls:
            continue
        engine = create_engine(urls[name])
        try:
            async with engine.begin() as connection:
                missing = list(
                    await connection.scalars(
                        select(model.order_id).where(model.customer_id.is_(None)).distinct()
                    )
                )
                owners = await _order_owners(urls["orders"], missing) if missing else {}
                if owners:
                    statement = (
                        update(model)
                        .where(model.order_id == bindparam("order"), model.customer_id.is_(None))
                        .values(customer_id=bindparam("owner"))
                    )
                    await connection.execute(
                        statement,
                        [{"order": order, "owner": owner} for order, owner in owners.items()],
                    )
                changed[name] = len(owners)
        finally:
            await engine.dispose()
    return changed
