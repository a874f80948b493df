"""Loading a supergraph SDL into a typed model and its API schema."""

from gateway.supergraph.loader import SupergraphError, load_supergraph
from gateway.supergraph.model import (
    FieldDef,
    FieldInGraph,
    KeyDef,
    Subgraph,
    Supergraph,
    TypeDef,
    TypeInGraph,
)

__all__ = [
    "FieldDef",
    "FieldInGraph",
    "KeyDef",
    "Subgraph",
    "Supergraph",
    "SupergraphError",
    "TypeDef",
    "TypeInGraph",
    "load_supergraph",
]
