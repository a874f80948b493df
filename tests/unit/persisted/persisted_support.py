"""Helpers for the persisted-documents tests: clients with manifests, built in memory."""

from __future__ import annotations

from gateway.limits.budget import BudgetPolicy
from gateway.persisted.clients import ClientMode, ClientProfile, index_documents
from gateway.persisted.manifest import TrustedDocument

ORDER_QUERY = "query Order($id: ID!) { order(id: $id) { id status } }"
ORDERS_QUERY = "query Orders($first: Int) { orders(first: $first) { edges { node { id } } } }"
OTHER_QUERY = "query Products { products { edges { node { sku } } } }"


def profile(
    name: str | None, mode: ClientMode, documents: dict[str, str] | None = None
) -> ClientProfile:
    """A client ``name`` in ``mode`` whose manifest maps ids to bodies."""
    trusted = [
        TrustedDocument(doc_id, body, name or "-") for doc_id, body in (documents or {}).items()
    ]
    return ClientProfile(name, mode, BudgetPolicy(), index_documents(trusted))
