"""Typed settings of the REST compatibility routes (``rest`` in ``GatewaySettings``)."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["RestSettings"]


class RestSettings(BaseModel):
    """Where the route file is, and which REST pages are served."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = Field(
        default=True,
        description="Serve the routes of routes_file under their prefix (off: every REST path "
        "is 404).",
    )
    routes_file: Path = Field(
        default=Path("persisted_queries/rest-routes.yaml"),
        description="The route file; its documents are read relative to it. Absent: no routes.",
    )
    openapi: bool = Field(
        default=True, description="Serve the OpenAPI 3.1 description at /api/openapi.json."
    )
    docs: bool = Field(
        default=True, description="Serve Swagger UI at /api/docs (assets served locally)."
    )
