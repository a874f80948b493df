"""Persisted documents as a stage: the document hook finds the text to parse.

Per the caller's client profile (from the clients file, by the principal's client id): a
trusted document id, an APQ hash (registered on first use when APQ is on) or the raw query
(refused for clients limited to their lists). A document the gateway vouches for itself
(``GraphQLRequest.trusted_document``: a REST route's operation, reviewed config) runs for every
client. See docs/persisted-documents.md and docs/rest.md.
"""

from __future__ import annotations

from gateway.engine.types import GraphQLResult
from gateway.persisted.errors import PersistedQueryError
from gateway.persisted.reload import ClientRegistrySource
from gateway.persisted.resolver import PersistedDocuments
from gateway.pipeline.stages import Operation

__all__ = ["PersistedDocumentsStage"]


class PersistedDocumentsStage:
    """Document hook: ``operation.profile`` and ``operation.document``, or the refusal."""

    name = "persisted-documents"

    def __init__(self, clients: ClientRegistrySource, documents: PersistedDocuments) -> None:
        self._clients = clients
        self._documents = documents

    async def on_document(self, operation: Operation) -> GraphQLResult | None:
        """Resolve the request's document for the caller's client profile."""
        profile = operation.profile = self._clients.current.profile(operation.client_id)
        request = operation.request
        if request.trusted_document is not None:
            operation.document = request.trusted_document
            return None
        try:
            operation.document = await self._documents.resolve(
                query=request.query,
                extensions=request.extensions,
                document_id=request.document_id,
                profile=profile,
            )
        except PersistedQueryError as error:
            return error.to_result()
        return None
