"""Typed settings of the idempotency stage (``GatewaySettings.idempotency``).

Environment: ``ORDERGATE_GATEWAY_IDEMPOTENCY__<FIELD>``, for example
``ORDERGATE_GATEWAY_IDEMPOTENCY__STORE=redis``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["IdempotencySettings", "SubgraphFailurePolicy"]

#: what happens to a claimed key when a subgraph could not be reached or failed unexpectedly
SubgraphFailurePolicy = Literal["release", "store"]


class IdempotencySettings(BaseModel):
    """``Idempotency-Key`` handling for mutations (draft-ietf-httpapi-idempotency-key-header)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = Field(
        default=True, description="Honour Idempotency-Key headers on mutations (off: ignored)."
    )
    store: Literal["memory", "redis"] = Field(
        default="memory",
        description="Where records live: in this process, or in the shared Redis (needed as "
        "soon as there is more than one gateway process).",
    )
    key_prefix: str = Field(
        default="idempotency",
        min_length=1,
        description="Key segment of records in Redis: '<redis.key_prefix>:<this>:<digest>'.",
    )
    retention_seconds: int = Field(
        default=86_400,
        gt=0,
        description="How long a completed response is kept and replayed (24 hours).",
    )
    lease_seconds: float = Field(
        default=30.0,
        gt=0,
        description="How long a claim on a key lives without renewal. A running request renews "
        "it every third of this; a gateway that dies mid-request frees the key after at most "
        "this long (retries get 409 IDEMPOTENCY_KEY_IN_FLIGHT until then).",
    )
    required_mutations: frozenset[str] = Field(
        default=frozenset(),
        description="Root mutation fields that need a key from every client (e.g. createOrder); "
        "a request without one gets 400 IDEMPOTENCY_KEY_REQUIRED.",
    )
    required_clients: frozenset[str] = Field(
        default=frozenset(),
        description="Client ids that must send a key with every mutation.",
    )
    on_subgraph_failure: SubgraphFailurePolicy = Field(
        default="release",
        description="When a subgraph could not be reached, timed out or failed unexpectedly: "
        "'release' forgets the claim, so a retry with the same key executes again (the "
        "subgraphs' own key tables make that safe); 'store' keeps the failure and replays it.",
    )
    transient_error_codes: frozenset[str] = Field(
        default=frozenset({"SUBREQUEST_HTTP_ERROR", "SUBREQUEST_TIMEOUT", "INTERNAL_SERVER_ERROR"}),
        description="Error codes that count as a subgraph failure for on_subgraph_failure.",
    )
    forward_to_subgraphs: bool = Field(
        default=True,
        description="Send a key derived from (client, principal, key) to the subgraphs as their "
        "Idempotency-Key, so their effects happen once even when the gateway dies mid-request.",
    )
    memory_max_entries: int = Field(
        default=100_000,
        gt=0,
        description="Most records the in-process store keeps (least recently used go first).",
    )
