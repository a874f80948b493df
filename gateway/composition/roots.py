"""Root operation types: a subgraph's roots get their default names (``Query``, ...).

Federation matches root types across subgraphs by kind, so a subgraph declaring
``schema { query: RootQuery }`` has ``RootQuery`` renamed to ``Query`` everywhere. Every
subgraph has a ``Query`` type afterwards (federation gives each one ``_service``).
"""

from __future__ import annotations

from gateway.composition.errors import CompositionError, ErrorCode, locations_of
from gateway.composition.model import Schema, TypeDef, TypeKind
from gateway.composition.typeref import rename_base

__all__ = ["normalize_roots", "rename_type"]

_DEFAULT_ROOTS = {"query": "Query", "mutation": "Mutation", "subscription": "Subscription"}
_ROOT_USED = {
    "query": ErrorCode.ROOT_QUERY_USED,
    "mutation": ErrorCode.ROOT_MUTATION_USED,
    "subscription": ErrorCode.ROOT_SUBSCRIPTION_USED,
}


def rename_type(schema: Schema, old: str, new: str) -> None:
    """Rename type ``old`` to ``new`` and every reference to it."""
    renames = {old: new}
    schema.types = {(new if k == old else k): v for k, v in schema.types.items()}
    schema.types[new].name = new
    for owner in schema.types.values():
        owner.interfaces = [renames.get(i, i) for i in owner.interfaces]
        owner.members = [renames.get(m, m) for m in owner.members]
        for f in owner.fields.values():
            f.parent = owner.name
            f.type = rename_base(f.type, renames)
            for arg in f.args.values():
                arg.type = rename_base(arg.type, renames)
        for value in owner.values.values():
            value.parent = owner.name


def normalize_roots(name: str, schema: Schema, declared: dict[str, str]) -> list[CompositionError]:
    """Rename root types to their default names; errors when a default name is taken."""
    errors: list[CompositionError] = []
    roots = {k: v for k, v in _DEFAULT_ROOTS.items() if v in schema.types and k not in declared}
    roots.update(declared)
    for kind, type_name in list(roots.items()):
        default = _DEFAULT_ROOTS[kind]
        if type_name == default or type_name not in schema.types:
            continue
        if default in schema.types:
            nodes = [n for n in (schema.types[type_name].node, schema.types[default].node) if n]
            errors.append(
                CompositionError(
                    _ROOT_USED[kind],
                    f'The schema has a type named "{default}" but it is not set as the {kind}'
                    f' root type ("{type_name}" is instead): this is not supported by federation.'
                    " If a root type does not use its default name, there should be no other"
                    " type with that default name.",
                    name,
                    locations_of(name, nodes),
                )
            )
            continue
        rename_type(schema, type_name, default)
        roots[kind] = default
    if "Query" not in schema.types:
        schema.types["Query"] = TypeDef(kind=TypeKind.OBJECT, name="Query")
    roots["query"] = "Query"
    schema.roots = {k: roots[k] for k in _DEFAULT_ROOTS if k in roots}
    return errors
