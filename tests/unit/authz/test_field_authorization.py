"""Pruning operations by @authenticated, @requiresScopes and @policy, with paths and errors."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from authz_support import (
    ANONYMOUS,
    SUPERGRAPH,
    authorize,
    authorizer,
    normalized,
    paths,
    principal,
    printed,
)

from gateway.auth import ApiKeySettings, Authenticator, AuthSettings, hash_api_key
from gateway.authz import (
    AuthorizationSettings,
    Authorizer,
    PolicyRegistry,
    PolicySettings,
    claims_policy,
)
from gateway.supergraph import load_schema


def test_nothing_restricted_keeps_the_original_document() -> None:
    outcome = authorize("{ order(id: 1) { id number total { amount } } }", ANONYMOUS)
    assert outcome.key.allows_everything
    assert outcome.errors == () and outcome.unauthorized_paths == ()
    assert printed(outcome) == normalized("{ order(id: 1) { id number total { amount } } }")


def test_authenticated_field_is_removed_for_anonymous_callers() -> None:
    query = "{ me { email } ping }"
    outcome = authorize(query, ANONYMOUS)
    assert printed(outcome) == normalized("{ ping }")
    assert outcome.errors == (
        {
            "message": "Unauthorized field or type",
            "path": ["me"],
            "extensions": {"code": "UNAUTHORIZED_FIELD_OR_TYPE"},
        },
    )
    # signed in, but Customer still needs customers:read
    assert paths(authorize(query, principal())) == [["me"]]
    assert printed(authorize(query, principal("customers:read"))) == normalized(query)


def test_restricted_scalar_return_type() -> None:
    assert paths(authorize("{ secret ping }", ANONYMOUS)) == [["secret"]]
    assert authorize("{ secret ping }", principal()).key.allows_everything


def test_restricted_root_type_leaves_an_executable_typename() -> None:
    outcome = authorize('mutation { cancelOrder(id: "1") { id } ping }', ANONYMOUS)
    assert printed(outcome) == normalized("mutation { __typename }")
    assert paths(outcome) == [["cancelOrder"], ["ping"]]
    allowed = authorize('mutation { cancelOrder(id: "1") { id } }', principal())
    assert allowed.key.allows_everything


def test_requires_scopes_inner_lists_and_outer_list_or() -> None:
    notes = '{ order(id: "1") { number internalNotes } }'
    assert paths(authorize(notes, principal())) == [["order", "internalNotes"]]
    assert authorize(notes, principal("orders:admin")).key.allows_everything
    assert authorize(notes, principal("support")).key.allows_everything  # either list

    payments = '{ order(id: "1") { payments { id } } }'
    assert paths(authorize(payments, principal("payments:read"))) == [["order", "payments"]]
    assert paths(authorize(payments, principal("orders:read"))) == [["order", "payments"]]
    both = authorize(payments, principal("payments:read", "orders:read"))  # inner list: AND
    assert both.key.allows_everything


def test_a_field_losing_all_children_keeps_typename_and_its_own_place() -> None:
    outcome = authorize('{ order(id: "1") { internalNotes } }', principal())
    assert printed(outcome) == normalized('{ order(id: "1") { __typename } }')
    assert paths(outcome) == [["order", "internalNotes"]]


def test_paths_use_aliases_and_mark_lists() -> None:
    outcome = authorize(
        "{ all: orders { notes: internalNotes lines { unitCost { amount } } } }", principal()
    )
    assert paths(outcome) == [["all", "@", "notes"], ["all", "@", "lines", "@", "unitCost"]]
    assert printed(outcome) == normalized("{ all: orders { lines { __typename } } }")


def test_named_fragments_report_at_every_spread() -> None:
    query = """
      { order(id: "1") { ...Notes } orders { ...Notes number } }
      fragment Notes on Order { id internalNotes }
    """
    outcome = authorize(query, principal())
    assert paths(outcome) == [["order", "internalNotes"], ["orders", "@", "internalNotes"]]
    assert printed(outcome) == normalized(
        """
        { order(id: "1") { ...Notes__authz1 } orders { ...Notes__authz1 number } }
        fragment Notes__authz1 on Order { id }
        """
    )


def test_interface_selection_must_not_leak_a_restricted_member_type() -> None:
    # Customer (needs customers:read) is a possible Node: `id` on Node would expose customers
    query = '{ node(id: "1") { id } }'
    outcome = authorize(query, principal("orders:read"))
    assert paths(outcome) == [["node", "id"]]
    assert printed(outcome) == normalized('{ node(id: "1") { __typename } }')
    assert authorize(query, principal("customers:read")).key.allows_everything
    # ... also through an inline fragment on the interface itself
    nested = '{ order(id: "1") { customer { id } } node(id: "2") { ... on Node { id } } }'
    assert paths(authorize(nested, principal())) == [["order", "customer"], ["node", "id"]]


def test_payment_is_authenticated_so_node_id_needs_a_signed_in_caller() -> None:
    query = '{ nodes { id } node(id: "1") { __typename } }'
    assert paths(authorize(query, ANONYMOUS)) == [["nodes", "@", "id"]]  # __typename is fine
    assert paths(authorize(query, principal())) == [["nodes", "@", "id"]]  # Customer still
    assert authorize(query, principal("customers:read")).key.allows_everything


def test_type_conditions_narrow_what_an_interface_selection_can_be() -> None:
    query = """
      { node(id: "1") { ... on Order { id number } ... on Customer { email } } }
    """
    outcome = authorize(query, principal())
    assert paths(outcome) == [["node"]]  # the Customer fragment, at the object it applies to
    assert printed(outcome) == normalized('{ node(id: "1") { ... on Order { id number } } }')


def test_a_fragment_on_the_interface_is_pruned_per_context() -> None:
    query = """
      { order(id: "1") { ...NodeId } node(id: "2") { ...NodeId } }
      fragment NodeId on Node { id }
    """
    outcome = authorize(query, principal())
    # inside `order` the Node can only be an Order: nothing leaks, the fragment stays
    assert paths(outcome) == [["node", "id"]]
    assert printed(outcome) == normalized(
        """
        { order(id: "1") { ...NodeId } node(id: "2") { __typename } }
        fragment NodeId on Node { id }
        """
    )


def test_union_members() -> None:
    query = '{ search(text: "a") { __typename ... on Order { number } ... on Customer { email } } }'
    outcome = authorize(query, principal())
    assert paths(outcome) == [["search", "@"]]
    assert printed(outcome) == normalized(
        '{ search(text: "a") { __typename ... on Order { number } } }'
    )
    method = """
      { order(id: "1") { payments { method { ... on CardPayment { last4 }
                                             ... on BankTransferPayment { iban } } } } }
    """
    reader = principal("payments:read", "orders:read")
    assert paths(authorize(method, reader)) == [["order", "payments", "@", "method"]]


def test_policies_from_claims_and_callables() -> None:
    registry = PolicyRegistry()
    registry.register("finance", claims_policy({"department": ["finance", "ops"]}))
    registry.register("weekday", lambda caller: caller.claims.get("weekday") is True)

    def auditor(caller: object) -> bool:
        raise RuntimeError("policy bug")  # a broken policy denies

    registry.register("auditor", auditor)
    chosen = authorizer(policies=registry)
    query = '{ order(id: "1") { lines { unitCost { amount } margin } } }'

    def removed(*scopes: str, **claims: object) -> list[list[str]]:
        return paths(authorize(query, principal(*scopes, **claims), using=chosen))

    line = ["order", "lines", "@"]
    assert removed() == [[*line, "unitCost"], [*line, "margin"]]
    assert removed(department="finance") == [[*line, "margin"]]
    assert removed(department="finance", weekday=True) == []
    assert removed(department=["sales", "ops"], weekday=True) == []  # list claims
    # a policy nobody registered never passes
    assert paths(authorize(query, principal(department="finance", weekday=True))) == [
        [*line, "unitCost"],
        [*line, "margin"],
    ]
    assert chosen.unknown_policies == frozenset()
    assert authorizer().unknown_policies == {"finance", "weekday", "auditor"}


async def test_role_to_scope_mapping_drives_authorization(tmp_path: Path) -> None:
    support_key = "og_support_desk_key_0123456789"
    key_file = tmp_path / "keys.yaml"
    key_file.write_text(
        yaml.safe_dump(
            {
                "keys": [
                    {
                        "id": "desk",
                        "hash": hash_api_key(support_key),
                        "client_id": "desk",
                        "roles": ["support-agent"],
                    }
                ]
            }
        )
    )
    settings = AuthSettings(
        api_keys=ApiKeySettings(file=key_file),
        role_scopes={"support-agent": ["support", "customers:read"]},
    )
    authenticator = Authenticator.from_settings(settings)
    try:
        caller = await authenticator.authenticate({"x-api-key": support_key})
    finally:
        await authenticator.aclose()
    query = '{ order(id: "1") { internalNotes customer { email } payments { id } } }'
    assert paths(authorize(query, caller)) == [["order", "payments"]]


def test_operation_is_chosen_by_name() -> None:
    query = "query Public { ping } query Private { me { id } }"
    assert authorize(query, ANONYMOUS, operation_name="Public").key.allows_everything
    private = authorize(query, ANONYMOUS, operation_name="Private")
    assert paths(private) == [["me"]]
    assert printed(private) == normalized("query Private { __typename }")


def test_fragments_at_the_root_carry_root_requirements() -> None:
    query = "mutation { ...M } fragment M on Mutation { ping }"
    outcome = authorize(query, ANONYMOUS)
    # the spread's type condition (Mutation) is restricted: it goes, reported at the root,
    # which an error shows by having no path
    assert paths(outcome) == [[]]
    assert outcome.errors[0] == {
        "message": "Unauthorized field or type",
        "extensions": {"code": "UNAUTHORIZED_FIELD_OR_TYPE"},
    }
    assert printed(outcome) == normalized("mutation { __typename }")
    inline = authorize("mutation { ... on Mutation { ping } }", principal())
    assert inline.key.allows_everything


def test_variables_and_directives_survive_pruning() -> None:
    query = """
      query Q($id: ID!, $withNotes: Boolean!) {
        order(id: $id) { number @include(if: $withNotes) internalNotes }
      }
    """
    outcome = authorize(query, principal())
    assert printed(outcome) == normalized(
        "query Q($id: ID!, $withNotes: Boolean!) "
        "{ order(id: $id) { number @include(if: $withNotes) } }"
    )


def test_policies_from_settings() -> None:
    settings = AuthorizationSettings(
        policies={
            "finance": PolicySettings(claims={"department": ["finance"]}),
            "weekday": PolicySettings(callable="builtins:bool"),  # any principal is truthy
            "auditor": PolicySettings(claims={"auditor": [True]}),
        }
    )
    chosen = Authorizer.from_supergraph(load_schema(SUPERGRAPH), settings)
    assert chosen.unknown_policies == frozenset()
    query = '{ order(id: "1") { lines { unitCost { amount } margin } } }'
    assert authorize(query, principal(department="finance"), using=chosen).key.allows_everything
    assert paths(authorize(query, principal(auditor=True), using=chosen)) == [
        ["order", "lines", "@", "unitCost"]
    ]


def test_policy_import_errors_surface_at_start_up() -> None:
    with pytest.raises(ModuleNotFoundError):
        PolicyRegistry.from_settings({"p": PolicySettings(callable="no_such_module:check")})
    with pytest.raises(TypeError, match="not callable"):
        PolicyRegistry.from_settings({"p": PolicySettings(callable="math:pi")})
