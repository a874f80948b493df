"""Correctness checks around a load run: same response everywhere, no GraphQL errors.

Responses are compared after parsing (key order does not matter, list order does). While wrk
runs, a sampler thread sends the same requests on its own connection and checks each answer,
so errors that only appear under concurrency are seen too.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx
import orjson

__all__ = ["LoadSampler", "SampleReport", "first_difference", "post_json"]


def first_difference(expected: Any, actual: Any, path: str = "$") -> str | None:
    """A description of the first place where two parsed JSON values differ, or ``None``."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in expected.keys() | actual.keys():
            if key not in actual:
                return f"{path}.{key}: missing"
            if key not in expected:
                return f"{path}.{key}: unexpected"
            found = first_difference(expected[key], actual[key], f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            return f"{path}: {len(actual)} items instead of {len(expected)}"
        for index, (left, right) in enumerate(zip(expected, actual, strict=True)):
            found = first_difference(left, right, f"{path}[{index}]")
            if found:
                return found
        return None
    if type(expected) is not type(actual) or expected != actual:
        return f"{path}: {actual!r:.80} instead of {expected!r:.80}"
    return None


def post_json(
    client: httpx.Client, url: str, body: bytes, headers: Mapping[str, str] | None = None
) -> tuple[int, Any]:
    """POST a JSON body; the status and the parsed answer (``None`` when not JSON)."""
    response = client.post(
        url, content=body, headers={"content-type": "application/json", **(headers or {})}
    )
    try:
        return response.status_code, orjson.loads(response.content)
    except orjson.JSONDecodeError:
        return response.status_code, None


@dataclass(slots=True)
class SampleReport:
    """What the sampler saw."""

    sent: int = 0
    non_200: int = 0
    graphql_errors: int = 0
    different: int = 0
    transport_errors: int = 0
    examples: list[str] = field(default_factory=list)

    @property
    def failures(self) -> int:
        """Samples that were not a correct answer."""
        return self.non_200 + self.graphql_errors + self.different + self.transport_errors

    def note(self, text: str) -> None:
        """Keep a few examples of what went wrong."""
        if len(self.examples) < 5:
            self.examples.append(text)


class LoadSampler:
    """Sends ``count`` requests spread over ``seconds`` on its own connection, in a thread."""

    def __init__(
        self,
        url: str,
        body: bytes,
        *,
        expected: Any | None,
        count: int,
        seconds: float,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.report = SampleReport()
        self._url = url
        self._body = body
        self._expected = expected
        self._count = count
        self._interval = seconds / (count + 1) if count else 0.0
        self._headers = dict(headers or {})
        self._thread = threading.Thread(target=self._run, name="load-sampler", daemon=True)

    def start(self) -> None:
        """Begin sampling."""
        self._thread.start()

    def join(self) -> SampleReport:
        """Wait for the last sample and return the report."""
        self._thread.join()
        return self.report

    def _run(self) -> None:
        with httpx.Client(timeout=60.0) as client:
            for _ in range(self._count):
                time.sleep(self._interval)
                self._one(client)

    def _one(self, client: httpx.Client) -> None:
        report = self.report
        report.sent += 1
        try:
            status, answer = post_json(client, self._url, self._body, self._headers)
        except httpx.HTTPError as exc:
            report.transport_errors += 1
            report.note(repr(exc))
            return
        if status != 200:
            report.non_200 += 1
            report.note(f"HTTP {status}: {str(answer)[:200]}")
            return
        if not isinstance(answer, dict) or answer.get("errors"):
            report.graphql_errors += 1
            errors = answer.get("errors") if isinstance(answer, dict) else answer
            report.note(f"GraphQL errors: {str(errors)[:300]}")
            return
        if self._expected is not None:
            difference = first_difference(self._expected, answer)
            if difference:
                report.different += 1
                report.note(f"different answer: {difference}")
