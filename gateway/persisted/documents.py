"""The resolved document a request runs, and the hashing that identifies documents."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Literal

__all__ = ["DocumentSource", "ResolvedDocument", "is_sha256_hex", "sha256_hex"]

DocumentSource = Literal["raw", "apq", "trusted"]
_SHA256 = re.compile(r"[0-9a-f]{64}")


def sha256_hex(text: str) -> str:
    """The SHA-256 of ``text`` (UTF-8), lower-case hex: the APQ hash of a document."""
    return hashlib.sha256(text.encode()).hexdigest()


def is_sha256_hex(value: str) -> bool:
    """Whether ``value`` looks like a lower-case hex SHA-256."""
    return _SHA256.fullmatch(value) is not None


@dataclass(frozen=True, slots=True)
class ResolvedDocument:
    """The GraphQL document to parse for one request, and where it came from."""

    #: the document text
    query: str
    #: SHA-256 of ``query``: a stable key for parse/validate/plan/cost caches
    key: str
    source: DocumentSource
    #: the manifest id, for a trusted document
    document_id: str | None = None
    #: the client name that owns the trusted document
    client_name: str | None = None
    #: ``True`` when this request registered an APQ hash
    registered: bool = False
