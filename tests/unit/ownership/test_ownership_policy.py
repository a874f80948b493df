"""Who sees what: the ownership policy and the owner of new payments and shipments."""

from __future__ import annotations

import uuid

import pytest

from subgraphs.common.caller import Principal
from subgraphs.common.ownership import (
    ALL_ACCESS,
    NO_ACCESS,
    Access,
    AccessKind,
    OwnershipPolicy,
    owner_for_new,
)

POLICY = OwnershipPolicy.of(
    ["admin", "staff", "support-agent", "partner"], ["orders:read", "orders:write"]
)
CUSTOMER_ID = uuid.uuid4()
OTHER_ID = uuid.uuid4()


def principal(
    *, customer: str | None = None, roles: tuple[str, ...] = (), scopes: tuple[str, ...] = ()
) -> Principal:
    return Principal(
        kind="jwt",
        subject="s",
        customer_id=customer,
        roles=frozenset(roles),
        scopes=frozenset(scopes),
    )


def test_no_principal_is_local_development_and_sees_everything() -> None:
    assert POLICY.access_for(None) == ALL_ACCESS


def test_a_customer_sees_its_own_rows_only() -> None:
    access = POLICY.access_for(
        principal(customer=str(CUSTOMER_ID), roles=("customer",), scopes=("orders:read",))
    )
    assert access == Access(AccessKind.CUSTOMER, CUSTOMER_ID)
    assert access.owns(CUSTOMER_ID)
    assert not access.owns(OTHER_ID)
    assert not access.owns(None)


@pytest.mark.parametrize("role", ["admin", "partner", "support-agent"])
def test_staff_with_a_customer_id_and_the_scope_see_everything(role: str) -> None:
    access = POLICY.access_for(
        principal(customer=str(CUSTOMER_ID), roles=(role,), scopes=("orders:read",))
    )
    assert access == ALL_ACCESS


def test_a_service_client_with_the_scope_sees_everything() -> None:
    assert POLICY.access_for(principal(scopes=("orders:write",))) == ALL_ACCESS


def test_without_the_scope_nothing_is_visible() -> None:
    assert POLICY.access_for(principal(roles=("admin",), scopes=("inventory:read",))) == NO_ACCESS
    assert POLICY.access_for(principal(customer=str(CUSTOMER_ID), roles=("customer",))) == NO_ACCESS
    anonymous = Principal(kind="anonymous")
    assert POLICY.access_for(anonymous) == NO_ACCESS
    assert not NO_ACCESS.owns(CUSTOMER_ID)


def test_a_customer_id_that_is_no_uuid_owns_nothing() -> None:
    access = POLICY.access_for(principal(customer="cust-7", scopes=("orders:read",)))
    assert access == NO_ACCESS


def test_staff_roles_are_configurable() -> None:
    strict = OwnershipPolicy.of(["admin"], [])
    partner = principal(customer=str(CUSTOMER_ID), roles=("partner",))
    assert strict.access_for(partner) == Access.of_customer(CUSTOMER_ID)


def test_owner_of_a_new_row() -> None:
    customer = Access.of_customer(CUSTOMER_ID)
    assert owner_for_new(customer, None, []) == CUSTOMER_ID
    assert owner_for_new(customer, CUSTOMER_ID, [CUSTOMER_ID]) == CUSTOMER_ID
    with pytest.raises(LookupError):
        owner_for_new(customer, None, [OTHER_ID])  # the order is known to be someone else's
    with pytest.raises(LookupError):
        owner_for_new(customer, OTHER_ID, [])  # a customer cannot name another owner
    with pytest.raises(LookupError):
        owner_for_new(NO_ACCESS, None, [])
    assert owner_for_new(ALL_ACCESS, OTHER_ID, []) == OTHER_ID
    assert owner_for_new(ALL_ACCESS, None, [OTHER_ID]) == OTHER_ID
    assert owner_for_new(ALL_ACCESS, None, []) is None
    with pytest.raises(ValueError, match="customerId"):
        owner_for_new(ALL_ACCESS, CUSTOMER_ID, [OTHER_ID])
