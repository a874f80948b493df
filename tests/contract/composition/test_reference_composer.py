"""@apollo/composition agrees with the fixtures: reference outputs and error codes.

``tests/unit/composition/cases/*/supergraph.graphql`` must be exactly what Apollo composes
today (they were generated with ``node compose-reference.mjs --write``), and every error case
of ``tests/unit/composition/errors/`` must fail in Apollo with the same code as in Ordergate.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from node_tools import run_tool

REPOSITORY = Path(__file__).resolve().parents[3]
UNIT = REPOSITORY / "tests" / "unit" / "composition"
#: codes Ordergate reports where Apollo composes (features this composer does not support)
ORDERGATE_ONLY = {"UNSUPPORTED_FEATURE"}


def _folders(kind: str) -> list[Path]:
    return sorted(p for p in (UNIT / kind).iterdir() if p.is_dir())


@pytest.fixture(scope="module")
def apollo_cases() -> dict[str, Any]:
    return run_tool("compose-reference.mjs", *(str(p) for p in _folders("cases")))


@pytest.fixture(scope="module")
def apollo_errors() -> dict[str, Any]:
    return run_tool("compose-reference.mjs", *(str(p) for p in _folders("errors")))


def test_reference_supergraphs_are_apollos_current_output(apollo_cases: dict[str, Any]) -> None:
    stale = [
        Path(folder).name
        for folder, result in apollo_cases.items()
        if result.get("supergraph") != (Path(folder) / "supergraph.graphql").read_text()
    ]
    assert stale == []


@pytest.fixture(scope="module")
def apollo_satisfiability() -> dict[str, Any]:
    return run_tool("compose-reference.mjs", *(str(p) for p in _folders("satisfiability")))


def test_apollo_reports_the_expected_unreachable_fields(
    apollo_satisfiability: dict[str, Any],
) -> None:
    disagreements = {}
    for folder, result in apollo_satisfiability.items():
        errors = result.get("errors", [])
        messages = " ".join(e["message"] for e in errors)
        found = {
            "codes": sorted({e["code"] for e in errors}),
            "unsatisfiable": sorted(
                set(re.findall(r'cannot find field "([^"]+)"', messages))
                | set(re.findall(r'field "([^"]+)" is not resolvable', messages))
                | set(
                    re.findall(r'cannot satisfy @require conditions on field "([^"]+)"', messages)
                )
            ),
        }
        expected = json.loads((Path(folder) / "expected.json").read_text())
        if found != expected:
            disagreements[Path(folder).name] = found
    assert disagreements == {}


def test_apollo_fails_each_error_case_with_the_same_code(apollo_errors: dict[str, Any]) -> None:
    disagreements = {}
    for folder, result in apollo_errors.items():
        code = Path(folder).name
        codes = {e["code"] for e in result.get("errors", [])}
        if code in ORDERGATE_ONLY:
            if codes:
                disagreements[code] = sorted(codes)
        elif code not in codes:
            disagreements[code] = sorted(codes) or "composed"
    assert disagreements == {}
