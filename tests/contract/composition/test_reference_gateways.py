"""Apollo Gateway and Hive Gateway load the supergraphs we compose.

Every supergraph composed by Ordergate (the audit suites, the feature cases, and our own four
subgraphs once their snapshots exist) is loaded the way each gateway loads it at startup:
``ApolloGateway({supergraphSdl}).load()``, and Hive Gateway's runtime answering introspection.
Apollo Gateway (unlike Apollo Router) refuses some features whoever composed the supergraph
(the authorization specs, progressive @override): there, our supergraph must be refused exactly
as the reference supergraph @apollo/composition produced for the same subgraphs.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from node_tools import ensure_node_tools, run_tool

from gateway.composition import SubgraphSource, compose
from ordergate.subgraph_sources.config import load_config
from ordergate.subgraph_sources.sources import read_sources

REPOSITORY = Path(__file__).resolve().parents[3]
CASES = REPOSITORY / "tests" / "unit" / "composition" / "cases"
AUDIT_DIR = Path(
    os.environ.get(
        "ORDERGATE_FEDERATION_AUDIT_DIR", str(REPOSITORY / ".." / "shared" / "federation-audit")
    )
).resolve()
#: cases whose reference supergraph Apollo Gateway itself refuses, and why
REFUSED_BY_APOLLO_GATEWAY = {
    "case/auth-and-cost": "is for: SECURITY but is unsupported",
    "case/override-progressive": "@override should have been on a field",
    # our subgraphs declare @requiresScopes (payments:read on Payment): Apollo Router serves
    # it, Apollo Gateway refuses every supergraph linking the authorization specs
    "ordergate": "is for: SECURITY but is unsupported",
}


def _references() -> dict[str, str]:
    references = {
        f"case/{p.name}": (p / "supergraph.graphql").read_text()
        for p in sorted(CASES.iterdir())
        if p.is_dir()
    }
    if AUDIT_DIR.is_dir():
        for folder in sorted(p for p in AUDIT_DIR.iterdir() if (p / "subgraphs.json").is_file()):
            references[f"audit/{folder.name}"] = (folder / "supergraph.graphql").read_text()
    return references


def _composed() -> dict[str, str]:
    supergraphs: dict[str, str] = {}
    for folder in sorted(p for p in CASES.iterdir() if p.is_dir()):
        sources = [
            SubgraphSource(f.stem, f"http://{f.stem}.example/graphql", f.read_text())
            for f in sorted(folder.glob("*.graphql"))
            if f.name != "supergraph.graphql"
        ]
        supergraphs[f"case/{folder.name}"] = compose(sources).supergraph_sdl
    if AUDIT_DIR.is_dir():
        for folder in sorted(p for p in AUDIT_DIR.iterdir() if (p / "subgraphs.json").is_file()):
            subgraphs = json.loads((folder / "subgraphs.json").read_text())
            sources = [SubgraphSource(s["name"], s["url"], s["sdl"]) for s in subgraphs]
            supergraphs[f"audit/{folder.name}"] = compose(sources).supergraph_sdl
    config_path = REPOSITORY / "schema" / "subgraphs.yaml"
    config = load_config(config_path)
    if all(s.sdl_path(config_path.parent).is_file() for s in config.subgraphs):
        sources = read_sources(config, config_path.parent)
        supergraphs["ordergate"] = compose(sources).supergraph_sdl
    return supergraphs


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    ensure_node_tools()
    folder = tmp_path_factory.mktemp("supergraphs")
    files: dict[str, str] = {}
    inputs = {**_composed(), **{f"reference:{k}": v for k, v in _references().items()}}
    for name, sdl in inputs.items():
        path = folder / (name.replace("/", "__").replace(":", "-") + ".graphql")
        path.write_text(sdl)
        files[str(path)] = name
    results = run_tool("load-supergraphs.mjs", *files)
    return {files[path]: result for path, result in results.items()}


def _ours(loaded: dict[str, Any]) -> dict[str, Any]:
    return {name: r for name, r in loaded.items() if not name.startswith("reference:")}


def test_every_supergraph_was_loaded(loaded: dict[str, Any]) -> None:
    expected = {f"case/{p.name}" for p in CASES.iterdir() if p.is_dir()}
    assert expected <= set(_ours(loaded))
    if AUDIT_DIR.is_dir():
        assert len([n for n in loaded if n.startswith("audit/")]) == 46


def test_hive_gateway_accepts_every_supergraph(loaded: dict[str, Any]) -> None:
    ours = _ours(loaded)
    refused = {name: r["hive"]["error"] for name, r in ours.items() if not r["hive"]["ok"]}
    assert refused == {}
    assert all(r["hive"]["queryType"] == "Query" for r in ours.values())


def test_apollo_gateway_accepts_what_it_accepts_from_apollo(loaded: dict[str, Any]) -> None:
    ours = _ours(loaded)
    refused = {name: r["apollo"]["error"] for name, r in ours.items() if not r["apollo"]["ok"]}
    assert set(refused) == set(REFUSED_BY_APOLLO_GATEWAY)
    for name, reason in REFUSED_BY_APOLLO_GATEWAY.items():
        assert reason in refused[name]
        reference = loaded.get(f"reference:{name}")
        if reference is not None:  # our own subgraphs have no @apollo/composition reference
            assert reference["apollo"] == ours[name]["apollo"]
    accepted = [n for n in ours if n not in refused]
    assert all(ours[n]["apollo"]["types"] == ours[n]["hive"]["types"] for n in accepted)


def test_node_tools_are_pinned() -> None:
    package = json.loads((Path(ensure_node_tools()) / "package.json").read_text())
    assert all(not v.startswith(("^", "~")) for v in package["dependencies"].values())
