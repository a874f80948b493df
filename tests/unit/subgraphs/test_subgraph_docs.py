"""The README section documents every subgraph setting, and the docs name every error code."""

from __future__ import annotations

from pathlib import Path

from subgraphs.common.errors import ErrorCode
from subgraphs.common.settings import SubgraphSettings

ROOT = Path(__file__).resolve().parents[3]


def test_every_setting_is_in_the_readme_section() -> None:
    text = (ROOT / "docs/subgraphs.md").read_text(encoding="utf-8")
    for name, field in SubgraphSettings.model_fields.items():
        assert f"`{name.upper()}`" in text, name
        assert field.description, name


def test_every_error_code_is_in_the_domain_contract() -> None:
    text = (ROOT / "docs/domain.md").read_text(encoding="utf-8")
    for code in ErrorCode:
        assert f"`{code.value}`" in text, code
