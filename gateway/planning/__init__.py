"""Query planning: operation + supergraph -> a plan made of plain data."""

from gateway.planning.display import format_plan
from gateway.planning.nodes import (
    Condition,
    EntityBatch,
    EntityInput,
    Fetch,
    Flatten,
    InputField,
    InputSelection,
    Parallel,
    PlanNode,
    QueryPlan,
    Sequence,
)
from gateway.planning.planner import PlannedOperation, PlanningError, plan_operation

__all__ = [
    "Condition",
    "EntityBatch",
    "EntityInput",
    "Fetch",
    "Flatten",
    "InputField",
    "InputSelection",
    "Parallel",
    "PlanNode",
    "PlannedOperation",
    "PlanningError",
    "QueryPlan",
    "Sequence",
    "format_plan",
    "plan_operation",
]
