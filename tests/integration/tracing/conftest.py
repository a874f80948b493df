"""Tracing tests serve the four subgraphs on SQLite and PostgreSQL (``stack_backend``)."""

from __future__ import annotations

from stack_fixtures import stack_backend as stack_backend
from stack_fixtures import stack_databases as stack_databases
from stack_fixtures import stack_urls as stack_urls
