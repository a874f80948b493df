"""Identifier parsing: GraphQL ``ID`` strings to UUIDs, and deterministic ids for seed data."""

from __future__ import annotations

import uuid

from subgraphs.common.errors import BadUserInputError

__all__ = ["ORDERGATE_NAMESPACE", "parse_id", "parse_id_or_none", "stable_id"]

#: Namespace of the deterministic (uuid5) ids of generated data.
ORDERGATE_NAMESPACE = uuid.UUID("6f1c4a52-3b8e-4d0a-9c57-0d7e2f7a9b10")


def parse_id(value: str, field: str = "id") -> uuid.UUID:
    """The UUID in ``value``; ``BAD_USER_INPUT`` naming ``field`` when it is not one."""
    parsed = parse_id_or_none(value)
    if parsed is None:
        raise BadUserInputError(f"{value!r} is not a valid id", field=field)
    return parsed


def parse_id_or_none(value: object) -> uuid.UUID | None:
    """The UUID in ``value``, or ``None`` (used for entity representations)."""
    if not isinstance(value, str):
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def stable_id(*parts: object) -> uuid.UUID:
    """A deterministic id derived from ``parts`` (the same parts give the same id)."""
    return uuid.uuid5(ORDERGATE_NAMESPACE, "/".join(str(part) for part in parts))
