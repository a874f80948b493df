"""Field-level authorization of operations: the pure stage between validation and planning.

Usage (the engine)::

    # per supergraph (in build_pipeline), from the loaded supergraph model
    authorizer = Authorizer.from_supergraph(supergraph, settings.authorization, policies)
    # per validated document and operation name (cache it beside the parsed document)
    analysis = authorizer.analyze(document, operation_name)
    # per request
    outcome = authorizer.authorize(analysis, principal)
    if outcome.rejected: ...                # reject mode: respond outcome.errors, data null
    plan = plan_cache.get_or_build((document_hash, outcome.key.digest), outcome.document)
    ...                                     # shape the response against the ORIGINAL
                                            # operation, so removed fields come back null
                                            # with normal null propagation; append
                                            # outcome.errors

``analyze`` does the schema walk once per document; ``authorize`` only evaluates the few
requirements the document touches, and pruning is memoized per key inside the analysis.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field

from graphql import (
    DocumentNode,
    FragmentDefinitionNode,
    GraphQLObjectType,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
)

from gateway.auth.principal import Principal
from gateway.authz._plan import SelectionPlan, build_plan
from gateway.authz._prune import PrunedOperation, prune_operation
from gateway.authz._trampoline import run
from gateway.authz.index import AuthorizationIndex
from gateway.authz.outcome import AuthorizationKey, AuthorizationOutcome, unauthorized_error
from gateway.authz.policies import PolicyRegistry
from gateway.authz.requirements import Requirement
from gateway.authz.settings import AuthorizationMode, AuthorizationSettings
from gateway.supergraph.model import SchemaModel

__all__ = ["Authorizer", "OperationAnalysis"]

_KEPT_OUTCOMES = 64


@dataclass(eq=False)
class OperationAnalysis:
    """One operation of one document, analysed against the supergraph's requirements."""

    document: DocumentNode
    operation: OperationDefinitionNode
    plan: SelectionPlan
    fragments: dict[str, FragmentDefinitionNode]
    #: every requirement guarding some selection of the operation
    requirements: frozenset[Requirement]
    policy_names: frozenset[str]
    _pruned: OrderedDict[AuthorizationKey, PrunedOperation] = field(default_factory=OrderedDict)

    def pruned(self, key: AuthorizationKey, max_paths: int) -> PrunedOperation:
        """The operation pruned for ``key`` (memoized for the most recent keys)."""
        found = self._pruned.get(key)
        if found is None:
            found = prune_operation(
                self.operation, self.plan, self.fragments, key.failing, max_paths
            )
            self._pruned[key] = found
            if len(self._pruned) > _KEPT_OUTCOMES:
                self._pruned.popitem(last=False)
        else:
            self._pruned.move_to_end(key)
        return found


class Authorizer:
    """Authorizes operations against one supergraph's requirements."""

    def __init__(
        self,
        index: AuthorizationIndex,
        api_schema: GraphQLSchema,
        settings: AuthorizationSettings,
        policies: PolicyRegistry,
    ) -> None:
        self._index = index
        self._schema = api_schema
        self._settings = settings
        self._policies = policies

    @classmethod
    def from_supergraph(
        cls,
        supergraph: SchemaModel,
        settings: AuthorizationSettings,
        policies: PolicyRegistry | None = None,
    ) -> Authorizer:
        """The authorizer of a loaded supergraph: the requirements its model read, walked
        against its API schema (the schema clients see). Nothing is parsed again."""
        registry = policies or PolicyRegistry.from_settings(settings.policies)
        index = AuthorizationIndex.from_directives(supergraph.directives)
        return cls(index, supergraph.api_schema, settings, registry)

    @property
    def index(self) -> AuthorizationIndex:
        """The requirements read from the supergraph."""
        return self._index

    @property
    def unknown_policies(self) -> frozenset[str]:
        """Policies the supergraph names but nobody registered (they always deny)."""
        return self._index.policy_names - self._policies.names

    def analyze(
        self, document: DocumentNode, operation_name: str | None = None
    ) -> OperationAnalysis:
        """Analyse the operation ``operation_name`` of a validated ``document``."""
        operation = _select_operation(document, operation_name)
        root_type = _root_type(self._schema, operation.operation)
        fragments = {
            definition.name.value: definition
            for definition in document.definitions
            if isinstance(definition, FragmentDefinitionNode)
        }
        plan = run(
            build_plan(self._schema, self._index, fragments, operation.selection_set, root_type)
        )
        return OperationAnalysis(
            document=document,
            operation=operation,
            plan=plan,
            fragments=fragments,
            requirements=plan.requirements,
            policy_names=frozenset().union(*(r.policy_names for r in plan.requirements)),
        )

    def key_for(self, analysis: OperationAnalysis, principal: Principal) -> AuthorizationKey:
        """Which of the analysed operation's requirements ``principal`` fails."""
        if not analysis.requirements:
            return AuthorizationKey()
        passed = self._policies.satisfied(analysis.policy_names, principal)
        failing = frozenset(
            requirement
            for requirement in analysis.requirements
            if not requirement.satisfied_by(
                authenticated=principal.is_authenticated,
                scopes=principal.scopes,
                policies=passed,
            )
        )
        return AuthorizationKey(failing)

    def authorize(self, analysis: OperationAnalysis, principal: Principal) -> AuthorizationOutcome:
        """The outcome for ``principal`` under the configured mode."""
        return self.outcome(analysis, self.key_for(analysis, principal))

    def outcome(self, analysis: OperationAnalysis, key: AuthorizationKey) -> AuthorizationOutcome:
        """The outcome for a caller with ``key`` (pure: equal keys, equal outcomes)."""
        mode = self._settings.mode
        if key.allows_everything:
            return AuthorizationOutcome(key, mode, analysis.document, (), ())
        pruned = analysis.pruned(key, self._settings.max_error_paths)
        errors = tuple(unauthorized_error(path) for path in pruned.paths)
        if mode is AuthorizationMode.DRY_RUN:
            return AuthorizationOutcome(
                key, mode, analysis.document, (), pruned.paths, pruned.truncated
            )
        if mode is AuthorizationMode.REJECT:
            return AuthorizationOutcome(key, mode, None, errors, pruned.paths, pruned.truncated)
        return AuthorizationOutcome(
            key, mode, pruned.document, errors, pruned.paths, pruned.truncated
        )


def _select_operation(
    document: DocumentNode, operation_name: str | None
) -> OperationDefinitionNode:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is None:
        if len(operations) != 1:
            raise ValueError("the document must hold exactly one operation, or name one")
        return operations[0]
    for operation in operations:
        if operation.name is not None and operation.name.value == operation_name:
            return operation
    raise ValueError(f"no operation named {operation_name!r} in the document")


def _root_type(schema: GraphQLSchema, operation: OperationType) -> GraphQLObjectType:
    root = schema.get_root_type(operation)
    if root is None:
        raise ValueError(f"the schema has no {operation.value} type")
    return root
