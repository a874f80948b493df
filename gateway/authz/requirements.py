"""What an element of the schema demands of the caller: :class:`Requirement`.

One requirement gathers the authorization directives on one schema element (a type or a field):

- ``@authenticated``: the caller is not anonymous;
- ``@requiresScopes(scopes: [[S]])``: the caller holds every scope of at least one inner list
  (inner lists AND, outer list OR);
- ``@policy(policies: [[P]])``: the same shape over the names of the policies the caller
  satisfies.

All parts must hold. Requirements are immutable and hashable, with a canonical form, so that
equal demands compare equal wherever they were written.
"""

from __future__ import annotations

from collections.abc import Iterable, Set
from dataclasses import dataclass

__all__ = ["Alternatives", "Requirement", "alternatives"]

#: OR of AND-sets; ``()`` means "no demand of this kind"
Alternatives = tuple[frozenset[str], ...]


def alternatives(sets: Iterable[Iterable[str]]) -> Alternatives:
    """The canonical form of a ``[[name]]`` argument.

    Duplicates and supersets of other alternatives are dropped (they never change the outcome)
    and the result is sorted. An empty inner list is satisfied by anyone, and so is an empty
    outer list: both yield ``()``.
    """
    unique = {frozenset(names) for names in sets}
    if not unique or frozenset() in unique:
        return ()
    minimal = [one for one in unique if not any(other < one for other in unique)]
    return tuple(sorted(minimal, key=sorted))


def _conjunction(left: Alternatives, right: Alternatives) -> Alternatives:
    if not left:
        return right
    if not right:
        return left
    return alternatives(a | b for a in left for b in right)


@dataclass(frozen=True, slots=True)
class Requirement:
    """The demands of one schema element; build with :func:`alternatives` for canonical parts."""

    authenticated: bool = False
    scopes: Alternatives = ()
    policies: Alternatives = ()

    @property
    def is_empty(self) -> bool:
        """``True`` when it demands nothing."""
        return not (self.authenticated or self.scopes or self.policies)

    @property
    def scope_names(self) -> frozenset[str]:
        """Every scope named anywhere in it."""
        return frozenset().union(*self.scopes)

    @property
    def policy_names(self) -> frozenset[str]:
        """Every policy named anywhere in it."""
        return frozenset().union(*self.policies)

    def both(self, other: Requirement) -> Requirement:
        """The requirement demanding ``self`` and ``other``."""
        return Requirement(
            authenticated=self.authenticated or other.authenticated,
            scopes=_conjunction(self.scopes, other.scopes),
            policies=_conjunction(self.policies, other.policies),
        )

    def satisfied_by(self, *, authenticated: bool, scopes: Set[str], policies: Set[str]) -> bool:
        """Whether a caller with these properties meets it."""
        if self.authenticated and not authenticated:
            return False
        if self.scopes and not any(needed <= scopes for needed in self.scopes):
            return False
        return not self.policies or any(needed <= policies for needed in self.policies)

    def describe(self) -> str:
        """A short human description, for logs and dry-run reports."""
        parts = []
        if self.authenticated:
            parts.append("authenticated")
        if self.scopes:
            parts.append("scopes " + " | ".join(" & ".join(sorted(s)) for s in self.scopes))
        if self.policies:
            parts.append("policies " + " | ".join(" & ".join(sorted(p)) for p in self.policies))
        return ", ".join(parts) or "nothing"
