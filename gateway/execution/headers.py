"""Headers sent with the subgraph fetches of one operation, and which of them matter.

Usage (built once per operation by the pipeline, read by the executor on every fetch)::

    headers = FetchHeaders({"x-request-id": "abc"})               # correlation only
    headers = FetchHeaders({"x-request-id": "abc", "x-principal": signed}, vary=("x-principal",))

``vary`` names the headers that can change what a subgraph answers (a signed principal, an
idempotency key). Identical in-flight queries share one subgraph call only when those headers
are equal too; correlation headers such as ``X-Request-ID`` never prevent sharing (the shared
call carries the id of the request that started it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["FetchHeaders"]


@dataclass(frozen=True, slots=True)
class FetchHeaders:
    """The headers of every subgraph fetch of one operation."""

    #: header name (lower case) -> value, sent on every fetch
    values: Mapping[str, str]
    #: names of the headers that can change a subgraph's answer
    vary: tuple[str, ...] = ()
    #: the values of ``vary``, part of the in-flight deduplication key
    identity: tuple[tuple[str, str], ...] = field(init=False)

    def __post_init__(self) -> None:
        identity = tuple(sorted((name, self.values.get(name, "")) for name in set(self.vary)))
        object.__setattr__(self, "identity", identity)

    @classmethod
    def varying(cls, values: Mapping[str, str]) -> FetchHeaders:
        """Headers that all count for deduplication (the safe default for unknown headers)."""
        return cls(values, tuple(values))
