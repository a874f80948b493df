"""The PromQL name reader used to hold rules and dashboards to the metric contract."""

from __future__ import annotations

import pytest
from promql_names import UnknownFunctionError, grafana_query_expression, metric_names


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("up", {"up"}),
        ('http_requests_total{job="api", path=~"/x{1,2}"}', {"http_requests_total"}),
        (
            'sum by (le, operation) (rate(a_bucket{client=~"$client"}[$__rate_interval]))',
            {"a_bucket"},
        ),
        ("sum(rate(a_count[5m])) without (instance) / on (job) group_left (x) b", {"a_count", "b"}),
        ("histogram_quantile(0.95, sum by (le) (rate(a_bucket[5m])))", {"a_bucket"}),
        ("(sum(rate(a[1h])) or vector(0)) / sum(rate(b[1h] offset 1d))", {"a", "b"}),
        ("1 - ordergate:x:ratio_rate5m > bool (14.4 * 0.0005)", {"ordergate:x:ratio_rate5m"}),
        ("max_over_time(rate(a[5m])[1h:5m])", {"a"}),
        ('count by (x) (c{l="by (y) (z)"}) and on () d', {"c", "d"}),
        ("topk(10, 1e3 * a) + 0x1f - Inf", {"a"}),
    ],
)
def test_metric_names_are_read_and_nothing_else(expression: str, expected: set[str]) -> None:
    assert metric_names(expression) == expected


def test_a_name_outside_the_contract_is_seen() -> None:
    names = metric_names(
        'sum(rate(ordergate_gateway_requests_duration_seconds_count[5m])) / up{job="x"}'
    )
    assert names == {"ordergate_gateway_requests_duration_seconds_count", "up"}


def test_an_unknown_function_is_refused() -> None:
    with pytest.raises(UnknownFunctionError):
        metric_names("rat(ordergate_gateway_requests_duration_seconds_count[5m])")


def test_grafana_label_values_queries_read_their_series_selector() -> None:
    query = 'label_values(ordergate_x_count{client=~"$client"}, operation)'
    assert metric_names(grafana_query_expression(query)) == {"ordergate_x_count"}
    assert grafana_query_expression("ordergate_y") == "ordergate_y"
