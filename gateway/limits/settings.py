"""Typed settings of the cost and rate-limit stages (mounted by the lead in ``GatewaySettings``).

Per-client budgets are not here: they live with each client in ``persisted_queries/clients.yaml``
(see :mod:`gateway.persisted.clients`).
"""

from __future__ import annotations

import json
import re
from ipaddress import IPv4Network, IPv6Network, ip_network
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_settings import NoDecode

from gateway.limits.budget import BudgetPolicy
from gateway.limits.cost_estimate import EstimateOptions

__all__ = ["CostSettings", "LimitsSettings", "PageSizeSettings", "UnidentifiedCallersSettings"]

#: ``Type.field.argument`` (a nested slicing argument: ``Type.field.input.page.first``)
_PAGE_SIZE_KEY = re.compile(r"^[_A-Za-z][_0-9A-Za-z]*(\.[_A-Za-z][_0-9A-Za-z]*){2,}$")


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


def _unidentified_default() -> BudgetPolicy:
    return BudgetPolicy(
        capacity=1000, refill_per_second=50, max_operation_cost=1000, mode="enforce"
    )


class UnidentifiedCallersSettings(_Strict):
    """Budgets of callers the clients file does not list: one bucket per principal.

    Anonymous callers are counted per client IP (the TCP peer, or the address a trusted proxy
    reports in ``X-Forwarded-For``), unlisted API keys per key, unlisted tokens per issuer and
    subject. The clients file's ``defaults.budget``, when it gives one, replaces ``budget``.
    """

    budget: BudgetPolicy = Field(
        default_factory=_unidentified_default,
        description="The budget of each unidentified caller (default: capacity 1000, refill "
        "50/s, max operation cost 1000, enforced).",
    )
    trusted_proxies: Annotated[tuple[IPv4Network | IPv6Network, ...], NoDecode] = Field(
        default=(),
        description="Addresses or networks (CIDR) of the reverse proxies whose "
        "X-Forwarded-For is believed; from any other peer the header is ignored (default none).",
    )
    forwarded_for_header: str = Field(
        default="x-forwarded-for",
        min_length=1,
        description="The header trusted proxies put the client address in (comma-separated, "
        "the nearest hop last).",
    )
    ipv6_prefix_length: int = Field(
        default=64,
        ge=1,
        le=128,
        description="IPv6 callers share one bucket per network of this prefix (a host usually "
        "owns a whole /64).",
    )
    max_buckets: int = Field(
        default=100_000,
        gt=0,
        description="Most buckets of unidentified callers kept in process (least recently used "
        "go first), apart from the listed clients' buckets.",
    )

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _networks(cls, value: object) -> object:
        if isinstance(value, str):  # an environment variable: "10.0.0.0/8,192.168.1.7"
            text = value.strip()
            if text.startswith("["):
                value = json.loads(text)
            else:
                value = [part for part in (p.strip() for p in text.split(",")) if part]
        if isinstance(value, list | tuple):
            return tuple(ip_network(str(item), strict=False) for item in value)
        return value

    @field_validator("forwarded_for_header")
    @classmethod
    def _lower_case(cls, value: str) -> str:
        return value.lower()

    @field_validator("budget")
    @classmethod
    def _refills(cls, budget: BudgetPolicy) -> BudgetPolicy:
        if budget.refill_per_second <= 0:
            raise ValueError(
                "the budget of unidentified callers must refill (refill_per_second > 0): their "
                "buckets must expire, or every address ever seen would keep one"
            )
        return budget


class PageSizeSettings(_Strict):
    """The largest page a client may ask for, checked before any subgraph is called."""

    enabled: bool = Field(
        default=True,
        description="Refuse slicing arguments above their maximum (PAGE_SIZE_EXCEEDED) or "
        "below 0 (PAGE_SIZE_NEGATIVE).",
    )
    max: int = Field(
        default=100,
        ge=0,
        description="Maximum of every argument a field names in @listSize(slicingArguments:) "
        "(the subgraphs refuse more than 100).",
    )
    fields: dict[str, int] = Field(
        default_factory=dict,
        description="Per-argument maximums, e.g. {'Query.orders.first': 50} (a nested "
        "slicing argument: 'Query.search.input.page.first').",
    )
    cache_size: int = Field(
        default=2048, gt=0, description="Operations whose slicing arguments are kept."
    )

    @field_validator("fields")
    @classmethod
    def _keys(cls, fields: dict[str, int]) -> dict[str, int]:
        for key, value in fields.items():
            if not _PAGE_SIZE_KEY.match(key):
                raise ValueError(f"page size key {key!r} is not 'Type.field.argument'")
            if value < 0:
                raise ValueError(f"page size of {key!r} is negative")
        return fields

    def maximum(self, key: str) -> int:
        """The maximum of the slicing argument ``Type.field.argument``."""
        return self.fields.get(key, self.max)


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
    unidentified: UnidentifiedCallersSettings = Field(default_factory=UnidentifiedCallersSettings)
    page_size: PageSizeSettings = Field(default_factory=PageSizeSettings)
