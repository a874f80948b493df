"""Modes (enforce, reject, dry_run), outcome keys for plan caching, pathological documents."""

from __future__ import annotations

from authz_support import ANONYMOUS, API_SCHEMA, authorize, authorizer, paths, principal, printed
from graphql import parse, print_ast, validate

from gateway.authz import AuthorizationMode, concrete_paths

NOTES = '{ order(id: "1") { number internalNotes payments { id } } }'


def test_reject_mode_refuses_the_whole_operation() -> None:
    outcome = authorize(NOTES, principal(), using=authorizer(AuthorizationMode.REJECT))
    assert outcome.rejected and outcome.document is None
    assert [error["path"] for error in outcome.errors] == [
        ["order", "internalNotes"],
        ["order", "payments"],
    ]
    allowed = authorize(
        NOTES,
        principal("support", "payments:read", "orders:read"),
        using=authorizer(AuthorizationMode.REJECT),
    )
    assert not allowed.rejected and allowed.errors == ()


def test_dry_run_only_reports() -> None:
    outcome = authorize(NOTES, principal(), using=authorizer(AuthorizationMode.DRY_RUN))
    assert not outcome.rejected
    assert print_ast(outcome.document) == print_ast(parse(NOTES))  # nothing removed
    assert outcome.errors == ()
    assert paths(outcome) == [["order", "internalNotes"], ["order", "payments"]]


def test_same_scopes_same_key_whoever_the_user() -> None:
    chosen = authorizer()
    analysis = chosen.analyze(parse(NOTES))
    alice = principal("support", sub="alice", customer_id="c-1")
    bob = principal("support", sub="bob", customer_id="c-2")
    bob_with_more = principal("support", "inventory:write", sub="bob")  # irrelevant scope
    admin = principal("orders:admin", sub="carol")  # other scopes, same failures
    key = chosen.key_for(analysis, alice)
    assert key == chosen.key_for(analysis, bob) == chosen.key_for(analysis, bob_with_more)
    assert key == chosen.key_for(analysis, admin)
    assert hash(key) == hash(chosen.key_for(analysis, bob)) and key.digest
    assert key.digest == chosen.key_for(analysis, admin).digest
    # a scope the operation does care about changes the key
    reader = principal("support", "payments:read", "orders:read")
    assert chosen.key_for(analysis, reader) != key
    assert chosen.key_for(analysis, reader).allows_everything
    # equal keys give the very same pruned document (plans can be cached by key)
    first = chosen.outcome(analysis, key)
    second = chosen.authorize(analysis, bob)
    assert first.document is second.document and first.errors == second.errors


def test_key_of_an_unrestricted_operation_is_shared_by_everyone() -> None:
    chosen = authorizer()
    analysis = chosen.analyze(parse('{ order(id: "1") { number } }'))
    assert analysis.requirements == frozenset()
    keys = {chosen.key_for(analysis, caller) for caller in (ANONYMOUS, principal("x"))}
    assert len(keys) == 1 and next(iter(keys)).allows_everything


def test_long_fragment_chains_do_not_overflow_the_stack() -> None:
    count = 2_000
    chain = " ".join(
        f"fragment F{i} on Order {{ internalNotes customer {{ orders {{ ...F{i + 1} }} }} }}"
        for i in range(count)
    )
    query = f'{{ order(id: "1") {{ ...F0 }} }} {chain} fragment F{count} on Order {{ number }}'
    chosen = authorizer(max_error_paths=10)
    analysis = chosen.analyze(parse(query))
    outcome = chosen.authorize(analysis, principal("customers:read"))
    assert outcome.truncated and len(outcome.unauthorized_paths) == 10
    assert outcome.unauthorized_paths[0] == ("order", "internalNotes")
    assert outcome.document is not None
    assert len(outcome.document.definitions) == count + 2  # each fragment pruned exactly once


def test_fragment_bomb_is_pruned_without_expanding_it() -> None:
    # G0 spreads G1 under two fields, G1 spreads G2 twice, ...: 2**40 paths once expanded
    levels = 40
    bomb = " ".join(
        f"fragment G{i} on Order {{ internalNotes a: customer {{ orders {{ ...G{i + 1} }} }} "
        f"b: customer {{ orders {{ ...G{i + 1} }} }} }}"
        for i in range(levels)
    )
    query = f'{{ order(id: "1") {{ ...G0 }} }} {bomb} fragment G{levels} on Order {{ id }}'
    document = parse(query)
    chosen = authorizer(max_error_paths=50)
    outcome = chosen.authorize(chosen.analyze(document), principal("customers:read"))
    assert outcome.truncated and len(outcome.errors) == 50
    assert outcome.document is not None
    assert len(print_ast(outcome.document)) < 2 * len(query)  # linear, not 2**40
    assert not [e for e in validate(API_SCHEMA, outcome.document) if "never used" not in e.message]


def test_deeply_nested_fields() -> None:
    depth = 40  # 80 levels: about as deep as graphql-core's parser goes
    query = '{ order(id: "1") { ' + "customer { orders { " * depth + "internalNotes"
    query += " }" * (2 * depth) + " } }"
    outcome = authorize(query, principal("customers:read"))
    assert len(outcome.unauthorized_paths) == 1
    assert len(outcome.unauthorized_paths[0]) == 2 + 3 * depth
    printed(outcome)


def test_static_paths_expand_to_index_paths_over_response_data() -> None:
    data = {
        "orders": [
            {"lines": [{"unitCost": None}, {"unitCost": None}]},
            {"lines": []},
            {"lines": None},
            {"lines": [{"unitCost": None}]},
        ],
        "order": None,
    }
    assert concrete_paths(data, ("orders", "@", "lines", "@", "unitCost")) == [
        ["orders", 0, "lines", 0, "unitCost"],
        ["orders", 0, "lines", 1, "unitCost"],
        ["orders", 2, "lines"],
        ["orders", 3, "lines", 0, "unitCost"],
    ]
    assert concrete_paths(data, ("order", "internalNotes")) == [["order", "internalNotes"]]
    assert concrete_paths({"orders": []}, ("orders", "@", "internalNotes")) == [["orders"]]
    assert concrete_paths(data, ()) == [[]]
    assert len(concrete_paths({"a": [{}] * 500}, ("a", "@", "b"), limit=7)) == 7
