"""Loading a supergraph SDL, once, into a frozen model: types, schemas and directives."""

from gateway.supergraph.directives import (
    AuthDirective,
    CostDirective,
    ListSizeDirective,
    SchemaDirectives,
)
from gateway.supergraph.loader import SupergraphError, load_schema, load_supergraph
from gateway.supergraph.model import (
    FieldDef,
    FieldInGraph,
    KeyDef,
    PlainSchema,
    SchemaModel,
    Subgraph,
    Supergraph,
    TypeDef,
    TypeInGraph,
)

__all__ = [
    "AuthDirective",
    "CostDirective",
    "FieldDef",
    "FieldInGraph",
    "KeyDef",
    "ListSizeDirective",
    "PlainSchema",
    "SchemaDirectives",
    "SchemaModel",
    "Subgraph",
    "Supergraph",
    "SupergraphError",
    "TypeDef",
    "TypeInGraph",
    "load_schema",
    "load_supergraph",
]
