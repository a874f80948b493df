"""docker-compose.yml's Prometheus and Grafana load the repository's rules and dashboards.

Checked (Docker does not run here): both run from pinned images with healthchecks; every file
they mount exists in the repository and is mounted read-only; Prometheus reads the mounted
config and rule files; its scrape targets are exactly the long-running Ordergate services, on
the ports those processes listen on; Grafana's provisioned datasource is the Prometheus
service and its dashboard provider reads the mounted dashboards; no password is in the file
and anonymous visitors may only view.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from gateway.settings import GatewaySettings
from subgraphs.registry import SUBGRAPH_NAMES, definition

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
SERVICES: dict[str, dict[str, Any]] = COMPOSE["services"]
MONITORING = ("prometheus", "grafana")
PINNED = {
    "prometheus": re.compile(r"^prom/prometheus:v\d+\.\d+\.\d+$"),
    "grafana": re.compile(r"^grafana/grafana-oss:\d+\.\d+\.\d+$"),
}


def bind_mounts(service: str) -> dict[PurePosixPath, Path]:
    """Container path -> repository path of ``service``'s bind mounts (all read-only)."""
    mounts = {}
    for volume in SERVICES[service]["volumes"]:
        source, target, *options = volume.split(":")
        if source.startswith("./"):
            assert options == ["ro"], f"{service} mounts {source} writable"
            mounts[PurePosixPath(target)] = ROOT / source
        else:
            assert source in COMPOSE["volumes"], f"{service}: unknown volume {source}"
    return mounts


def in_repository(service: str, container_path: str) -> Path:
    """The repository file a container path of ``service`` shows (through its bind mounts)."""
    path = PurePosixPath(container_path)
    for target, source in bind_mounts(service).items():
        if path == target or target in path.parents:
            return source / path.relative_to(target)
    raise AssertionError(f"{container_path} is not mounted into {service}")


def container_ports(service: str) -> set[int]:
    """The ports ``service`` publishes or exposes, on the container's side."""
    published = {int(str(port).split(":")[-1]) for port in SERVICES[service].get("ports", [])}
    return published | {int(port) for port in SERVICES[service].get("expose", [])}


def prometheus_config() -> dict[str, Any]:
    command = SERVICES["prometheus"]["command"]
    (config,) = [arg.split("=", 1)[1] for arg in command if arg.startswith("--config.file=")]
    parsed: dict[str, Any] = yaml.safe_load(
        in_repository("prometheus", config).read_text(encoding="utf-8")
    )
    return parsed


def scrape_targets() -> dict[str, set[tuple[str, int]]]:
    """Job name -> (service, port) of every static and DNS-discovered target."""
    targets: dict[str, set[tuple[str, int]]] = {}
    for job in prometheus_config()["scrape_configs"]:
        found = targets.setdefault(job["job_name"], set())
        for static in job.get("static_configs", []):
            for target in static["targets"]:
                host, port = target.rsplit(":", 1)
                found.add((host, int(port)))
        for dns in job.get("dns_sd_configs", []):
            assert dns["type"] == "A"
            found |= {(name, int(dns["port"])) for name in dns["names"]}
        assert job.get("metrics_path", "/metrics") == "/metrics"
    return targets


def test_monitoring_services_run_from_pinned_images_with_healthchecks() -> None:
    for name in MONITORING:
        service = SERVICES[name]
        assert PINNED[name].match(service["image"]), f"{name}: {service['image']} is not pinned"
        assert service["restart"] == "unless-stopped"
        probe = " ".join(service["healthcheck"]["test"])
        (port,) = container_ports(name)
        assert f"http://127.0.0.1:{port}/" in probe
    assert SERVICES["grafana"]["depends_on"]["prometheus"]["condition"] == "service_healthy"


def test_monitoring_ui_is_published_on_the_loopback_only() -> None:
    for name in MONITORING:
        for port in SERVICES[name]["ports"]:
            assert str(port).startswith("127.0.0.1:"), f"{name} publishes {port} beyond the host"


def test_every_mounted_file_exists_in_the_repository() -> None:
    for name in MONITORING:
        mounts = bind_mounts(name)
        assert mounts
        for source in mounts.values():
            assert source.exists(), f"{name} mounts {source}, which is not in the repository"


def test_prometheus_loads_the_repository_config_and_every_rule_file() -> None:
    config = prometheus_config()
    config_dir = PurePosixPath(
        next(a for a in SERVICES["prometheus"]["command"] if a.startswith("--config.file=")).split(
            "=", 1
        )[1]
    ).parent
    loaded: set[Path] = set()
    for pattern in config["rule_files"]:
        container_pattern = config_dir / pattern  # relative to the config file, as Prometheus does
        directory = in_repository("prometheus", str(container_pattern.parent))
        loaded |= set(directory.glob(container_pattern.name))
    rules = set((ROOT / "deploy/prometheus/rules").glob("*.yml"))
    assert rules and loaded == rules


def test_scrape_targets_are_the_ordergate_services_on_their_ports(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    targets = scrape_targets()
    scraped = {service for found in targets.values() for service, _ in found}
    long_running = {
        name
        for name, service in SERVICES.items()
        if (service.get("command") or [])[:1] == ["ordergate"] and service.get("restart") != "no"
    }
    assert scraped == long_running == {"gateway", "worker", *SUBGRAPH_NAMES}
    for found in targets.values():
        for service, port in found:
            assert port in container_ports(service), f"{service}:{port} is not a port of it"
    for variable, value in SERVICES["gateway"]["environment"].items():
        monkeypatch.setenv(variable, str(value))
    assert targets["gateway"] == {("gateway", GatewaySettings().port)}
    subgraph_ports = set()
    for name in SUBGRAPH_NAMES:
        for variable, value in SERVICES[name]["environment"].items():
            monkeypatch.setenv(variable, str(value))
        subgraph_ports.add((name, definition(name).settings().port))
    assert targets["subgraphs"] == subgraph_ports


def test_the_worker_target_is_its_metrics_listener() -> None:
    """Every replica is discovered through Docker's DNS, on the port the worker exposes; where
    the compose file configures the worker's metrics listener, on that very port and address."""
    ((service, port),) = scrape_targets()["worker"]
    assert service == "worker"
    assert container_ports("worker") == {port}
    for variable, value in SERVICES["worker"].get("environment", {}).items():
        if "METRICS" not in variable:
            continue
        if variable.endswith("PORT"):
            assert int(value) == port, variable
        elif variable.endswith("HOST"):
            assert value == "0.0.0.0", f"{variable}: Prometheus scrapes from another container"
        elif re.fullmatch(r"[\w.\[\]:]*:\d+", str(value)):
            assert str(value).endswith(f":{port}"), variable


def test_grafana_reads_the_prometheus_service_and_the_mounted_dashboards() -> None:
    provisioning = in_repository("grafana", "/etc/grafana/provisioning")  # Grafana's default
    (datasource,) = [
        source
        for path in sorted((provisioning / "datasources").glob("*.yml"))
        for source in yaml.safe_load(path.read_text(encoding="utf-8"))["datasources"]
    ]
    url = urlsplit(datasource["url"])
    assert datasource["type"] == "prometheus"
    assert url.hostname == "prometheus" and url.port in container_ports("prometheus")
    (provider,) = [
        provider
        for path in sorted((provisioning / "dashboards").glob("*.yml"))
        for provider in yaml.safe_load(path.read_text(encoding="utf-8"))["providers"]
    ]
    dashboards = in_repository("grafana", provider["options"]["path"])
    assert dashboards == ROOT / "deploy/grafana/dashboards"
    assert (dashboards / "gateway.json").is_file()
    home = SERVICES["grafana"]["environment"]["GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"]
    assert in_repository("grafana", home) == dashboards / "gateway.json"


def test_no_password_in_the_file_and_anonymous_visitors_only_view() -> None:
    environment = SERVICES["grafana"]["environment"]
    assert "GF_SECURITY_ADMIN_PASSWORD" not in environment
    secret = PurePosixPath(environment["GF_SECURITY_ADMIN_PASSWORD__FILE"])
    assert secret.parent == PurePosixPath("/run/secrets")
    assert secret.name in SERVICES["grafana"]["secrets"]
    assert set(COMPOSE["secrets"][secret.name]) == {"environment"}, "never a repository file"
    assert environment["GF_AUTH_ANONYMOUS_ORG_ROLE"] == "Viewer"
    assert environment["GF_USERS_ALLOW_SIGN_UP"] == "false"
