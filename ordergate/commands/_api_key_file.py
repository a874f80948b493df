"""Editing the gateway's API key file (YAML): append a hashed key, revoke one.

The file keeps the shape :mod:`gateway.auth.api_keys` reads (``keys: [...]``); it is rewritten
atomically (a temporary file renamed over it), so a gateway reloading it never sees half a
file. Comments are not kept. TOML key files are read by the gateway but not edited here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from gateway.auth.api_keys import ApiKeyRecord

__all__ = ["ApiKeyFileEditError", "append_key", "read_keys", "revoke_key"]


class ApiKeyFileEditError(ValueError):
    """The key file cannot be edited (unreadable, malformed, duplicate or unknown id)."""


def read_keys(path: Path) -> list[ApiKeyRecord]:
    """The records of ``path`` (none when the file does not exist)."""
    if path.suffix == ".toml":
        raise ApiKeyFileEditError(f"{path}: only YAML key files can be edited")
    if not path.exists():
        return []
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if not isinstance(raw, dict) or set(raw) - {"keys"}:
            raise ApiKeyFileEditError(f"{path}: expected a mapping with `keys`")
        return [ApiKeyRecord.model_validate(entry) for entry in raw.get("keys") or []]
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise ApiKeyFileEditError(f"cannot read {path}: {exc}") from exc


def _write(path: Path, records: list[ApiKeyRecord]) -> None:
    document: dict[str, Any] = {
        "keys": [record.model_dump(exclude_defaults=True) for record in records]
    }
    text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.chmod(0o600)
    temporary.replace(path)


def append_key(path: Path, record: ApiKeyRecord) -> None:
    """Add ``record`` (its id and hash must be new)."""
    records = read_keys(path)
    if any(existing.id == record.id for existing in records):
        raise ApiKeyFileEditError(f"a key with id {record.id!r} already exists in {path}")
    if any(existing.hash == record.hash for existing in records):
        raise ApiKeyFileEditError(f"this key is already in {path}")
    _write(path, [*records, record])


def revoke_key(path: Path, key_id: str) -> bool:
    """Mark key ``key_id`` revoked; ``False`` when it already was. Raises on an unknown id."""
    records = read_keys(path)
    for index, record in enumerate(records):
        if record.id == key_id:
            if record.revoked:
                return False
            records[index] = record.model_copy(update={"revoked": True})
            _write(path, records)
            return True
    raise ApiKeyFileEditError(f"no key with id {key_id!r} in {path}")
