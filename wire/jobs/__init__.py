"""The import job queue both the gateway (producer) and the workers (consumers) speak.

:mod:`wire.jobs.model` (jobs, row outcomes, dead letters, chunks), :mod:`wire.jobs.backend`
(the protocol), :mod:`wire.jobs.memory` and :mod:`wire.jobs.redis_backend` (its two
implementations) and :mod:`wire.jobs.options` (how a worker runs rows). See
docs/idempotency-and-jobs.md.
"""

__all__: list[str] = []
