"""What a subgraph attempt reports to its span: the retry number and the HTTP status.

Two context variables, set only around a traced attempt (:mod:`gateway.execution.fetch_trace`)
or a retry: the transports call :func:`note_status` with each status they receive (a context
variable lookup when nobody listens), the retry loop marks its sends with :func:`resending`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token

__all__ = ["current_resend", "listen_status", "note_status", "resending", "stop_listening"]

#: the retry number of the attempt being sent (0: the first send)
_RESEND: ContextVar[int] = ContextVar("ordergate_fetch_resend", default=0)
#: where a transport notes the HTTP status of the attempt (set by a traced attempt only)
_STATUS: ContextVar[list[int] | None] = ContextVar("ordergate_fetch_status", default=None)


@contextmanager
def resending(retry: int) -> Iterator[None]:
    """Mark the sends inside as retry number ``retry`` (used by the retry loop)."""
    token = _RESEND.set(retry)
    try:
        yield
    finally:
        _RESEND.reset(token)


def current_resend() -> int:
    """The retry number of the attempt being sent (0: the first)."""
    return _RESEND.get()


def note_status(status: int) -> None:
    """Called by a transport with the HTTP status it received; kept while someone listens."""
    box = _STATUS.get()
    if box is not None:
        box[0] = status


def listen_status(box: list[int]) -> Token[list[int] | None]:
    """Collect the status of the sends that follow into ``box[0]``."""
    return _STATUS.set(box)


def stop_listening(token: Token[list[int] | None]) -> None:
    """Undo :func:`listen_status`."""
    _STATUS.reset(token)
