"""API keys for server-to-server partners, stored only as SHA-256 hashes.

The key file (YAML, or TOML by its ``.toml`` suffix) lists one entry per key::

    keys:
      - id: acme-2025-01              # not secret: names the key in logs and for revocation
        hash: "sha256:9f86d08..."     # hash_api_key(key)
        client_id: acme
        roles: [partner]
        scopes: [orders:read]
        customer_id: null             # optional
        revoked: false

Keys are random (:func:`generate_api_key`), so one round of SHA-256 is enough: there is no
password to brute-force. A presented key is hashed and compared with every stored hash in
constant time (``hmac.compare_digest``, no early exit).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import tomllib
from dataclasses import dataclass
from pathlib import Path

import structlog
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

__all__ = [
    "ApiKeyFileError",
    "ApiKeyRecord",
    "ApiKeyStore",
    "generate_api_key",
    "hash_api_key",
]

_log = structlog.get_logger(__name__)
_PREFIX = "sha256:"
#: presented keys longer than this are refused without hashing
MAX_API_KEY_LENGTH = 512


def hash_api_key(key: str) -> str:
    """The stored form of ``key``: ``"sha256:<64 hex digits>"``."""
    return _PREFIX + hashlib.sha256(key.encode("utf-8")).hexdigest()


def generate_api_key(prefix: str = "og") -> str:
    """A new random key (256 bits of entropy), e.g. ``og_Xy3...``; store only its hash."""
    return f"{prefix}_{secrets.token_urlsafe(32)}"


class ApiKeyRecord(BaseModel):
    """One stored key: its hash and what it grants."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1, description="Public name of the key (logs, revocation).")
    hash: str = Field(pattern=r"^sha256:[0-9a-f]{64}$", description="hash_api_key(key).")
    client_id: str = Field(min_length=1, description="The partner (OAuth client) it belongs to.")
    roles: list[str] = Field(default_factory=list, description="Roles granted (default none).")
    scopes: list[str] = Field(default_factory=list, description="Scopes granted (default none).")
    customer_id: str | None = Field(default=None, description="Customer it acts for, if any.")
    revoked: bool = Field(default=False, description="A revoked key is refused (default false).")
    description: str = Field(default="", description="Free text for operators.")


class _KeyFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    keys: list[ApiKeyRecord] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique(self) -> _KeyFile:
        for attribute in ("id", "hash"):
            values = [getattr(record, attribute) for record in self.keys]
            if len(values) != len(set(values)):
                raise ValueError(f"two keys share the same {attribute}")
        return self


class ApiKeyFileError(ValueError):
    """The key file cannot be read or does not have the expected shape."""


@dataclass(frozen=True, slots=True)
class _Entry:
    digest: bytes
    record: ApiKeyRecord


class ApiKeyStore:
    """The keys of one file, looked up by the key a caller presents."""

    def __init__(self, records: list[ApiKeyRecord]) -> None:
        self._entries = tuple(
            _Entry(bytes.fromhex(record.hash.removeprefix(_PREFIX)), record) for record in records
        )

    @classmethod
    def from_file(cls, path: Path) -> ApiKeyStore:
        """Load ``path`` (YAML, or TOML when it ends in ``.toml``); raises ApiKeyFileError."""
        try:
            text = path.read_text(encoding="utf-8")
            raw = tomllib.loads(text) if path.suffix == ".toml" else yaml.safe_load(text)
            parsed = _KeyFile.model_validate(raw or {})
        except (OSError, yaml.YAMLError, tomllib.TOMLDecodeError, ValidationError) as exc:
            raise ApiKeyFileError(f"cannot load API keys from {path}: {exc}") from exc
        return cls(parsed.keys)

    def __len__(self) -> int:
        return len(self._entries)

    def lookup(self, key: str) -> ApiKeyRecord | None:
        """The record of ``key`` if it is known and not revoked, else ``None``."""
        if not key or len(key) > MAX_API_KEY_LENGTH:
            return None
        digest = hashlib.sha256(key.encode("utf-8")).digest()
        found: ApiKeyRecord | None = None
        for entry in self._entries:  # no early exit: the time does not depend on the position
            if hmac.compare_digest(entry.digest, digest):
                found = entry.record
        if found is not None and found.revoked:
            _log.warning("revoked API key presented", key_id=found.id, client_id=found.client_id)
            return None
        return found
