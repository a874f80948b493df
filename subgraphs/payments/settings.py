"""Settings of the payments subgraph (environment prefix ``ORDERGATE_PAYMENTS_``)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from subgraphs.common.settings import SubgraphSettings

__all__ = ["PaymentsSettings"]


class PaymentsSettings(SubgraphSettings):
    """The payments subgraph's settings; every field is documented on :class:`SubgraphSettings`."""

    model_config = SettingsConfigDict(env_prefix="ORDERGATE_PAYMENTS_")

    database_url: str = Field(
        default="sqlite+aiosqlite:///data/payments.db",
        description="SQLAlchemy async URL of the payments database.",
    )
    port: int = Field(default=4003, ge=0, le=65535, description="TCP port (default 4003).")
    ownership_scopes: list[str] = Field(
        default_factory=lambda: ["payments:read", "payments:write"],
        description="A forwarded principal needs one of these scopes to see payments data "
        "(JSON list).",
    )
