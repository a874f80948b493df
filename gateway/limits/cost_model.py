"""The cost model of a schema: per field and argument, the weights and list sizes that apply.

Built once per supergraph (or plain schema) from its loaded model
(:func:`gateway.limits.model_builder.build_cost_model`), following the IBM GraphQL cost
directive spec as Apollo Router's demand control reads it:

- a field costs its ``@cost(weight:)``, else its type's ``@cost``, else 1 for an object,
  interface or union and 0 for a scalar or enum;
- an argument or input field costs its ``@cost``, else its type's ``@cost``; an input object
  value costs 1 (or its ``@cost``) plus its fields;
- ``@listSize`` (repeatable) sizes list fields; ``sizedFields`` paths (``"edges"``,
  ``"results { page }"``) carry the size to lists inside the returned object;
- ``@join__field(requires:)`` selections are added to the field that requires them.

Weights may be Int, Float or numeric String (IBM writes ``"2.0"``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum

from graphql import ConstValueNode, SelectionSetNode

__all__ = [
    "CostModel",
    "FieldCost",
    "InputCost",
    "ListSizeRule",
    "SizedFields",
    "TypeKind",
]


class TypeKind(Enum):
    """What a named type is, as far as cost is concerned."""

    SCALAR = "scalar"
    ENUM = "enum"
    OBJECT = "object"
    INTERFACE = "interface"
    UNION = "union"
    INPUT_OBJECT = "input_object"

    @property
    def is_composite(self) -> bool:
        """Objects, interfaces and unions cost 1 by default."""
        return self in (TypeKind.OBJECT, TypeKind.INTERFACE, TypeKind.UNION)


@dataclass(frozen=True, slots=True)
class SizedFields:
    """The fields a ``@listSize`` sizes inside the object its field returns.

    ``leaves`` are the names sized at this level; ``nested`` descends into containers
    (``"results { page }"``: ``results`` -> a ``SizedFields`` with leaf ``page``). As in
    Apollo Router, every leaf name of a path counts at the top level too unless that name is
    itself a container at this level.
    """

    leaves: frozenset[str]
    nested: Mapping[str, SizedFields]


@dataclass(frozen=True, slots=True)
class ListSizeRule:
    """One ``@listSize`` application on a field definition."""

    assumed_size: int | None
    #: each slicing argument as a path: ``"input.page.first"`` -> ("input", "page", "first")
    slicing_arguments: tuple[tuple[str, ...], ...] | None
    sized_fields: SizedFields | None
    require_one_slicing_argument: bool


@dataclass(frozen=True, slots=True)
class InputCost:
    """An argument or input-object field."""

    name: str
    type_name: str
    kind: TypeKind
    #: its own ``@cost``, else its named type's
    weight: float | None
    default: ConstValueNode | None


@dataclass(frozen=True, slots=True)
class FieldCost:
    """A field of an object or interface type."""

    name: str
    parent_type: str
    type_name: str
    kind: TypeKind
    is_list: bool
    #: its own ``@cost``, else its named type's
    weight: float | None
    list_sizes: tuple[ListSizeRule, ...]
    arguments: Mapping[str, InputCost]
    #: the ``@join__field(requires:)`` selection, on ``parent_type``
    requires: SelectionSetNode | None = None


@dataclass(frozen=True, slots=True)
class CostModel:
    """Everything cost analysis needs to know about one schema."""

    output_fields: Mapping[str, Mapping[str, FieldCost]]
    input_fields: Mapping[str, Mapping[str, InputCost]]
    root_types: Mapping[str, str]
    #: abstract type -> the object types it may be (for walking responses)
    possible_types: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def field(self, type_name: str, field_name: str) -> FieldCost | None:
        """The field ``type_name.field_name``, or ``None``."""
        fields = self.output_fields.get(type_name)
        return fields.get(field_name) if fields is not None else None
