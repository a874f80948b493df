"""Policies every gateway knows without configuration: the ones Ordergate's own subgraphs name.

``order_owner`` guards ``createOrder``, ``updateOrder`` and ``cancelOrder``
(``@policy(policies: [["order_owner"]])``): it passes a caller holding ``orders:write`` (staff,
partners), or a caller acting for one customer (a ``customer_id``) with the own-orders scope
``orders:write:own``. The orders subgraph then limits such a customer to its own customer id
and orders (docs/security.md, ADR 0905). A configured policy of the same name replaces it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from gateway.auth.principal import Principal

__all__ = ["BUILTIN_POLICIES", "ORDERS_WRITE", "ORDER_OWNER", "OWN_ORDERS_WRITE", "order_owner"]

ORDER_OWNER = "order_owner"
ORDERS_WRITE = "orders:write"
OWN_ORDERS_WRITE = "orders:write:own"


def order_owner(principal: Principal) -> bool:
    """``orders:write``, or a customer principal with ``orders:write:own``."""
    if ORDERS_WRITE in principal.scopes:
        return True
    return bool(principal.customer_id) and OWN_ORDERS_WRITE in principal.scopes


#: name -> policy, registered before the configured ones
BUILTIN_POLICIES: Mapping[str, Callable[[Principal], bool]] = {ORDER_OWNER: order_owner}
