"""The typed subgraph list (``schema/subgraphs.yaml``) that ``ordergate compose`` reads.

Example::

    supergraph: supergraph.graphql
    subgraphs:
      - name: orders
        url: http://localhost:4001/graphql
      - name: inventory
        url: http://localhost:4002/graphql
        sdl: subgraphs/inventory.graphql

Paths are relative to the config file. Unknown keys are rejected.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from gateway.composition.errors import CompositionError, CompositionFailedError, ErrorCode

__all__ = ["SubgraphConfig", "SubgraphsConfig", "load_config"]

_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


class SubgraphConfig(BaseModel):
    """One subgraph: its name, where the gateway routes to, where its SDL snapshot lives."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(description="Subgraph name (letters, digits, `_`, `-`); no default.")
    url: str = Field(description="Routing URL of the subgraph's GraphQL endpoint; no default.")
    sdl: str | None = Field(
        default=None,
        description="SDL snapshot path relative to the config file;"
        " default `subgraphs/<name>.graphql`.",
    )
    introspection_url: str | None = Field(
        default=None,
        description="Where `--live` asks for `{ _service { sdl } }`; default: `url`.",
    )

    @field_validator("name")
    @classmethod
    def _valid_name(cls, value: str) -> str:
        if not _NAME.match(value):
            raise ValueError("must start with a letter and use only letters, digits, _ and -")
        return value

    @field_validator("url", "introspection_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("must be an http:// or https:// URL")
        return value

    def sdl_path(self, base: Path) -> Path:
        """The snapshot file of this subgraph."""
        return base / (self.sdl or f"subgraphs/{self.name}.graphql")


class SubgraphsConfig(BaseModel):
    """All subgraphs of the supergraph and where the composed supergraph is written."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    supergraph: str = Field(
        default="supergraph.graphql",
        description="Output path relative to the config file; default `supergraph.graphql`.",
    )
    subgraphs: list[SubgraphConfig] = Field(
        min_length=1, description="The subgraphs to compose (at least one); no default."
    )

    @model_validator(mode="after")
    def _unique_names(self) -> SubgraphsConfig:
        names = [s.name for s in self.subgraphs]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"duplicate subgraph names: {', '.join(duplicates)}")
        return self


def load_config(path: Path) -> SubgraphsConfig:
    """Read and validate a subgraphs config; raises with ``SUBGRAPH_CONFIG_INVALID``."""

    def fail(message: str) -> CompositionFailedError:
        return CompositionFailedError(
            [CompositionError(ErrorCode.SUBGRAPH_CONFIG_INVALID, f"{path}: {message}")]
        )

    try:
        raw = yaml.safe_load(path.read_text())
    except OSError as exc:
        raise fail(f"cannot read: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise fail(f"invalid YAML: {exc}") from exc
    try:
        return SubgraphsConfig.model_validate(raw)
    except ValidationError as exc:
        details = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or '<root>'}: {e['msg']}" for e in exc.errors()
        )
        raise fail(details) from exc
