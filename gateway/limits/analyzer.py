"""Cost analysis with caches: once per document, once per (operation, variables shape).

The analyzer is built per supergraph, from the supergraph model the engine loaded (nothing is
parsed again). Per request,
:meth:`CostAnalyzer.estimate` is two dictionary lookups when the operation was seen before with
variables of the same shape: the shape keeps what can change the cost (which variables are
present, the structure of input objects and lists, and the numbers of variables that size
lists) and drops the rest (strings, booleans, other numbers).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Any

from graphql import DocumentNode, FragmentDefinitionNode, OperationDefinitionNode

from gateway.limits._arguments import Variables
from gateway.limits._selection import fragments_of, select_operation
from gateway.limits.cost_actual import actual_cost
from gateway.limits.cost_estimate import estimate_operation, mutation_surcharge
from gateway.limits.cost_model import CostModel
from gateway.limits.model_builder import build_cost_model
from gateway.limits.settings import CostSettings
from gateway.stores.lru import LruCache
from gateway.supergraph.model import SchemaModel

__all__ = ["CostAnalyzer", "CostEstimate"]

_MISSING = ("<missing>",)


@dataclass(frozen=True, slots=True)
class _Operation:
    operation: OperationDefinitionNode
    fragments: Mapping[str, FragmentDefinitionNode]
    surcharge: float
    #: variables the estimate reads, sorted, each with "its numbers matter"
    variables: tuple[tuple[str, bool], ...]


@dataclass(frozen=True, slots=True)
class CostEstimate:
    """The estimated cost of one operation with its variables."""

    cost: float
    operation_type: str
    _operation: _Operation

    @property
    def is_mutation(self) -> bool:
        """Whether the operation is a mutation."""
        return self.operation_type == "mutation"


def _shape(value: Any, keep_numbers: bool) -> Hashable:
    if value is None or isinstance(value, str | bool):
        return None if value is None else type(value).__name__
    if isinstance(value, int | float):
        return value if keep_numbers else "n"
    if isinstance(value, list):
        return ("[", *(_shape(item, keep_numbers) for item in value))
    if isinstance(value, dict):
        return ("{", *sorted((key, _shape(item, keep_numbers)) for key, item in value.items()))
    return type(value).__name__


class CostAnalyzer:
    """Estimates (before execution) and measures (after) operation cost for one schema."""

    def __init__(self, model: CostModel, settings: CostSettings | None = None) -> None:
        self._model = model
        settings = settings or CostSettings()
        self._options = settings.estimate_options()
        self._operations: LruCache[tuple[str, str | None], _Operation] = LruCache(
            settings.operation_cache_size
        )
        self._costs: LruCache[tuple[Hashable, ...], float] = LruCache(settings.cost_cache_size)

    @classmethod
    def from_supergraph(
        cls, supergraph: SchemaModel, settings: CostSettings | None = None
    ) -> CostAnalyzer:
        """An analyzer for a loaded supergraph (or plain schema) model."""
        return cls(build_cost_model(supergraph), settings)

    @property
    def model(self) -> CostModel:
        """The schema's cost model."""
        return self._model

    def cache_info(self) -> dict[str, int]:
        """How many analysed operations and costs are cached (for metrics and tests)."""
        return {"operations": len(self._operations), "costs": len(self._costs)}

    def estimate(
        self,
        document_key: str,
        document: DocumentNode,
        operation_name: str | None,
        variables: Mapping[str, Any] | None,
    ) -> CostEstimate:
        """The estimated cost of the operation ``operation_name`` of a validated ``document``.

        ``document_key`` identifies the document's text (its SHA-256, say). Raises
        :class:`~gateway.limits.errors.CostAnalysisError` when the operation cannot be costed.
        """
        variables = variables or {}
        operation = self._operations.get((document_key, operation_name))
        if operation is None:
            return self._first_estimate(document_key, document, operation_name, variables)
        key = (document_key, operation_name, *self._variables_shape(operation, variables))
        cost = self._costs.get(key)
        if cost is None:
            cost = self._compute(operation, variables)[0]
            self._costs.put(key, cost)
        return CostEstimate(cost, operation.operation.operation.value, operation)

    def actual(
        self,
        estimate: CostEstimate,
        variables: Mapping[str, Any] | None,
        data: Mapping[str, Any] | None,
    ) -> float:
        """The cost of the response ``data`` the operation of ``estimate`` produced."""
        operation = estimate._operation
        return actual_cost(
            self._model,
            operation.operation,
            operation.fragments,
            Variables(variables, operation.operation.variable_definitions or ()),
            data,
            operation.surcharge,
        )

    def _compute(
        self, operation: _Operation, variables: Mapping[str, Any]
    ) -> tuple[float, Variables]:
        reader = Variables(variables, operation.operation.variable_definitions or ())
        cost = estimate_operation(
            self._model, operation.operation, operation.fragments, reader, self._options
        )
        return cost, reader

    def _first_estimate(
        self,
        document_key: str,
        document: DocumentNode,
        operation_name: str | None,
        variables: Mapping[str, Any],
    ) -> CostEstimate:
        selected = select_operation(document, operation_name)
        fragments = fragments_of(document)
        draft = _Operation(
            selected, fragments, mutation_surcharge(selected, fragments, self._options), ()
        )
        cost, reader = self._compute(draft, variables)
        operation = _Operation(
            selected,
            fragments,
            draft.surcharge,
            tuple((name, name in reader.sizing) for name in sorted(reader.read)),
        )
        self._operations.put((document_key, operation_name), operation)
        key = (document_key, operation_name, *self._variables_shape(operation, variables))
        self._costs.put(key, cost)
        return CostEstimate(cost, selected.operation.value, operation)

    @staticmethod
    def _variables_shape(operation: _Operation, variables: Mapping[str, Any]) -> list[Hashable]:
        return [
            _shape(variables[name], keep_numbers) if name in variables else _MISSING
            for name, keep_numbers in operation.variables
        ]
