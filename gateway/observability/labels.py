"""Label values with a bounded number of distinct values (metric series stay bounded).

A Prometheus series exists per distinct combination of label values; a label fed from what
clients send (an operation name, a client version) must not grow without end. A
:class:`BoundedValues` admits the first ``limit`` distinct values it sees and folds every later
one into ``other`` (docs/adr/1107).
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["OTHER", "BoundedValues", "client_label"]

#: the label value of everything folded
OTHER = "other"
#: the label value of callers without credentials
ANONYMOUS = "anonymous"
#: longest label value kept (longer values are folded too)
_MAX_LENGTH = 100


class BoundedValues:
    """The first ``limit`` distinct values, then :data:`OTHER` (thread-free: asyncio only)."""

    __slots__ = ("_admitted", "_limit", "_seen")

    def __init__(self, limit: int, known: Iterable[str] = ()) -> None:
        self._limit = limit
        self._seen: set[str] = set(known)
        #: values admitted against the limit (known ones are not)
        self._admitted = 0

    def admit(self, value: str, *, known: bool = False) -> str:
        """``value`` while fewer than ``limit`` values were admitted (or when ``known``: it
        comes from a bounded source such as a trusted document), else :data:`OTHER`."""
        if value in self._seen:
            return value
        if len(value) > _MAX_LENGTH:
            return OTHER
        if known:
            self._seen.add(value)
            return value
        if self._admitted < self._limit:
            self._admitted += 1
            self._seen.add(value)
            return value
        return OTHER

    def __len__(self) -> int:
        return len(self._seen)


def client_label(client_id: str | None, anonymous: bool, listed: Iterable[str] | None) -> str:
    """The client label: a client listed in the clients file by its id, ``anonymous``
    without credentials, :data:`OTHER` for every unlisted client."""
    if anonymous:
        return ANONYMOUS
    if client_id is not None and listed is not None and client_id in listed:
        return client_id
    return OTHER
