"""Settings of the inventory subgraph (environment prefix ``ORDERGATE_INVENTORY_``)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from subgraphs.common.settings import SubgraphSettings

__all__ = ["InventorySettings"]


class InventorySettings(SubgraphSettings):
    """The inventory subgraph's settings; every field is documented on :class:`SubgraphSettings`."""

    model_config = SettingsConfigDict(env_prefix="ORDERGATE_INVENTORY_")

    database_url: str = Field(
        default="sqlite+aiosqlite:///data/inventory.db",
        description="SQLAlchemy async URL of the inventory database.",
    )
    port: int = Field(default=4002, ge=0, le=65535, description="TCP port (default 4002).")
