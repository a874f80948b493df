"""Reading import files into rows: formats per kind, and the refusals with their codes."""

from __future__ import annotations

import pytest

from gateway.jobs import ImportFileError, parse_upload
from wire.jobs.model import JobKind


def test_json_arrays_wrapped_arrays_and_ndjson() -> None:
    assert parse_upload(JobKind.ORDERS, "application/json", b'[{"a": 1}, {"a": 2}]', 10) == [
        {"a": 1},
        {"a": 2},
    ]
    wrapped = b'{"orders": [{"a": 1}]}'
    assert parse_upload(JobKind.ORDERS, "application/json; charset=utf-8", wrapped, 10) == [
        {"a": 1}
    ]
    assert parse_upload(JobKind.PRODUCTS, "application/json", b'{"rows": [1]}', 10) == [1]
    ndjson = b'{"a": 1}\n\n{"a": 2}\n'
    assert parse_upload(JobKind.CUSTOMERS, "application/x-ndjson", ndjson, 10) == [
        {"a": 1},
        {"a": 2},
    ]


def test_csv_with_a_bom_blank_lines_and_padded_headers() -> None:
    body = (
        '\ufeff legacy_erp_id , email,name\r\nE-1, a@b.co ,"Lee, Ann"\r\n'
        ",,\r\n\r\nE-2,c@d.co,Bo\r\n"
    )
    rows = parse_upload(JobKind.CUSTOMERS, "text/csv", body.encode(), 10)
    assert rows == [
        {"legacy_erp_id": "E-1", "email": "a@b.co", "name": "Lee, Ann"},
        {"legacy_erp_id": "E-2", "email": "c@d.co", "name": "Bo"},
    ]


@pytest.mark.parametrize(
    ("kind", "media_type", "body", "status", "code"),
    [
        (JobKind.ORDERS, "text/plain", b"a\n1\n", 415, "UNSUPPORTED_MEDIA_TYPE"),
        (JobKind.ORDERS, "text/csv", b"a\n1\n", 400, "INVALID_IMPORT_FILE"),
        (JobKind.CUSTOMERS, "text/plain", b"[]", 415, "UNSUPPORTED_MEDIA_TYPE"),
        (JobKind.CUSTOMERS, "", b"[]", 415, "UNSUPPORTED_MEDIA_TYPE"),
        (JobKind.ORDERS, "application/json", b"[{", 400, "INVALID_IMPORT_FILE"),
        (JobKind.ORDERS, "application/json", b'{"other": []}', 400, "INVALID_IMPORT_FILE"),
        (JobKind.ORDERS, "application/json", b"42", 400, "INVALID_IMPORT_FILE"),
        (JobKind.ORDERS, "application/x-ndjson", b'{"a": 1}\n{oops\n', 400, "INVALID_IMPORT_FILE"),
        (JobKind.CUSTOMERS, "text/csv", b"", 400, "INVALID_IMPORT_FILE"),
        (JobKind.CUSTOMERS, "text/csv", b"\xff\xfe", 400, "INVALID_IMPORT_FILE"),
        (JobKind.CUSTOMERS, "text/csv", b"email\n", 400, "EMPTY_IMPORT"),
        (JobKind.ORDERS, "application/json", b"[]", 400, "EMPTY_IMPORT"),
        (JobKind.ORDERS, "application/json", b"[1, 2, 3, 4]", 413, "TOO_MANY_ROWS"),
    ],
)
def test_unreadable_files_are_refused(
    kind: JobKind, media_type: str, body: bytes, status: int, code: str
) -> None:
    with pytest.raises(ImportFileError) as caught:
        parse_upload(kind, media_type, body, 3)
    assert (caught.value.status, caught.value.code) == (status, code)
