"""How our gateway is configured and started for a benchmark.

The configuration is written as a file named by ``ORDERGATE_GATEWAY_CONFIG_FILE``. Settings
reject unknown keys, and sections (auth, limits, hardening, persisted documents) land on
``main`` at different times, so a profile is *pruned* to the fields the installed
``GatewaySettings`` has; what was left out is recorded with the results.
"""

from __future__ import annotations

import json
import types
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel

__all__ = [
    "BENCHMARK_PROFILE",
    "gateway_command",
    "prune_to_model",
    "settings_sections",
    "workers_command",
    "write_config",
]

#: No auth, no limits: the configuration every peer gateway runs with too.
BENCHMARK_PROFILE: dict[str, Any] = {
    "watch_supergraph": False,
    "production": False,
    "http": {"graphiql": False},
    "auth": {"allow_anonymous": True},
    "limits": {"enabled": False},
    "hardening": {
        "max_document_bytes": None,
        "max_tokens": None,
        "max_depth": None,
        "max_aliases": None,
        "max_root_fields": None,
        "max_fields": None,
    },
    "persisted": {"watch": False},
}


def _model_of(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model inside an annotation (``Model``, ``Model | None``), if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        for member in typing.get_args(annotation):
            found = _model_of(member)
            if found is not None:
                return found
    return None


def prune_to_model(
    values: Mapping[str, Any], model: type[BaseModel], prefix: str = ""
) -> tuple[dict[str, Any], list[str]]:
    """``values`` without the keys ``model`` does not define; and the dotted keys left out."""
    kept: dict[str, Any] = {}
    dropped: list[str] = []
    for key, value in values.items():
        field = model.model_fields.get(key)
        if field is None:
            dropped.append(prefix + key)
            continue
        nested = _model_of(field.annotation)
        if isinstance(value, Mapping) and nested is not None:
            inner, inner_dropped = prune_to_model(value, nested, f"{prefix}{key}.")
            dropped.extend(inner_dropped)
            if inner or not value:
                kept[key] = inner
        else:
            kept[key] = value
    return kept, dropped


def _settings_model() -> type[BaseModel]:
    from gateway.settings import GatewaySettings  # the project's, as installed in this venv

    return GatewaySettings


def settings_sections() -> frozenset[str]:
    """The top-level fields of the installed ``GatewaySettings``."""
    return frozenset(_settings_model().model_fields)


def _merge(base: Mapping[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def write_config(
    path: Path, *overlays: Mapping[str, Any], base: Mapping[str, Any] = BENCHMARK_PROFILE
) -> list[str]:
    """Write ``base`` with ``overlays`` applied, pruned to our settings; the keys left out.

    The file is JSON, which the YAML loader of our settings reads (YAML is a superset).
    """
    wanted: dict[str, Any] = dict(base)
    for overlay in overlays:
        wanted = _merge(wanted, overlay)
    kept, dropped = prune_to_model(wanted, _settings_model())
    path.write_text(json.dumps(kept, indent=2, default=str) + "\n")
    return dropped


def gateway_command(supergraph: Path, port: int, *, workers: int = 1) -> tuple[str, ...]:
    """The issue's command line: ``uv run ordergate gateway ... --no-watch [--workers N]``."""
    return (
        "uv",
        "run",
        "--frozen",
        "--no-sync",
        "ordergate",
        "gateway",
        "--supergraph",
        str(supergraph),
        "--port",
        str(port),
        "--no-watch",
        *(("--workers", str(workers)) if workers > 1 else ()),
    )


def workers_command(port: int, workers: int) -> tuple[str, ...]:
    """uvicorn with ``workers`` processes over :func:`bench.asgi.gateway_app` (settings: env;
    the [experiment] contenders: the product's GC tuning is not applied there)."""
    return (
        "uv",
        "run",
        "--frozen",
        "--no-sync",
        "uvicorn",
        "--factory",
        "bench.asgi:gateway_app",
        "--workers",
        str(workers),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--loop",
        "uvloop",
        "--http",
        "httptools",
        "--no-access-log",
        "--log-level",
        "warning",
    )
