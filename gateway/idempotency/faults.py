"""TEST-ONLY fault injection: make the gateway die at a precise point of the idempotency stage.

Off unless the environment variable ``ORDERGATE_FAULT_INJECTION`` names a fault point. It exists
so that the crash tests (tests/e2e/) can kill a real gateway process after a subgraph committed
a mutation and before the gateway stored the idempotency record, which no timing trick can hit
reliably. Never set it in production.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from enum import StrEnum

__all__ = ["FAULT_EXIT_CODE", "FAULT_INJECTION_VARIABLE", "FaultPoint", "active_faults", "crash"]

FAULT_INJECTION_VARIABLE = "ORDERGATE_FAULT_INJECTION"
#: the exit status of a process killed by an injected fault
FAULT_EXIT_CODE = 86


class FaultPoint(StrEnum):
    """Where a fault can be injected."""

    #: the mutation ran (subgraphs committed), the idempotency record is not stored yet
    IDEMPOTENCY_EXIT_BEFORE_STORE = "idempotency-exit-before-store"


def active_faults(environ: Mapping[str, str] | None = None) -> frozenset[FaultPoint]:
    """The fault points named by ``ORDERGATE_FAULT_INJECTION`` (comma-separated)."""
    raw = (os.environ if environ is None else environ).get(FAULT_INJECTION_VARIABLE, "")
    known = {point.value: point for point in FaultPoint}
    return frozenset(known[name.strip()] for name in raw.split(",") if name.strip() in known)


def crash(point: FaultPoint) -> None:
    """Die now, without cleanup, as a killed process would."""
    sys.stderr.write(f"ordergate: injected fault {point.value}: exiting\n")
    sys.stderr.flush()
    os._exit(FAULT_EXIT_CODE)
