"""Whose bucket pays: listed clients by name, unidentified callers one bucket each."""

from __future__ import annotations

from ipaddress import ip_network
from types import MappingProxyType

import pytest
from pydantic import ValidationError

from gateway.auth.principal import ANONYMOUS, Principal, PrincipalKind
from gateway.limits.accounts import BudgetAccounts
from gateway.limits.buckets import MemoryBucketStore, PrefixRoutedBucketStore
from gateway.limits.budget import BudgetPolicy
from gateway.limits.client_ip import ClientAddresses, parse_address
from gateway.limits.settings import LimitsSettings, UnidentifiedCallersSettings
from gateway.persisted.clients import ClientsConfig

PROXY = ip_network("10.0.0.0/8")


def _key(key_id: str, client_id: str = "stranger") -> Principal:
    claims = MappingProxyType({"sub": client_id, "client_id": client_id, "key_id": key_id})
    return Principal(PrincipalKind.API_KEY, subject=client_id, client_id=client_id, claims=claims)


def _token(subject: str | None, issuer: str = "https://idp.test/") -> Principal:
    return Principal(PrincipalKind.JWT, subject=subject, issuer=issuer, client_id="spa")


def test_the_peer_is_the_client_unless_a_trusted_proxy_says_otherwise() -> None:
    addresses = ClientAddresses((PROXY,))
    spoofed = {"x-forwarded-for": "198.51.100.1"}
    # from an untrusted peer the header is ignored: nobody picks his own bucket
    assert str(addresses.client_address("203.0.113.9", spoofed)) == "203.0.113.9"
    assert str(ClientAddresses().client_address("10.0.0.1", spoofed)) == "10.0.0.1"
    # from a trusted proxy, the first untrusted hop from the right is the client; what the
    # client wrote itself (left of it) is never read
    chain = {"x-forwarded-for": "1.1.1.1, 198.51.100.7, 10.1.2.3"}
    assert str(addresses.client_address("10.0.0.1", chain)) == "198.51.100.7"
    assert str(addresses.client_address("10.0.0.1", {})) == "10.0.0.1"
    # a chain of trusted proxies only, or garbage: the last address a trusted proxy vouched for
    only_proxies = {"x-forwarded-for": "10.9.9.9, 10.1.2.3"}
    assert str(addresses.client_address("10.0.0.1", only_proxies)) == "10.9.9.9"
    garbage = {"x-forwarded-for": "not-an-ip, 10.1.2.3"}
    assert str(addresses.client_address("10.0.0.1", garbage)) == "10.1.2.3"
    assert addresses.client_address(None, chain) is None


def test_addresses_as_proxies_write_them() -> None:
    assert str(parse_address("198.51.100.7:4431")) == "198.51.100.7"
    assert str(parse_address("[2001:db8::1]:443")) == "2001:db8::1"
    assert str(parse_address("::ffff:198.51.100.7")) == "198.51.100.7"
    assert parse_address("unknown") is None
    addresses = ClientAddresses(forwarded_for_header="X-Real-Client")
    assert addresses.bucket_segment("2001:db8:1:2:aaaa::1", {}) == "2001:db8:1:2::/64"
    assert addresses.bucket_segment("2001:db8:1:2:bbbb::9", {}) == "2001:db8:1:2::/64"
    assert addresses.bucket_segment("198.51.100.7", {}) == "198.51.100.7"
    assert addresses.bucket_segment(None, {}) == "unknown"


def test_unidentified_callers_each_get_their_own_bucket() -> None:
    accounts = BudgetAccounts(UnidentifiedCallersSettings(trusted_proxies=(PROXY,)))

    def bucket(principal: Principal, peer: str = "203.0.113.9") -> str:
        return accounts.account(
            client_name=None, client_budget=None, principal=principal, peer=peer, headers={}
        ).bucket

    assert bucket(ANONYMOUS) == "~ip:203.0.113.9"
    assert bucket(ANONYMOUS, "203.0.113.10") == "~ip:203.0.113.10"
    assert bucket(_key("k-1")) == "~key:k-1"
    assert bucket(_key("k-2")) == "~key:k-2"  # two keys of one unlisted client: two buckets
    alice, bob = bucket(_token("alice")), bucket(_token("bob"))
    assert alice.startswith("~sub:") and alice != bob
    assert bucket(_token("alice", "https://other.test/")) != alice  # subjects per issuer
    assert bucket(_token(None)) == "~client:spa"
    assert all(
        account.unidentified
        for account in [
            accounts.account(
                client_name=None, client_budget=None, principal=ANONYMOUS, peer=None, headers={}
            )
        ]
    )


def test_listed_clients_keep_their_bucket_and_budgets_fall_back_in_order() -> None:
    own = BudgetPolicy(capacity=10, refill_per_second=1, max_operation_cost=5)
    setting = UnidentifiedCallersSettings()
    accounts = BudgetAccounts(setting)
    listed = accounts.account(
        client_name="acme", client_budget=own, principal=_key("k"), peer=None, headers={}
    )
    assert (listed.bucket, listed.policy, listed.unidentified) == ("acme", own, False)
    # no budget of its own and none in the file's defaults: the gateway's default budget
    plain = accounts.account(
        client_name="web", client_budget=None, principal=ANONYMOUS, peer=None, headers={}
    )
    assert plain.policy == setting.budget
    assert setting.budget.mode == "enforce"  # enforced by default
    # the file's defaults.budget is handed in as the client budget of unidentified callers
    file_default = accounts.account(
        client_name=None, client_budget=own, principal=ANONYMOUS, peer="1.2.3.4", headers={}
    )
    assert (file_default.bucket, file_default.policy) == ("~ip:1.2.3.4", own)


def test_default_budgets_must_refill_so_that_buckets_expire() -> None:
    never = {"capacity": 10, "refill_per_second": 0, "max_operation_cost": 5}
    with pytest.raises(ValidationError, match="must refill"):
        UnidentifiedCallersSettings(budget=never)
    with pytest.raises(ValidationError, match="must refill"):
        ClientsConfig.model_validate({"defaults": {"budget": never}})


def test_trusted_proxies_from_a_list_or_a_comma_separated_string() -> None:
    settings = LimitsSettings(unidentified={"trusted_proxies": "10.0.0.0/8, 192.168.1.7"})
    assert [str(n) for n in settings.unidentified.trusted_proxies] == [
        "10.0.0.0/8",
        "192.168.1.7/32",
    ]
    with pytest.raises(ValidationError):
        LimitsSettings(unidentified={"trusted_proxies": ["not-a-network"]})


async def test_rotating_unidentified_buckets_never_evict_a_listed_client() -> None:
    store = PrefixRoutedBucketStore("~", MemoryBucketStore(4), MemoryBucketStore(4))
    partner = await store.apply("acme", "take", 90, 100, 0)
    assert partner.tokens == 10
    for n in range(50):  # a flood from 50 addresses
        await store.apply(f"~ip:198.51.100.{n}", "take", 1, 100, 0)
    # the partner's bucket is still there (a forgotten one would be full again: 100)
    assert (await store.apply("acme", "peek", 0, 100, 0)).tokens == 10
    # the unidentified LRU is bounded: the first address was forgotten, the last is kept
    assert (await store.apply("~ip:198.51.100.0", "peek", 0, 100, 0)).tokens == 100
    assert (await store.apply("~ip:198.51.100.49", "peek", 0, 100, 0)).tokens == 99
    await store.aclose()
