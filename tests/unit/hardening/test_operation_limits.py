"""Operation limits: size, tokens, depth, aliases and root fields, following fragments."""

from __future__ import annotations

import pytest
from graphql import GraphQLSyntaxError, OperationDefinitionNode, parse

from gateway.hardening import (
    HardeningError,
    HardeningErrorCode,
    HardeningSettings,
    measure_operation,
    operation_limit_violations,
    parse_with_limits,
)

UNLIMITED = HardeningSettings(
    max_document_bytes=None,
    max_tokens=None,
    max_depth=None,
    max_aliases=None,
    max_root_fields=None,
    max_fields=None,
)


def measures(query: str) -> tuple[int, int, int]:
    document = parse(query)
    operation = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
    result = measure_operation(document, operation)
    return result.depth, result.aliases, result.root_fields


def codes(query: str, operation_name: str | None = None, **limits: int | None) -> set[str]:
    settings = UNLIMITED.model_copy(update=limits)
    return {
        str(error.code)
        for error in operation_limit_violations(parse(query), operation_name, settings)
    }


def test_depth_counts_fields_and_follows_fragments() -> None:
    assert measures("{ a }")[0] == 1
    assert measures("{ a { b { c } } }")[0] == 3
    query = """
      { a { ...F ... on T { x { y } } } }
      fragment F on T { b { ...G } }
      fragment G on U { c { d } }
    """
    assert measures(query)[0] == 4  # a > b > c > d via F and G, deeper than the inline a > x > y
    assert codes(query, max_depth=3) == {"MAX_DEPTH_EXCEEDED"}
    assert codes(query, max_depth=4) == set()


def test_aliases_count_every_use_of_a_fragment() -> None:
    query = """
      { first: a { ...F } second: a { ...F } b }
      fragment F on T { x: id y: id }
    """
    assert measures(query)[1] == 6
    assert codes(query, max_aliases=5) == {"MAX_ALIASES_EXCEEDED"}
    assert codes(query, max_aliases=6) == set()


def test_root_fields_expand_fragments_at_the_root_only() -> None:
    query = """
      query Q { a b ...Root ... on Query { c } }
      fragment Root on Query { d e nested { f g h } }
    """
    assert measures(query)[2] == 6  # a b d e nested c
    assert codes(query, max_root_fields=5) == {"MAX_ROOT_FIELDS_EXCEEDED"}


def test_several_violations_are_reported_together() -> None:
    query = "{ x: a { b { c } } y: a { b { c } } z: d }"
    assert codes(query, max_depth=2, max_aliases=2, max_root_fields=2) == {
        "MAX_DEPTH_EXCEEDED",
        "MAX_ALIASES_EXCEEDED",
        "MAX_ROOT_FIELDS_EXCEEDED",
    }


def test_only_the_named_operation_is_checked() -> None:
    query = "query Small { a } query Deep { a { b { c { d } } } }"
    assert codes(query, "Small", max_depth=2) == set()
    assert codes(query, "Deep", max_depth=2) == {"MAX_DEPTH_EXCEEDED"}
    assert codes(query, None, max_depth=2) == {"MAX_DEPTH_EXCEEDED"}


@pytest.mark.parametrize(
    "query",
    [
        "{ ...A } fragment A on Query { a ...B } fragment B on Query { b ...A }",
        "{ a { ...A } } fragment A on T { x: a { ...A } }",
        "{ ...A } fragment A on Query { ...A }",
        "{ ...Missing }",
    ],
)
def test_circular_or_unknown_fragments_terminate(query: str) -> None:
    depth, aliases, roots = measures(query)
    assert depth < 10 and aliases < 10 and roots < 10  # finite; validation rejects the cycle


def test_five_hundred_duplicate_fields() -> None:
    query = "{ " + " ".join(["hello"] * 500) + " }"
    assert measures(query) == (1, 0, 500)
    assert codes(query, max_root_fields=20) == {"MAX_ROOT_FIELDS_EXCEEDED"}
    aliased = "{ " + " ".join(f"a{i}: hello" for i in range(500)) + " }"
    assert codes(aliased, max_aliases=30) == {"MAX_ALIASES_EXCEEDED"}


def test_fragment_bomb_is_measured_without_expanding_it() -> None:
    # F0 uses F1 twice, F1 uses F2 twice, ...: 2**60 aliased fields once expanded. Expanding
    # it would never finish; measuring each fragment once is immediate.
    levels = 60
    fragments = " ".join(
        f"fragment F{i} on T {{ l: a {{ ...F{i + 1} }} r: b {{ ...F{i + 1} }} }}"
        for i in range(levels)
    )
    query = f"{{ t {{ ...F0 }} }} {fragments} fragment F{levels} on T {{ leaf }}"
    depth, aliases, _ = measures(query)
    assert depth == levels + 2
    assert aliases >= 2**40  # saturated, far above any limit
    assert codes(query, max_aliases=30, max_depth=100) == {"MAX_ALIASES_EXCEEDED"}


def test_long_chains_of_fragment_spreads_do_not_overflow_the_stack() -> None:
    count = 3_000
    chain = " ".join(f"fragment F{i} on T {{ n {{ ...F{i + 1} }} }}" for i in range(count))
    query = f"{{ t {{ ...F0 }} }} {chain} fragment F{count} on T {{ leaf }}"
    depth, _, roots = measures(query)
    assert (depth, roots) == (count + 2, 1)
    assert codes(query, max_depth=15) == {"MAX_DEPTH_EXCEEDED"}


def test_document_size_is_measured_in_utf8_bytes() -> None:
    limits = HardeningSettings(max_document_bytes=100)
    parse_with_limits("{ a }" + " " * 90, limits)
    with pytest.raises(HardeningError) as caught:
        parse_with_limits('{ a(s: "' + "é" * 50 + '") }', limits)  # 50 chars, 100+ bytes
    assert caught.value.code is HardeningErrorCode.DOCUMENT_TOO_LARGE


def test_token_limit() -> None:
    limits = HardeningSettings(max_tokens=50)
    parse_with_limits("{ " + " ".join(["a"] * 40) + " }", limits)
    with pytest.raises(HardeningError) as caught:
        parse_with_limits("{ " + " ".join(["a"] * 60) + " }", limits)
    assert caught.value.code is HardeningErrorCode.MAX_TOKENS_EXCEEDED
    with pytest.raises(HardeningError) as comments:
        parse_with_limits("{ a }\n" + "#c\n" * 60, limits)
    assert comments.value.code is HardeningErrorCode.MAX_TOKENS_EXCEEDED


def test_nesting_beyond_the_parser_is_a_depth_error() -> None:
    query = "{ a " * 3000 + "}" * 3000
    with pytest.raises(HardeningError) as caught:
        parse_with_limits(query, UNLIMITED)
    assert caught.value.code is HardeningErrorCode.MAX_DEPTH_EXCEEDED


def test_other_syntax_errors_pass_through() -> None:
    with pytest.raises(GraphQLSyntaxError):
        parse_with_limits("{ a ", HardeningSettings())


def test_errors_have_the_graphql_shape() -> None:
    [error] = operation_limit_violations(
        parse("{ a { b } }"), None, UNLIMITED.model_copy(update={"max_depth": 1})
    )
    assert error.graphql_error() == {
        "message": "The operation is 2 fields deep; the limit is 1",
        "extensions": {"code": "MAX_DEPTH_EXCEEDED"},
    }
    assert error.status == 400


def test_defaults_are_safe() -> None:
    defaults = HardeningSettings()
    assert defaults.max_depth and defaults.max_aliases and defaults.max_root_fields
    assert defaults.max_tokens and defaults.max_document_bytes
    assert defaults.csrf_prevention.enabled
    assert not defaults.introspection_allowed(production=True)
    assert defaults.introspection_allowed(production=False)


def test_expanded_fields_are_counted_without_expanding_a_fragment_bomb() -> None:
    levels = 40  # 2**40 fields once expanded
    query = f"{{ ...F0 }} fragment F{levels} on Query {{ a }} " + " ".join(
        f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(levels)
    )
    document = parse(query)
    operation = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
    assert measure_operation(document, operation).fields == 2**40
    assert codes(query, max_fields=2000) == {"MAX_FIELDS_EXCEEDED"}
    assert codes("{ a b { c d } ...F } fragment F on Query { e f }", max_fields=6) == set()
    assert codes("{ a b { c d } ...F } fragment F on Query { e f g }", max_fields=6) == {
        "MAX_FIELDS_EXCEEDED"
    }
