"""``ordergate compose``: writes the supergraph, checks drift, reports errors readably."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from composition_helpers import HERE

from ordergate.cli import main

CASE = HERE / "cases" / "external-requires-provides"


def _project(tmp_path: Path, case: Path = CASE) -> Path:
    lines = ["supergraph: supergraph.graphql", "subgraphs:"]
    for sdl in sorted(case.glob("*.graphql")):
        if sdl.name == "supergraph.graphql":
            continue
        (tmp_path / "subgraphs").mkdir(exist_ok=True)
        (tmp_path / "subgraphs" / sdl.name).write_text(sdl.read_text())
        lines.append(f"  - name: {sdl.stem}\n    url: http://{sdl.stem}.example/graphql")
    config = tmp_path / "subgraphs.yaml"
    config.write_text("\n".join(lines) + "\n")
    return config


def test_writes_the_supergraph_next_to_the_config(tmp_path: Path) -> None:
    config = _project(tmp_path)
    result = CliRunner().invoke(main, ["compose", "--config", str(config)])
    assert result.exit_code == 0, result.output
    written = (tmp_path / "supergraph.graphql").read_text()
    assert written == (CASE / "supergraph.graphql").read_text()
    assert "from 3 subgraphs (inventory, orders, payments)" in result.output


def test_check_passes_when_up_to_date_and_fails_when_stale(tmp_path: Path) -> None:
    config = _project(tmp_path)
    runner = CliRunner()
    assert runner.invoke(main, ["compose", "--config", str(config)]).exit_code == 0
    fresh = runner.invoke(main, ["compose", "--config", str(config), "--check"])
    assert fresh.exit_code == 0
    assert "is up to date" in fresh.output
    sdl = tmp_path / "subgraphs" / "inventory.graphql"
    sdl.write_text(
        sdl.read_text().replace("available: Int!", "available: Int!\n  location: String")
    )
    stale = runner.invoke(main, ["compose", "--config", str(config), "--check"])
    assert stale.exit_code == 1
    assert "is stale" in stale.output
    assert "+  location: String @join__field(graph: INVENTORY)" in stale.output
    assert (tmp_path / "supergraph.graphql").read_text() == (
        CASE / "supergraph.graphql"
    ).read_text()


def test_check_fails_when_the_supergraph_is_missing(tmp_path: Path) -> None:
    config = _project(tmp_path)
    result = CliRunner().invoke(main, ["compose", "--config", str(config), "--check"])
    assert result.exit_code == 1
    assert not (tmp_path / "supergraph.graphql").exists()


def test_composition_errors_are_reported_with_source_lines(tmp_path: Path) -> None:
    config = _project(tmp_path, HERE / "errors" / "INVALID_FIELD_SHARING")
    result = CliRunner().invoke(main, ["compose", "--config", str(config)])
    assert result.exit_code == 1
    assert "composition failed: 1 error" in result.output
    assert "INVALID_FIELD_SHARING" in result.output
    assert f"--> {tmp_path / 'subgraphs' / 'a.graphql'}:" in result.output
    assert "|   name: String" in result.output
    assert not (tmp_path / "supergraph.graphql").exists()


def test_json_report(tmp_path: Path) -> None:
    config = _project(tmp_path, HERE / "errors" / "FIELD_TYPE_MISMATCH")
    result = CliRunner().invoke(main, ["compose", "--config", str(config), "--json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert [e["code"] for e in report["errors"]] == ["FIELD_TYPE_MISMATCH"]
    assert {loc["subgraph"] for loc in report["errors"][0]["locations"]} == {"a", "b"}


def test_missing_snapshot_exits_2(tmp_path: Path) -> None:
    config = _project(tmp_path)
    (tmp_path / "subgraphs" / "orders.graphql").unlink()
    result = CliRunner().invoke(main, ["compose", "--config", str(config)])
    assert result.exit_code == 2
    assert "SUBGRAPH_SDL_UNAVAILABLE" in result.output
