"""Every error code the gateway's pipeline or a subgraph can emit is mapped to an HTTP status on
purpose (gateway.rest.statuses), read from the source: the values of the error-code enums, the
``code`` attributes and ``*_CODE``/code constants, and the string codes passed to the error
constructors. A new code fails this test until the table says what it answers."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from gateway.problems import problem_type
from gateway.rest.statuses import (
    INTERNAL,
    STATUS_BY_CODE,
    status_for,
    status_of_errors,
)

ROOT = Path(__file__).resolve().parents[4]
#: where runtime error codes come from (composition codes never reach a request; the /jobs
#: API answers its own problems and is not behind a REST route)
SOURCES = [ROOT / "gateway", ROOT / "subgraphs", ROOT / "wire"]
EXCLUDED = ("gateway/composition/", "gateway/jobs/", "wire/jobs/", "subgraphs/seed/")
#: upper-case strings in code positions that are not codes a client can receive
NOT_CODES = {
    "LIMIT_ERROR": "LimitError's abstract default; every subclass sets its own code",
    "INVALID_SUPERGRAPH": "a supergraph refused at start-up or reload, never in a response",
}


def _is_code(value: object) -> bool:
    return (
        isinstance(value, str)
        and len(value) > 3
        and value.replace("_", "").isalnum()
        and value.isupper()
    )


def _callee(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _module_constants(tree: ast.Module) -> Iterator[str]:
    """``RATE_LIMITED = "RATE_LIMITED"``, ``CIRCUIT_OPEN = "SUBGRAPH_CIRCUIT_OPEN"``: module
    constants holding a code (their name is the code or says it is one)."""
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
            value = node.value.value
            for target in node.targets:
                name = target.id if isinstance(target, ast.Name) else ""
                if _is_code(value) and (
                    name == value or name.endswith("_CODE") or name == "CIRCUIT_OPEN"
                ):
                    yield str(value)


def _codes_in(tree: ast.Module) -> Iterator[str]:
    yield from _module_constants(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and node.name.endswith("ErrorCode"):
            for item in node.body:
                value = item.value if isinstance(item, ast.Assign) else None
                if isinstance(value, ast.Constant) and _is_code(value.value):
                    yield str(value.value)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = [t.id if isinstance(t, ast.Name) else "" for t in targets]
            value = node.value
            if isinstance(value, ast.Constant) and _is_code(value.value) and "code" in names:
                yield str(value.value)  # a ``code = "..."`` class attribute
        elif isinstance(node, ast.Call):
            callee = _callee(node)
            if callee.endswith(("Error", "error", "Failure", "Exception", "error_result")):
                for argument in [*node.args, *(k.value for k in node.keywords)]:
                    if isinstance(argument, ast.Constant) and _is_code(argument.value):
                        yield str(argument.value)
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if (
                    isinstance(key, ast.Constant)
                    and key.value == "code"
                    and isinstance(value, ast.Constant)
                    and _is_code(value.value)
                ):
                    yield str(value.value)


def emitted_codes() -> dict[str, str]:
    """Code -> the first file emitting it."""
    found: dict[str, str] = {}
    for source in SOURCES:
        for path in sorted(source.rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if relative.startswith(EXCLUDED) or "/migrations/" in relative:
                continue
            for code in _codes_in(ast.parse(path.read_text(encoding="utf-8"))):
                found.setdefault(code, relative)
    return found


def test_the_scan_finds_the_codes_of_every_kind_of_source() -> None:
    codes = emitted_codes()
    # an enum member, a class attribute, a module constant, a constructor argument, a dict
    for code in (
        "AUTHENTICATION_REQUIRED",
        "QUERY_PLANNING_FAILED",
        "RATE_LIMITED",
        "SUBREQUEST_TIMEOUT",
        "VERSION_CONFLICT",
        "UNAUTHORIZED_FIELD_OR_TYPE",
        "SUBGRAPH_CIRCUIT_OPEN",
        "PERSISTED_QUERY_ONLY",
        "FORBIDDEN",
        "SUPERGRAPH_NOT_LOADED",
    ):
        assert code in codes, code


def test_every_emitted_code_is_mapped_on_purpose() -> None:
    unmapped = {
        code: where
        for code, where in emitted_codes().items()
        if code not in STATUS_BY_CODE and code not in NOT_CODES
    }
    assert not unmapped, f"add these codes to gateway/rest/statuses.py: {unmapped}"


@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("UNAUTHENTICATED", 401),
        ("AUTHENTICATION_REQUIRED", 401),
        ("FORBIDDEN", 403),
        ("UNAUTHORIZED_FIELD_OR_TYPE", 403),
        ("INSUFFICIENT_SCOPE", 403),
        ("NOT_FOUND", 404),
        ("ILLEGAL_STATE_TRANSITION", 409),
        ("ORDER_NOT_EDITABLE", 409),
        ("VERSION_CONFLICT", 409),
        ("INSUFFICIENT_STOCK", 409),
        ("IDEMPOTENCY_KEY_IN_FLIGHT", 409),
        ("BAD_USER_INPUT", 422),
        ("UNKNOWN_SKU", 422),
        ("CURRENCY_MISMATCH", 422),
        ("AMOUNT_EXCEEDS_AUTHORIZED", 422),
        ("AMOUNT_EXCEEDS_CAPTURED", 422),
        ("PAYMENT_DECLINED", 422),
        ("IDEMPOTENCY_KEY_REUSED", 422),
        ("COST_ESTIMATED_TOO_EXPENSIVE", 422),
        ("RATE_LIMITED", 429),
        ("PAGE_SIZE_EXCEEDED", 400),
        ("IDEMPOTENCY_KEY_REQUIRED", 400),
        ("SUBREQUEST_HTTP_ERROR", 502),
        ("DOWNSTREAM_SERVICE_ERROR", 502),
        ("SUBREQUEST_TIMEOUT", 504),
        ("INTERNAL_SERVER_ERROR", 500),
        ("SOMETHING_NEW", 500),
        (None, 500),
    ],
)
def test_the_statuses_of_the_issue(code: str | None, status: int) -> None:
    assert status_for(code) == status


def test_the_first_mapped_error_decides_and_unknown_codes_are_internal() -> None:
    errors = [
        {"message": "a", "extensions": {"code": "WHATEVER_ELSE"}},
        {"message": "b", "extensions": {"code": "VERSION_CONFLICT"}},
        {"message": "c", "extensions": {"code": "NOT_FOUND"}},
    ]
    assert status_of_errors(errors) == (409, "VERSION_CONFLICT")
    assert status_of_errors([{"message": "x"}]) == (500, INTERNAL)
    assert status_of_errors([]) == (500, INTERNAL)


def test_problem_types_are_stable_uris() -> None:
    assert problem_type("VERSION_CONFLICT") == "https://ordergate.dev/problems/version-conflict"


def test_docs_show_the_same_table() -> None:
    text = (ROOT / "docs" / "rest.md").read_text(encoding="utf-8")
    section = text.split("### Status mapping", 1)[1].split("\n## ", 1)[0]
    documented: dict[str, int] = {}
    for line in section.splitlines():
        if not line.startswith("| ") or line.startswith(("| Status", "|---")):
            continue
        status_cell, codes_cell = line.strip("|").split("|", 1)
        status = int(status_cell.strip().split()[0])
        for code in re.findall(r"`([A-Z][A-Z0-9_]+)`", codes_cell):
            documented[code] = status
    table = {
        code: status for code, status in STATUS_BY_CODE.items() if status != 500
    }  # the 500 row names its codes in part ("the parse, validation ... codes")
    assert {c: s for c, s in documented.items() if s != 500} == table
    assert all(STATUS_BY_CODE.get(code) == 500 for code, s in documented.items() if s == 500)
