"""Fixtures: the four subgraphs on seeded databases (``deployment``: embedded on SQLite with
in-process stores, production on PostgreSQL with Redis), served over real HTTP."""

from __future__ import annotations

from stack_fixtures import deployment as deployment
from stack_fixtures import deployment_kind as deployment_kind
from stack_fixtures import order_stack as order_stack
from stack_fixtures import stack_backend as stack_backend
from stack_fixtures import stack_databases as stack_databases
from stack_fixtures import stack_urls as stack_urls
