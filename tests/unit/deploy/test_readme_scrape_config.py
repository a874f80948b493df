"""The README's Prometheus scrape config is the one docker-compose's Prometheus uses."""

from __future__ import annotations

import re
from typing import Any

import yaml
from deploy_files import PROMETHEUS, ROOT, load_yaml

_SECTION = re.compile(r"^## Monitoring\n(?P<body>.*?)^## ", re.MULTILINE | re.DOTALL)
_YAML_BLOCK = re.compile(r"^```yaml\n(?P<yaml>.*?)^```", re.MULTILINE | re.DOTALL)


def targets(config: dict[str, Any]) -> dict[str, set[str]]:
    """Job name -> where it scrapes (static targets; DNS names with their record type and port)."""
    found: dict[str, set[str]] = {}
    for job in config["scrape_configs"]:
        where = found.setdefault(job["job_name"], set())
        for static in job.get("static_configs", []):
            where |= set(static["targets"])
        for dns in job.get("dns_sd_configs", []):
            where |= {f"dns {dns['type']} {name}:{dns['port']}" for name in dns["names"]}
    return found


def test_the_readme_shows_the_scrape_config_and_rules_of_the_deployment() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = _SECTION.search(readme)
    assert section, "README.md has no '## Monitoring' section"
    block = _YAML_BLOCK.search(section["body"])
    assert block, "the Monitoring section shows no scrape config"
    shown = yaml.safe_load(block["yaml"])
    deployed = load_yaml(PROMETHEUS / "prometheus.yml")
    assert targets(shown) == targets(deployed)
    assert shown["rule_files"] == deployed["rule_files"]
