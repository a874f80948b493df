"""Fingerprints: what a key was first used for, so a reuse for something else is refused."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

import orjson

__all__ = ["content_fingerprint", "operation_fingerprint"]


def _default(value: object) -> str:
    return repr(value)


def operation_fingerprint(
    document_key: str, operation_name: str | None, variables: Mapping[str, Any] | None
) -> str:
    """SHA-256 of the document (by its key), the operation name and the variables.

    Variables are serialized with sorted keys, so ``{"a": 1, "b": 2}`` and ``{"b": 2, "a": 1}``
    are the same request; the document key is the SHA-256 of its text, so the same operation
    sent as text or as a persisted id is the same request too.
    """
    material = orjson.dumps(
        [document_key, operation_name, variables or {}],
        option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS,
        default=_default,
    )
    return hashlib.sha256(material).hexdigest()


def content_fingerprint(kind: str, media_type: str, body: bytes) -> str:
    """SHA-256 of an uploaded body with what it is (a job submission)."""
    digest = hashlib.sha256()
    for part in (kind.encode(), b"\0", media_type.encode(), b"\0", body):
        digest.update(part)
    return digest.hexdigest()
