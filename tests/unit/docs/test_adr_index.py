"""The ADR index (``docs/adr/README.md``) lists every record, and every link in it resolves."""

from __future__ import annotations

import re
from pathlib import Path

ADR_DIR = Path(__file__).parents[3] / "docs" / "adr"
LINK = re.compile(r"\]\(([^)#]+\.md)\)")


def test_every_record_is_in_the_index_and_every_link_resolves() -> None:
    index = (ADR_DIR / "README.md").read_text(encoding="utf-8")
    linked = set(LINK.findall(index))
    records = {path.name for path in ADR_DIR.glob("[0-9]*.md")}
    assert records - linked == set(), "records missing from docs/adr/README.md"
    assert linked - records == set(), "links in docs/adr/README.md to no record"


def test_record_numbers_are_unique() -> None:
    numbers = [path.name.split("-", 1)[0] for path in ADR_DIR.glob("[0-9]*.md")]
    assert len(numbers) == len(set(numbers))
