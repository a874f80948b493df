"""``<data-dir>/demo.env``: the demo credentials of ``ordergate dev`` as shell variables.

The README's examples use ``$ADMIN_TOKEN``, ``$CUSTOMER_TOKEN``, ``$PARTNER_TOKEN``,
``$PARTNER_KEY`` and ``$CUSTOMER_ID``; after ``source data/demo.env`` in a second terminal they
run as printed. The file is rewritten at every start (tokens are minted anew, valid 24 h) and is
readable by its owner only. Never use any of it in production.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping
from pathlib import Path

__all__ = ["DEMO_ENV_FILE", "demo_env_text", "write_demo_env"]

#: the file's name inside the data directory
DEMO_ENV_FILE = "demo.env"


def demo_env_text(
    tokens: Mapping[str, str], api_key: str, customer_id: str, gateway_url: str
) -> str:
    """The file's content: one ``export NAME=value`` line per credential."""
    values = {f"{name.upper()}_TOKEN": token for name, token in tokens.items()}
    values["PARTNER_KEY"] = api_key
    values["CUSTOMER_ID"] = customer_id
    values["ORDERGATE_URL"] = gateway_url.removesuffix("/graphql")
    lines = [
        "# ordergate dev: demo credentials (never use them in production).",
        "# Load them into a shell with: source data/demo.env",
        *(f"export {name}={shlex.quote(value)}" for name, value in values.items()),
    ]
    return "\n".join(lines) + "\n"


def write_demo_env(
    data_dir: Path,
    tokens: Mapping[str, str],
    api_key: str,
    customer_id: str,
    gateway_url: str,
) -> Path:
    """Write ``<data_dir>/demo.env`` (mode 0600) and return its path."""
    path = data_dir / DEMO_ENV_FILE
    path.touch(mode=0o600)
    path.chmod(0o600)
    path.write_text(demo_env_text(tokens, api_key, customer_id, gateway_url), encoding="utf-8")
    return path
