"""Satisfiability: fields no sequence of subgraph fetches can reach are reported.

Each folder of ``satisfiability/`` holds subgraphs and ``expected.json``: the codes and the
unreachable fields @apollo/composition reports for them (the contract tests check that Apollo
still does).
"""

from __future__ import annotations

import json
import re

import pytest
from composition_helpers import HERE, sources_of

from gateway.composition import CompositionFailedError, compose

SCENARIOS = sorted(p.name for p in (HERE / "satisfiability").iterdir() if p.is_dir())


def _outcome(scenario: str) -> dict[str, list[str]]:
    try:
        compose(sources_of(HERE / "satisfiability" / scenario))
    except CompositionFailedError as failure:
        messages = " ".join(e.message for e in failure.errors)
        return {
            "codes": sorted(set(failure.codes)),
            "unsatisfiable": sorted(set(re.findall(r'cannot find field "([^"]+)"', messages))),
        }
    return {"codes": [], "unsatisfiable": []}


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_reports_what_apollo_reports(scenario: str) -> None:
    expected = json.loads((HERE / "satisfiability" / scenario / "expected.json").read_text())
    assert _outcome(scenario) == expected


def test_the_report_shows_a_query_that_cannot_be_served() -> None:
    with pytest.raises(CompositionFailedError) as failure:
        compose(sources_of(HERE / "satisfiability" / "no-key-in-target"))
    (error,) = failure.value.errors
    assert error.message == (
        "The following supergraph API query:\n{\n  t {\n    b\n  }\n}\n"
        "cannot be satisfied by the subgraphs because:\n"
        '- from subgraph "a":\n'
        '  - cannot find field "T.b".\n'
        '  - cannot move to subgraph "b", which has field "T.b", because type "T" has no @key'
        ' defined in subgraph "b".'
    )
    assert [loc.subgraph for loc in error.locations] == ["b"]
