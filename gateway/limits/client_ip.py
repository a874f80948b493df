"""The client address of a request, for budgets: the TCP peer, or what trusted proxies say.

``X-Forwarded-For`` is believed only when the peer is one of the configured trusted proxies,
and then only as far as the chain of trusted proxies goes: the header is read from the right
(the nearest hop last), trusted addresses are skipped, and the first address that is not a
trusted proxy is the client. Whatever a client writes into the header itself sits left of that
address and is never read, so no one picks his own bucket by sending a header. With no trusted
proxies (the default) the header is ignored altogether.

The gateway is served with uvicorn's own proxy-header handling turned off, so the ASGI peer is
the real TCP peer and this module is the only place the header is interpreted.

IPv6 addresses are reduced to their network (``/64`` by default: one host usually owns a
whole ``/64``), IPv4-mapped IPv6 addresses to their IPv4 address.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address

__all__ = ["ClientAddresses", "parse_address"]

Address = IPv4Address | IPv6Address


def parse_address(text: str) -> Address | None:
    """An address as proxies write it (``1.2.3.4``, ``1.2.3.4:80``, ``[::1]:80``, ``::1``)."""
    text = text.strip()
    if text.startswith("["):
        end = text.find("]")
        text = text[1:end] if end > 0 else ""
    elif text.count(":") == 1:  # IPv4 with a port
        text = text.split(":", 1)[0]
    try:
        address = ip_address(text)
    except ValueError:
        return None
    if isinstance(address, IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


class ClientAddresses:
    """Finds the client address of a request and names it as a bucket key segment."""

    def __init__(
        self,
        trusted_proxies: Sequence[IPv4Network | IPv6Network] = (),
        forwarded_for_header: str = "x-forwarded-for",
        ipv6_prefix_length: int = 64,
    ) -> None:
        self._trusted = tuple(trusted_proxies)
        self._header = forwarded_for_header.lower()
        self._ipv6_prefix_length = ipv6_prefix_length

    def _is_trusted(self, address: Address) -> bool:
        return any(address in network for network in self._trusted)

    def client_address(self, peer: str | None, headers: Mapping[str, str]) -> Address | None:
        """The client's address (``None`` when the peer is unknown, e.g. a Unix socket)."""
        address = parse_address(peer) if peer else None
        if address is None or not self._trusted or not self._is_trusted(address):
            return address
        forwarded = headers.get(self._header)
        if not forwarded:
            return address
        for hop in reversed(forwarded.split(",")):
            hop_address = parse_address(hop)
            if hop_address is None:
                return address  # garbage: the last address a trusted proxy vouched for
            address = hop_address
            if not self._is_trusted(address):
                return address
        return address

    def bucket_segment(self, peer: str | None, headers: Mapping[str, str]) -> str:
        """The client address as a bucket name: ``203.0.113.7``, ``2001:db8:1:2::/64``."""
        address = self.client_address(peer, headers)
        if address is None:
            return "unknown"
        if isinstance(address, IPv6Address) and self._ipv6_prefix_length < 128:
            network = IPv6Network((address, self._ipv6_prefix_length), strict=False)
            return network.compressed
        return address.compressed
