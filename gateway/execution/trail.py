"""What one request's executions did, for the request lookup (docs/observability.md).

A :class:`ExecutionTrail` is made per HTTP request by the observability edge (only when the
request lookup is on) and reaches the pipeline in ``RequestContext.attributes[TRAIL]``; the
pipeline notes each planned operation on it and the executor each subgraph fetch. Noting costs
a clock read and an append; nothing is formatted until the request has been answered.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from graphql import VariableDefinitionNode

from gateway.planning.nodes import QueryPlan

__all__ = ["TRAIL", "ExecutionTrail", "FetchTiming", "PlannedOperation"]

#: the key of the trail in ``RequestContext.attributes``
TRAIL = "ordergate.trail"


@dataclass(slots=True)
class FetchTiming:
    """One subgraph fetch: when it started (relative to the request), how long, how it ended."""

    subgraph: str
    #: seconds since the request started
    start: float
    duration: float = 0.0
    #: ``ok`` or a failure outcome as the fetch metric labels it (``connection_error``, ...)
    outcome: str = "ok"
    #: attempts made (1, more when the fetch was retried)
    attempts: int = 1


@dataclass(slots=True)
class PlannedOperation:
    """An operation that was planned: its plan, its variables and their definitions."""

    plan: QueryPlan
    variable_definitions: Sequence[VariableDefinitionNode]
    variables: Mapping[str, Any]


@dataclass(slots=True)
class ExecutionTrail:
    """The plans and subgraph fetches of one request (see the module)."""

    started: float = field(default_factory=time.perf_counter)
    operations: list[PlannedOperation] = field(default_factory=list)
    fetches: list[FetchTiming] = field(default_factory=list)

    def planned(
        self,
        plan: QueryPlan,
        variable_definitions: Sequence[VariableDefinitionNode],
        variables: Mapping[str, Any],
    ) -> None:
        """Note an operation about to run ``plan`` (formatted only once answered)."""
        self.operations.append(PlannedOperation(plan, variable_definitions, variables))

    def fetch_started(self, subgraph: str) -> FetchTiming:
        """A fetch to ``subgraph`` starts now; finish it with :meth:`fetch_ended`."""
        timing = FetchTiming(subgraph, time.perf_counter() - self.started)
        self.fetches.append(timing)
        return timing

    def fetch_ended(self, timing: FetchTiming, outcome: str) -> None:
        """``timing``'s fetch ended now with ``outcome``."""
        timing.duration = time.perf_counter() - self.started - timing.start
        timing.outcome = outcome
