"""Plan cases as data: every folder of ``cases/`` is one operation planned over one supergraph.

A case folder holds:

- ``subgraphs/<name>.graphql``: the subgraph SDLs (URL ``http://<name>.example/graphql``);
- ``supergraph.graphql``: what ``gateway.composition.compose`` makes of them (checked here, so
  the SDLs and the supergraph never drift apart);
- ``operation.graphql``: the client operation, with ``variables.json`` for its variables (the
  ``@skip``/``@include`` ones decide the plan) and ``labels.json`` for the progressive
  ``@override`` labels that are on (a JSON list; none when absent);
- ``plan.txt``: the expected plan as ``gateway.planning.format_plan`` prints it (or
  ``PlanningError: <message>`` when the operation cannot be planned).

``ORDERGATE_UPDATE_PLAN_CASES=1`` rewrites ``supergraph.graphql`` and ``plan.txt`` from the
current composer and planner instead of comparing; review the diff before committing it. No
Node is needed: composition and planning are the gateway's own.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from graphql import FragmentDefinitionNode, OperationDefinitionNode, parse, validate
from graphql.execution.values import get_variable_values

from gateway.composition import SubgraphSource, compose
from gateway.planning import PlanningError, format_plan, plan_operation
from gateway.planning.operation import condition_variables
from gateway.supergraph import load_supergraph

HERE = Path(__file__).parent / "cases"
CASES = sorted(p.name for p in HERE.iterdir() if p.is_dir())
UPDATE = os.environ.get("ORDERGATE_UPDATE_PLAN_CASES") == "1"


def _composed(folder: Path) -> str:
    sources = [
        SubgraphSource(path.stem, f"http://{path.stem}.example/graphql", path.read_text())
        for path in sorted((folder / "subgraphs").glob("*.graphql"))
    ]
    return compose(sources).supergraph_sdl


def _json(path: Path, default: Any) -> Any:
    return json.loads(path.read_text()) if path.is_file() else default


def _planned(folder: Path) -> str:
    supergraph = load_supergraph((folder / "supergraph.graphql").read_text())
    document = parse((folder / "operation.graphql").read_text())
    errors = validate(supergraph.api_schema, document)
    assert not errors, [e.message for e in errors]
    operation = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    coerced = get_variable_values(
        supergraph.api_schema,
        operation.variable_definitions or (),
        _json(folder / "variables.json", {}),
    )
    assert not isinstance(coerced, list), [e.message for e in coerced]
    values: dict[str, Any] = coerced.coerced
    conditions = {
        name: bool(values.get(name)) for name in condition_variables(operation, fragments)
    }
    labels = frozenset(_json(folder / "labels.json", []))
    try:
        plan = plan_operation(
            supergraph, operation, fragments, conditions=conditions, active_labels=labels
        ).plan
    except PlanningError as error:
        return f"PlanningError: {error}\n"
    return format_plan(plan) + "\n"


def _check(expected_file: Path, actual: str) -> None:
    if UPDATE:
        expected_file.write_text(actual)
        return
    assert expected_file.is_file(), f"{expected_file} is missing (ORDERGATE_UPDATE_PLAN_CASES=1)"
    assert actual == expected_file.read_text()


@pytest.mark.parametrize("case", CASES)
def test_supergraph_is_the_composition_of_the_subgraphs(case: str) -> None:
    folder = HERE / case
    _check(folder / "supergraph.graphql", _composed(folder))


@pytest.mark.parametrize("case", CASES)
def test_operation_plans_as_expected(case: str) -> None:
    folder = HERE / case
    if UPDATE and not (folder / "supergraph.graphql").is_file():
        (folder / "supergraph.graphql").write_text(_composed(folder))
    _check(folder / "plan.txt", _planned(folder))


def test_there_are_enough_cases_and_each_is_complete() -> None:
    assert len(CASES) >= 60
    for case in CASES:
        folder = HERE / case
        assert list((folder / "subgraphs").glob("*.graphql")), case
        assert (folder / "operation.graphql").is_file(), case
