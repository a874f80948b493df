"""Our gateway accepts supergraphs composed by Apollo as well as ours.

The gateway's loader (``gateway.supergraph.load_supergraph``) reads the reference supergraphs
@apollo/composition produced (the audit corpus and the feature cases) and the ones we compose,
and both give the same API schema.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from graphql import print_schema

from gateway.composition import SubgraphSource, compose
from gateway.composition._api_schema import api_schema_of
from gateway.supergraph import load_supergraph

REPOSITORY = Path(__file__).resolve().parents[3]
CASES = REPOSITORY / "tests" / "unit" / "composition" / "cases"
AUDIT_DIR = Path(
    os.environ.get(
        "ORDERGATE_FEDERATION_AUDIT_DIR", str(REPOSITORY / ".." / "shared" / "federation-audit")
    )
).resolve()


def _pairs() -> list[object]:
    pairs: list[object] = []
    for folder in sorted(p for p in CASES.iterdir() if p.is_dir()):
        sources = [
            SubgraphSource(f.stem, f"http://{f.stem}.example/graphql", f.read_text())
            for f in sorted(folder.glob("*.graphql"))
            if f.name != "supergraph.graphql"
        ]
        pairs.append(pytest.param(sources, folder / "supergraph.graphql", id=f"case-{folder.name}"))
    if AUDIT_DIR.is_dir():
        for folder in sorted(p for p in AUDIT_DIR.iterdir() if (p / "subgraphs.json").is_file()):
            subgraphs = json.loads((folder / "subgraphs.json").read_text())
            sources = [SubgraphSource(s["name"], s["url"], s["sdl"]) for s in subgraphs]
            pairs.append(
                pytest.param(sources, folder / "supergraph.graphql", id=f"audit-{folder.name}")
            )
    return pairs


@pytest.mark.parametrize(("sources", "reference"), _pairs())
def test_gateway_loads_ours_and_apollos_alike(
    sources: list[SubgraphSource], reference: Path
) -> None:
    ours = compose(sources).supergraph_sdl
    theirs = reference.read_text()
    loaded_ours, loaded_theirs = load_supergraph(ours), load_supergraph(theirs)
    assert sorted(loaded_ours.subgraphs) == sorted(loaded_theirs.subgraphs)
    assert print_schema(api_schema_of(ours)) == print_schema(api_schema_of(theirs))
