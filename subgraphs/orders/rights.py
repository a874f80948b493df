"""Who may run the orders mutations (docs/security.md, "Write rights").

Staff and partners hold ``orders:write``; a customer holds ``orders:write:own`` and may create,
update and cancel its own orders only: the ``order_owner`` policy (registered by default in the
gateway under the same name) passes either, and here it passes the own-orders scope only for a
principal the ownership policy treats as a customer, so its unit of work sees that customer's
rows alone (a foreign order or customer is ``NOT_FOUND``). Confirming and fulfilling orders are
back-office steps: ``orders:write`` only. The bulk imports need ``customers:write`` (master
data) and ``inventory:write`` (the catalog replica is inventory's data).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from subgraphs.common.ownership import Access, AccessKind
from subgraphs.common.rights import Requirement, requires_policy, requires_scopes

if TYPE_CHECKING:
    from subgraphs.common.caller import Principal

__all__ = [
    "CATALOG_IMPORT",
    "CUSTOMERS_WRITE",
    "CUSTOMER_IMPORT",
    "ORDERS_WRITE",
    "ORDER_OWNER",
    "ORDER_OWNER_POLICY",
    "OWN_ORDERS_WRITE",
    "STAFF_ORDER_WRITE",
    "order_owner",
]

ORDERS_WRITE = "orders:write"
OWN_ORDERS_WRITE = "orders:write:own"
CUSTOMERS_WRITE = "customers:write"
#: the gateway's named policy (gateway.authz.builtin_policies)
ORDER_OWNER_POLICY = "order_owner"


def order_owner(principal: Principal, access: Access) -> bool:
    """``orders:write``, or a customer's own-orders scope (its access is then its own rows)."""
    if ORDERS_WRITE in principal.scopes:
        return True
    return access.kind is AccessKind.CUSTOMER and OWN_ORDERS_WRITE in principal.scopes


#: create, update, cancel: staff and partners, or a customer for its own orders
ORDER_OWNER: Requirement = requires_policy(ORDER_OWNER_POLICY, order_owner)
#: confirm, record fulfilment: the back office
STAFF_ORDER_WRITE: Requirement = requires_scopes([ORDERS_WRITE])
#: importCustomers: customer master data
CUSTOMER_IMPORT: Requirement = requires_scopes([CUSTOMERS_WRITE])
#: importCatalogItems: the second half of the products import
CATALOG_IMPORT: Requirement = requires_scopes(["inventory:write"])
