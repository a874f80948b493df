"""The subgraphs' own check of write requirements: scopes (OR of ANDs) and the orders
``order_owner`` policy over the principal and its ownership access."""

from __future__ import annotations

import uuid

import pytest

from subgraphs.common.caller import Principal
from subgraphs.common.ownership import ALL_ACCESS, NO_ACCESS, Access, OwnershipPolicy
from subgraphs.common.rights import Requirement, requires_policy, requires_scopes
from subgraphs.orders.rights import ORDER_OWNER, order_owner

CUSTOMER = uuid.uuid4()
POLICY = OwnershipPolicy.of(["admin", "partner"], ["orders:read", "orders:write:own"])


def principal(
    *scopes: str, customer_id: str | None = None, roles: tuple[str, ...] = ()
) -> Principal:
    return Principal(
        kind="jwt",
        subject="t",
        customer_id=customer_id,
        roles=frozenset(roles),
        scopes=frozenset(scopes),
    )


def test_scopes_are_an_or_of_ands() -> None:
    requirement = requires_scopes(["a", "b"], ["c"])
    assert requirement.federation_arguments() == {"requires_scopes": [["a", "b"], ["c"]]}
    assert requirement.allows(principal("a", "b"), ALL_ACCESS)
    assert requirement.allows(principal("c"), ALL_ACCESS)
    assert not requirement.allows(principal("a"), ALL_ACCESS)
    assert not requirement.allows(principal(), ALL_ACCESS)


def test_a_requirement_needs_something() -> None:
    with pytest.raises(ValueError, match="scopes or a policy"):
        Requirement()


def test_a_policy_prints_its_name_and_runs_its_check() -> None:
    requirement = requires_policy("always", lambda _principal, _access: True)
    assert requirement.federation_arguments() == {"policy": [["always"]]}
    assert requirement.allows(principal(), NO_ACCESS)
    assert ORDER_OWNER.federation_arguments() == {"policy": [["order_owner"]]}


@pytest.mark.parametrize(
    ("caller", "allowed"),
    [
        (principal("orders:write"), True),  # staff, partners
        (principal("orders:read", "orders:write:own", customer_id=str(CUSTOMER)), True),
        # the own-orders scope without a customer, or for a staff role: not an owner
        (principal("orders:read", "orders:write:own"), False),
        (principal("orders:write:own", customer_id=str(CUSTOMER), roles=("partner",)), False),
        (principal("orders:read", customer_id=str(CUSTOMER)), False),
        (principal(), False),
    ],
)
def test_order_owner(caller: Principal, allowed: bool) -> None:
    access: Access = POLICY.access_for(caller)
    assert order_owner(caller, access) is allowed
    assert ORDER_OWNER.allows(caller, access) is allowed
