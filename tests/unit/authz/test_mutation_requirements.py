"""Every mutation of every subgraph carries a requirement in the schema, the supergraph keeps
it, no mutation is open to the anonymous caller, and the README's table lists them all."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from graphql import (
    DocumentNode,
    FieldDefinitionNode,
    ObjectTypeDefinitionNode,
    ObjectTypeExtensionNode,
    parse,
    print_ast,
)

from gateway.auth.principal import ANONYMOUS, Principal, PrincipalKind
from gateway.authz.builtin_policies import BUILTIN_POLICIES
from gateway.authz.index import AuthorizationIndex
from gateway.authz.policies import PolicyRegistry
from gateway.supergraph import load_supergraph
from subgraphs.registry import SUBGRAPH_NAMES
from subgraphs.snapshots import sdl_of

ROOT = Path(__file__).resolve().parents[3]
SUPERGRAPH = ROOT / "schema" / "supergraph.graphql"
AUTH_DIRECTIVES = {"requiresScopes", "policy", "authenticated"}


def mutation_fields(document: DocumentNode) -> dict[str, FieldDefinitionNode]:
    """The fields of ``Mutation`` (definition and extensions) by name."""
    found: dict[str, FieldDefinitionNode] = {}
    for definition in document.definitions:
        if (
            isinstance(definition, ObjectTypeDefinitionNode | ObjectTypeExtensionNode)
            and definition.name.value == "Mutation"
        ):
            found.update({field.name.value: field for field in definition.fields or ()})
    return found


def requirement_text(field: FieldDefinitionNode) -> str:
    """The field's authorization directives as the SDL prints them (empty: none)."""
    return " ".join(
        print_ast(directive)
        for directive in field.directives or ()
        if directive.name.value in AUTH_DIRECTIVES
    )


def unguarded(document: DocumentNode) -> list[str]:
    return [
        name for name, field in mutation_fields(document).items() if not requirement_text(field)
    ]


def test_every_supergraph_mutation_has_a_requirement() -> None:
    fields = mutation_fields(parse(SUPERGRAPH.read_text(encoding="utf-8")))
    assert len(fields) >= 17  # the four subgraphs' mutations, the internal imports included
    assert unguarded(parse(SUPERGRAPH.read_text(encoding="utf-8"))) == []


@pytest.mark.parametrize("name", SUBGRAPH_NAMES)
def test_every_subgraph_mutation_has_a_requirement(name: str) -> None:
    snapshot = (ROOT / "schema" / "subgraphs" / f"{name}.graphql").read_text(encoding="utf-8")
    assert mutation_fields(parse(snapshot)), name
    assert unguarded(parse(snapshot)) == []
    # the running code, not only the checked-in snapshot
    assert unguarded(parse(sdl_of(name))) == []


def test_the_walk_reports_a_mutation_without_a_requirement() -> None:
    document = parse(
        'type Mutation { open: Int  guarded: Int @requiresScopes(scopes: [["x"]]) '
        'owned: Int @policy(policies: [["p"]]) signedIn: Int @authenticated }'
    )
    assert unguarded(document) == ["open"]


def test_no_mutation_is_open_to_the_anonymous_caller_or_a_read_only_partner() -> None:
    index = AuthorizationIndex.from_directives(
        load_supergraph(SUPERGRAPH.read_text(encoding="utf-8")).directives
    )
    registry = PolicyRegistry.from_settings({})
    reader = Principal(
        kind=PrincipalKind.JWT,
        subject="reader",
        client_id="reader",
        scopes=frozenset(
            {"orders:read", "customers:read", "inventory:read", "payments:read", "shipments:read"}
        ),
    )
    fields = mutation_fields(parse(SUPERGRAPH.read_text(encoding="utf-8")))
    for caller in (ANONYMOUS, reader):
        passed = registry.satisfied(index.policy_names, caller)
        for name in fields:
            requirement = index.field_requirement("Mutation", name)
            assert requirement is not None, name
            assert not requirement.satisfied_by(
                authenticated=caller.is_authenticated, scopes=caller.scopes, policies=passed
            ), (caller.subject, name)


def test_the_order_owner_policy_is_built_in() -> None:
    policy = BUILTIN_POLICIES["order_owner"]
    customer = Principal(
        kind=PrincipalKind.JWT, customer_id="c-1", scopes=frozenset({"orders:write:own"})
    )
    no_customer = Principal(kind=PrincipalKind.JWT, scopes=frozenset({"orders:write:own"}))
    staff = Principal(kind=PrincipalKind.JWT, scopes=frozenset({"orders:write"}))
    reader = Principal(kind=PrincipalKind.JWT, customer_id="c-1", scopes=frozenset({"orders:read"}))
    assert [policy(p) for p in (customer, no_customer, staff, reader, ANONYMOUS)] == [
        True,
        False,
        True,
        False,
        False,
    ]
    assert "order_owner" in PolicyRegistry.from_settings({}).names


_ROW = re.compile(r"^\| `(?P<name>\w+)` \| (?P<subgraph>\w+) \| `(?P<requirement>@[^`]+)` \|")


@pytest.mark.parametrize("document", ["README.md", "docs/security.md"])
def test_the_docs_list_the_requirement_of_every_mutation(document: str) -> None:
    text = (ROOT / document).read_text(encoding="utf-8")
    listed = {
        match["name"]: (match["subgraph"], match["requirement"])
        for line in text.splitlines()
        if (match := _ROW.match(line))
    }
    fields = mutation_fields(parse(SUPERGRAPH.read_text(encoding="utf-8")))
    assert listed == {
        name: (subgraph_of(field), requirement_text(field)) for name, field in fields.items()
    }


def subgraph_of(field: FieldDefinitionNode) -> str:
    """The subgraph resolving a supergraph field (its ``@join__field(graph:)``), lower case."""
    for directive in field.directives or ():
        if directive.name.value == "join__field":
            for argument in directive.arguments or ():
                if argument.name.value == "graph":
                    return print_ast(argument.value).lower()
    raise AssertionError(f"{field.name.value} has no @join__field")
