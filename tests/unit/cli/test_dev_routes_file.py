"""``ordergate dev`` serves the checkout's REST routes wherever it is started from."""

from __future__ import annotations

from pathlib import Path

from ordergate.commands.dev import dev_routes_file

REPO = Path(__file__).resolve().parents[3]


def test_the_working_directory_s_route_file_wins(tmp_path: Path) -> None:
    local = tmp_path / "persisted_queries" / "rest-routes.yaml"
    local.parent.mkdir()
    local.write_text("version: 1\n")
    assert dev_routes_file(tmp_path) == local


def test_elsewhere_the_checkout_s_route_file_is_served(tmp_path: Path) -> None:
    found = dev_routes_file(tmp_path)
    assert found == REPO / "persisted_queries" / "rest-routes.yaml"
    assert found.is_file()
