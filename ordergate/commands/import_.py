"""``ordergate import orders|customers|products FILE``: submit an import job to the gateway,
follow its progress, print a summary.

The file goes to ``POST /jobs/imports/<kind>`` with an ``Idempotency-Key`` (a new one per run,
reused if the upload has to be retried after a network failure, so a retry never creates a
second job). The command then polls the job resource as ``Retry-After`` asks, shows a progress
bar, and prints the totals and the first row errors. Exit status: 0 when every row succeeded,
1 when some failed (or the job could not be submitted), 2 for usage errors.
"""

from __future__ import annotations

import time
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:  # httpx is imported when a command runs (fast --help)
    import httpx

__all__ = ["import_group"]

_MEDIA_TYPES = {
    "csv": "text/csv",
    "json": "application/json",
    "ndjson": "application/x-ndjson",
    "jsonl": "application/x-ndjson",
}
_UPLOAD_ATTEMPTS = 3
#: what ``--help`` says each kind's FILE holds (docs/idempotency-and-jobs.md has every column)
_FILE_HELP = {
    "orders": "Import orders from FILE as a job. CSV: a header line, then one record per "
    "order line; records with the same order_ref make one order. Columns: order_ref, "
    "customer_id, channel (WEB|MOBILE|MARKETPLACE|B2B), ship_line1, ship_city, "
    "ship_postal_code, ship_country, sku, quantity (digits, at least 1); optional: currency, "
    "ship_line2, ship_region; an order's later lines may leave the order columns empty; no "
    "prices (the catalog prices orders). JSON or NDJSON: CreateOrderInput objects. Each order "
    "is one row of the job.",
    "customers": "Import customers from FILE (CSV with legacy_erp_id, email, name; JSON or "
    "NDJSON) as a job.",
    "products": "Import products from FILE (CSV with sku, name, description, price or "
    "price_amount, currency, weight_grams; JSON or NDJSON) as a job.",
}


def _media_type(path: Path, given: str) -> str:
    name = given if given != "auto" else path.suffix.lstrip(".").lower()
    if name not in _MEDIA_TYPES:
        raise click.BadParameter(
            f"cannot tell the format of {path.name}; use --format csv|json|ndjson",
            param_hint="--format",
        )
    return _MEDIA_TYPES[name]


def _credentials(api_key: str | None, token: str | None) -> dict[str, str]:
    if api_key and token:
        raise click.UsageError("give --api-key or --token, not both")
    if api_key:
        return {"x-api-key": api_key}
    if token:
        return {"authorization": f"Bearer {token}"}
    return {}


def _fail(response: httpx.Response) -> None:
    try:
        problem = response.json()
        detail = f"{problem.get('code')}: {problem.get('detail')}"
    except ValueError:
        detail = response.text[:200]
    raise click.ClickException(f"HTTP {response.status_code} {detail}")


def _submit(
    client: httpx.Client, kind: str, body: bytes, media_type: str, key: str
) -> httpx.Response:
    import httpx

    headers = {"content-type": media_type, "idempotency-key": f'"{key}"'}
    for attempt in range(1, _UPLOAD_ATTEMPTS + 1):
        try:
            return client.post(f"/jobs/imports/{kind}", content=body, headers=headers)
        except httpx.TransportError as error:
            if attempt == _UPLOAD_ATTEMPTS:
                raise click.ClickException(f"cannot reach the gateway: {error}") from error
            click.echo(f"upload failed ({type(error).__name__}); retrying with the same key")
            time.sleep(attempt)
    raise AssertionError("unreachable")


def _follow(client: httpx.Client, location: str, job: dict[str, Any]) -> dict[str, Any]:
    total = int(job["progress"]["total"])
    shown = 0
    with click.progressbar(length=total, label=f"{job['kind']} {job['id']}") as bar:
        while True:
            processed = int(job["progress"]["processed"])
            bar.update(processed - shown)
            shown = processed
            if job["state"] == "completed":
                return job
            response = client.get(location)
            if response.status_code != 200:
                _fail(response)
            job = response.json()
            if job["state"] != "completed":
                time.sleep(float(response.headers.get("retry-after", "1")))


def _summary(job: dict[str, Any], errors_shown: int) -> None:
    progress = job["progress"]
    click.echo(
        f"job {job['id']} {job['state']}: {progress['succeeded']} of {progress['total']} rows "
        f"imported, {progress['failed']} failed ({progress['deadLettered']} dead-lettered)"
    )
    for error in job["errors"][:errors_shown]:
        field = f" [{error['field']}]" if error.get("field") else ""
        click.echo(f"  row {error['row']}: {error['code']}{field} {error['message']}")
    hidden = len(job["errors"]) - errors_shown
    if hidden > 0 or job.get("errorsTruncated"):
        click.echo(f"  ... more errors at {job['links']['self']}")
    if progress["deadLettered"]:
        click.echo(
            f"  replay the dead letters: POST {job['links']['deadLetters']}/replay once the "
            "cause is fixed"
        )


def _run_import(
    kind: str,
    file: Path,
    gateway: str,
    file_format: str,
    api_key: str | None,
    token: str | None,
    idempotency_key: str | None,
    wait: bool,
    errors_shown: int,
) -> None:
    import httpx

    media_type = _media_type(file, file_format)
    body = file.read_bytes()
    key = idempotency_key or str(uuid.uuid4())
    headers = _credentials(api_key, token)
    with httpx.Client(base_url=gateway.rstrip("/"), headers=headers, timeout=60) as client:
        response = _submit(client, kind, body, media_type, key)
        if response.status_code != 202:
            _fail(response)
        job = response.json()
        location = response.headers["location"]
        replayed = (
            " (already submitted with this key)"
            if "idempotent-replayed" in response.headers
            else ""
        )
        click.echo(f"accepted: {job['progress']['total']} rows, job {location}{replayed}")
        if not wait:
            return
        job = _follow(client, location, job)
    _summary(job, errors_shown)
    if job["progress"]["failed"]:
        raise SystemExit(1)


def _import_command(kind: str) -> click.Command:
    @click.command(kind, help=_FILE_HELP[kind])
    @click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option(
        "--gateway",
        envvar="ORDERGATE_URL",
        default="http://127.0.0.1:4000",
        show_default=True,
        help="The gateway's base URL (or ORDERGATE_URL).",
    )
    @click.option(
        "--format",
        "file_format",
        type=click.Choice(["auto", "csv", "json", "ndjson"]),
        default="auto",
        show_default=True,
        help="The file's format (auto: from its extension).",
    )
    @click.option("--api-key", envvar="ORDERGATE_API_KEY", help="API key (or ORDERGATE_API_KEY).")
    @click.option("--token", envvar="ORDERGATE_TOKEN", help="Bearer token (or ORDERGATE_TOKEN).")
    @click.option("--idempotency-key", help="Submit under this key (default: a new one per run).")
    @click.option("--wait/--no-wait", default=True, show_default=True, help="Follow the job.")
    @click.option("--errors", "errors_shown", default=10, show_default=True, type=int,
                  help="Row errors to print in the summary.")  # fmt: skip
    def command(file: Path, **options: Any) -> None:
        _run_import(kind, file, **options)

    return command


@click.group("import")
def import_group() -> None:
    """Import orders, customers or products through the gateway's job API."""


for _kind in ("orders", "customers", "products"):
    import_group.add_command(_import_command(_kind))
