"""Item 7: API schema of a supergraph, and classification of API changes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from composition_helpers import HERE, compose_sdls, fed2
from graphql import print_schema

from gateway.composition._api_schema import api_schema_of, deprecations_of
from gateway.composition.schema_diff import ChangeLevel, diff_sdl
from ordergate.cli import main

BASE = (
    fed2("key", "inaccessible", "tag")
    + """
type Query {
  order(id: ID!): Order @tag(name: "public")
  orders(first: Int = 20): [Order!]!
}

type Order @key(fields: "id") {
  id: ID!
  status: Status!
  note: String
  legacyCode: String @inaccessible
}

enum Status {
  PENDING
  CONFIRMED
  ARCHIVED @inaccessible
}

input Filter {
  status: Status
}
"""
)


def _changes(old: str, new: str) -> dict[str, ChangeLevel]:
    return {c.code: c.level for c in diff_sdl(compose_sdls(a=old), compose_sdls(a=new))}


def test_api_schema_drops_machinery_and_inaccessible_elements() -> None:
    sdl = compose_sdls(a=BASE)
    printed = print_schema(api_schema_of(sdl))
    assert "join__" not in printed
    assert "link__" not in printed
    assert "legacyCode" not in printed
    assert "ARCHIVED" not in printed
    assert "@tag" not in printed
    assert "type Order {\n  id: ID!\n  status: Status!\n  note: String\n}" in printed


def test_deprecations_are_read_from_the_supergraph() -> None:
    sdl = compose_sdls(a=BASE.replace("note: String", 'note: String @deprecated(reason: "no")'))
    assert deprecations_of(sdl) == {"Order.note": "no"}


def test_inaccessible_imported_under_another_name_is_hidden_too() -> None:
    reference = (HERE / "cases" / "renamed-imports" / "supergraph.graphql").read_text()
    assert "@federation__inaccessible" in reference
    printed = print_schema(api_schema_of(reference))
    assert "secret" not in printed
    assert "type Thing {\n  id: ID!\n  name: String\n  size: Int\n}" in printed


def test_an_api_schema_is_taken_as_is() -> None:
    assert print_schema(api_schema_of("type Query { a: Int }")) == "type Query {\n  a: Int\n}"


@pytest.mark.parametrize(
    ("old", "new", "code", "level"),
    [
        ("  note: String\n", "", "FIELD_REMOVED", ChangeLevel.BREAKING),
        ("status: Status!", "status: String!", "FIELD_CHANGED_KIND", ChangeLevel.BREAKING),
        ("  CONFIRMED\n", "", "VALUE_REMOVED_FROM_ENUM", ChangeLevel.BREAKING),
        (
            "order(id: ID!)",
            "order(id: ID!, as: String!)",
            "REQUIRED_ARG_ADDED",
            ChangeLevel.BREAKING,
        ),
        ("input Filter {\n  status: Status\n}\n", "", "TYPE_REMOVED", ChangeLevel.BREAKING),
        ("  CONFIRMED\n", "  CONFIRMED\n  SHIPPED\n", "VALUE_ADDED_TO_ENUM", ChangeLevel.DANGEROUS),
        ("first: Int = 20", "first: Int = 50", "ARG_DEFAULT_VALUE_CHANGE", ChangeLevel.DANGEROUS),
        ("  note: String\n", "  note: String\n  total: Int\n", "FIELD_ADDED", ChangeLevel.SAFE),
        ("note: String", "note: String!", "FIELD_CHANGED_KIND_SAFE", ChangeLevel.SAFE),
        ("note: String", 'note: String @deprecated(reason: "x")', "DEPRECATED", ChangeLevel.SAFE),
    ],
)
def test_changes_are_classified(old: str, new: str, code: str, level: ChangeLevel) -> None:
    assert old in BASE
    assert _changes(BASE, BASE.replace(old, new)).get(code) is level


def test_changes_to_inaccessible_elements_are_invisible() -> None:
    edited = BASE.replace("  legacyCode: String @inaccessible\n", "").replace(
        "  ARCHIVED @inaccessible\n", ""
    )
    assert _changes(BASE, edited) == {}


def _write(tmp_path: Path, name: str, sdl: str) -> str:
    path = tmp_path / name
    path.write_text(sdl)
    return str(path)


def test_diff_command_exit_codes(tmp_path: Path) -> None:
    old = _write(tmp_path, "old.graphql", compose_sdls(a=BASE))
    safe = _write(
        tmp_path, "safe.graphql", compose_sdls(a=BASE.replace("note: String", "note: String!"))
    )
    risky = _write(
        tmp_path,
        "risky.graphql",
        compose_sdls(a=BASE.replace("  CONFIRMED\n", "  CONFIRMED\n  X\n")),
    )
    broken = _write(
        tmp_path, "broken.graphql", compose_sdls(a=BASE.replace("  note: String\n", ""))
    )
    runner = CliRunner()
    assert runner.invoke(main, ["schema", "diff", old, old]).output == "no API changes\n"
    assert runner.invoke(main, ["schema", "diff", old, safe]).exit_code == 0
    assert runner.invoke(main, ["schema", "diff", old, risky]).exit_code == 0
    assert (
        runner.invoke(main, ["schema", "diff", old, risky, "--fail-on", "dangerous"]).exit_code == 1
    )
    result = runner.invoke(main, ["schema", "diff", old, broken])
    assert result.exit_code == 1
    assert "BREAKING (1)\n  FIELD_REMOVED: Field Order.note was removed." in result.output
    assert runner.invoke(main, ["schema", "diff", old, broken, "--fail-on", "never"]).exit_code == 0
    report = json.loads(runner.invoke(main, ["schema", "diff", old, broken, "--json"]).stdout)
    assert report["changes"][0] == {
        "level": "breaking",
        "code": "FIELD_REMOVED",
        "message": "Field Order.note was removed.",
    }


def test_diff_command_rejects_unreadable_inputs(tmp_path: Path) -> None:
    valid = _write(tmp_path, "valid.graphql", "type Query { a: Int }")
    invalid = _write(tmp_path, "invalid.graphql", "type Query {")
    runner = CliRunner()
    assert runner.invoke(main, ["schema", "diff", valid, str(tmp_path / "missing")]).exit_code == 2
    assert runner.invoke(main, ["schema", "diff", valid, invalid]).exit_code == 2


def test_reference_supergraphs_from_apollo_work_as_inputs() -> None:
    reference = (HERE / "cases" / "inaccessible-and-tags" / "supergraph.graphql").read_text()
    assert diff_sdl(reference, reference) == []
