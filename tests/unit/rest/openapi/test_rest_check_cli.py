"""``ordergate rest check`` and ``ordergate rest openapi`` on real files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from openapi_spec_validator import validate

from ordergate.cli import main

ROOT = Path(__file__).resolve().parents[4]
FIXTURES = Path(__file__).parent / "fixtures"
SCHEMA = FIXTURES / "schema.graphql"

_HEADER = "version: 1\nprefix: /api/v1\ndocuments: documents\nroutes:\n"


def _run(*arguments: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(arguments), prog_name="ordergate")
    return result.exit_code, result.stdout, result.stderr


def _routes(tmp_path: Path, routes: str) -> Path:
    shutil.copytree(FIXTURES / "documents", tmp_path / "documents")
    path = tmp_path / "routes.yaml"
    path.write_text(_HEADER + routes, encoding="utf-8")
    return path


def test_the_repositorys_route_file_checks_clean(monkeypatch: pytest.MonkeyPatch) -> None:
    """What ``make drift`` runs in CI (from the checkout, on the default files)."""
    monkeypatch.chdir(ROOT)
    code, out, err = _run("rest", "check")
    assert (code, err) == (0, "")
    assert "compile against schema/supergraph.graphql" in out


def test_the_fixture_route_file_checks_clean() -> None:
    code, out, _ = _run(
        "rest", "check", "--routes", str(FIXTURES / "routes.yaml"), "--supergraph", str(SCHEMA)
    )
    assert code == 0
    assert "10 route(s)" in out


@pytest.mark.parametrize(
    ("routes", "problem"),
    [
        (
            "  - {id: ghost, method: GET, path: /ghosts, operation: NoSuchOperation}\n",
            "ghost: unknown operation 'NoSuchOperation'",
        ),
        (
            "  - {id: unbound, method: GET, path: '/widgets/{id}', operation: TestGetWidget,"
            " bind: {id: path}}\n",
            "unbound: variable $withParts has no binding",
        ),
        (
            "  - {id: mismatch, method: POST, path: '/widgets/{input}',"
            " operation: TestCreateWidget, status: 200, bind: {input: path}}\n",
            "mismatch: bind: input: a path value cannot carry WidgetInput!",
        ),
    ],
    ids=["unknown operation", "unbound variable", "path bound to an input object"],
)
def test_a_broken_route_fails_the_check_with_its_problem(
    tmp_path: Path, routes: str, problem: str
) -> None:
    path = _routes(tmp_path, routes)
    code, out, err = _run("rest", "check", "--routes", str(path), "--supergraph", str(SCHEMA))
    assert code == 1
    assert out == ""
    assert f"  {problem}\n" in err, err


def test_an_unreadable_route_file_fails_the_check(tmp_path: Path) -> None:
    path = tmp_path / "routes.yaml"
    path.write_text("routes:\n  - {id: x, method: BREW, path: /x, operation: X}\n")
    code, _, err = _run("rest", "check", "--routes", str(path), "--supergraph", str(SCHEMA))
    assert code == 1
    assert "method" in err


def test_openapi_prints_a_valid_deterministic_document(tmp_path: Path) -> None:
    arguments = ["--routes", str(FIXTURES / "routes.yaml"), "--supergraph", str(SCHEMA)]
    code, out, _ = _run("rest", "openapi", *arguments)
    assert code == 0
    validate(json.loads(out))
    output = tmp_path / "openapi.json"
    code, again, _ = _run("rest", "openapi", *arguments, "--output", str(output))
    assert (code, again) == (0, "")
    assert output.read_text(encoding="utf-8") == out, "the same bytes, run after run"
