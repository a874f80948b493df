"""Which incoming trace headers are accepted and passed on (W3C Trace Context, level 1)."""

from __future__ import annotations

import pytest

from wire.tracing import trace_headers, trace_id_of

VALID = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


def test_a_valid_traceparent_is_kept_unchanged_with_its_tracestate() -> None:
    found = trace_headers({"traceparent": VALID, "tracestate": "a=1,b=2"})
    assert found == {"traceparent": VALID, "tracestate": "a=1,b=2"}
    assert trace_id_of({"traceparent": VALID}) == "4bf92f3577b34da6a3ce929d0e0e4736"


def test_a_future_version_is_read_by_its_first_fields() -> None:
    future = "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-whatever"
    assert trace_headers({"traceparent": future}) == {"traceparent": future}


@pytest.mark.parametrize(
    "traceparent",
    [
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",  # upper case
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",  # zero trace id
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",  # zero parent id
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",  # forbidden version
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",  # 00 has 4 fields
        "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",  # short trace id
        "not a traceparent",
    ],
)
def test_an_invalid_traceparent_is_dropped_with_its_tracestate(traceparent: str) -> None:
    assert trace_headers({"traceparent": traceparent, "tracestate": "a=1"}) is None
    assert trace_id_of({"traceparent": traceparent}) is None


def test_a_tracestate_alone_is_not_passed_on() -> None:
    assert trace_headers({"tracestate": "a=1"}) is None
