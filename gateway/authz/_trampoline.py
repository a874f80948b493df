"""Run mutually recursive generator functions without growing the Python stack.

A step is a generator that ``yield``s a sub-step (another such generator) and receives its
result back; :func:`run` drives them with an explicit stack. Documents can nest fragments
thousands deep without a ``RecursionError``.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any, TypeVar

__all__ = ["Step", "run"]

T = TypeVar("T")
#: a computation that may yield sub-computations and finally returns a ``T``
Step = Generator["Step[Any]", Any, T]


def run(step: Step[T]) -> T:
    """Drive ``step`` and its sub-steps to completion; return its result."""
    stack: list[Step[Any]] = [step]
    sent: Any = None
    while True:
        try:
            child = stack[-1].send(sent)
        except StopIteration as finished:
            stack.pop()
            if not stack:
                result: T = finished.value
                return result
            sent = finished.value
            continue
        stack.append(child)
        sent = None
