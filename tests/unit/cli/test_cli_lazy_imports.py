"""``ordergate --help`` (and every sub-command's ``--help``) imports no heavy library: the CLI
module is click and a few tiny modules; a command imports what it needs only when it runs.

Measured by the modules a fresh interpreter holds (``sys.modules``), never by wall time.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import click
import pytest

from ordergate.cli import main
from ordergate.commands.seed import DEFAULT_SIZES
from subgraphs.seed import SeedConfig

ROOT = Path(__file__).resolve().parents[3]

#: packages none of which ``--help`` may import (the gateway, the worker and the subgraphs'
#: runtime: servers, HTTP clients, GraphQL, databases, settings, logging)
HEAVY = (
    "aiohttp",
    "alembic",
    "asyncpg",
    "gateway",
    "graphql",
    "httpx",
    "orjson",
    "pydantic",
    "pydantic_settings",
    "redis",
    "sqlalchemy",
    "starlette",
    "strawberry",
    "structlog",
    "uvicorn",
    "worker",
    "yaml",
)
#: modules a fresh interpreter may hold after ``import ordergate.cli`` (Python itself and
#: click are about 100; the whole gateway is over 1,400)
CLI_MODULE_BOUND = 130
#: the same after running any ``--help`` (the command modules and the stdlib they use)
HELP_MODULE_BOUND = 260

_PROBE = """
import json, sys
arguments, report = json.loads(sys.argv[1]), sys.argv[2]
code = None
if arguments is not None:
    from ordergate.cli import main
    try:
        main(arguments, prog_name="ordergate")
    except SystemExit as exit:
        code = exit.code
else:
    import ordergate.cli
with open(report, "w") as out:
    json.dump({"code": code, "modules": sorted(sys.modules)}, out)
"""


def _modules_after(arguments: list[str] | None, tmp_path: Path) -> tuple[object, list[str]]:
    report = tmp_path / "modules.json"
    subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps(arguments), str(report)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=120,
    )
    found = json.loads(report.read_text())
    return found["code"], found["modules"]


def _heavy(modules: list[str]) -> list[str]:
    return sorted({m for m in modules if m.split(".")[0] in HEAVY})


def _command_paths() -> list[list[str]]:
    context = click.Context(main, info_name="ordergate")
    paths: list[list[str]] = [[]]
    for name in main.list_commands(context):
        command = main.get_command(context, name)
        assert command is not None
        paths.append([name])
        if isinstance(command, click.Group):
            sub_context = click.Context(command, info_name=name, parent=context)
            paths.extend([name, sub] for sub in command.list_commands(sub_context))
    return paths


def test_importing_the_cli_module_imports_click_only(tmp_path: Path) -> None:
    _, modules = _modules_after(None, tmp_path)
    assert "click" in modules
    assert _heavy(modules) == []
    assert not [m for m in modules if m.startswith("ordergate.commands.")]
    assert len(modules) <= CLI_MODULE_BOUND, len(modules)


@pytest.mark.parametrize("path", _command_paths(), ids=lambda p: " ".join(p) or "ordergate")
def test_help_imports_no_heavy_module(path: list[str], tmp_path: Path) -> None:
    code, modules = _modules_after([*path, "--help"], tmp_path)
    assert code == 0
    assert _heavy(modules) == []
    assert len(modules) <= HELP_MODULE_BOUND, len(modules)


def test_every_command_is_listed_and_helps(tmp_path: Path) -> None:
    from click.testing import CliRunner

    runner = CliRunner()
    listing = runner.invoke(main, ["--help"])
    assert listing.exit_code == 0
    for path in _command_paths()[1:]:
        if len(path) == 1:
            assert f"  {path[0]} " in listing.output
        result = runner.invoke(main, [*path, "--help"], prog_name="ordergate")
        assert result.exit_code == 0, (path, result.output)
        assert f"Usage: ordergate {' '.join(path)}" in result.output


def test_the_seed_defaults_shown_by_help_are_the_generators() -> None:
    defaults = SeedConfig()
    assert {field: getattr(defaults, field) for field in DEFAULT_SIZES} == DEFAULT_SIZES and set(
        DEFAULT_SIZES
    ) <= {f.name for f in dataclasses.fields(SeedConfig)}
