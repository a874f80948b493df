"""Read a ``GET /metrics`` answer (Prometheus text format) into samples tests can query."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import httpx
from prometheus_client.parser import text_string_to_metric_families


@dataclass(frozen=True)
class Scrape:
    """The samples of one scrape: ``(name, labels) -> value``."""

    samples: Mapping[tuple[str, frozenset[tuple[str, str]]], float]

    def value(self, name: str, **labels: str) -> float:
        """The sum of the samples named ``name`` whose labels include ``labels`` (0 if none)."""
        wanted = set(labels.items())
        return sum(
            value
            for (sample, found), value in self.samples.items()
            if sample == name and wanted <= found
        )

    def series(self, name: str) -> list[dict[str, str]]:
        """The label sets of the samples named ``name``."""
        return [dict(found) for (sample, found) in self.samples if sample == name]


def parse(text: str) -> Scrape:
    """The samples of an exposition text."""
    samples: dict[tuple[str, frozenset[tuple[str, str]]], float] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            key = (sample.name, frozenset(sample.labels.items()))
            samples[key] = samples.get(key, 0.0) + sample.value
    return Scrape(samples)


async def scrape(client: httpx.AsyncClient, url: str = "/metrics") -> Scrape:
    """``GET url`` and parse it (asserting a 200 in the text format)."""
    response = await client.get(url)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return parse(response.text)
