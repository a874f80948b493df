"""Bounded label values (docs/adr/1107)."""

from __future__ import annotations

from gateway.observability.labels import OTHER, BoundedValues, client_label


def test_the_first_values_are_kept_then_everything_is_other() -> None:
    values = BoundedValues(2)
    assert [values.admit(v) for v in ("a", "b", "c", "a", "d", "b")] == [
        "a",
        "b",
        OTHER,
        "a",
        OTHER,
        "b",
    ]
    assert len(values) == 2


def test_known_values_do_not_count_against_the_limit() -> None:
    values = BoundedValues(1)
    assert values.admit("TrustedOp", known=True) == "TrustedOp"
    assert values.admit("TrustedToo", known=True) == "TrustedToo"
    assert values.admit("raw") == "raw"
    assert values.admit("other-raw") == OTHER
    assert values.admit("TrustedOp") == "TrustedOp"  # seen: kept, even when not flagged
    assert len(values) == 3


def test_overlong_values_are_folded() -> None:
    assert BoundedValues(10).admit("x" * 101) == OTHER


def test_client_labels() -> None:
    listed = {"acme": object()}
    assert client_label(None, True, listed) == "anonymous"
    assert client_label("acme", False, listed) == "acme"
    assert client_label("unlisted", False, listed) == OTHER
    assert client_label(None, False, listed) == OTHER
