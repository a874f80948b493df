"""Services the gateway runs beside serving, given to it by whoever builds the app.

The gateway does not know what runs beside it: the CLI (``ordergate gateway``, ``ordergate dev``)
passes factories to :func:`gateway.app.create_app` (``background=``), for example the embedded
import worker (``jobs.in_process_worker``). In the lifespan, once the first supergraph is
installed, each factory is called with the app's :class:`GatewayHandles`; each service it
returns is started, and stopped (last started, first stopped) on shutdown. See ADR 0312.

Usage::

    def embedded_worker(handles: GatewayHandles) -> BackgroundService | None:
        if handles.job_backend is None:
            return None                      # nothing to run beside this gateway
        return EmbeddedWorker(handles.job_backend, handles.subgraph_urls, ...)

    app = create_app(settings, background=[embedded_worker])
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Protocol

from gateway.settings import GatewaySettings
from wire.jobs.backend import JobBackend

__all__ = ["BackgroundFactory", "BackgroundService", "GatewayHandles"]


class BackgroundService(Protocol):
    """A task that lives as long as the app serves."""

    def start(self) -> None:
        """Start on the running event loop (return at once)."""

    async def stop(self) -> None:
        """Stop, finishing or handing back the work in hand."""


@dataclass(frozen=True, slots=True)
class GatewayHandles:
    """What a background service may use of the app being served."""

    settings: GatewaySettings
    #: the job queue of the job API (``None`` when ``jobs.enabled`` is false)
    job_backend: JobBackend | None
    #: subgraph name -> URL of the supergraph being served (follows reloads)
    subgraph_urls: Callable[[], Mapping[str, str]]


#: Builds one background service for an app (``None``: nothing to run for these settings).
BackgroundFactory = Callable[[GatewayHandles], BackgroundService | None]
