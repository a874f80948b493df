"""The principal the readiness probe sends to the subgraphs: a signed service identity without
any right.

Subgraphs that require the gateway's principal (``ORDERGATE_<NAME>_PRINCIPAL_MODE=required``,
as in ``docker-compose.yml``) refuse an unsigned ``{ __typename }`` with 401, so ``/ready``
signs its probe the way the request path signs a caller (:mod:`wire.principal`,
same settings, same secret). The claims are those of an anonymous caller named
:data:`READINESS_SUBJECT`: no customer, no role, no scope; a subgraph's ownership rule gives it
nothing, and ``__typename`` needs nothing. See docs/adr/0303.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable

from wire.forwarding import PrincipalHeadersSettings
from wire.principal import (
    PRINCIPAL_HEADER,
    SIGNATURE_HEADER,
    PrincipalClaims,
    encode_claims,
    sign,
)

__all__ = ["READINESS_SUBJECT", "ProbeHeaders", "probe_headers_from"]

#: the subject the readiness probe's principal carries (subgraph logs show who called)
READINESS_SUBJECT = "ordergate-readiness"

_CLAIMS = PrincipalClaims(kind="anonymous", subject=READINESS_SUBJECT)

#: makes the headers of one probe request
ProbeHeaders = Callable[[], dict[str, str]]


def probe_headers_from(
    settings: PrincipalHeadersSettings, clock: Callable[[], float] = time.time
) -> ProbeHeaders:
    """The headers of one probe request under ``settings``: ``X-Request-ID`` always, the
    principal header in ``trusted`` and ``signed`` mode, its signature in ``signed`` mode.

    Reads the secret once (a missing or short secret fails start-up, as for requests).
    """
    mode = settings.mode
    secret = settings.load_secret() if mode == "signed" else None
    if mode == "signed" and secret is None:
        raise ValueError("principal_headers.mode=signed needs a secret")
    value = encode_claims(_CLAIMS)

    def headers() -> dict[str, str]:
        request_id = f"ready-{uuid.uuid4().hex}"
        found = {"x-request-id": request_id}
        if mode == "off":
            return found
        found[PRINCIPAL_HEADER] = value
        if secret is not None:
            found[SIGNATURE_HEADER] = sign(secret, value, request_id, issued_at=int(clock()))
        return found

    return headers
