"""Composition: Federation subgraph SDLs -> supergraph SDL, with a schema registry's checks."""

from gateway.composition.compose import CompositionResult, SubgraphSource, compose
from gateway.composition.errors import (
    CompositionError,
    CompositionFailedError,
    ErrorCode,
    SourceLocation,
)

__all__ = [
    "CompositionError",
    "CompositionFailedError",
    "CompositionResult",
    "ErrorCode",
    "SourceLocation",
    "SubgraphSource",
    "compose",
]
