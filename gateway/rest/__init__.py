"""REST compatibility routes for legacy callers: each route is a persisted operation with its
variables bound to path, query, header and body values (docs/rest.md)."""
