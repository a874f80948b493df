"""Fixtures of the REST domain tests: the served subgraphs and a gateway in front, in the
embedded (SQLite, stores in process) and production (PostgreSQL, Redis) deployments."""

from __future__ import annotations

from stack_fixtures import deployment as deployment
from stack_fixtures import deployment_kind as deployment_kind
