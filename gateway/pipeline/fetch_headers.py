"""The subgraph-fetch point: headers sent with every subgraph fetch of one operation.

The pipeline builds them once per operation from the :class:`~gateway.engine.types.RequestContext`
and the executor sends them on each fetch. Each header comes from a :class:`HeaderSource`;
today only the correlation id is forwarded. A later stage adds its own source, for example::

    SubgraphHeaders([request_id_source(), HeaderSource("x-ordergate-principal", sign, vary=True)])

``vary=True`` marks headers that can change what a subgraph answers (a signed principal, an
``Idempotency-Key``): in-flight deduplication then only shares calls whose values match.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from gateway.engine.types import RequestContext
from gateway.execution.headers import FetchHeaders
from gateway.observability.request_id import REQUEST_ID_HEADER

__all__ = ["HeaderSource", "SubgraphHeaders", "request_id_source"]


@dataclass(frozen=True, slots=True)
class HeaderSource:
    """One header of the subgraph fetches: its name and how to compute it for a request."""

    #: header name, lower case
    name: str
    #: the value for a request, ``None`` to send nothing
    value: Callable[[RequestContext], str | None]
    #: whether the header can change a subgraph's answer (see :class:`FetchHeaders`)
    vary: bool = False


def request_id_source() -> HeaderSource:
    """``X-Request-ID``: the request's correlation id, on every subgraph fetch."""
    return HeaderSource(REQUEST_ID_HEADER, _request_id)


def _request_id(context: RequestContext) -> str | None:
    return context.request_id or None


class SubgraphHeaders:
    """Builds the :class:`FetchHeaders` of one operation from its sources."""

    def __init__(self, sources: Sequence[HeaderSource]) -> None:
        names = [source.name for source in sources]
        if len(set(names)) != len(names):
            raise ValueError(f"a header is produced twice: {names}")
        self._sources = tuple(sources)
        self._vary = tuple(source.name for source in sources if source.vary)

    @classmethod
    def default(cls) -> SubgraphHeaders:
        """What the gateway forwards today: the correlation id."""
        return cls([request_id_source()])

    @property
    def sources(self) -> tuple[HeaderSource, ...]:
        """The sources, in order."""
        return self._sources

    def build(self, context: RequestContext) -> FetchHeaders | None:
        """The headers for ``context`` (``None`` when no source produces anything)."""
        values: dict[str, str] = {}
        for source in self._sources:
            value = source.value(context)
            if value is not None:
                values[source.name] = value
        if not values:
            return None
        return FetchHeaders(values, self._vary)
