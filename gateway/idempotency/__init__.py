"""Idempotent mutations: ``Idempotency-Key`` claims, replays and refusals.

Following draft-ietf-httpapi-idempotency-key-header and Stripe: a key is scoped by (client,
principal), claimed atomically with a lease, and the completed response is replayed byte for
byte with ``Idempotent-Replayed: true``. See docs/idempotency-and-jobs.md.
"""

from gateway.idempotency.errors import IdempotencyError, IdempotencyErrorCode
from gateway.idempotency.factory import (
    build_idempotency_guard,
    build_idempotency_store,
    build_mutation_idempotency,
)
from gateway.idempotency.fingerprint import content_fingerprint, operation_fingerprint
from gateway.idempotency.graphql import (
    FORWARDED_KEY_ATTRIBUTE,
    ORIGINAL_REQUEST_HEADER,
    MutationIdempotency,
    OperationCall,
    forwarded_key,
    scope_of,
)
from gateway.idempotency.guard import REPLAYED_HEADER, Claim, IdempotencyGuard, Replay
from gateway.idempotency.keys import (
    IDEMPOTENCY_KEY_HEADER,
    MAX_KEY_LENGTH,
    KeyScope,
    parse_idempotency_key,
)
from gateway.idempotency.records import IdempotencyRecord, StoredResponse
from gateway.idempotency.redis_store import RedisIdempotencyStore
from gateway.idempotency.settings import IdempotencySettings
from gateway.idempotency.store import IdempotencyStore, MemoryIdempotencyStore

__all__ = [
    "FORWARDED_KEY_ATTRIBUTE",
    "IDEMPOTENCY_KEY_HEADER",
    "MAX_KEY_LENGTH",
    "ORIGINAL_REQUEST_HEADER",
    "REPLAYED_HEADER",
    "Claim",
    "IdempotencyError",
    "IdempotencyErrorCode",
    "IdempotencyGuard",
    "IdempotencyRecord",
    "IdempotencySettings",
    "IdempotencyStore",
    "KeyScope",
    "MemoryIdempotencyStore",
    "MutationIdempotency",
    "OperationCall",
    "RedisIdempotencyStore",
    "Replay",
    "StoredResponse",
    "build_idempotency_guard",
    "build_idempotency_store",
    "build_mutation_idempotency",
    "content_fingerprint",
    "forwarded_key",
    "operation_fingerprint",
    "parse_idempotency_key",
    "scope_of",
]
