"""The metric names a PromQL expression reads, for checking rules and dashboards against a contract.

Not a full PromQL parser: enough of its lexical structure to tell metric names from functions,
keywords, label names and literals. String literals, label matchers (``{...}``), ranges and
subqueries (``[...]``), grouping label lists (``by (...)``, ``on (...)``, ...), numbers,
durations and Grafana variables (``$__rate_interval``, ``${client}``) are removed; of the
identifiers left, one followed by ``(`` must be a known function or aggregation (else
:class:`UnknownFunctionError`), keywords are dropped, and every other identifier is a metric name.
"""

from __future__ import annotations

import re

__all__ = ["UnknownFunctionError", "grafana_query_expression", "metric_names"]

# fmt: off
#: PromQL aggregation operators
AGGREGATIONS = frozenset(
    {
        "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values",
        "bottomk", "topk", "quantile",
    }
)
#: PromQL functions and aggregation operators (Prometheus 2.x)
FUNCTIONS = AGGREGATIONS | frozenset(
    {
        "abs", "absent", "absent_over_time", "ceil", "changes", "clamp", "clamp_max",
        "clamp_min", "day_of_month", "day_of_week", "day_of_year", "days_in_month", "delta",
        "deriv", "exp", "floor", "histogram_count", "histogram_sum", "histogram_fraction",
        "histogram_quantile", "holt_winters", "hour", "idelta", "increase", "irate",
        "label_join", "label_replace", "ln", "log2", "log10", "minute", "month",
        "predict_linear", "rate", "resets", "round", "scalar", "sgn", "sort", "sort_desc",
        "sqrt", "time", "timestamp", "vector", "year", "avg_over_time", "min_over_time",
        "max_over_time", "sum_over_time", "count_over_time", "quantile_over_time",
        "stddev_over_time", "stdvar_over_time", "last_over_time", "present_over_time",
        "acos", "acosh", "asin", "asinh", "atan", "atanh", "cos", "cosh", "sin", "sinh",
        "tan", "tanh", "deg", "rad", "pi",
    }
)
KEYWORDS = frozenset(
    {
        "and", "or", "unless", "by", "without", "on", "ignoring", "group_left",
        "group_right", "bool", "offset", "atan2", "inf", "nan",
    }
)
# fmt: on

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|`[^`]*`')
_GRAFANA_VARIABLE = re.compile(r"\$\{[^}]*\}|\$\w+")
_BRACES = re.compile(r"\{[^{}]*\}")
_BRACKETS = re.compile(r"\[[^\[\]]*\]")
_GROUPING = re.compile(
    r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^()]*\)", re.IGNORECASE
)
_TOKEN = re.compile(
    r"(?P<number>(?:0x[0-9a-fA-F]+|\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+)(?:ms|[smhdwy])*)"
    r"|(?P<identifier>[A-Za-z_:][A-Za-z0-9_:]*)"
)
_AGGREGATION_CLAUSE = re.compile(r"(by|without)\b", re.IGNORECASE)
_LABEL_VALUES = re.compile(r"^\s*label_values\((?P<inner>.*),\s*\w+\s*\)\s*$", re.DOTALL)


class UnknownFunctionError(ValueError):
    """An identifier called like a function is no PromQL function (a typo, or no PromQL)."""


def metric_names(expression: str) -> set[str]:
    """The metric names (recording-rule names included) ``expression`` reads."""
    text = _STRING.sub(" ", expression)
    text = _GRAFANA_VARIABLE.sub(" ", text)
    text = _BRACES.sub(" ", text)
    while _BRACKETS.search(text):  # subqueries may nest ranges
        text = _BRACKETS.sub(" ", text)
    text = _GROUPING.sub(r" \1 ", text)
    names: set[str] = set()
    for match in _TOKEN.finditer(text):
        identifier = match.group("identifier")
        if identifier is None:
            continue
        rest = text[match.end() :].lstrip()
        called = rest.startswith("(") or (
            identifier in AGGREGATIONS and _AGGREGATION_CLAUSE.match(rest) is not None
        )
        if identifier.lower() in KEYWORDS:
            continue
        if called:
            if identifier not in FUNCTIONS:
                raise UnknownFunctionError(f"{identifier}( is no PromQL function in {expression!r}")
            continue
        names.add(identifier)
    return names


def grafana_query_expression(query: str) -> str:
    """The PromQL of a Grafana Prometheus variable query (``label_values(expr, label)``)."""
    match = _LABEL_VALUES.match(query)
    return match.group("inner") if match else query
