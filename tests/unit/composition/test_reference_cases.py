"""Merge rules beyond the audit corpus, against reference supergraphs from @apollo/composition.

Each folder of ``cases/`` holds subgraph SDLs (``<name>.graphql``, URL
``http://<name>.example/graphql``) and the ``supergraph.graphql`` that @apollo/composition
2.14.1 composed from them (``tests/contract/node/compose-reference.mjs`` regenerates it).
"""

from __future__ import annotations

import pytest
from composition_helpers import HERE, sources_of

from gateway.composition import compose
from gateway.composition.normalize import normalize_supergraph

CASES = sorted(p.name for p in (HERE / "cases").iterdir() if p.is_dir())


@pytest.mark.parametrize("case", CASES)
def test_case_composes_exactly_like_the_reference(case: str) -> None:
    folder = HERE / "cases" / case
    ours = compose(sources_of(folder)).supergraph_sdl
    reference = (folder / "supergraph.graphql").read_text()
    assert normalize_supergraph(ours) == normalize_supergraph(reference)
    assert ours == reference


def test_every_case_has_a_reference() -> None:
    missing = [c for c in CASES if not (HERE / "cases" / c / "supergraph.graphql").is_file()]
    assert missing == []
