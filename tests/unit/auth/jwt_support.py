"""Helpers for authentication tests: real keys, a JWKS server app, a hand-moved clock."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

ISSUER = "https://idp.example.com"
AUDIENCE = "ordergate"


@dataclass
class SigningKey:
    """A private key, its kid and its public JWK."""

    kid: str
    algorithm: str
    private_key: Any
    jwk: dict[str, Any]

    def sign(self, claims: dict[str, Any], **header: Any) -> str:
        headers = {"kid": self.kid, **header}
        return jwt.encode(claims, self.private_key, algorithm=self.algorithm, headers=headers)


def rsa_key(kid: str | None = None, *, declare_alg: bool = True) -> SigningKey:
    private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = RSAAlgorithm.to_jwk(private_key.public_key(), as_dict=True)
    kid = kid or f"rsa-{uuid.uuid4().hex[:8]}"
    jwk.update({"kid": kid, "use": "sig"})
    if declare_alg:
        jwk["alg"] = "RS256"
    return SigningKey(kid, "RS256", private_key, jwk)


def ec_key(kid: str | None = None) -> SigningKey:
    private_key = ec.generate_private_key(ec.SECP256R1())
    jwk = ECAlgorithm.to_jwk(private_key.public_key(), as_dict=True)
    kid = kid or f"ec-{uuid.uuid4().hex[:8]}"
    jwk.update({"kid": kid, "use": "sig", "alg": "ES256"})
    return SigningKey(kid, "ES256", private_key, jwk)


def claims(**overrides: Any) -> dict[str, Any]:
    """Valid claims for ISSUER/AUDIENCE; ``name=None`` removes a claim."""
    now = int(time.time())
    base: dict[str, Any] = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": "user-1",
        "iat": now,
        "exp": now + 600,
    }
    base.update(overrides)
    return {name: value for name, value in base.items() if value is not None}


@dataclass
class JwksServer:
    """A JWKS endpoint whose keys, availability and fetch count the test controls."""

    url: str = ""
    keys: list[dict[str, Any]] = field(default_factory=list)
    fetches: int = 0
    down: bool = False

    def publish(self, *signing_keys: SigningKey) -> None:
        self.keys = [key.jwk for key in signing_keys]

    def app(self) -> Starlette:
        async def jwks(_: Request) -> Response:
            self.fetches += 1
            if self.down:
                return Response("unavailable", status_code=503)
            return JSONResponse({"keys": self.keys})

        return Starlette(routes=[Route("/jwks.json", jwks)])
