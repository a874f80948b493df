"""Plan every case of the federation gateway audit corpus against its suite's supergraph.

Executing the cases needs the suites' TypeScript subgraphs (``run_audit.py`` does that); this
fast check plans each query, parses every subgraph operation of the plan, and expects planning
to fail exactly where the audit expects no data at all.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from graphql import (
    FragmentDefinitionNode,
    OperationDefinitionNode,
    parse,
    validate,
)

from gateway.planning import PlanningError, plan_operation
from gateway.planning.operation import condition_variables
from gateway.supergraph import Supergraph, load_supergraph


def _corpus() -> Path | None:
    configured = os.environ.get("ORDERGATE_AUDIT_CORPUS")
    if configured:
        return Path(configured)
    for parent in Path(__file__).resolve().parents:
        candidate = parent / "shared" / "federation-audit"
        if candidate.is_dir():
            return candidate
    return None


CORPUS = _corpus()
SUITES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir()) if CORPUS else []


@pytest.fixture(scope="module")
def supergraphs() -> dict[str, Supergraph]:
    assert CORPUS is not None
    return {s: load_supergraph((CORPUS / s / "supergraph.graphql").read_text()) for s in SUITES}


def _plan(supergraph: Supergraph, query: str) -> Any:
    document = parse(query)
    if validate(supergraph.api_schema, document):
        return None
    operation = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    conditions = dict.fromkeys(condition_variables(operation, fragments), True)
    return plan_operation(supergraph, operation, fragments, conditions=conditions).plan


@pytest.mark.skipif(CORPUS is None, reason="the audit corpus (shared/federation-audit) is absent")
@pytest.mark.parametrize("suite", SUITES)
def test_every_case_of_the_suite_plans(suite: str, supergraphs: dict[str, Supergraph]) -> None:
    assert CORPUS is not None
    cases = json.loads((CORPUS / suite / "tests.json").read_text())
    for case in cases:
        expected = case["expected"]
        try:
            plan = _plan(supergraphs[suite], case["query"])
        except PlanningError:
            assert expected.get("data") is None and expected.get("errors")
            continue
        if plan is None:  # rejected by validation against the API schema
            assert expected.get("errors"), case["query"]
            continue
        assert expected.get("data") is not None, case["query"]
        assert plan.node is not None
        services = {s.name for s in supergraphs[suite].subgraphs.values()}
        for fetch in plan.fetches:
            assert fetch.service in services
            parse(fetch.operation)


def test_the_corpus_has_all_its_suites() -> None:
    if CORPUS is None:
        pytest.skip("the audit corpus (shared/federation-audit) is absent")
    assert len(SUITES) == 46
    assert sum(len(json.loads((CORPUS / s / "tests.json").read_text())) for s in SUITES) == 199
