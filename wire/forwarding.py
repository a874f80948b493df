"""Typed settings of principal forwarding (``GatewaySettings.principal_headers``).

Example (YAML config file)::

    principal_headers:
      mode: signed                                  # off | signed | trusted
      secret_file: /run/secrets/principal_signing_key

or ``ORDERGATE_GATEWAY_PRINCIPAL_HEADERS__MODE=signed`` and
``ORDERGATE_GATEWAY_PRINCIPAL_HEADERS__SECRET=<at least 32 bytes>`` in the environment.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator

from wire.secrets import MIN_SECRET_BYTES, read_secret_file

__all__ = ["ForwardingMode", "PrincipalHeadersSettings"]

ForwardingMode = Literal["off", "signed", "trusted"]


class PrincipalHeadersSettings(BaseModel):
    """How the verified principal is sent to the subgraphs."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    mode: ForwardingMode = Field(
        default="off",
        description="`off` (default): no principal headers; `signed`: principal headers with "
        "an HMAC-SHA256 signature made with the shared secret; `trusted`: principal headers "
        "without signature, only where the subgraphs are reachable from the gateway alone.",
    )
    secret: SecretStr | None = Field(
        default=None,
        description="The shared signing secret, at least 32 bytes (default none; prefer "
        "`secret_file`).",
    )
    secret_file: Path | None = Field(
        default=None,
        description="File holding the shared signing secret, at least 32 bytes; surrounding "
        "whitespace is ignored (default none).",
    )

    @model_validator(mode="after")
    def _secret_when_signed(self) -> PrincipalHeadersSettings:
        if self.secret is not None and self.secret_file is not None:
            raise ValueError("give either principal_headers.secret or .secret_file, not both")
        if self.mode == "signed" and self.secret is None and self.secret_file is None:
            raise ValueError("principal_headers.mode=signed needs a secret or secret_file")
        if self.secret is not None and len(self.secret_bytes_given()) < MIN_SECRET_BYTES:
            raise ValueError(f"principal_headers.secret is shorter than {MIN_SECRET_BYTES} bytes")
        return self

    def secret_bytes_given(self) -> bytes:
        """The inline secret's bytes (empty when none is given inline)."""
        if self.secret is None:
            return b""
        return self.secret.get_secret_value().strip().encode("utf-8")

    def load_secret(self) -> bytes | None:
        """The signing secret (reads ``secret_file``; raises when it is too short)."""
        if self.secret_file is not None:
            return read_secret_file(self.secret_file)
        return self.secret_bytes_given() or None
