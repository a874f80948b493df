"""The cost stage in two calls: before execution and after it.

Build one per engine (the analyzer belongs to a supergraph; the limiter to the process)::

    analyzer = CostAnalyzer.from_supergraph(engine.supergraph, settings.limits.cost)
    stage = CostStage(analyzer, limiter, settings.limits)

    # after validation, before execution (raises LimitError: return error.to_result())
    ticket = await stage.admit(
        client_id=client_id, budget=profile.budget, document_key=resolved.key,
        document=document, operation_name=request.operation_name, variables=request.variables)
    result = ...execute...
    await stage.complete(ticket, result)  # extensions.cost, RateLimit headers, refund
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphql import DocumentNode

from gateway.engine.types import GraphQLResult
from gateway.limits.analyzer import CostAnalyzer, CostEstimate
from gateway.limits.budget import ANONYMOUS_CLIENT, BudgetPolicy
from gateway.limits.headers import cost_extension, rate_limit_headers
from gateway.limits.limiter import Admission, BudgetLimiter
from gateway.limits.settings import LimitsSettings
from gateway.observability.metrics import GatewayMetrics

__all__ = ["CostStage", "CostTicket"]


@dataclass(frozen=True, slots=True)
class CostTicket:
    """What :meth:`CostStage.admit` decided, for :meth:`CostStage.complete`."""

    estimate: CostEstimate
    admission: Admission
    variables: Mapping[str, Any] | None


class CostStage:
    """Cost estimate + budget before execution; actual cost, refund and report after."""

    def __init__(
        self,
        analyzer: CostAnalyzer,
        limiter: BudgetLimiter,
        settings: LimitsSettings | None = None,
        *,
        background_refund: bool = True,
        metrics: GatewayMetrics | None = None,
    ) -> None:
        self._analyzer = analyzer
        self._metrics = metrics
        self._limiter = limiter
        self._settings = settings or LimitsSettings()
        self._background_refund = background_refund

    @property
    def analyzer(self) -> CostAnalyzer:
        """The analyzer of this stage's supergraph."""
        return self._analyzer

    async def admit(
        self,
        *,
        client_id: str | None,
        budget: BudgetPolicy | None,
        document_key: str,
        document: DocumentNode,
        operation_name: str | None,
        variables: Mapping[str, Any] | None,
    ) -> CostTicket:
        """Estimate and charge the operation to the bucket ``client_id``; raises
        :class:`LimitError` to refuse it. ``budget=None`` is the default budget
        (``limits.unidentified.budget``)."""
        estimate = self._analyzer.estimate(document_key, document, operation_name, variables)
        if self._metrics is not None:
            self._metrics.estimated_cost(estimate.cost)
        policy = budget or self._settings.unidentified.budget
        admission = await self._limiter.admit(client_id or ANONYMOUS_CLIENT, policy, estimate.cost)
        return CostTicket(estimate, admission, variables)

    async def complete(self, ticket: CostTicket, result: GraphQLResult) -> None:
        """Measure the actual cost of ``result``, refund the difference, and report."""
        actual = self._analyzer.actual(ticket.estimate, ticket.variables, result.data)
        if self._metrics is not None:
            self._metrics.actual_cost(actual)
        status = await self._limiter.settle(
            ticket.admission, actual, background=self._background_refund
        )
        if self._settings.cost_extension:
            extensions = result.extensions if result.extensions is not None else {}
            extensions["cost"] = cost_extension(ticket.estimate.cost, actual, status)
            result.extensions = extensions
        if status is not None:
            policy = ticket.admission.policy
            result.headers.update(rate_limit_headers(policy, status.currently_available))
