"""What the linked specifications (link, federation, join, tag, inaccessible, auth, cost) define.

Subgraph side: for each Federation 2 version, the directives and types ``@link`` can import and
their definitions (used to check a subgraph's SDL). Supergraph side: which spec version and
which directive definitions a composed supergraph carries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "COMPOSED_DIRECTIVES",
    "FED1_DIRECTIVES",
    "FEDERATION_IDENTITY",
    "FEDERATION_VERSIONS",
    "JOIN_IDENTITY",
    "LINK_IDENTITY",
    "ComposedSpec",
    "FeatureUrl",
    "federation_directives",
    "federation_types",
    "join_version_for",
]

SPECS_HOST = "https://specs.apollo.dev"
LINK_IDENTITY = f"{SPECS_HOST}/link"
CORE_IDENTITY = f"{SPECS_HOST}/core"
FEDERATION_IDENTITY = f"{SPECS_HOST}/federation"
JOIN_IDENTITY = f"{SPECS_HOST}/join"
TAG_IDENTITY = f"{SPECS_HOST}/tag"
INACCESSIBLE_IDENTITY = f"{SPECS_HOST}/inaccessible"
AUTHENTICATED_IDENTITY = f"{SPECS_HOST}/authenticated"
REQUIRES_SCOPES_IDENTITY = f"{SPECS_HOST}/requiresScopes"
POLICY_IDENTITY = f"{SPECS_HOST}/policy"
COST_IDENTITY = f"{SPECS_HOST}/cost"
CONTEXT_IDENTITY = f"{SPECS_HOST}/context"

Version = tuple[int, int]

#: Federation 2 versions this composer understands (2.12+ parse; their new directives are rejected)
FEDERATION_VERSIONS: tuple[Version, ...] = tuple((2, minor) for minor in range(15))
#: the version a Federation 1 subgraph is upgraded to
FED1_UPGRADE_VERSION: Version = (2, 4)

_VERSION_IN_URL = re.compile(r"^v(\d+)\.(\d+)$")
_NAME = re.compile(r"^[_A-Za-z][_0-9A-Za-z]*$")


@dataclass(frozen=True, slots=True)
class FeatureUrl:
    """A parsed ``@link(url:)``: ``identity`` (URL minus version), spec ``name``, ``version``."""

    identity: str
    name: str
    version: Version

    @classmethod
    def parse(cls, url: str) -> FeatureUrl | None:
        """Parse ``https://specs.apollo.dev/federation/v2.3``; ``None`` when malformed."""
        base = url.partition("?")[0]
        parts = base.rstrip("/").split("/")
        if len(parts) < 5 or not parts[0].endswith(":"):
            return None
        match = _VERSION_IN_URL.match(parts[-1])
        if match is None or not _NAME.match(parts[-2]):
            return None
        return cls("/".join(parts[:-1]), parts[-2], (int(match[1]), int(match[2])))

    def __str__(self) -> str:
        return f"{self.identity}/v{self.version[0]}.{self.version[1]}"


_ALL_TYPE_LOCATIONS = (
    "FIELD_DEFINITION | OBJECT | INTERFACE | UNION | ARGUMENT_DEFINITION | SCALAR | ENUM"
    " | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION"
)
_AUTH_LOCATIONS = "FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM"
_COST_LOCATIONS = (
    "ARGUMENT_DEFINITION | ENUM | FIELD_DEFINITION | INPUT_FIELD_DEFINITION | OBJECT | SCALAR"
)

# Directive definitions are templates: ``{name}`` is the name in the schema, ``{FieldSet}`` etc.
# the schema names of the spec's types.
_TAG_V02 = f"directive @{{name}}(name: String!) repeatable on {_ALL_TYPE_LOCATIONS}"
_TAG_V03 = f"directive @{{name}}(name: String!) repeatable on {_ALL_TYPE_LOCATIONS} | SCHEMA"
_DEFINITIONS: dict[str, str] = {
    "key": (
        "directive @{name}(fields: {FieldSet}!, resolvable: Boolean = true)"
        " repeatable on OBJECT | INTERFACE"
    ),
    "requires": "directive @{name}(fields: {FieldSet}!) on FIELD_DEFINITION",
    "provides": "directive @{name}(fields: {FieldSet}!) on FIELD_DEFINITION",
    "external": "directive @{name}(reason: String) on OBJECT | FIELD_DEFINITION",
    "extends": "directive @{name} on OBJECT | INTERFACE",
    "inaccessible": f"directive @{{name}} on {_ALL_TYPE_LOCATIONS}",
    "composeDirective": "directive @{name}(name: String) repeatable on SCHEMA",
    "interfaceObject": "directive @{name} on OBJECT",
    "authenticated": f"directive @{{name}} on {_AUTH_LOCATIONS}",
    "requiresScopes": f"directive @{{name}}(scopes: [[{{Scope}}!]!]!) on {_AUTH_LOCATIONS}",
    "policy": f"directive @{{name}}(policies: [[{{Policy}}!]!]!) on {_AUTH_LOCATIONS}",
    "context": "directive @{name}(name: String!) repeatable on INTERFACE | OBJECT | UNION",
    "fromContext": "directive @{name}(field: {ContextFieldValue}) on ARGUMENT_DEFINITION",
    "cost": f"directive @{{name}}(weight: Int!) on {_COST_LOCATIONS}",
    "listSize": (
        "directive @{name}(assumedSize: Int, slicingArguments: [String!], sizedFields: [String!],"
        " requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION"
    ),
    "cacheTag": "directive @{name}(format: String!) repeatable on OBJECT | FIELD_DEFINITION",
}

#: directive -> the federation version that introduced it
_DIRECTIVE_SINCE: dict[str, Version] = {
    "key": (2, 0),
    "requires": (2, 0),
    "provides": (2, 0),
    "external": (2, 0),
    "tag": (2, 0),
    "extends": (2, 0),
    "shareable": (2, 0),
    "inaccessible": (2, 0),
    "override": (2, 0),
    "composeDirective": (2, 1),
    "interfaceObject": (2, 3),
    "authenticated": (2, 5),
    "requiresScopes": (2, 5),
    "policy": (2, 6),
    "context": (2, 8),
    "fromContext": (2, 8),
    "cost": (2, 9),
    "listSize": (2, 9),
    "cacheTag": (2, 12),
}
_TYPE_SINCE: dict[str, Version] = {
    "FieldSet": (2, 0),
    "Scope": (2, 5),
    "Policy": (2, 6),
    "ContextFieldValue": (2, 8),
}


def federation_directives(version: Version) -> dict[str, str]:
    """Directives a ``federation/vX.Y`` link defines: name in spec -> definition template."""
    result: dict[str, str] = {}
    for name, since in _DIRECTIVE_SINCE.items():
        if version < since:
            continue
        if name == "tag":
            result[name] = _TAG_V03 if version >= (2, 3) else _TAG_V02
        elif name == "shareable":
            repeatable = " repeatable" if version >= (2, 2) else ""
            result[name] = f"directive @{{name}}{repeatable} on OBJECT | FIELD_DEFINITION"
        elif name == "override":
            label = ", label: String" if version >= (2, 7) else ""
            result[name] = f"directive @{{name}}(from: String!{label}) on FIELD_DEFINITION"
        else:
            result[name] = _DEFINITIONS[name]
    return result


def federation_types(version: Version) -> list[str]:
    """Scalar types a ``federation/vX.Y`` link defines (names in the spec)."""
    return [name for name, since in _TYPE_SINCE.items() if version >= since]


#: what a Federation 1 subgraph may use without any @link (and its type name for field sets)
FED1_DIRECTIVES: dict[str, str] = {
    "key": _DEFINITIONS["key"].replace(", resolvable: Boolean = true", ""),
    "requires": _DEFINITIONS["requires"],
    "provides": _DEFINITIONS["provides"],
    "external": _DEFINITIONS["external"],
    "tag": _TAG_V02,
    "extends": _DEFINITIONS["extends"],
}
FED1_FIELD_SET = "_FieldSet"

#: stand-alone specs a subgraph may @link besides federation: identity -> directive -> template
STANDALONE_SPECS: dict[str, dict[str, str]] = {
    TAG_IDENTITY: {"tag": _TAG_V03},
    INACCESSIBLE_IDENTITY: {"inaccessible": _DEFINITIONS["inaccessible"]},
    AUTHENTICATED_IDENTITY: {"authenticated": _DEFINITIONS["authenticated"]},
    REQUIRES_SCOPES_IDENTITY: {"requiresScopes": _DEFINITIONS["requiresScopes"]},
    POLICY_IDENTITY: {"policy": _DEFINITIONS["policy"]},
    COST_IDENTITY: {"cost": _DEFINITIONS["cost"], "listSize": _DEFINITIONS["listSize"]},
    CONTEXT_IDENTITY: {
        "context": _DEFINITIONS["context"],
        "fromContext": _DEFINITIONS["fromContext"],
    },
}
STANDALONE_TYPES: dict[str, list[str]] = {
    REQUIRES_SCOPES_IDENTITY: ["Scope"],
    POLICY_IDENTITY: ["Policy"],
    CONTEXT_IDENTITY: ["ContextFieldValue"],
}
#: minimum federation version implied by linking a stand-alone spec
STANDALONE_MIN_FEDERATION: dict[str, Version] = {
    AUTHENTICATED_IDENTITY: (2, 5),
    REQUIRES_SCOPES_IDENTITY: (2, 5),
    POLICY_IDENTITY: (2, 6),
    CONTEXT_IDENTITY: (2, 8),
    COST_IDENTITY: (2, 9),
}


@dataclass(frozen=True, slots=True)
class ComposedSpec:
    """A spec whose directives are carried into the supergraph."""

    identity: str
    name: str
    version: Version
    purpose: str | None
    #: directive name in spec -> definition template (``{name}`` = name in supergraph)
    directives: dict[str, str]
    #: spec type name -> SDL template (``{name}`` = name in supergraph)
    types: dict[str, str]

    @property
    def url(self) -> str:
        """The versioned URL for ``@link``."""
        return f"{self.identity}/v{self.version[0]}.{self.version[1]}"

    def default_name(self, directive: str) -> str:
        """The name a directive gets in the supergraph when not imported."""
        return self.name if directive == self.name else f"{self.name}__{directive}"


_COMPOSED_SPECS: tuple[ComposedSpec, ...] = (
    ComposedSpec(TAG_IDENTITY, "tag", (0, 3), None, {"tag": _TAG_V03}, {}),
    ComposedSpec(
        INACCESSIBLE_IDENTITY,
        "inaccessible",
        (0, 2),
        "SECURITY",
        {"inaccessible": _DEFINITIONS["inaccessible"]},
        {},
    ),
    ComposedSpec(
        AUTHENTICATED_IDENTITY,
        "authenticated",
        (0, 1),
        "SECURITY",
        {"authenticated": _DEFINITIONS["authenticated"]},
        {},
    ),
    ComposedSpec(
        REQUIRES_SCOPES_IDENTITY,
        "requiresScopes",
        (0, 1),
        "SECURITY",
        {"requiresScopes": _DEFINITIONS["requiresScopes"]},
        {"Scope": "scalar {name}"},
    ),
    ComposedSpec(
        POLICY_IDENTITY,
        "policy",
        (0, 1),
        "SECURITY",
        {"policy": _DEFINITIONS["policy"]},
        {"Policy": "scalar {name}"},
    ),
    ComposedSpec(
        COST_IDENTITY,
        "cost",
        (0, 1),
        None,
        {"cost": _DEFINITIONS["cost"], "listSize": _DEFINITIONS["listSize"]},
        {},
    ),
)

#: canonical directive name -> the spec that carries it into the supergraph
COMPOSED_DIRECTIVES: dict[str, ComposedSpec] = {
    directive: spec for spec in _COMPOSED_SPECS for directive in spec.directives
}
#: canonical names of the access-control directives (propagated between types and interfaces)
ACCESS_CONTROL_DIRECTIVES: tuple[str, ...] = ("authenticated", "requiresScopes", "policy")
#: federation directives a subgraph may use but that this composer does not support
UNSUPPORTED_DIRECTIVES: tuple[str, ...] = ("context", "fromContext", "cacheTag")


def join_version_for(federation_version: Version) -> Version:
    """The join spec version a supergraph needs for subgraphs up to ``federation_version``."""
    if federation_version >= (2, 8):
        return (0, 5)
    if federation_version >= (2, 7):
        return (0, 4)
    return (0, 3)
