"""Build and publish manifests: ``ordergate pq extract`` and ``ordergate pq push``.

Extraction turns ``.graphql`` files into one manifest entry per named operation: the body is the
operation followed by the fragments it uses (transitively, sorted by name), printed canonically,
and the id is that body's SHA-256, which is what Apollo and Hive clients send as the hash.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from graphql import (
    DocumentNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    SelectionSetNode,
    build_ast_schema,
    parse,
    print_ast,
    validate,
)

from gateway.persisted.documents import sha256_hex
from gateway.persisted.manifest import (
    ManifestError,
    TrustedDocument,
    dump_manifest,
    load_manifest,
    merge_documents,
)

__all__ = ["PushSummary", "extract_documents", "push_manifest", "schema_from_sdl"]


def schema_from_sdl(sdl: str) -> GraphQLSchema:
    """A schema to validate documents against (plain SDL or a supergraph)."""
    return build_ast_schema(parse(sdl), assume_valid_sdl=True)


def _spreads(selection_set: SelectionSetNode | None) -> Iterable[str]:
    if selection_set is None:
        return
    for selection in selection_set.selections:
        if isinstance(selection, FragmentSpreadNode):
            yield selection.name.value
        else:
            yield from _spreads(getattr(selection, "selection_set", None))


def _used_fragments(
    operation: OperationDefinitionNode, fragments: Mapping[str, FragmentDefinitionNode]
) -> list[FragmentDefinitionNode]:
    seen: dict[str, FragmentDefinitionNode] = {}
    pending = list(_spreads(operation.selection_set))
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        fragment = fragments.get(name)
        if fragment is None:
            raise ManifestError(f"fragment {name!r} is used but defined nowhere")
        seen[name] = fragment
        pending.extend(_spreads(fragment.selection_set))
    return [seen[name] for name in sorted(seen)]


def extract_documents(
    sources: Mapping[str, str], client_name: str, schema: GraphQLSchema | None = None
) -> list[TrustedDocument]:
    """One trusted document per named operation found in ``sources`` (name -> text)."""
    operations: dict[str, OperationDefinitionNode] = {}
    fragments: dict[str, FragmentDefinitionNode] = {}
    for where, text in sources.items():
        try:
            document = parse(text, no_location=True)
        except GraphQLError as error:
            raise ManifestError(f"{where}: {error.message}") from error
        for definition in document.definitions:
            if isinstance(definition, OperationDefinitionNode):
                if definition.name is None:
                    raise ManifestError(f"{where}: every operation needs a name")
                name = definition.name.value
                if name in operations:
                    raise ManifestError(f"{where}: operation {name!r} is defined twice")
                operations[name] = definition
            elif isinstance(definition, FragmentDefinitionNode):
                name = definition.name.value
                known = fragments.get(name)
                if known is not None and print_ast(known) != print_ast(definition):
                    raise ManifestError(f"{where}: fragment {name!r} is defined twice")
                fragments[name] = definition
    documents = []
    for name in sorted(operations):
        used = _used_fragments(operations[name], fragments)
        node = DocumentNode(definitions=(operations[name], *used))
        if schema is not None:
            errors = validate(schema, node)
            if errors:
                raise ManifestError(f"operation {name!r} is invalid: {errors[0].message}")
        body = print_ast(node)
        documents.append(TrustedDocument(sha256_hex(body), body, client_name))
    return documents


@dataclass(frozen=True, slots=True)
class PushSummary:
    """What a push changed."""

    path: Path
    added: int
    unchanged: int


def push_manifest(
    manifest: Path, client_name: str, destination: Path, schema: GraphQLSchema | None = None
) -> PushSummary:
    """Merge ``manifest`` into the client's manifest file at ``destination`` (atomically)."""
    documents = load_manifest(manifest, client_name)
    if schema is not None:
        for document in documents:
            errors = validate(schema, parse(document.body))
            if errors:
                raise ManifestError(f"{document.id!r} is invalid: {errors[0].message}")
    existing = load_manifest(destination, client_name) if destination.exists() else []
    merged = merge_documents(existing, documents, str(destination))
    destination.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=destination.parent, suffix=".tmp")
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        stream.write(dump_manifest(merged))
    Path(temporary).replace(destination)
    return PushSummary(destination, len(merged) - len(existing), len(existing))
