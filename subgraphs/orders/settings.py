"""Settings of the orders subgraph (environment prefix ``ORDERGATE_ORDERS_``)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from subgraphs.common.settings import SubgraphSettings

__all__ = ["OrdersSettings"]


class OrdersSettings(SubgraphSettings):
    """The orders subgraph's settings; every field is documented on :class:`SubgraphSettings`."""

    model_config = SettingsConfigDict(env_prefix="ORDERGATE_ORDERS_")

    database_url: str = Field(
        default="sqlite+aiosqlite:///data/orders.db",
        description="SQLAlchemy async URL of the orders database.",
    )
    port: int = Field(default=4001, ge=0, le=65535, description="TCP port (default 4001).")
    ownership_scopes: list[str] = Field(
        default_factory=lambda: [
            "orders:read",
            "orders:write",
            "orders:write:own",
            "customers:read",
            "customers:write",
        ],
        description="A forwarded principal needs one of these scopes to see orders data "
        "(JSON list).",
    )
