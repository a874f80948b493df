"""The Idempotency-Key header, key scopes and fingerprints."""

from __future__ import annotations

import pytest

from gateway.idempotency import (
    IdempotencyError,
    KeyScope,
    content_fingerprint,
    operation_fingerprint,
    parse_idempotency_key,
)
from gateway.idempotency.records import IdempotencyRecord, StoredResponse


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ('"8e03978e-40d5-43e8-bc93-6894a57f9324"', "8e03978e-40d5-43e8-bc93-6894a57f9324"),
        ("8e03978e-40d5-43e8-bc93-6894a57f9324", "8e03978e-40d5-43e8-bc93-6894a57f9324"),
        ('"with space and \\"quote\\""', 'with space and "quote"'),
        ('  "padded"  ', "padded"),
        ('"' + "k" * 255 + '"', "k" * 255),
        (None, None),
    ],
)
def test_valid_keys_are_read_as_structured_strings_or_bare_tokens(
    raw: str | None, key: str | None
) -> None:
    assert parse_idempotency_key(raw) == key


@pytest.mark.parametrize(
    "raw",
    ['""', "", '"' + "k" * 256 + '"', "k" * 256, "two words", '"unterminated', '"tab\there"', "é"],
)
def test_invalid_keys_are_refused_with_a_stable_code(raw: str) -> None:
    with pytest.raises(IdempotencyError) as caught:
        parse_idempotency_key(raw)
    assert caught.value.code == "IDEMPOTENCY_KEY_INVALID"
    assert caught.value.status == 400


def test_a_key_means_something_else_in_every_scope() -> None:
    scopes = [
        KeyScope("acme", "https://idp/", "alice"),
        KeyScope("globex", "https://idp/", "alice"),
        KeyScope("acme", "https://idp/", "bob"),
        KeyScope("acme", "https://other-idp/", "alice"),
        KeyScope(None, None, None),
    ]
    digests = {scope.digest("order-1") for scope in scopes}
    assert len(digests) == len(scopes)
    same_scope = KeyScope("acme", "https://idp/", "alice")
    assert scopes[0].digest("order-1") == same_scope.digest("order-1")
    assert scopes[0].digest("order-1") != scopes[0].digest("order-2")


def test_fingerprints_ignore_variable_order_but_not_values() -> None:
    first = operation_fingerprint("doc", "Create", {"a": 1, "b": {"x": [1, 2], "y": None}})
    same = operation_fingerprint("doc", "Create", {"b": {"y": None, "x": [1, 2]}, "a": 1})
    assert first == same
    assert first != operation_fingerprint("doc", "Create", {"a": 2, "b": {"x": [1, 2], "y": None}})
    assert first != operation_fingerprint("doc", "Other", {"a": 1, "b": {"x": [1, 2], "y": None}})
    assert first != operation_fingerprint("doc2", "Create", {"a": 1, "b": {"x": [1, 2], "y": None}})
    assert operation_fingerprint("doc", None, None) == operation_fingerprint("doc", None, {})


def test_content_fingerprints_cover_kind_type_and_bytes() -> None:
    base = content_fingerprint("orders", "application/json", b"[]")
    assert base == content_fingerprint("orders", "application/json", b"[]")
    assert base != content_fingerprint("customers", "application/json", b"[]")
    assert base != content_fingerprint("orders", "text/csv", b"[]")
    assert base != content_fingerprint("orders", "application/json", b"[ ]")


def test_records_survive_encoding_with_any_body() -> None:
    in_flight = IdempotencyRecord("owner1", "f" * 64)
    assert IdempotencyRecord.decode(in_flight.encode()) == in_flight
    body = b'{"data":{"x":"line\\none"}}\n\nraw\nnewlines'
    done = IdempotencyRecord("owner1", "f" * 64, StoredResponse(202, body, {"location": "/jobs/1"}))
    decoded = IdempotencyRecord.decode(done.encode())
    assert decoded == done
    assert decoded.response is not None and decoded.response.body == body
    assert not decoded.in_flight and in_flight.in_flight
