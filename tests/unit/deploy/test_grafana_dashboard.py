"""The Grafana dashboards are well-formed and bound to the provisioned Prometheus datasource.

Grafana is not run here: the checks are what makes a provisioned dashboard load and show data
(a stable uid, unique panel ids and query ids, panels inside the 24-column grid without
overlaps, every panel and query on the datasource uid the provisioning file creates).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from deploy_files import DASHBOARDS, GRAFANA, load_dashboard, load_yaml, panels

GRID_COLUMNS = 24


def provisioned_datasource_uid() -> str:
    (datasource,) = [
        source
        for path in sorted((GRAFANA / "provisioning" / "datasources").glob("*.yml"))
        for source in load_yaml(path)["datasources"]
    ]
    assert datasource["type"] == "prometheus"
    uid: str = datasource["uid"]
    return uid


def test_there_is_the_gateway_dashboard() -> None:
    assert "gateway.json" in {path.name for path in DASHBOARDS}


@pytest.mark.parametrize("path", DASHBOARDS, ids=lambda path: path.name)
def test_dashboard_identity(path: Path) -> None:
    dashboard = load_dashboard(path)
    assert dashboard["uid"] and len(dashboard["uid"]) <= 40
    assert dashboard["title"]
    assert "id" not in dashboard or dashboard["id"] is None  # provisioning assigns it
    assert isinstance(dashboard["schemaVersion"], int)
    uids = [load_dashboard(other)["uid"] for other in DASHBOARDS]
    assert uids.count(dashboard["uid"]) == 1


@pytest.mark.parametrize("path", DASHBOARDS, ids=lambda path: path.name)
def test_panels_have_unique_ids_and_queries(path: Path) -> None:
    every = list(panels(load_dashboard(path)))
    ids = [panel["id"] for panel in every]
    assert len(ids) == len(set(ids))
    for panel in every:
        if panel["type"] == "row":
            continue
        targets = panel["targets"]
        assert targets, panel["title"]
        ref_ids = [target["refId"] for target in targets]
        assert len(ref_ids) == len(set(ref_ids)), panel["title"]
        assert all(target["expr"].strip() for target in targets), panel["title"]


def _cells(panel: dict[str, Any]) -> set[tuple[int, int]]:
    grid = panel["gridPos"]
    return {
        (grid["x"] + column, grid["y"] + row)
        for column in range(grid["w"])
        for row in range(grid["h"])
    }


@pytest.mark.parametrize("path", DASHBOARDS, ids=lambda path: path.name)
def test_panels_fit_the_grid_without_overlapping(path: Path) -> None:
    taken: dict[tuple[int, int], str] = {}
    for panel in load_dashboard(path)["panels"]:
        grid = panel["gridPos"]
        assert grid["x"] >= 0 and grid["w"] > 0 and grid["h"] > 0, panel["title"]
        assert grid["x"] + grid["w"] <= GRID_COLUMNS, panel["title"]
        for cell in _cells(panel):
            assert cell not in taken, f"{panel['title']} overlaps {taken[cell]}"
            taken[cell] = panel["title"]


@pytest.mark.parametrize("path", DASHBOARDS, ids=lambda path: path.name)
def test_every_query_uses_the_provisioned_datasource(path: Path) -> None:
    uid = provisioned_datasource_uid()
    dashboard = load_dashboard(path)
    for panel in panels(dashboard):
        if panel["type"] == "row":
            continue
        assert panel["datasource"] == {"type": "prometheus", "uid": uid}, panel["title"]
        for target in panel["targets"]:
            assert target["datasource"] == {"type": "prometheus", "uid": uid}, panel["title"]
    for variable in dashboard["templating"]["list"]:
        assert variable["datasource"] == {"type": "prometheus", "uid": uid}, variable["name"]
