"""Process-wide services of the pipeline, built once from the settings and shared by every
supergraph the gateway serves (hot reloads keep them: budgets and APQ survive a new schema).

Usage (the composition root)::

    runtime = GatewayRuntime(settings)   # reads key, secret and clients files; no network
    await runtime.start()                # lifespan: JWKS warm-up, clients file watcher
    ...
    await runtime.aclose()               # shutdown: tasks, refunds, JWKS client, Redis
"""

from __future__ import annotations

import asyncio
import contextlib

import structlog
from opentelemetry.trace import Tracer
from prometheus_client import CollectorRegistry
from redis.asyncio import Redis

from gateway.auth.authenticator import Authenticator
from gateway.auth.principal_forwarding import PrincipalHeadersStage
from gateway.authz.policies import PolicyRegistry
from gateway.hardening.error_policy import ErrorPolicy
from gateway.hardening.validation import ValidationPolicy, validation_policy
from gateway.idempotency import MutationIdempotency, build_mutation_idempotency
from gateway.jobs import JobService, build_job_backend
from gateway.limits.accounts import BudgetAccounts
from gateway.limits.factory import build_budget_limiter
from gateway.limits.limiter import BudgetLimiter
from gateway.observability.metrics import GatewayMetrics
from gateway.persisted.factory import build_persisted_documents
from gateway.persisted.reload import ClientRegistrySource
from gateway.persisted.resolver import PersistedDocuments
from gateway.settings import GatewaySettings
from wire.redis_client import create_redis_client
from wire.tracing import Tracing, build_tracing

__all__ = ["GatewayRuntime"]

_log = structlog.get_logger(__name__)


class GatewayRuntime:
    """Authenticator, client registry, persisted documents, budgets, idempotency records,
    import jobs, policies, error policy, metrics."""

    def __init__(self, settings: GatewaySettings) -> None:
        self.settings = settings
        metrics = settings.observability.metrics
        #: the app's metrics, on a registry of its own (``None`` with metrics off)
        self.metrics: GatewayMetrics | None = (
            GatewayMetrics(metrics, CollectorRegistry(auto_describe=True))
            if metrics.enabled
            else None
        )
        #: the app's own tracer provider (``None``: tracing off, no provider, no span work)
        self.tracing: Tracing | None = build_tracing(
            settings.observability.tracing, default_service="ordergate-gateway"
        )
        self.authenticator = Authenticator.from_settings(settings.auth)
        self.policies = PolicyRegistry.from_settings(settings.authorization.policies)
        self.validation: ValidationPolicy = validation_policy(
            settings.hardening, production=settings.production
        )
        self.errors = ErrorPolicy(
            hide_suggestions=self.validation.hide_suggestions,
            expose_internals=settings.subgraphs.expose_errors and not settings.production,
        )
        self.redis: Redis | None = (
            create_redis_client(settings.redis) if settings.uses_redis else None
        )
        prefix = settings.redis.key_prefix
        self.clients = ClientRegistrySource(settings.persisted.clients_file)
        self.documents: PersistedDocuments = build_persisted_documents(
            settings.persisted, self.redis, prefix
        )
        self.limiter: BudgetLimiter | None = (
            build_budget_limiter(settings.limits, self.redis, prefix)
            if settings.limits.enabled
            else None
        )
        #: whose bucket pays: a listed client's, or one per unidentified caller
        self.budget_accounts = BudgetAccounts(settings.limits.unidentified)
        idempotency = settings.idempotency
        self.idempotency: MutationIdempotency | None = (
            build_mutation_idempotency(idempotency, self.redis, prefix)
            if idempotency.enabled
            else None
        )
        #: the subgraph-fetch stage of the principal headers (reads the secret file: a missing
        #: or short secret fails start-up)
        self.principal_headers = PrincipalHeadersStage(settings.principal_headers)
        self.jobs: JobService | None = None
        if settings.jobs.enabled:
            backend = build_job_backend(settings.jobs, self.redis, prefix)
            guard = self.idempotency.guard if self.idempotency is not None else None
            self.jobs = JobService(backend, settings.jobs, guard)
        self._tasks: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        """Start the background work: JWKS warm-up and the clients file watcher."""
        if self.settings.auth.issuers:
            self._tasks.append(asyncio.create_task(self._warm_up()))
        clients_dir = self.clients.path.parent
        if self.settings.persisted.watch and clients_dir.is_dir():
            self._tasks.append(asyncio.create_task(self.clients.watch()))

    async def _warm_up(self) -> None:
        try:
            await self.authenticator.warm_up()
        except Exception as error:  # the keys are fetched again on first use
            _log.warning("JWKS warm-up failed", error=str(error))

    async def aclose(self) -> None:
        """Stop the tasks, wait for pending refunds, close the JWKS client and Redis."""
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()
        if self.limiter is not None:
            await self.limiter.aclose()
        if self.jobs is not None:
            await self.jobs.backend.aclose()
        await self.authenticator.aclose()
        if self.redis is not None:
            await self.redis.aclose()
        if self.tracing is not None:  # exports the spans still queued
            await asyncio.to_thread(self.tracing.shutdown)

    @property
    def tracer(self) -> Tracer | None:
        """The tracer of the gateway's spans (``None``: tracing off)."""
        return self.tracing.tracer if self.tracing is not None else None
