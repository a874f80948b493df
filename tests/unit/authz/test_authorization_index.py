"""Reading @authenticated, @requiresScopes and @policy out of supergraphs (renames included)."""

from __future__ import annotations

import pytest
from authz_support import SUPERGRAPH

from gateway.authz import AuthorizationIndex, Requirement, UnsupportedSpecError
from gateway.authz.requirements import alternatives
from gateway.supergraph import load_schema


def index_of(sdl: str) -> AuthorizationIndex:
    return AuthorizationIndex.from_directives(load_schema(sdl).directives)


LINKS = """
schema
  @link(url: "https://specs.apollo.dev/link/v1.0")
  @link(url: "https://specs.apollo.dev/join/v0.3", for: EXECUTION)
  {links}
{{ query: Query }}
"""


def test_apollo_supergraph_requirements() -> None:
    index = index_of(SUPERGRAPH)
    assert index.type_requirement("Customer") == Requirement(
        scopes=(frozenset({"customers:read"}),)
    )
    assert index.type_requirement("Payment") == Requirement(authenticated=True)
    assert index.type_requirement("Secret") == Requirement(authenticated=True)
    assert index.type_requirement("Mutation") == Requirement(authenticated=True)
    assert index.type_requirement("Order") is None
    assert index.field_requirement("Order", "internalNotes") == Requirement(
        scopes=(frozenset({"orders:admin"}), frozenset({"support"}))
    )
    assert index.field_requirement("Order", "payments") == Requirement(
        scopes=(frozenset({"orders:read", "payments:read"}),)
    )
    assert index.field_requirement("OrderLine", "margin") == Requirement(
        policies=(frozenset({"auditor"}), frozenset({"finance", "weekday"}))
    )
    assert index.field_requirement("Query", "me") == Requirement(authenticated=True)
    assert index.field_requirement("Order", "number") is None
    assert index.policy_names == {"finance", "weekday", "auditor"}


def test_renamed_through_as_and_import() -> None:
    sdl = (
        LINKS.format(
            links="""
        @link(
          url: "https://specs.apollo.dev/authenticated/v0.1"
          import: [{name: "@authenticated", as: "@loggedIn"}]
        )
        @link(url: "https://specs.apollo.dev/requiresScopes/v0.1", as: "scopes", for: SECURITY)
        @link(url: "https://specs.apollo.dev/policy/v0.1", import: ["@policy"])
        """
        )
        + """
        directive @loggedIn on FIELD_DEFINITION | OBJECT
        directive @scopes(scopes: [[scopes__Scope!]!]!) on FIELD_DEFINITION | OBJECT
        directive @policy(policies: [[String!]!]!) on FIELD_DEFINITION
        directive @authenticated on FIELD_DEFINITION
        directive @requiresScopes(scopes: [[String!]!]!) on FIELD_DEFINITION
        scalar scopes__Scope
        type Query {
          a: String @loggedIn
          b: String @scopes(scopes: [["x"]])
          c: String @policy(policies: [["p"]])
          notAuth: String @authenticated
          notScopes: String @requiresScopes(scopes: [["y"]])
        }
    """
    )
    index = index_of(sdl)
    assert index.field_requirement("Query", "a") == Requirement(authenticated=True)
    assert index.field_requirement("Query", "b") == Requirement(scopes=(frozenset({"x"}),))
    assert index.field_requirement("Query", "c") == Requirement(policies=(frozenset({"p"}),))
    # under renames, the plain names are somebody else's directives
    assert index.field_requirement("Query", "notAuth") is None
    assert index.field_requirement("Query", "notScopes") is None


def test_federation_spec_imports_and_namespaced_names() -> None:
    sdl = (
        LINKS.format(
            links='@link(url: "https://specs.apollo.dev/federation/v2.5", '
            'import: ["@key", "@authenticated"])'
        )
        + """
        directive @authenticated on FIELD_DEFINITION
        directive @federation__requiresScopes(scopes: [[String!]!]!) on FIELD_DEFINITION
        type Query {
          a: String @authenticated
          b: String @federation__requiresScopes(scopes: [["s"]])
        }
    """
    )
    index = index_of(sdl)
    assert index.field_requirement("Query", "a") == Requirement(authenticated=True)
    assert index.field_requirement("Query", "b") == Requirement(scopes=(frozenset({"s"}),))


def test_no_link_means_plain_names() -> None:
    index = index_of("directive @authenticated on OBJECT type Query @authenticated { a: String }")
    assert index.type_requirement("Query") == Requirement(authenticated=True)


def test_unknown_spec_version_fails_closed() -> None:
    sdl = (
        LINKS.format(
            links='@link(url: "https://specs.apollo.dev/requiresScopes/v1.0", for: SECURITY)'
        )
        + "type Query { a: String }"
    )
    with pytest.raises(UnsupportedSpecError):
        index_of(sdl)


def test_graphql_list_coercion_of_arguments() -> None:
    sdl = """
      directive @requiresScopes(scopes: [[String!]!]!) on FIELD_DEFINITION | ENUM
      type Query {
        single: String @requiresScopes(scopes: "a")
        flat: String @requiresScopes(scopes: ["a", "b"])
        empty: String @requiresScopes(scopes: [])
        anyone: String @requiresScopes(scopes: [[], ["a"]])
      }
    """
    index = index_of(sdl)
    assert index.field_requirement("Query", "single") == Requirement(scopes=(frozenset({"a"}),))
    # ["a", "b"] coerces to [["a"], ["b"]]: either scope
    assert index.field_requirement("Query", "flat") == Requirement(
        scopes=(frozenset({"a"}), frozenset({"b"}))
    )
    assert index.field_requirement("Query", "empty") is None
    assert index.field_requirement("Query", "anyone") is None


def test_extensions_and_repeated_elements_are_anded() -> None:
    sdl = """
      directive @requiresScopes(scopes: [[String!]!]!) on OBJECT
      directive @authenticated on OBJECT
      type Query { a: T }
      type T @requiresScopes(scopes: [["a"], ["b"]]) { x: String }
      extend type T @requiresScopes(scopes: [["c"]]) @authenticated
    """
    index = index_of(sdl)
    assert index.type_requirement("T") == Requirement(
        authenticated=True, scopes=(frozenset({"a", "c"}), frozenset({"b", "c"}))
    )


def test_alternatives_are_canonical() -> None:
    assert alternatives([["b", "a"], ["a", "b"], ["a", "b", "c"]]) == (frozenset({"a", "b"}),)
    assert alternatives([["c"], ["a"]]) == (frozenset({"a"}), frozenset({"c"}))
    left = Requirement(scopes=alternatives([["x"], ["y"]]))
    right = Requirement(scopes=alternatives([["y"], ["x"]]))
    assert left == right and hash(left) == hash(right)


def test_satisfaction_semantics() -> None:
    requirement = Requirement(
        authenticated=True,
        scopes=alternatives([["a", "b"], ["c"]]),
        policies=alternatives([["p"]]),
    )

    def ok(authenticated: bool, scopes: set[str], policies: set[str]) -> bool:
        return requirement.satisfied_by(
            authenticated=authenticated, scopes=scopes, policies=policies
        )

    assert ok(True, {"a", "b"}, {"p"})
    assert ok(True, {"c"}, {"p"})
    assert not ok(True, {"a"}, {"p"})  # inner list is AND
    assert not ok(True, {"c"}, set())  # policies too
    assert not ok(False, {"c"}, {"p"})  # and authentication
