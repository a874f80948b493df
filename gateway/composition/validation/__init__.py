"""Federation rules every (Federation 2 or upgraded) subgraph must satisfy before merging."""

from __future__ import annotations

from gateway.composition.errors import CompositionError
from gateway.composition.subgraph import Subgraph
from gateway.composition.validation.fieldsets import validate_field_sets
from gateway.composition.validation.rules import validate_rules

__all__ = ["validate_subgraph"]


def validate_subgraph(subgraph: Subgraph) -> list[CompositionError]:
    """Every federation-rule violation in ``subgraph`` (empty when it may be merged)."""
    return [*validate_field_sets(subgraph), *validate_rules(subgraph)]
