"""Print a merged supergraph in the standard supergraph format, laid out as Apollo lays it out.

Definitions are sorted by name (with the collation JavaScript's ``localeCompare`` uses, so the
output matches ``@apollo/composition`` byte for byte where the content is the same); fields,
values and applied directives keep merge order.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from graphql.language.block_string import print_block_string

from gateway.composition.merge.merger import MergedSupergraph
from gateway.composition.model import (
    Directive,
    DirectiveDefinition,
    EnumValue,
    Field,
    InputValue,
    TypeDef,
    TypeKind,
)
from gateway.composition.specs import JOIN_IDENTITY, LINK_IDENTITY
from gateway.composition.values import print_value

__all__ = ["collation_key", "print_supergraph"]

_KEYWORDS = {
    TypeKind.OBJECT: "type",
    TypeKind.INTERFACE: "interface",
    TypeKind.UNION: "union",
    TypeKind.ENUM: "enum",
    TypeKind.INPUT_OBJECT: "input",
    TypeKind.SCALAR: "scalar",
}
_PURPOSES = (
    ("SECURITY", "`SECURITY` features provide metadata necessary to securely resolve fields."),
    ("EXECUTION", "`EXECUTION` features provide metadata necessary for operation execution."),
)


def collation_key(name: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Sort key approximating ICU root collation for GraphQL names (``_`` < digits < letters)."""
    primary: list[int] = []
    tertiary: list[int] = []
    for char in name:
        if char == "_":
            primary.append(0)
        elif char.isdigit():
            primary.append(1 + int(char))
        else:
            primary.append(100 + ord(char.lower()))
        tertiary.append(1 if char.isupper() else 0)
    return tuple(primary), tuple(tertiary)


def _description(text: str | None, indent: str, first: bool) -> str:
    if text is None:
        return ""
    if "\n" in text:
        block = print_block_string(text).replace("\n", "\n" + indent)
    else:
        block = '"""' + text.replace('"""', '\\"""') + '"""'
    return ("" if first else "\n") + indent + block + "\n"


def _directive(directive: Directive) -> str:
    if not directive.args:
        return f"@{directive.name}"
    arguments = ", ".join(f"{k}: {print_value(v)}" for k, v in directive.args.items())
    return f"@{directive.name}({arguments})"


def _directives(directives: Iterable[Directive]) -> str:
    return "".join(" " + _directive(d) for d in directives)


def _input_value(value: InputValue) -> str:
    default = f" = {print_value(value.default)}" if value.default is not None else ""
    return f"{value.name}: {value.type}{default}{_directives(value.directives)}"


def _arguments(args: dict[str, InputValue], indent: str) -> str:
    if not args:
        return ""
    if not any(a.description is not None for a in args.values()):
        return "(" + ", ".join(_input_value(a) for a in args.values()) + ")"
    inner = indent + "  "
    lines = [
        _description(a.description, inner, i == 0) + inner + _input_value(a)
        for i, a in enumerate(args.values())
    ]
    return "(\n" + "\n".join(lines) + "\n" + indent + ")"


def _field(f: Field, first: bool, is_input: bool) -> str:
    text = _description(f.description, "  ", first) + "  " + f.name
    if is_input:
        default = f" = {print_value(f.default)}" if f.default is not None else ""
        return f"{text}: {f.type}{default}{_directives(f.directives)}"
    return f"{text}{_arguments(f.args, '  ')}: {f.type}{_directives(f.directives)}"


def _enum_value(value: EnumValue, first: bool) -> str:
    return (
        _description(value.description, "  ", first)
        + "  "
        + value.name
        + _directives(value.directives)
    )


def _header(keyword: str, name: str, directives: list[Directive], suffix: str = "") -> str:
    if not directives:
        return f"{keyword} {name}{suffix}"
    lines = "\n".join("  " + _directive(d) for d in directives)
    return f"{keyword} {name}{suffix}\n{lines}\n"


def print_type(owner: TypeDef) -> str:
    """One type definition."""
    description = _description(owner.description, "", True)
    implements = " implements " + " & ".join(owner.interfaces) if owner.interfaces else ""
    keyword = _KEYWORDS[owner.kind]
    head = _header(keyword, owner.name, owner.directives, implements)
    if owner.kind is TypeKind.SCALAR:
        return description + head.rstrip("\n")
    if owner.kind is TypeKind.UNION:
        members = " = " + " | ".join(owner.members) if owner.members else ""
        return description + head + members
    body: list[str]
    if owner.kind is TypeKind.ENUM:
        body = [_enum_value(v, i == 0) for i, v in enumerate(owner.values.values())]
    else:
        is_input = owner.kind is TypeKind.INPUT_OBJECT
        body = [_field(f, i == 0, is_input) for i, f in enumerate(owner.fields.values())]
    opening = "{" if owner.directives else " {"
    return description + head + opening + "\n" + "\n".join(body) + "\n}"


def _directive_definition(definition: DirectiveDefinition) -> str:
    repeatable = " repeatable" if definition.repeatable else ""
    return (
        _description(definition.description, "", True)
        + f"directive @{definition.name}{_arguments(definition.args, '')}{repeatable} on "
        + " | ".join(definition.locations)
    )


def _join_definitions(version: tuple[int, int]) -> tuple[list[str], list[str]]:
    field_args = (
        "graph: join__Graph, requires: join__FieldSet, provides: join__FieldSet, type: String,"
        " external: Boolean, override: String, usedOverridden: Boolean"
    )
    if version >= (0, 4):
        field_args += ", overrideLabel: String"
    if version >= (0, 5):
        field_args += ", contextArguments: [join__ContextArgument!]"
    directives = [
        "directive @join__enumValue(graph: join__Graph!) repeatable on ENUM_VALUE",
        f"directive @join__field({field_args}) repeatable on FIELD_DEFINITION"
        " | INPUT_FIELD_DEFINITION",
        "directive @join__graph(name: String!, url: String!) on ENUM_VALUE",
        "directive @join__implements(graph: join__Graph!, interface: String!) repeatable on"
        " OBJECT | INTERFACE",
        "directive @join__type(graph: join__Graph!, key: join__FieldSet, extension: Boolean! ="
        " false, resolvable: Boolean! = true, isInterfaceObject: Boolean! = false) repeatable on"
        " OBJECT | INTERFACE | UNION | ENUM | INPUT_OBJECT | SCALAR",
        "directive @join__unionMember(graph: join__Graph!, member: String!) repeatable on UNION",
        "directive @link(url: String, as: String, for: link__Purpose, import: [link__Import])"
        " repeatable on SCHEMA",
    ]
    types = ["scalar join__FieldSet", "scalar link__Import"]
    if version >= (0, 4):
        directives.append(
            "directive @join__directive(graphs: [join__Graph!], name: String!, args:"
            " join__DirectiveArguments) repeatable on SCHEMA | OBJECT | INTERFACE"
            " | FIELD_DEFINITION"
        )
        types.append("scalar join__DirectiveArguments")
    if version >= (0, 5):
        types.append("scalar join__FieldValue")
        types.append(
            "input join__ContextArgument {\n  name: String!\n  type: String!\n  context: String!\n"
            "  selection: join__FieldValue!\n}"
        )
    return directives, types


def _name_of(definition: str) -> str:
    words = definition.split()
    return words[1].lstrip("@").split("(")[0]


def _schema_block(supergraph: MergedSupergraph) -> str:
    join = supergraph.join_version
    links = [
        f'@link(url: "{LINK_IDENTITY}/v1.0")',
        f'@link(url: "{JOIN_IDENTITY}/v{join[0]}.{join[1]}", for: EXECUTION)',
    ]
    for spec, directives in supergraph.specs:
        imports: list[str] = []
        for canonical, name in directives:
            if name == spec.default_name(canonical):
                continue
            imports.append(
                f'"@{name}"' if name == canonical else f'{{name: "@{canonical}", as: "@{name}"}}'
            )
        purpose = f", for: {spec.purpose}" if spec.purpose else ""
        imported = f", import: [{', '.join(imports)}]" if imports else ""
        links.append(f'@link(url: "{spec.url}"{purpose}{imported})')
    schema = supergraph.schema
    all_directives = [*links, *(_directive(d) for d in schema.schema_directives)]
    roots = "\n".join(f"  {kind}: {name}" for kind, name in schema.roots.items())
    description = _description(schema.description, "", True)
    return (
        description
        + "schema\n"
        + "\n".join("  " + d for d in all_directives)
        + "\n{\n"
        + roots
        + "\n}"
    )


def _spec_types(supergraph: MergedSupergraph) -> list[str]:
    graphs = "\n".join(
        f'  {value} @join__graph(name: "{name}", url: "{url}")'
        for value, name, url in supergraph.graphs
    )
    purposes = "\n\n".join(f'  """\n  {doc}\n  """\n  {value}' for value, doc in _PURPOSES)
    types = [f"enum join__Graph {{\n{graphs}\n}}", f"enum link__Purpose {{\n{purposes}\n}}"]
    for spec, _ in supergraph.specs:
        for type_name, template in spec.types.items():
            types.append(template.replace("{name}", f"{spec.name}__{type_name}"))
    return types


def print_supergraph(supergraph: MergedSupergraph) -> str:
    """The supergraph SDL (ends with a newline)."""
    join_directives, join_types = _join_definitions(supergraph.join_version)
    directives: list[tuple[str, str]] = [(_name_of(d), d) for d in join_directives]
    for directive in supergraph.composed.values():
        template = directive.spec.directives[directive.canonical]
        text = template.replace("{name}", directive.name).format(
            Scope="requiresScopes__Scope", Policy="policy__Policy"
        )
        directives.append((directive.name, text))
    for definition in supergraph.schema.directive_definitions.values():
        directives.append((definition.name, _directive_definition(definition)))
    types: list[tuple[str, str]] = [
        (_name_of(t), t) for t in [*join_types, *_spec_types(supergraph)]
    ]
    types.extend((t.name, print_type(t)) for t in supergraph.schema.types.values())
    parts: list[Any] = [_schema_block(supergraph)]
    parts.extend(text for _, text in sorted(directives, key=lambda d: collation_key(d[0])))
    parts.extend(text for _, text in sorted(types, key=lambda t: collation_key(t[0])))
    return "\n\n".join(parts) + "\n"
