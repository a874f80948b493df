"""Named policies for ``@policy``: Python predicates over the caller's principal.

Usage::

    registry = PolicyRegistry.from_settings(settings.authorization.policies)   # start-up
    registry.register("weekday", lambda principal: datetime.now().weekday() < 5)

A policy receives the :class:`~gateway.auth.Principal` (claims, roles, scopes, client and
customer ids) and returns ``True`` to allow. A policy that raises, or a name nobody registered,
denies: authorization fails closed.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import structlog

from gateway.auth.claims import claim_value
from gateway.auth.principal import Principal
from gateway.authz.builtin_policies import BUILTIN_POLICIES
from gateway.authz.settings import PolicySettings

__all__ = ["Policy", "PolicyRegistry", "claims_policy"]

_log = structlog.get_logger(__name__)

#: a policy: the principal in, allowed or not out
Policy = Callable[[Principal], bool]


def claims_policy(required: Mapping[str, Iterable[Any]]) -> Policy:
    """A policy passing when every claim holds (or, for a list, contains) an accepted value."""
    accepted = {name: list(values) for name, values in required.items()}

    def check(principal: Principal) -> bool:
        for name, values in accepted.items():
            held = claim_value(principal.claims, name)
            held_values = held if isinstance(held, list) else [held]
            if not any(value in values for value in held_values if value is not None):
                return False
        return True

    return check


def _import(target: str) -> Policy:
    module_name, _, attribute = target.partition(":")
    found: Any = importlib.import_module(module_name)
    for part in attribute.split("."):
        found = getattr(found, part)
    if not callable(found):
        raise TypeError(f"policy {target} is not callable")
    policy: Policy = found
    return policy


class PolicyRegistry:
    """Policies by name."""

    def __init__(self, policies: Mapping[str, Policy] | None = None) -> None:
        self._policies: dict[str, Policy] = dict(policies or {})

    @classmethod
    def from_settings(cls, settings: Mapping[str, PolicySettings]) -> PolicyRegistry:
        """The built-in policies (:mod:`gateway.authz.builtin_policies`), then the configured
        ones (which replace a built-in of the same name); imports ``callable`` targets now
        (raises if missing)."""
        registry = cls(BUILTIN_POLICIES)
        for name, policy in settings.items():
            if policy.callable is not None:
                registry.register(name, _import(policy.callable))
            else:
                registry.register(name, claims_policy(policy.claims or {}))
        return registry

    def register(self, name: str, policy: Policy) -> None:
        """Add (or replace) the policy ``name``."""
        self._policies[name] = policy

    @property
    def names(self) -> frozenset[str]:
        """The registered policy names."""
        return frozenset(self._policies)

    def satisfied(self, names: Iterable[str], principal: Principal) -> frozenset[str]:
        """Which of ``names`` the principal satisfies (each evaluated once)."""
        passed = set()
        for name in names:
            policy = self._policies.get(name)
            if policy is None:
                continue
            try:
                allowed = policy(principal)
            except Exception:
                _log.exception("policy raised; denying", policy=name)
                continue
            if allowed is True:
                passed.add(name)
        return frozenset(passed)
