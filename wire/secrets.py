"""Shared secrets read from files: the HMAC keys of JWTs (HS256) and of signed principals.

Usage::

    secret = read_secret_file(Path("/run/secrets/principal_signing_key"))
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["MIN_SECRET_BYTES", "read_secret_file"]

#: an HMAC secret shorter than this is refused at start-up (RFC 7518 section 3.2)
MIN_SECRET_BYTES = 32


def read_secret_file(path: Path) -> bytes:
    """The secret in ``path`` (surrounding whitespace stripped); at least 32 bytes."""
    secret = path.read_bytes().strip()
    if len(secret) < MIN_SECRET_BYTES:
        raise ValueError(f"the secret in {path} is shorter than {MIN_SECRET_BYTES} bytes")
    return secret
