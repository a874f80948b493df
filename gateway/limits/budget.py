"""A client's budget in cost units: a token bucket and a per-operation ceiling."""

from __future__ import annotations

import math
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = ["ANONYMOUS_CLIENT", "BudgetMode", "BudgetPolicy"]

BudgetMode = Literal["measure", "enforce"]
#: the bucket :meth:`~gateway.limits.stage.CostStage.admit` charges when given no bucket id (the
#: pipeline always names one: see :mod:`gateway.limits.accounts`)
ANONYMOUS_CLIENT = "anonymous"


class BudgetPolicy(BaseModel):
    """How much a client may spend.

    The bucket holds up to ``capacity`` cost units and regains ``refill_per_second`` of them
    each second; an operation is admitted when the bucket holds its estimated cost. In
    ``measure`` mode nothing is refused: costs and would-be refusals are only reported.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    capacity: float = Field(
        default=1000, gt=0, description="Most cost units the bucket holds (its burst)."
    )
    refill_per_second: float = Field(
        default=50,
        ge=0,
        description="Cost units regained per second (0: a quota that never refills).",
    )
    max_operation_cost: float = Field(
        default=1000,
        gt=0,
        description="Largest estimated cost of one operation (COST_ESTIMATED_TOO_EXPENSIVE "
        "above); at most the capacity.",
    )
    mode: BudgetMode = Field(
        default="enforce", description="'enforce' refuses, 'measure' only reports."
    )

    @model_validator(mode="after")
    def _ceiling_fits_the_bucket(self) -> BudgetPolicy:
        if self.max_operation_cost > self.capacity:
            raise ValueError(
                f"max_operation_cost ({self.max_operation_cost}) exceeds the capacity "
                f"({self.capacity}): such operations could never be admitted"
            )
        return self

    @property
    def enforced(self) -> bool:
        """Whether refusals are real."""
        return self.mode == "enforce"

    @property
    def window_seconds(self) -> int | None:
        """Seconds an empty bucket takes to fill up again (``None`` if it never refills)."""
        if self.refill_per_second <= 0:
            return None
        return max(1, math.ceil(self.capacity / self.refill_per_second))
