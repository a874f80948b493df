"""The typed subgraph config and the SDL snapshot files it points to."""

from __future__ import annotations

from pathlib import Path

import pytest

from gateway.composition import CompositionFailedError, ErrorCode
from ordergate.subgraph_sources.config import load_config
from ordergate.subgraph_sources.sources import read_sources

REPOSITORY = Path(__file__).resolve().parents[3]


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_repository_config_lists_the_four_subgraphs() -> None:
    config = load_config(REPOSITORY / "schema" / "subgraphs.yaml")
    assert [(s.name, s.url) for s in config.subgraphs] == [
        ("orders", "http://localhost:4001/graphql"),
        ("inventory", "http://localhost:4002/graphql"),
        ("payments", "http://localhost:4003/graphql"),
        ("shipments", "http://localhost:4004/graphql"),
    ]
    assert config.subgraphs[0].sdl_path(Path("schema")) == Path("schema/subgraphs/orders.graphql")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("subgraphs: []\n", "subgraphs: List should have at least 1 item"),
        ("subgraphs:\n  - name: a\n    url: http://a\n    colour: red\n", "colour: Extra inputs"),
        ("subgraphs:\n  - name: a\n    url: ftp://a\n", "must be an http:// or https:// URL"),
        ("subgraphs:\n  - name: 1a\n    url: http://a\n", "must start with a letter"),
        (
            "subgraphs:\n  - {name: a, url: 'http://a'}\n  - {name: a, url: 'http://b'}\n",
            "duplicate subgraph names: a",
        ),
        ("subgraphs: [\n", "invalid YAML"),
    ],
)
def test_invalid_config_is_rejected_with_a_reason(tmp_path: Path, text: str, expected: str) -> None:
    path = _write(tmp_path / "subgraphs.yaml", text)
    with pytest.raises(CompositionFailedError) as failure:
        load_config(path)
    (error,) = failure.value.errors
    assert error.code == ErrorCode.SUBGRAPH_CONFIG_INVALID
    assert expected in error.message


def test_missing_config_file(tmp_path: Path) -> None:
    with pytest.raises(CompositionFailedError) as failure:
        load_config(tmp_path / "nope.yaml")
    assert failure.value.codes == ["SUBGRAPH_CONFIG_INVALID"]


def test_reads_snapshots_and_reports_every_missing_one(tmp_path: Path) -> None:
    config_path = _write(
        tmp_path / "subgraphs.yaml",
        "subgraphs:\n"
        "  - {name: a, url: 'http://a/graphql'}\n"
        "  - {name: b, url: 'http://b/graphql', sdl: custom/b.graphql}\n"
        "  - {name: c, url: 'http://c/graphql'}\n"
        "  - {name: d, url: 'http://d/graphql'}\n",
    )
    _write(tmp_path / "subgraphs" / "a.graphql", "type Query { a: Int }\n")
    _write(tmp_path / "custom" / "b.graphql", "type Query { b: Int }\n")
    config = load_config(config_path)
    with pytest.raises(CompositionFailedError) as failure:
        read_sources(config, tmp_path)
    assert [(e.code, e.subgraph) for e in failure.value.errors] == [
        (ErrorCode.SUBGRAPH_SDL_UNAVAILABLE, "c"),
        (ErrorCode.SUBGRAPH_SDL_UNAVAILABLE, "d"),
    ]
    _write(tmp_path / "subgraphs" / "c.graphql", "type Query { c: Int }\n")
    _write(tmp_path / "subgraphs" / "d.graphql", "type Query { d: Int }\n")
    sources = read_sources(config, tmp_path)
    assert [(s.name, s.url, Path(s.origin or "").name) for s in sources] == [
        ("a", "http://a/graphql", "a.graphql"),
        ("b", "http://b/graphql", "b.graphql"),
        ("c", "http://c/graphql", "c.graphql"),
        ("d", "http://d/graphql", "d.graphql"),
    ]
