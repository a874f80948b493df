"""Prometheus's own checker on the rules, their unit tests and the scrape config.

``promtool check rules`` and ``check config`` parse the files as Prometheus will;
``promtool test rules`` runs deploy/prometheus/tests/*.yml, which feed synthetic series to the
rules and expect the fast-burn pages for a burst of 5xx and for slow requests, and no alert at
a healthy error rate. The unit tests are then run against broken copies of the rules to show
they catch the breakage. The dashboard's queries are checked as PromQL by the same parser.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from deploy_files import (
    DASHBOARDS,
    PROMETHEUS,
    RULE_FILES,
    RULE_TESTS,
    load_dashboard,
    panel_expressions,
)

pytestmark = pytest.mark.promtool


def promtool(promtool_path: str, *args: str | Path, cwd: Path = PROMETHEUS) -> tuple[int, str]:
    """Run ``promtool args...``; its exit status and combined output."""
    completed = subprocess.run(
        [promtool_path, *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=100,
        check=False,
    )
    return completed.returncode, completed.stdout + completed.stderr


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda path: path.name)
def test_rules_pass_promtool_check(promtool_path: str, path: Path) -> None:
    status, output = promtool(promtool_path, "check", "rules", path)
    assert status == 0, output
    assert "SUCCESS" in output


@pytest.mark.parametrize("path", RULE_TESTS, ids=lambda path: path.name)
def test_rule_unit_tests_pass(promtool_path: str, path: Path) -> None:
    status, output = promtool(promtool_path, "test", "rules", path)
    assert status == 0, output
    assert "SUCCESS" in output


def test_scrape_config_passes_promtool_check_with_its_rules(promtool_path: str) -> None:
    status, output = promtool(promtool_path, "check", "config", "prometheus.yml")
    assert status == 0, output
    assert f"SUCCESS: {len(RULE_FILES)} rule files found" in output


#: (rule file, replacements that break it, rule test that must then fail)
BREAKAGES = {
    # the error SLI counts 4xx instead of 5xx: the 5xx burst goes unnoticed
    "4xx-counted": (
        "slo-recording.yml",
        {'status_class="5xx"': 'status_class="4xx"'},
        "slo-fast-burn.yml",
    ),
    # the latency SLI reads the 0.5 s bucket: 80 % over 0.2 s look like 10 % over 0.5 s
    "wrong-bucket": ("slo-recording.yml", {'le="0.2"': 'le="0.5"'}, "slo-latency.yml"),
    # an availability budget ten times too small: the healthy 0.04 % would open tickets
    "budget-too-small": ("slo-alerts.yml", {"* 0.0005)": "* 0.00005)"}, "slo-healthy.yml"),
    # page factors out of reach (10 % errors stay below 200 x 0.05 %): the burst pages nobody
    "no-page": (
        "slo-alerts.yml",
        {"(14.4 * 0.0005)": "(200 * 0.0005)", "(6 * 0.0005)": "(200 * 0.0005)"},
        "slo-fast-burn.yml",
    ),
}


@pytest.mark.parametrize(
    ("rule_file", "replacements", "rule_test"), BREAKAGES.values(), ids=BREAKAGES.keys()
)
def test_rule_unit_tests_fail_on_broken_rules(
    promtool_path: str,
    tmp_path: Path,
    rule_file: str,
    replacements: dict[str, str],
    rule_test: str,
) -> None:
    copy = tmp_path / "prometheus"
    shutil.copytree(PROMETHEUS, copy)
    path = copy / "rules" / rule_file
    text = path.read_text(encoding="utf-8")
    for original, broken in replacements.items():
        assert original in text
        text = text.replace(original, broken)
    path.write_text(text, encoding="utf-8")
    status, output = promtool(promtool_path, "check", "rules", path)
    assert status == 0, output  # still valid rules: only the unit tests can tell
    status, output = promtool(promtool_path, "test", "rules", copy / "tests" / rule_test)
    assert status != 0, output
    assert "FAILED" in output


def _as_promql(expression: str) -> str:
    """A Grafana query as plain PromQL: its interval and template variables substituted."""
    expression = expression.replace("$__rate_interval", "5m")
    return re.sub(r"\$\{?\w+\}?", ".*", expression)


@pytest.mark.parametrize("path", DASHBOARDS, ids=lambda path: path.name)
def test_dashboard_queries_are_valid_promql(promtool_path: str, tmp_path: Path, path: Path) -> None:
    expressions = [expression for _, expression in panel_expressions(load_dashboard(path))]
    assert expressions
    rule_file = tmp_path / "dashboard-queries.yml"
    document = {
        "groups": [
            {
                "name": "dashboard",
                "rules": [
                    {"record": f"dashboard:query:{number}", "expr": _as_promql(expression)}
                    for number, expression in enumerate(expressions)
                ],
            }
        ]
    }
    rule_file.write_text(yaml.safe_dump(document), encoding="utf-8")
    status, output = promtool(promtool_path, "check", "rules", rule_file, cwd=tmp_path)
    assert status == 0, output
    assert f"SUCCESS: {len(expressions)} rules found" in output
