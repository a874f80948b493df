"""The four subgraphs served on seeded SQLite and PostgreSQL databases (``stack_backend``)."""

from __future__ import annotations

from stack_fixtures import order_stack as order_stack
from stack_fixtures import stack_backend as stack_backend
from stack_fixtures import stack_databases as stack_databases
from stack_fixtures import stack_urls as stack_urls
