"""Nothing installed is ever committed: no symbolic links, nothing from a node_modules folder."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[3]


def _tracked() -> list[tuple[str, str]]:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    listing = subprocess.run(
        ["git", "ls-files", "-s", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.decode()
    entries = []
    for entry in filter(None, listing.split("\0")):
        meta, _, path = entry.partition("\t")
        entries.append((meta.split()[0], path))
    return entries


def test_no_symbolic_link_is_tracked() -> None:
    links = [path for mode, path in _tracked() if mode == "120000"]
    assert links == [], "a link to a machine's folder would break every other clone"


def test_no_installed_package_is_tracked() -> None:
    installed = [path for _, path in _tracked() if "node_modules" in Path(path).parts]
    assert installed == []
