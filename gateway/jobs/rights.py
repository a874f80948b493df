"""Who may submit and replay imports: the write scope of what each kind of job changes.

An import runs the subgraph mutations of its kind on behalf of the submitter (the worker
forwards the submitter's principal and the subgraphs check the same scopes), so the job API asks
for those scopes up front instead of accepting a job whose every row would then be refused:

| kind | mutations | scope |
| --- | --- | --- |
| ``orders`` | ``createOrder`` per row | ``orders:write`` |
| ``customers`` | ``importCustomers`` | ``customers:write`` |
| ``products`` | ``importProducts``, ``importCatalogItems`` | ``inventory:write`` |

The anonymous caller is refused on every ``/jobs`` route (401 ``AUTHENTICATION_REQUIRED``).
"""

from __future__ import annotations

from collections.abc import Mapping

from gateway.auth.errors import AuthErrorCode
from gateway.auth.principal import Principal
from gateway.jobs.problems import JobApiError
from wire.jobs.model import JobKind

__all__ = ["IMPORT_SCOPES", "require_authenticated", "require_import_scope"]

#: the scope a caller needs to import each kind (the scope of the mutations it runs)
IMPORT_SCOPES: Mapping[JobKind, str] = {
    JobKind.ORDERS: "orders:write",
    JobKind.CUSTOMERS: "customers:write",
    JobKind.PRODUCTS: "inventory:write",
}


def require_authenticated(principal: Principal, challenge: str) -> None:
    """Raise 401 for the anonymous caller."""
    if not principal.is_authenticated:
        raise JobApiError(
            401,
            str(AuthErrorCode.AUTHENTICATION_REQUIRED),
            "Import jobs need credentials: a bearer token or an API key",
            {"www-authenticate": challenge},
        )


def require_import_scope(principal: Principal, kind: JobKind) -> None:
    """Raise 403 ``INSUFFICIENT_SCOPE`` unless ``principal`` may import ``kind``."""
    scope = IMPORT_SCOPES[kind]
    if scope not in principal.scopes:
        raise JobApiError(403, "INSUFFICIENT_SCOPE", f"This import needs the scope {scope}")
