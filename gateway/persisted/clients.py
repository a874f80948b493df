"""Clients: who may send which documents, and on which budget (``persisted_queries/clients.yaml``).

The file (YAML or TOML; unknown keys rejected)::

    defaults:                  # every client not listed below, and anonymous requests
      mode: allow-all
      # budget: {...}          # default: the gateway's limits.unidentified.budget
    clients:
      acme-partner:            # the client_id of the API key or token
        mode: safelist         # allow-all | apq | safelist
        manifests: [manifests/acme-partner.json]
        budget: {capacity: 5000, refill_per_second: 100, max_operation_cost: 2000}

A client's manifests are those listed (relative to the file) plus ``manifests/<client>.json``
when it exists (where ``ordergate pq push`` writes). :class:`ClientRegistry` is an immutable
snapshot; :class:`~gateway.persisted.reload.ClientRegistrySource` swaps in a new one on reload.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from gateway.limits.budget import ANONYMOUS_CLIENT, BudgetPolicy
from gateway.persisted.manifest import ManifestError, TrustedDocument, load_manifest

__all__ = [
    "ANONYMOUS_CLIENT",
    "ClientConfig",
    "ClientMode",
    "ClientProfile",
    "ClientRegistry",
    "ClientsConfig",
    "ClientsConfigError",
    "DefaultsConfig",
    "conventional_manifest",
    "index_documents",
    "read_clients_config",
]

ClientMode = Literal["allow-all", "apq", "safelist"]
_CLIENT_NAME = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$"


class ClientsConfigError(ValueError):
    """A clients file (or one of its manifests) that cannot be loaded."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DefaultsConfig(_Strict):
    """What applies to clients the file does not list (and to anonymous requests)."""

    mode: ClientMode = Field(default="allow-all", description="Document mode of unlisted clients.")
    budget: BudgetPolicy | None = Field(
        default=None,
        description="Budget of every unidentified caller (anonymous per client address, unlisted "
        "keys and tokens per principal), each in its own bucket, and of listed clients without "
        "one (default: the gateway setting limits.unidentified.budget, enforced).",
    )

    @field_validator("budget")
    @classmethod
    def _refills(cls, budget: BudgetPolicy | None) -> BudgetPolicy | None:
        if budget is not None and budget.refill_per_second <= 0:
            raise ValueError(
                "defaults.budget must refill (refill_per_second > 0): unidentified callers' "
                "buckets must expire"
            )
        return budget


class ClientConfig(_Strict):
    """One client, named by the ``client_id`` its credentials carry."""

    mode: ClientMode = Field(
        default="allow-all",
        description="'allow-all': raw documents, APQ and its manifest ids; 'apq': only "
        "documents named by APQ hash or manifest id (APQ registration allowed); 'safelist': "
        "only its manifest's documents.",
    )
    manifests: list[str] = Field(
        default_factory=list,
        description="Manifest files, relative to the clients file (manifests/<client>.json "
        "is added when it exists).",
    )
    budget: BudgetPolicy | None = Field(
        default=None,
        description="Its cost budget, in a bucket of its own (default: the defaults' budget).",
    )


class ClientsConfig(_Strict):
    """The whole clients file."""

    version: Literal[1] = Field(default=1, description="File format version.")
    defaults: DefaultsConfig = Field(default_factory=DefaultsConfig)
    clients: dict[str, ClientConfig] = Field(
        default_factory=dict, description="Clients by client id."
    )

    @field_validator("clients")
    @classmethod
    def _plain_client_ids(cls, clients: dict[str, ClientConfig]) -> dict[str, ClientConfig]:
        """Client ids double as file names: keep them plain."""
        for name in clients:
            if not re.match(_CLIENT_NAME, name):
                raise ValueError(f"client id {name!r} must match {_CLIENT_NAME}")
        return clients


@dataclass(frozen=True, slots=True)
class ClientProfile:
    """Everything the pipeline needs to know about one client, ready for lookups."""

    name: str | None
    mode: ClientMode
    #: ``None``: the gateway's default budget (``limits.unidentified.budget``)
    budget: BudgetPolicy | None
    #: the client's trusted documents by id, by body SHA-256 and by ``sha256:<hex>``
    documents: Mapping[str, TrustedDocument] = field(default_factory=dict)


def conventional_manifest(config_dir: Path, client: str) -> Path:
    """Where ``ordergate pq push`` keeps a client's manifest."""
    return config_dir / "manifests" / f"{client}.json"


def index_documents(documents: list[TrustedDocument]) -> dict[str, TrustedDocument]:
    """Documents by id, by body SHA-256 and by ``sha256:<hex>`` (ids win on a clash)."""
    index: dict[str, TrustedDocument] = {}
    for document in documents:
        index[document.sha256] = document
        index[f"sha256:{document.sha256}"] = document
    for document in documents:  # explicit ids win over hashes
        index[document.id] = document
    return index


@dataclass(frozen=True, slots=True)
class ClientRegistry:
    """An immutable snapshot of the clients file and its manifests."""

    default: ClientProfile
    clients: Mapping[str, ClientProfile]
    source: Path | None = None

    def profile(self, client_id: str | None) -> ClientProfile:
        """The profile of ``client_id`` (the defaults for unknown or anonymous clients)."""
        if client_id is None:
            return self.default
        return self.clients.get(client_id, self.default)

    @classmethod
    def from_config(cls, config: ClientsConfig, base_dir: Path | None = None) -> ClientRegistry:
        """Build the registry, reading manifests relative to ``base_dir``."""
        clients: dict[str, ClientProfile] = {}
        for name, client in config.clients.items():
            paths = [base_dir / p if base_dir else Path(p) for p in client.manifests]
            if base_dir is not None:
                conventional = conventional_manifest(base_dir, name)
                if conventional.is_file() and conventional not in paths:
                    paths.append(conventional)
            documents: list[TrustedDocument] = []
            for path in paths:
                try:
                    documents.extend(load_manifest(path, name))
                except ManifestError as error:
                    raise ClientsConfigError(str(error)) from error
            budget = client.budget or config.defaults.budget
            clients[name] = ClientProfile(name, client.mode, budget, index_documents(documents))
        default = ClientProfile(None, config.defaults.mode, config.defaults.budget)
        return cls(default, clients)

    @classmethod
    def load(cls, path: Path) -> ClientRegistry:
        """The registry of the clients file ``path`` (the defaults alone when it is absent)."""
        if not path.exists():
            return cls(ClientProfile(None, "allow-all", None), {}, None)
        registry = cls.from_config(read_clients_config(path), path.parent)
        return cls(registry.default, registry.clients, path)


def read_clients_config(path: Path) -> ClientsConfig:
    """Parse and validate a clients file (``.yaml``, ``.yml`` or ``.toml``)."""
    try:
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".toml":
            data: Any = tomllib.loads(text)
        elif path.suffix in {".yaml", ".yml"}:
            data = yaml.safe_load(text) or {}
        else:
            raise ClientsConfigError(f"{path}: a clients file is .yaml, .yml or .toml")
        return ClientsConfig.model_validate(data)
    except (OSError, yaml.YAMLError, tomllib.TOMLDecodeError) as error:
        raise ClientsConfigError(f"{path}: {error}") from error
    except ValidationError as error:
        raise ClientsConfigError(f"{path}: {error}") from error
