"""``ordergate pq extract | push | check`` end to end on real files."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from gateway.persisted.clients import ClientRegistry
from gateway.persisted.documents import sha256_hex
from ordergate.cli import main

SCHEMA = """
type Query { order(id: ID!): Order orders(first: Int = 20): [Order!]! }
type Order { id: ID! status: String! lines: [Line!]! }
type Line { sku: String! quantity: Int! }
"""
ORDER = """
query Order($id: ID!) { order(id: $id) { ...OrderFields lines { ...LineFields } } }
"""
FRAGMENTS = """
fragment OrderFields on Order { id status }
fragment LineFields on Line { sku quantity }
fragment Unused on Order { id }
"""
ORDERS = "query Orders { orders(first: 5) { id } }"


def _sources(root: Path) -> Path:
    src = root / "src" / "operations"
    src.mkdir(parents=True)
    (src / "order.graphql").write_text(ORDER)
    (src / "fragments.graphql").write_text(FRAGMENTS)
    (src / "orders.graphql").write_text(ORDERS)
    (root / "schema.graphql").write_text(SCHEMA)
    return src


def test_extract_builds_one_entry_per_operation_with_its_fragments(tmp_path: Path) -> None:
    src = _sources(tmp_path)
    result = CliRunner().invoke(
        main,
        [
            "pq",
            "extract",
            str(src),
            "--client",
            "web",
            "--schema",
            str(tmp_path / "schema.graphql"),
        ],
    )
    assert result.exit_code == 0, result.output
    manifest = json.loads(result.output)
    entries = {
        entry["body"].split("(")[0].split("{")[0].strip(): entry for entry in manifest["documents"]
    }
    order = entries["query Order"]
    assert "fragment LineFields" in order["body"] and "fragment OrderFields" in order["body"]
    assert "Unused" not in order["body"]
    assert order["id"] == sha256_hex(order["body"]) and order["clientName"] == "web"
    assert "fragment" not in entries["query Orders"]["body"]


def test_extract_refuses_invalid_or_anonymous_operations(tmp_path: Path) -> None:
    src = _sources(tmp_path)
    (src / "bad.graphql").write_text("query Bad { order(id: 1) { missing } }")
    schema = str(tmp_path / "schema.graphql")
    result = CliRunner().invoke(
        main, ["pq", "extract", str(src), "--client", "web", "--schema", schema]
    )
    assert result.exit_code == 1
    assert "Cannot query field 'missing'" in result.output
    (src / "bad.graphql").write_text("{ orders { id } }")
    result = CliRunner().invoke(main, ["pq", "extract", str(src), "--client", "web"])
    assert result.exit_code == 1 and "needs a name" in result.output


def test_push_registers_the_manifest_and_the_gateway_serves_it(tmp_path: Path) -> None:
    src = _sources(tmp_path)
    config = tmp_path / "persisted_queries" / "clients.yaml"
    config.parent.mkdir()
    config.write_text("clients:\n  web: {mode: safelist}\n")
    manifest = tmp_path / "web.json"
    runner = CliRunner()
    assert (
        runner.invoke(
            main, ["pq", "extract", str(src), "--client", "web", "-o", str(manifest)]
        ).exit_code
        == 0
    )

    pushed = runner.invoke(
        main, ["pq", "push", str(manifest), "--client", "web", "--config", str(config)]
    )
    assert pushed.exit_code == 0, pushed.output
    assert "2 added, 0 already registered" in pushed.output
    again = runner.invoke(
        main, ["pq", "push", str(manifest), "--client", "web", "--config", str(config)]
    )
    assert "0 added, 2 already registered" in again.output

    profile = ClientRegistry.load(config).profile("web")
    assert len({d.id for d in profile.documents.values()}) == 2
    checked = runner.invoke(main, ["pq", "check", "--config", str(config)])
    assert checked.exit_code == 0
    assert "web: safelist, 2 document(s)" in checked.output


def test_push_refuses_a_conflicting_id_and_warns_about_an_unknown_client(tmp_path: Path) -> None:
    config = tmp_path / "clients.yaml"
    config.write_text("clients: {}\n")
    first = tmp_path / "first.json"
    first.write_text(json.dumps([{"id": "order", "body": "query A { a }"}]))
    second = tmp_path / "second.json"
    second.write_text(json.dumps([{"id": "order", "body": "query B { b }"}]))
    runner = CliRunner()
    pushed = runner.invoke(
        main, ["pq", "push", str(first), "--client", "acme", "--config", str(config)]
    )
    assert pushed.exit_code == 0
    assert "'acme' is not in" in pushed.output
    conflict = runner.invoke(
        main, ["pq", "push", str(second), "--client", "acme", "--config", str(config)]
    )
    assert conflict.exit_code == 1
    assert "two different bodies" in conflict.output


def test_check_reports_a_broken_clients_file(tmp_path: Path) -> None:
    config = tmp_path / "clients.yaml"
    config.write_text("clients:\n  web: {mode: everything}\n")
    result = CliRunner().invoke(main, ["pq", "check", "--config", str(config)])
    assert result.exit_code == 1
    assert "literal_error" in result.output
