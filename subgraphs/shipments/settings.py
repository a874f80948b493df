"""Settings of the shipments subgraph (environment prefix ``ORDERGATE_SHIPMENTS_``)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from subgraphs.common.settings import SubgraphSettings

__all__ = ["ShipmentsSettings"]


class ShipmentsSettings(SubgraphSettings):
    """The shipments subgraph's settings; every field is documented on :class:`SubgraphSettings`."""

    model_config = SettingsConfigDict(env_prefix="ORDERGATE_SHIPMENTS_")

    database_url: str = Field(
        default="sqlite+aiosqlite:///data/shipments.db",
        description="SQLAlchemy async URL of the shipments database.",
    )
    port: int = Field(default=4004, ge=0, le=65535, description="TCP port (default 4004).")
    ownership_scopes: list[str] = Field(
        default_factory=lambda: ["shipments:read", "shipments:write"],
        description="A forwarded principal needs one of these scopes to see shipments data "
        "(JSON list).",
    )
