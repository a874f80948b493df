"""The engine's variables step (:meth:`Engine.coerce`) as a stage: coerce, or refuse (400).

It sits in the operation hooks (not in the engine's prepare step) so that checks that need no
variables answer first: the refusal of an anonymous mutation (ADR 0906) comes before a
``BAD_USER_INPUT``. The pipeline adds it first when a stage list has none.
"""

from __future__ import annotations

from gateway.engine.core import Engine
from gateway.engine.types import GraphQLResult
from gateway.pipeline.stages import Operation, Proceed

__all__ = ["VariablesStage"]


class VariablesStage:
    """Operation hook: ``operation.variables`` coerced to the operation's types."""

    name = "variables"

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    async def on_operation(self, operation: Operation, proceed: Proceed) -> GraphQLResult:
        """Coerce, then proceed; a value of the wrong type is answered 400."""
        variables = self._engine.coerce(operation.prepared, operation.request.variables)
        if isinstance(variables, GraphQLResult):
            return variables
        operation.variables = variables
        return await proceed(operation)
