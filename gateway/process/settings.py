"""Typed settings of the gateway process (``runtime.*``): worker processes, the collector and
the graceful shutdown."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["GcSettings", "RuntimeSettings", "ShutdownSettings"]


class GcSettings(BaseModel):
    """How the gateway process tunes Python's cyclic garbage collector (docs/adr/0850)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = Field(
        default=True,
        description="Tune the collector in the gateway process (off: Python's defaults).",
    )
    thresholds: tuple[int, int, int] = Field(
        default=(50_000, 20, 100),
        description="gc.set_threshold(gen0, gen1, gen2): allocations before a young "
        "collection, and young (middle) collections before an older one.",
    )
    freeze: bool = Field(
        default=True,
        description="gc.freeze() once the supergraph is built (and again after a hot reload): "
        "schema, plans and settings are never scanned again.",
    )
    collect_interval_seconds: float = Field(
        default=10.0,
        ge=0,
        description="A collection every this many seconds, whatever the load, so that "
        "reference cycles are reclaimed with large thresholds (0: never).",
    )
    collect_generation: int = Field(
        default=2,
        ge=0,
        le=2,
        description="The generation of the periodic collection (2: full, frozen objects excluded).",
    )


class ShutdownSettings(BaseModel):
    """How the gateway process stops on SIGTERM (docs/adr/0304).

    ``/ready`` answers 503 at once; for ``drain_seconds`` the gateway keeps accepting and
    serving requests (load balancers take the instance out meanwhile), then stops accepting and
    lets the requests in flight finish for at most ``grace_seconds`` before cancelling them; then
    the process exits with status 0. A second SIGTERM ends the drain at once. SIGINT (Ctrl+C)
    does not drain. Give the orchestrator's stop timeout more than the sum.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    drain_seconds: float = Field(
        default=5.0,
        ge=0,
        description="After SIGTERM, how long /ready is 503 while requests are still accepted "
        "and served (0: stop accepting at once).",
    )
    grace_seconds: int = Field(
        default=20,
        ge=0,
        description="After the drain, how long requests in flight may take to finish before "
        "they are cancelled.",
    )


class RuntimeSettings(BaseModel):
    """The gateway process: how many workers serve the port, and the garbage collector."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    workers: int = Field(
        default=1,
        ge=1,
        description="Worker processes serving the port (ordergate gateway --workers); more "
        "than one needs the budget, idempotency and job stores in Redis.",
    )
    gc: GcSettings = Field(default_factory=GcSettings)
    shutdown: ShutdownSettings = Field(default_factory=ShutdownSettings)
