"""docker-compose.yml describes a topology that can really run (Docker does not run here).

Checked: every Ordergate service runs a real ``ordergate`` sub-command with valid arguments,
every ``ORDERGATE_*`` variable is a real setting with a valid value, long-running services have
healthchecks that probe the port the service really listens on, dependencies wait for health
and migrations, every database the services use is created, and the image contains the code.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import pytest
import yaml
from pydantic_settings import BaseSettings
from sqlalchemy.engine import make_url

from gateway.settings import GatewaySettings
from ordergate.cli import main
from subgraphs.common.settings import environment_variable_names
from subgraphs.registry import SUBGRAPH_NAMES, definition
from worker.settings import WorkerSettings

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
SERVICES: dict[str, dict[str, Any]] = COMPOSE["services"]

#: Every settings class an Ordergate process reads (grows with the gateway, Prometheus...).
KNOWN_SETTINGS: list[type[BaseSettings]] = [
    *(definition(name).settings_class for name in SUBGRAPH_NAMES),
    GatewaySettings,
    WorkerSettings,
]


def ordergate_services() -> Iterator[tuple[str, dict[str, Any]]]:
    for name, service in SERVICES.items():
        command = service.get("command") or []
        if command[:1] == ["ordergate"]:
            yield name, service


def settings_class_for(variable: str) -> type[BaseSettings] | None:
    """The settings class ``variable`` sets (nested fields: ``<FIELD>__<SUBFIELD>``)."""
    for settings_class in KNOWN_SETTINGS:
        names = environment_variable_names(settings_class)
        if variable in names or any(variable.startswith(f"{name}__") for name in names):
            return settings_class
    gateway_prefix = "ORDERGATE_GATEWAY_"
    if variable.startswith(gateway_prefix):  # nested sections use `__`
        section = variable.removeprefix(gateway_prefix).split("__")[0].lower()
        if section in GatewaySettings.model_fields:
            return GatewaySettings
    return None


def test_topology_has_the_infrastructure_and_four_subgraphs() -> None:
    assert {"postgres", "redis", "migrate", *SUBGRAPH_NAMES} <= set(SERVICES)
    for name in SUBGRAPH_NAMES:
        assert SERVICES[name]["command"] == ["ordergate", "subgraph", name]


@pytest.mark.parametrize(("name", "service"), list(ordergate_services()))
def test_command_is_a_real_ordergate_subcommand(name: str, service: dict[str, Any]) -> None:
    args = service["command"][1:]
    group_context = click.Context(main, info_name="ordergate")
    command = main.get_command(group_context, args[0])
    assert command is not None, f"{name}: `ordergate {args[0]}` does not exist"
    command.make_context(args[0], list(args[1:]), parent=group_context)  # raises on bad args


@pytest.mark.parametrize(("name", "service"), list(ordergate_services()))
def test_environment_variables_are_real_settings(
    name: str, service: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    environment = {key: str(value) for key, value in (service.get("environment") or {}).items()}
    assert environment, f"{name} sets no ORDERGATE_* variable"
    for variable in environment:
        assert settings_class_for(variable) is not None, f"{name}: {variable} is no setting"
    for variable, value in environment.items():
        monkeypatch.setenv(variable, value)
    for settings_class in {settings_class_for(variable) for variable in environment}:
        assert settings_class is not None
        settings_class()  # values parse; unknown prefixed variables would raise


def test_image_and_ports_of_the_subgraphs(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in SUBGRAPH_NAMES:
        service = SERVICES[name]
        assert service["image"] == "ordergate:latest"
        for variable, value in service["environment"].items():
            monkeypatch.setenv(variable, str(value))
        settings = definition(name).settings()
        assert settings.host == "0.0.0.0", f"{name} must listen beyond the container"
        assert service["ports"] == [f"{settings.port}:{settings.port}"]
        probe = " ".join(service["healthcheck"]["test"])
        assert f"127.0.0.1:{settings.port}/ready" in probe
        assert make_url(settings.database_url).get_backend_name() == "postgresql"


def test_long_running_services_have_healthchecks() -> None:
    for name, service in SERVICES.items():
        if service.get("restart") != "no":
            assert "healthcheck" in service, f"{name} has no healthcheck"


def test_dependencies_wait_for_health_and_migrations() -> None:
    assert SERVICES["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    for name in SUBGRAPH_NAMES:
        condition = SERVICES[name]["depends_on"]["migrate"]["condition"]
        assert condition == "service_completed_successfully"
    for name, service in SERVICES.items():
        for dependency in service.get("depends_on") or {}:
            assert dependency in SERVICES, f"{name} depends on unknown {dependency}"


def test_every_database_used_is_created() -> None:
    init = "\n".join(
        path.read_text(encoding="utf-8")
        for path in sorted((ROOT / "deploy/postgres/initdb").glob("*.sql"))
    )
    created = set(re.findall(r"CREATE DATABASE (\w+);", init))
    used = {
        make_url(str(value)).database
        for _, service in ordergate_services()
        for variable, value in (service.get("environment") or {}).items()
        if variable.endswith("_DATABASE_URL")
    }
    assert used and used <= created
    mount = "./deploy/postgres/initdb:/docker-entrypoint-initdb.d:ro"
    assert mount in SERVICES["postgres"]["volumes"]


def test_dockerfile_ships_every_package_and_the_locked_dependencies() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    for package in pyproject["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"]:
        assert f"COPY {package} {package}" in dockerfile
    assert "uv sync --frozen --no-dev" in dockerfile
    assert "USER ordergate" in dockerfile


def test_the_worker_consumes_the_shared_redis_and_reports_its_heartbeat(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    service = SERVICES["worker"]
    assert service["command"] == ["ordergate", "worker"]
    for variable, value in service["environment"].items():
        monkeypatch.setenv(variable, str(value))
    settings = WorkerSettings()
    assert make_url(settings.redis.url).host == "redis"
    assert set(settings.subgraph_urls) == {"orders", "inventory"}
    assert settings.heartbeat_file is not None
    assert f"'{settings.heartbeat_file}'" in " ".join(service["healthcheck"]["test"])
    assert service["depends_on"]["redis"]["condition"] == "service_healthy"


def test_subgraphs_require_the_principal_the_gateway_signs(monkeypatch: pytest.MonkeyPatch) -> None:
    secret_name = "principal_signing_key"
    secret_path = f"/run/secrets/{secret_name}"
    assert "environment" in COMPOSE["secrets"][secret_name], "the secret is never a repo file"
    for name in SUBGRAPH_NAMES:
        service = SERVICES[name]
        assert service["secrets"] == [secret_name]
        for variable, value in service["environment"].items():
            monkeypatch.setenv(variable, str(value))
        settings = definition(name).settings()
        assert settings.principal_mode == "required"
        assert settings.principal_trust == "signature"
        assert str(settings.principal_secret_file) == secret_path
    gateway = SERVICES["gateway"]
    assert gateway["command"] == ["ordergate", "gateway"]
    assert gateway["secrets"] == [secret_name]
    for variable, value in gateway["environment"].items():
        monkeypatch.setenv(variable, str(value))
    settings = GatewaySettings()
    assert settings.principal_headers.mode == "signed"
    assert str(settings.principal_headers.secret_file) == secret_path
    assert settings.host == "0.0.0.0" and settings.production
    assert gateway["ports"] == [f"{settings.port}:{settings.port}"]
    assert f"127.0.0.1:{settings.port}/ready" in " ".join(gateway["healthcheck"]["test"])
    for name in SUBGRAPH_NAMES:
        port = definition(name).settings_class().port
        assert settings.subgraphs.urls[name] == f"http://{name}:{port}/graphql"
        assert gateway["depends_on"][name]["condition"] == "service_healthy"


def _seconds(duration: str) -> float:
    """A Compose duration such as ``40s``, ``1m30s`` or ``500ms`` in seconds."""
    units = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001, "us": 1e-6}
    parts = re.findall(r"(\d+(?:\.\d+)?)(ms|us|h|m|s)", duration)
    assert parts and "".join(n + u for n, u in parts) == duration, duration
    return sum(float(number) * units[unit] for number, unit in parts)


def test_the_gateway_drains_and_docker_waits_for_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """Docker sends SIGKILL after ``stop_grace_period`` (10 s by default): longer than the
    gateway's drain plus its grace period, else requests in flight are cut."""
    gateway = SERVICES["gateway"]
    for variable, value in gateway["environment"].items():
        monkeypatch.setenv(variable, str(value))
    shutdown = GatewaySettings().runtime.shutdown
    assert shutdown.drain_seconds > 0
    stop = _seconds(gateway["stop_grace_period"])
    assert stop > shutdown.drain_seconds + shutdown.grace_seconds
    healthcheck = gateway["healthcheck"]
    assert _seconds(healthcheck["interval"]) <= shutdown.drain_seconds  # seen while draining
