"""End-to-end tests run real ``ordergate`` processes in front of real subgraph servers, in the
embedded deployment (SQLite, in-process stores) and the production one (PostgreSQL, Redis)."""

from __future__ import annotations

from stack_fixtures import deployment as deployment
from stack_fixtures import deployment_kind as deployment_kind
