"""How the CLI and tests see one subgraph: its name, settings, app factory, schema, migrations."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: the registry (and the CLI's --help) stays light
    from starlette.applications import Starlette

    from subgraphs.common.schema import SubgraphSchema
    from subgraphs.common.settings import SubgraphSettings

__all__ = ["SubgraphDefinition"]


@dataclass(frozen=True, slots=True)
class SubgraphDefinition:
    """Everything needed to migrate, serve and snapshot one subgraph."""

    name: str
    settings_class: type[SubgraphSettings]
    create_app: Callable[[SubgraphSettings], Starlette]
    build_schema: Callable[[], SubgraphSchema]
    migrations: Path
    version_table: str

    def settings(self, **overrides: object) -> SubgraphSettings:
        """Settings from the environment, with ``overrides`` (``None`` values ignored) on top."""
        given = {key: value for key, value in overrides.items() if value is not None}
        return self.settings_class(**given)  # type: ignore[arg-type]
