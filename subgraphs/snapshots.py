"""Schema snapshots: each subgraph's SDL, as ``_service { sdl }`` prints it, under
``schema/subgraphs/<name>.graphql``.

Regenerate after changing a subgraph's types::

    uv run python -m subgraphs.snapshots          # write the files
    uv run python -m subgraphs.snapshots --check  # exit 1 when a file differs (CI)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from subgraphs.registry import SUBGRAPH_NAMES, definition

__all__ = ["SNAPSHOT_DIR", "sdl_of", "snapshot_path", "stale_snapshots", "write_snapshots"]

#: Where the snapshots live, relative to the repository root.
SNAPSHOT_DIR = Path(__file__).resolve().parent.parent / "schema" / "subgraphs"


def sdl_of(name: str) -> str:
    """The SDL that subgraph ``name`` serves at ``_service { sdl }``."""
    result = definition(name).build_schema().execute_sync("{ _service { sdl } }")
    if result.errors or result.data is None:
        raise RuntimeError(f"{name}: _service failed: {result.errors}")
    sdl: str = result.data["_service"]["sdl"]
    return sdl.rstrip("\n") + "\n"


def snapshot_path(name: str, directory: Path = SNAPSHOT_DIR) -> Path:
    """The snapshot file of subgraph ``name``."""
    return directory / f"{name}.graphql"


def stale_snapshots(directory: Path = SNAPSHOT_DIR) -> list[str]:
    """Names of the subgraphs whose snapshot is missing or differs from the code."""
    return [
        name
        for name in SUBGRAPH_NAMES
        if not snapshot_path(name, directory).is_file()
        or snapshot_path(name, directory).read_text(encoding="utf-8") != sdl_of(name)
    ]


def write_snapshots(directory: Path = SNAPSHOT_DIR) -> list[Path]:
    """Write every subgraph's snapshot; returns the files written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name in SUBGRAPH_NAMES:
        path = snapshot_path(name, directory)
        path.write_text(sdl_of(name), encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    """Command-line entry: write the snapshots, or ``--check`` them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail when a snapshot is stale")
    parser.add_argument("--directory", type=Path, default=SNAPSHOT_DIR)
    options = parser.parse_args(argv)
    if options.check:
        stale = stale_snapshots(options.directory)
        for name in stale:
            print(f"stale: {snapshot_path(name, options.directory)}", file=sys.stderr)
        return 1 if stale else 0
    for path in write_snapshots(options.directory):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
