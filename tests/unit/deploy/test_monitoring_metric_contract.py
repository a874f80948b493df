"""Rules and dashboards read only the metrics of issue 15's contract (and recorded series).

The contract (docs/observability.md) names every series the gateway, the subgraphs and the
worker expose; a rule or panel that reads any other name would stay silent or empty forever.
The burn-rate alerts are checked to use the SRE workbook's four window pairs and factors
against each target's error budget.
"""

from __future__ import annotations

import re

import pytest
from deploy_files import (
    DASHBOARDS,
    RULE_FILES,
    RULE_TESTS,
    load_dashboard,
    panel_expressions,
    recorded_names,
    rules,
    variable_queries,
)
from promql_names import grafana_query_expression, metric_names

HISTOGRAMS = {
    "ordergate_gateway_requests_duration_seconds",
    "ordergate_gateway_subgraph_fetch_duration_seconds",
    "ordergate_gateway_operation_cost",
    "ordergate_subgraph_requests_duration_seconds",
}
COUNTERS = {
    "ordergate_gateway_subgraph_retries_total",
    "ordergate_gateway_rejections_total",
    "ordergate_gateway_plan_cache_total",
    "ordergate_gateway_idempotency_replays_total",
    "ordergate_subgraph_resolver_errors_total",
    "ordergate_jobs_processed_total",
}
GAUGES = {
    "ordergate_gateway_inflight_requests",
    "ordergate_gateway_subgraph_circuit_state",
    "ordergate_subgraph_db_pool_connections",
    "ordergate_jobs_queue_depth",
    "ordergate_jobs_dead_letters",
}
#: every series name the contract's metrics expose
CONTRACT_SERIES = (
    {f"{name}{suffix}" for name in HISTOGRAMS for suffix in ("_bucket", "_count", "_sum")}
    | COUNTERS
    | GAUGES
)

#: the service targets: SLO label, the SLI's recorded series prefix, error budget
TARGETS = {
    "availability": ("ordergate:gateway_requests_5xx:ratio_rate", "0.0005"),
    "error-rate": ("ordergate:gateway_requests_5xx:ratio_rate", "0.001"),
    "latency": ("ordergate:gateway_requests_over_200ms:ratio_rate", "0.05"),
}
#: (long window, short window, burn-rate factor), Google SRE workbook, "Alerting on SLOs"
WINDOW_PAIRS = {("1h", "5m", "14.4"), ("6h", "30m", "6"), ("1d", "2h", "3"), ("3d", "6h", "1")}


def test_there_are_rules_and_rule_tests() -> None:
    assert {path.name for path in RULE_FILES} >= {"slo-recording.yml", "slo-alerts.yml"}
    assert {path.name for path in RULE_TESTS} >= {
        "slo-fast-burn.yml",
        "slo-healthy.yml",
        "slo-latency.yml",
    }


def family(series: str) -> str:
    """The metric a series name belongs to (histogram suffixes removed)."""
    return re.sub(r"_(bucket|count|sum)$", "", series) if series not in COUNTERS else series


def test_recording_rules_read_only_contract_metrics() -> None:
    for rule in rules():
        if "record" in rule:
            names = metric_names(rule["expr"])
            assert names, rule["record"]
            assert names <= CONTRACT_SERIES, f"{rule['record']} reads {names - CONTRACT_SERIES}"


def test_alerting_rules_read_only_recorded_series_and_contract_metrics() -> None:
    allowed = CONTRACT_SERIES | recorded_names()
    for rule in rules():
        if "alert" in rule:
            names = metric_names(rule["expr"])
            assert names, rule["alert"]
            assert names <= allowed, f"{rule['alert']} reads {names - allowed}"


@pytest.mark.parametrize("path", DASHBOARDS, ids=lambda path: path.name)
def test_dashboard_reads_only_contract_metrics_and_recorded_series(path: object) -> None:
    dashboard = load_dashboard(path)  # type: ignore[arg-type]
    allowed = CONTRACT_SERIES | recorded_names()
    expressions = list(panel_expressions(dashboard))
    expressions += [
        (f"${name}", grafana_query_expression(query)) for name, query in variable_queries(dashboard)
    ]
    assert expressions
    for title, expression in expressions:
        names = metric_names(expression)
        assert names, f"{title}: {expression}"
        assert names <= allowed, f"{title} reads {names - allowed}"


def test_every_contract_metric_is_on_the_gateway_dashboard() -> None:
    (path,) = [path for path in DASHBOARDS if path.name == "gateway.json"]
    dashboard = load_dashboard(path)
    read = set()
    for _, expression in panel_expressions(dashboard):
        read |= {family(name) for name in metric_names(expression)}
    assert read >= HISTOGRAMS | COUNTERS | GAUGES


def test_the_gateway_dashboard_shows_quantiles_by_operation_and_by_client_version() -> None:
    (path,) = [path for path in DASHBOARDS if path.name == "gateway.json"]
    expressions = [expression for _, expression in panel_expressions(load_dashboard(path))]
    for quantile in ("0.5", "0.95", "0.99"):
        for label in ("operation", "client_version"):
            assert any(
                expression.startswith(f"histogram_quantile({quantile}, sum by (le, ")
                and re.search(rf"sum by \([^)]*\b{label}\b", expression)
                and "ordergate_gateway_requests_duration_seconds_bucket" in expression
                for expression in expressions
            ), (quantile, label)


_CONDITION = re.compile(
    r"\((?P<sli>[\w:]+?)(?P<long>\d+[mhd]) > \((?P<factor>[\d.]+) \* (?P<budget>[\d.]+)\) and "
    r"(?P=sli)(?P<short>\d+[mhd]) > \((?P=factor) \* (?P=budget)\)\)"
)


def test_each_target_alerts_on_the_four_window_pairs_of_its_error_budget() -> None:
    recorded = recorded_names()
    seen: dict[str, set[tuple[str, str, str]]] = {slo: set() for slo in TARGETS}
    for rule in rules():
        if "alert" not in rule:
            continue
        slo = rule["labels"]["slo"]
        sli, budget = TARGETS[slo]
        conditions = list(_CONDITION.finditer(rule["expr"]))
        assert len(conditions) == 2, rule["alert"]  # long AND short window, twice, OR-ed
        assert _CONDITION.sub("", rule["expr"]).split() == ["or"], rule["alert"]
        for condition in conditions:
            assert condition["sli"] == sli and condition["budget"] == budget, rule["alert"]
            assert f"{sli}{condition['long']}" in recorded
            assert f"{sli}{condition['short']}" in recorded
            seen[slo].add((condition["long"], condition["short"], condition["factor"]))
        severity = rule["labels"]["severity"]
        factors = frozenset(condition["factor"] for condition in conditions)
        expected = {"page": frozenset({"14.4", "6"}), "ticket": frozenset({"3", "1"})}
        assert expected[severity] == factors, rule["alert"]
    assert seen == dict.fromkeys(TARGETS, WINDOW_PAIRS)


def test_the_slis_cover_every_transport_and_client() -> None:
    """The targets hold for the product as a whole: no SLI filters by client or transport."""
    for rule in rules():
        if "record" in rule:
            assert not re.search(r"\b(client|client_version|operation|transport)\b", rule["expr"])
            assert not re.search(r"\bby\s*\(", rule["expr"]), rule["record"]
