"""The security settings models: strict, documented, mountable into pydantic-settings."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel, Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from gateway.auth import AuthSettings
from gateway.authz import AuthorizationMode, AuthorizationSettings
from gateway.hardening import HardeningSettings


class MountedSettings(BaseSettings):
    """The way GatewaySettings mounts the three models."""

    model_config = SettingsConfigDict(
        env_prefix="ORDERGATE_GATEWAY_", env_nested_delimiter="__", extra="forbid"
    )
    auth: AuthSettings = Field(default_factory=AuthSettings)
    authorization: AuthorizationSettings = Field(default_factory=AuthorizationSettings)
    hardening: HardeningSettings = Field(default_factory=HardeningSettings)


def test_environment_variables_reach_nested_fields(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("ORDERGATE_GATEWAY_AUTH__ALLOW_ANONYMOUS", "false")
    monkeypatch.setenv(
        "ORDERGATE_GATEWAY_AUTH__ISSUERS",
        '[{"issuer": "https://idp.example.com", "audiences": ["ordergate"],'
        ' "jwks_url": "https://idp.example.com/jwks"}]',
    )
    monkeypatch.setenv("ORDERGATE_GATEWAY_AUTH__API_KEYS__FILE", str(tmp_path / "keys.yaml"))
    monkeypatch.setenv("ORDERGATE_GATEWAY_AUTHORIZATION__MODE", "reject")
    monkeypatch.setenv("ORDERGATE_GATEWAY_HARDENING__MAX_DEPTH", "7")
    monkeypatch.setenv("ORDERGATE_GATEWAY_HARDENING__CSRF_PREVENTION__ENABLED", "false")
    settings = MountedSettings()
    assert settings.auth.allow_anonymous is False
    assert settings.auth.issuers[0].algorithms == ["RS256"]
    assert settings.auth.api_keys.file == tmp_path / "keys.yaml"
    assert settings.authorization.mode is AuthorizationMode.REJECT
    assert settings.hardening.max_depth == 7
    assert settings.hardening.csrf_prevention.enabled is False


@pytest.mark.parametrize(
    ("model", "data"),
    [
        (AuthSettings, {"allow_anonymus": True}),
        (AuthSettings, {"issuers": [{"issuer": "x", "audiences": ["a"], "jwks": "http://x"}]}),
        (AuthSettings, {"api_keys": {"file": "k.yaml", "hash": "sha256"}}),
        (AuthorizationSettings, {"mode": "audit"}),
        (AuthorizationSettings, {"policies": {"p": {"callable": "m:f", "claims": {}}}}),
        (AuthorizationSettings, {"policies": {"p": {}}}),
        (HardeningSettings, {"max_dept": 3}),
        (HardeningSettings, {"max_depth": 0}),
        (HardeningSettings, {"csrf_prevention": {"required_headers": []}}),
    ],
)
def test_unknown_keys_and_bad_values_are_refused(
    model: type[BaseModel], data: dict[str, object]
) -> None:
    with pytest.raises(ValidationError):
        model.model_validate(data)


def test_issuers_must_be_unique_and_have_one_key_source() -> None:
    issuer = {"issuer": "https://a", "audiences": ["x"], "jwks_url": "https://a/jwks"}
    with pytest.raises(ValidationError, match="configured twice"):
        AuthSettings.model_validate({"issuers": [issuer, issuer]})
    with pytest.raises(ValidationError, match="exactly one of jwks_url and secret_file"):
        AuthSettings.model_validate({"issuers": [{"issuer": "https://a", "audiences": ["x"]}]})


@pytest.mark.parametrize("model", [AuthSettings, AuthorizationSettings, HardeningSettings])
def test_every_field_is_documented_with_its_default(model: type[BaseModel]) -> None:
    pending: list[type[BaseModel]] = [model]
    while pending:
        current = pending.pop()
        for name, info in current.model_fields.items():
            assert info.description, f"{current.__name__}.{name} has no description"
            if info.is_required():
                continue
            assert "default" in info.description, f"{current.__name__}.{name}: no default"
            annotation = info.annotation
            if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                pending.append(annotation)
