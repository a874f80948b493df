"""Whose bucket pays for an operation: a listed client's, or one per unidentified caller.

A client the clients file lists pays from the bucket named by its client id, under its own
budget. Every other caller is *unidentified* and gets a bucket of its own under the default
budget (``limits.unidentified.budget``, or the clients file's ``defaults.budget`` when it gives
one), named by the most precise identity the request proves:

- an unlisted API key: the key (``~key:<key id>``);
- an unlisted token: its issuer and subject (``~sub:<digest>``), else its client id;
- an anonymous caller: its address (``~ip:203.0.113.7``, ``~ip:2001:db8::/64``), see
  :mod:`gateway.limits.client_ip`.

One flood therefore drains one bucket. Unidentified bucket ids start with ``~``, which no client
id can (client ids start with a letter or digit), so they never meet a listed client's bucket;
they expire when idle (the default budget must refill), and the in-process store keeps them in
an LRU of their own (``limits.unidentified.max_buckets``), so rotating addresses cannot push
the listed clients' buckets out.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass

from gateway.auth.principal import Principal, PrincipalKind
from gateway.limits.budget import BudgetPolicy
from gateway.limits.client_ip import ClientAddresses
from gateway.limits.settings import UnidentifiedCallersSettings

__all__ = ["UNIDENTIFIED_PREFIX", "BudgetAccount", "BudgetAccounts"]

#: first character of every unidentified caller's bucket id
UNIDENTIFIED_PREFIX = "~"


@dataclass(frozen=True, slots=True)
class BudgetAccount:
    """The bucket an operation is charged to, and the budget it runs on."""

    bucket: str
    policy: BudgetPolicy

    @property
    def unidentified(self) -> bool:
        """Whether the caller is not a listed client."""
        return self.bucket.startswith(UNIDENTIFIED_PREFIX)


class BudgetAccounts:
    """Maps a caller to its :class:`BudgetAccount` (one per process, from the settings)."""

    def __init__(self, settings: UnidentifiedCallersSettings | None = None) -> None:
        self._settings = settings or UnidentifiedCallersSettings()
        self._addresses = ClientAddresses(
            self._settings.trusted_proxies,
            self._settings.forwarded_for_header,
            self._settings.ipv6_prefix_length,
        )

    @property
    def default_budget(self) -> BudgetPolicy:
        """The budget of unidentified callers when the clients file gives none."""
        return self._settings.budget

    def account(
        self,
        *,
        client_name: str | None,
        client_budget: BudgetPolicy | None,
        principal: Principal,
        peer: str | None,
        headers: Mapping[str, str],
    ) -> BudgetAccount:
        """The account of a caller.

        ``client_name`` is the client's name in the clients file (``None``: not listed) and
        ``client_budget`` the budget the file gives it (``None``: the default budget); ``peer``
        is the TCP peer's address.
        """
        policy = client_budget or self._settings.budget
        if client_name is not None:
            return BudgetAccount(client_name, policy)
        return BudgetAccount(self.unidentified_bucket(principal, peer, headers), policy)

    def unidentified_bucket(
        self, principal: Principal, peer: str | None, headers: Mapping[str, str]
    ) -> str:
        """The bucket id of a caller the clients file does not list."""
        if principal.kind is PrincipalKind.API_KEY:
            key_id = principal.claims.get("key_id")
            if isinstance(key_id, str) and key_id:
                return f"{UNIDENTIFIED_PREFIX}key:{key_id}"
        if principal.is_authenticated:
            if principal.subject:
                identity = f"{principal.issuer or ''}\n{principal.subject}".encode()
                digest = hashlib.sha256(identity).hexdigest()[:32]
                return f"{UNIDENTIFIED_PREFIX}sub:{digest}"
            if principal.client_id:
                return f"{UNIDENTIFIED_PREFIX}client:{principal.client_id}"
        return f"{UNIDENTIFIED_PREFIX}ip:{self._addresses.bucket_segment(peer, headers)}"
