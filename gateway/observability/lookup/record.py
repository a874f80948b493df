"""The record of one finished request, as ``GET /requests/{id}`` answers it.

Built once the response has gone (:class:`~gateway.observability.lookup.writer.LookupWriter`)
from the request's observation (who, what, status, errors) and its
:class:`~gateway.execution.trail.ExecutionTrail` (plans, fetch timings, variables). Variable
values are replaced by their kind (``"<string>"``, ``"<int>"`` ...) keeping names, object keys
and list lengths; ``keep_variables`` keeps them, except values under secret-looking names
(:data:`SECRET_NAME`), which are always replaced.

Example::

    {"requestId": "lookup-1", "transport": "graphql", "status": 200, "durationMs": 41.2,
     "client": "acme-partner", "subject": "acme-partner", "recordedAt": 1796688000.0,
     "operations": [{"name": "PartnerOrders", "documentHash": "0e5b..."}],
     "plans": [{"queryPlan": "QueryPlan {...}", "variables": {"first": "<int>"},
                "variableTypes": {"first": "Int!"}}],
     "fetches": [{"subgraph": "orders", "startMs": 3.1, "durationMs": 12.0, "outcome": "ok",
                  "attempts": 1}],
     "errors": [], "errorCodes": []}
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from graphql import print_ast
from starlette.types import Scope

from gateway.auth.principal import Principal
from gateway.execution.trail import ExecutionTrail
from gateway.observability.observation import RequestObservation, error_codes
from gateway.planning.display import format_plan

__all__ = ["SECRET_NAME", "PlanTexts", "build_record", "redact"]

#: variable (or input field) names whose values are never kept
SECRET_NAME = re.compile(
    r"pass(word|phrase)?|secret|token|api_?key|authori[sz]ation|credential|private|cookie"
    r"|session|otp|cvv|cvc|card_?number|pin$",
    re.IGNORECASE,
)
_MAX_ERRORS = 50
_MAX_TEXT = 1000


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "<boolean>"
    if isinstance(value, int):
        return "<int>"
    if isinstance(value, float):
        return "<float>"
    if isinstance(value, str):
        return "<string>"
    return "<value>"


def redact(value: Any, *, keep: bool, name: str = "") -> Any:
    """``value`` with its leaves replaced by their kind (kept with ``keep``, except under
    secret-looking names); object keys and list lengths stay, ``null`` stays ``null``."""
    secret = bool(SECRET_NAME.search(name))
    if isinstance(value, Mapping):
        return {
            str(key): redact(item, keep=keep and not secret, name=str(key))
            for key, item in value.items()
        }
    if isinstance(value, (list, tuple)):
        return [redact(item, keep=keep and not secret, name=name) for item in value]
    if value is None:
        return None
    if keep and not secret and isinstance(value, (str, int, float, bool)):
        return value
    return _kind(value)


def _owner(principal: Principal | None) -> dict[str, Any]:
    if principal is None or not principal.is_authenticated:
        return {"authenticated": False}
    fields = {
        "authenticated": True,
        "client": principal.client_id,
        "subject": principal.subject,
    }
    return {key: value for key, value in fields.items() if value is not None}


def _errors(observation: RequestObservation) -> list[dict[str, Any]]:
    errors: list[dict[str, Any]] = []
    for result in observation.results:
        for error in result.errors or ():
            if not isinstance(error, dict) or len(errors) >= _MAX_ERRORS:
                continue
            extensions = error.get("extensions")
            entry: dict[str, Any] = {"message": str(error.get("message", ""))[:_MAX_TEXT]}
            if isinstance(extensions, dict) and isinstance(extensions.get("code"), str):
                entry["code"] = extensions["code"]
            if isinstance(error.get("path"), list):
                entry["path"] = error["path"]
            errors.append(entry)
    return errors


def build_record(
    scope: Scope,
    observation: RequestObservation,
    trail: ExecutionTrail | None,
    *,
    request_id: str,
    duration: float,
    recorded_at: float,
    keep_variables: bool,
    plan_text: Callable[[Any], str] = format_plan,
) -> dict[str, Any]:
    """The JSON record of a finished request (see the module); ``plan_text`` prints a plan
    (the writer's :class:`PlanTexts` prints each cached plan once)."""
    context = observation.context
    transport = observation.transport
    principal = None
    if context is not None:
        transport = str(context.attributes.get("transport", transport))
        principal = context.principal
    codes = dict.fromkeys([*observation.edge_codes, *error_codes(observation.results)])
    record: dict[str, Any] = {
        "requestId": request_id,
        "recordedAt": recorded_at,
        **_owner(principal),
        "transport": transport,
        "method": str(scope.get("method", "")),
        "path": str(scope.get("path", "")),
        "status": observation.status,
        "durationMs": round(duration * 1000, 3),
        "operations": [
            {"name": note.name, "documentHash": note.document_hash}
            for note in observation.operations
        ],
        "plans": [],
        "fetches": [],
        "errors": _errors(observation),
        "errorCodes": list(codes),
    }
    if trail is not None:
        record["plans"] = [
            {
                "queryPlan": plan_text(planned.plan),
                "variableTypes": {
                    item.variable.name.value: print_ast(item.type)
                    for item in planned.variable_definitions
                },
                "variables": {
                    name: redact(value, keep=keep_variables, name=name)
                    for name, value in planned.variables.items()
                },
            }
            for planned in trail.operations
        ]
        record["fetches"] = [
            {
                "subgraph": fetch.subgraph,
                "startMs": round(fetch.start * 1000, 3),
                "durationMs": round(fetch.duration * 1000, 3),
                "outcome": fetch.outcome,
                "attempts": fetch.attempts,
            }
            for fetch in trail.fetches
        ]
    return record


class PlanTexts:
    """The printed text of the plans requests ran, printed once per plan object: the engine
    caches its plans, so the same few objects come back request after request."""

    def __init__(self, max_entries: int = 256) -> None:
        self._max_entries = max_entries
        self._texts: dict[int, tuple[Any, str]] = {}

    def text(self, plan: Any) -> str:
        """``format_plan(plan)``, from the cache when this very object was printed before."""
        entry = self._texts.get(id(plan))
        if entry is not None and entry[0] is plan:
            return entry[1]
        text = format_plan(plan)
        if len(self._texts) >= self._max_entries:
            self._texts.clear()
        self._texts[id(plan)] = (plan, text)  # the plan kept alive: its id stays its own
        return text
