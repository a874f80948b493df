"""Object-level access: whose customers, orders, payments and shipments a request may see.

The gateway forwards the verified principal (:mod:`subgraphs.common.principal`); the
:class:`OwnershipPolicy` turns it into an :class:`Access`, once per request. Repositories apply
it to every statement that reads or locks owned rows (``access.visible(Model.customer_id)``), so
every path (root fields, nested fields, ``_entities``, mutations) sees the same rows: a foreign
object is indistinguishable from a missing one.

The rule (configurable through the subgraph's settings):

1. no principal (only possible with ``principal_mode=anonymous``, for local development):
   everything, as before ownership existed;
2. a principal holding none of the subgraph's ``ownership_scopes`` (e.g. ``orders:read`` or
   ``orders:write`` for orders; an empty list disables this check): nothing;
3. a *customer* — a principal with a customer id and none of the ``ownership_staff_roles``
   (default admin, staff, support-agent, partner): the rows of that customer only (nothing when
   the customer id is not a UUID);
4. anyone else (staff, partners, service clients with the scopes): everything.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, false, true

from subgraphs.common.caller import Principal

__all__ = [
    "ALL_ACCESS",
    "DEFAULT_STAFF_ROLES",
    "NO_ACCESS",
    "Access",
    "AccessKind",
    "OwnershipPolicy",
    "owner_for_new",
]

#: roles that make a principal with a customer id staff rather than a customer
DEFAULT_STAFF_ROLES = ("admin", "staff", "support-agent", "partner")


class AccessKind(StrEnum):
    """How much of the owned data a request may see."""

    ALL = "all"
    CUSTOMER = "customer"
    NOTHING = "nothing"


@dataclass(frozen=True, slots=True)
class Access:
    """The rows one request may see and change."""

    kind: AccessKind
    customer_id: uuid.UUID | None = None

    @classmethod
    def of_customer(cls, customer_id: uuid.UUID) -> Access:
        """Only the rows owned by ``customer_id``."""
        return cls(AccessKind.CUSTOMER, customer_id)

    @property
    def is_restricted(self) -> bool:
        """Whether some rows are hidden."""
        return self.kind is not AccessKind.ALL

    def visible(self, owner: Any) -> ColumnElement[bool]:
        """A SQL condition on the ``owner`` column (the customer id) selecting visible rows.
        Rows without an owner (``NULL``) are visible to unrestricted access only."""
        if self.kind is AccessKind.ALL:
            return true()
        if self.kind is AccessKind.NOTHING or self.customer_id is None:
            return false()
        condition: ColumnElement[bool] = owner == self.customer_id
        return condition

    def owns(self, owner: uuid.UUID | None) -> bool:
        """Whether a row owned by ``owner`` is visible (the same rule as :meth:`visible`)."""
        if self.kind is AccessKind.ALL:
            return True
        return self.kind is AccessKind.CUSTOMER and owner is not None and owner == self.customer_id


ALL_ACCESS = Access(AccessKind.ALL)
NO_ACCESS = Access(AccessKind.NOTHING)


@dataclass(frozen=True, slots=True)
class OwnershipPolicy:
    """Decides the :class:`Access` of a principal (see the module docstring for the rule)."""

    staff_roles: frozenset[str] = frozenset(DEFAULT_STAFF_ROLES)
    scopes: frozenset[str] = frozenset()

    @classmethod
    def of(cls, staff_roles: Iterable[str], scopes: Iterable[str]) -> OwnershipPolicy:
        """A policy from settings lists."""
        return cls(frozenset(staff_roles), frozenset(scopes))

    def is_customer(self, principal: Principal) -> bool:
        """A principal acting for one customer: a customer id and no staff role."""
        return bool(principal.customer_id) and not (principal.roles & self.staff_roles)

    def access_for(self, principal: Principal | None) -> Access:
        """The access of ``principal`` (``None``: no principal was forwarded)."""
        if principal is None:
            return ALL_ACCESS
        if self.scopes and not (principal.scopes & self.scopes):
            return NO_ACCESS
        if self.is_customer(principal):
            try:
                return Access.of_customer(uuid.UUID(str(principal.customer_id)))
            except ValueError:
                return NO_ACCESS
        return ALL_ACCESS


def owner_for_new(
    access: Access,
    requested: uuid.UUID | None,
    known_owners: Iterable[uuid.UUID],
) -> uuid.UUID | None:
    """The owner of a new row attached to an order (a payment, a shipment), in a subgraph that
    cannot read the orders database.

    ``requested`` is the ``customerId`` the caller supplied, ``known_owners`` the owners of the
    order's existing rows here. A customer always owns what it creates, and may not create
    anything for an order known to belong to someone else (or name another customer): that
    raises ``LookupError``, which the caller turns into the order's ``NOT_FOUND``. Without any
    access it raises too. Unrestricted callers name the owner (it must match the known one,
    else ``ValueError``), or the known owner is kept, or the row has no owner (then only
    unrestricted callers see it).
    """
    known = set(known_owners)
    if access.kind is AccessKind.NOTHING:
        raise LookupError("no access")
    if access.kind is AccessKind.CUSTOMER:
        own = access.customer_id
        if (requested is not None and requested != own) or (known and known != {own}):
            raise LookupError("a foreign order")
        return own
    if requested is not None:
        if known and known != {requested}:
            raise ValueError("customerId is not the customer of the order")
        return requested
    return next(iter(known)) if len(known) == 1 else None
