"""Typed settings of the cost and rate-limit stages (mounted by the lead in ``GatewaySettings``).

Per-client budgets are not here: they live with each client in ``persisted_queries/clients.yaml``
(see :mod:`gateway.persisted.clients`).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from gateway.limits.cost_estimate import EstimateOptions

__all__ = ["CostSettings", "LimitsSettings"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CostSettings(_Strict):
    """How operation cost is computed."""

    default_list_size: int = Field(
        default=10,
        ge=0,
        description="Assumed length of a list field that no @listSize sizes.",
    )
    mutation_weight: float = Field(
        default=10.0, ge=0, description="What a mutation adds to the cost (IBM/Apollo: 10)."
    )
    mutation_weight_per_root_field: bool = Field(
        default=True,
        description="Charge the mutation weight per root mutation field (aliasing 50 mutations "
        "costs 50 mutations) instead of once per operation as Apollo Router does.",
    )
    estimate_requires: bool = Field(
        default=True,
        description="Add the cost of @join__field(requires:) selections to the requiring field.",
    )
    operation_cache_size: int = Field(
        default=2048, gt=0, description="Analysed operations kept (per document and name)."
    )
    cost_cache_size: int = Field(
        default=8192, gt=0, description="Costs kept, per operation and variables shape."
    )

    def estimate_options(self) -> EstimateOptions:
        """The options of :func:`~gateway.limits.cost_estimate.estimate_operation`."""
        return EstimateOptions(
            default_list_size=self.default_list_size,
            mutation_weight=self.mutation_weight,
            mutation_weight_per_root_field=self.mutation_weight_per_root_field,
            estimate_requires=self.estimate_requires,
        )


class LimitsSettings(_Strict):
    """Cost analysis and per-client cost budgets."""

    enabled: bool = Field(
        default=True,
        description="Compute cost and apply client budgets (off: the pipeline skips the stage).",
    )
    store: Literal["memory", "redis"] = Field(
        default="memory",
        description="Where budgets (token buckets) live: in this process, or in the shared Redis "
        "(needed as soon as there is more than one gateway process).",
    )
    bucket_key_prefix: str = Field(
        default="bucket",
        min_length=1,
        description="Key segment of buckets in Redis: '<redis.key_prefix>:<this>:<client id>'.",
    )
    memory_max_buckets: int = Field(
        default=100_000,
        gt=0,
        description="Most buckets the in-process store keeps (least recently used go first; a "
        "forgotten bucket starts full again).",
    )
    fail_open: bool = Field(
        default=True,
        description="When the bucket store cannot be reached, admit requests (and log) rather "
        "than refuse them.",
    )
    cost_extension: bool = Field(
        default=True,
        description="Add extensions.cost {requested, actual, throttleStatus} to responses.",
    )
    cost: CostSettings = Field(default_factory=CostSettings)
