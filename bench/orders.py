"""Scenario 2: a realistic order query over our four subgraphs on PostgreSQL, full pipeline.

``CustomerOrders`` (``bench/queries/customer-orders.graphql``) walks customer -> orders ->
lines -> product stock and availability, payments, balance due and shipments: all four
subgraphs, entity fetches with ``@requires`` and ``@provides``. Each request asks for another
customer (100 of them, in turn), so nothing is served from a shared in-flight call.

The gateway runs the whole pipeline: an API key (``X-API-Key``), a trusted document sent by
``documentId`` from a safelisting client's manifest, and cost analysis with an enforcing budget
(large enough never to refuse). It is measured a second time without the pipeline (raw query,
anonymous, limits off) so that the difference is the pipeline's cost. The pipeline sections of
``GatewaySettings`` (``auth``, ``persisted``, ``limits``) must be on this branch; without them
the scenario is skipped (``--engine-only`` runs the second measurement alone).

Databases ``ordergate_bench_<subgraph>`` are created on the PostgreSQL server when missing,
migrated and seeded with ``ordergate seed`` (a seeded database is left as it is).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import secrets
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import orjson

from bench.checks import post_json
from bench.context import BENCH_DIR, REPO_ROOT, RunContext
from bench.measure import LoadPlan, Measurement, measure
from bench.ours import gateway_command, settings_sections, write_config
from bench.report import (
    MEASUREMENT_HEADER,
    environment,
    markdown_table,
    measurement_rows,
    write_results,
)
from bench.servers import BenchError, ReadyCheck, RunningServer, ServerSpec

__all__ = ["OrdersOptions", "pipeline_missing", "run_orders"]

SUBGRAPHS = ("orders", "inventory", "payments", "shipments")
PIPELINE_SECTIONS = ("auth", "persisted", "limits")
CLIENT_ID = "bench-partner"
QUERY_FILE = BENCH_DIR / "queries" / "customer-orders.graphql"
SUPERGRAPH = REPO_ROOT / "schema" / "supergraph.graphql"
CUSTOMERS = 100
ORDERS_PER_CUSTOMER = 10


@dataclass(frozen=True, slots=True)
class OrdersOptions:
    """Knobs of scenario 2."""

    duration_seconds: int = 10
    warmup_seconds: int = 3
    connections: int = 50
    samples: int = 20
    port_base: int = 4800
    postgres_url: str = "postgresql://postgres@127.0.0.1:5432"
    database_prefix: str = "ordergate_bench_"
    engine_only: bool = False
    limits_store: str = "memory"


def pipeline_missing() -> list[str]:
    """The pipeline sections our ``GatewaySettings`` does not have yet."""
    sections = settings_sections()
    return [name for name in PIPELINE_SECTIONS if name not in sections]


async def _create_databases(admin_url: str, names: list[str]) -> list[str]:
    import asyncpg

    created = []
    connection = await asyncpg.connect(f"{admin_url}/postgres")
    try:
        for name in names:
            exists = await connection.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
            if not exists:
                await connection.execute(f'CREATE DATABASE "{name}"')
                created.append(name)
    finally:
        await connection.close()
    return created


def prepare_databases(options: OrdersOptions) -> dict[str, str]:
    """Create (when missing), migrate and seed one database per subgraph; name -> URL."""
    names = {name: f"{options.database_prefix}{name}" for name in SUBGRAPHS}
    try:
        created = asyncio.run(_create_databases(options.postgres_url, list(names.values())))
    except OSError as exc:
        raise BenchError(f"PostgreSQL at {options.postgres_url} is not reachable: {exc}") from exc
    if created:
        print(f"[orders] created databases {', '.join(created)}", flush=True)
    host = options.postgres_url.removeprefix("postgresql://")
    urls = {name: f"postgresql+asyncpg://{host}/{db}" for name, db in names.items()}
    env = {f"ORDERGATE_{name.upper()}_DATABASE_URL": url for name, url in urls.items()}
    completed = subprocess.run(
        ["uv", "run", "--frozen", "--no-sync", "ordergate", "seed"],
        cwd=REPO_ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    if completed.returncode != 0:
        raise BenchError(f"ordergate seed failed:\n{completed.stdout}\n{completed.stderr}")
    print(completed.stdout.strip(), flush=True)
    return urls


def subgraph_spec(
    name: str, database_url: str, port: int, principal_secret: Path | None = None
) -> ServerSpec:
    """``ordergate subgraph NAME`` on ``port`` over ``database_url``.

    With ``principal_secret`` the subgraph requires the principal the gateway signs with it
    (the production setting); without, it serves anonymous requests.
    """
    prefix = f"ORDERGATE_{name.upper()}_"
    env = {f"{prefix}LOG_LEVEL": "warning", f"{prefix}GRAPHIQL": "false"}
    if principal_secret is not None:
        env[f"{prefix}PRINCIPAL_MODE"] = "required"
        env[f"{prefix}PRINCIPAL_SECRET_FILE"] = str(principal_secret)
    return ServerSpec(
        name=f"subgraph-{name}",
        command=(
            "uv",
            "run",
            "--frozen",
            "--no-sync",
            "ordergate",
            "subgraph",
            name,
            "--database-url",
            database_url,
            "--port",
            str(port),
        ),
        cwd=REPO_ROOT,
        env=env,
        port=port,
        ready=ReadyCheck(f"http://127.0.0.1:{port}/ready"),
    )


def customer_ids(orders_url: str, count: int = CUSTOMERS) -> list[str]:
    """The first ``count`` customers, straight from the orders subgraph."""
    body = orjson.dumps(
        {"query": f"{{ customers(first: {count}) {{ edges {{ node {{ id }} }} }} }}"}
    )
    with httpx.Client(timeout=30.0) as client:
        status, answer = post_json(client, orders_url, body)
    if status != 200 or not isinstance(answer, dict) or answer.get("errors"):
        raise BenchError(f"cannot list customers: HTTP {status} {str(answer)[:300]}")
    ids = [edge["node"]["id"] for edge in answer["data"]["customers"]["edges"]]
    if not ids:
        raise BenchError("the orders database has no customers: seeding failed?")
    return ids


def write_pipeline_files(run_dir: Path, query: str) -> tuple[dict[str, Any], str, str]:
    """API key file, clients file and manifest; the config overlay, the key and the doc id."""
    from gateway.auth import generate_api_key, hash_api_key

    key = generate_api_key("bench")
    keys_file = run_dir / "api-keys.yaml"
    keys_file.write_text(
        json.dumps(
            {
                "keys": [
                    {
                        "id": "bench-1",
                        "hash": hash_api_key(key),
                        "client_id": CLIENT_ID,
                        "roles": ["partner"],
                        "scopes": [
                            "orders:read",
                            "customers:read",
                            "payments:read",
                            "shipments:read",
                        ],
                    }
                ]
            }
        )
    )
    document_id = hashlib.sha256(query.encode()).hexdigest()
    manifest = run_dir / "bench-partner.json"
    manifest.write_text(
        json.dumps(
            {
                "format": "ordergate-persisted-documents",
                "version": 1,
                "documents": [{"id": document_id, "body": query, "clientName": CLIENT_ID}],
            }
        )
    )
    clients = run_dir / "clients.yaml"
    budget = {
        "capacity": 1_000_000_000,
        "refill_per_second": 1_000_000_000,
        "max_operation_cost": 1_000_000,
        "mode": "enforce",
    }
    clients.write_text(
        json.dumps(
            {
                "version": 1,
                "defaults": {"mode": "safelist", "budget": budget},
                "clients": {
                    CLIENT_ID: {"mode": "safelist", "manifests": [manifest.name], "budget": budget}
                },
            }
        )
    )
    overlay = {
        "auth": {"allow_anonymous": False, "api_keys": {"file": str(keys_file)}},
        "persisted": {"clients_file": str(clients), "watch": False},
        "limits": {"enabled": True},
        "hardening": {
            # production defaults again (the benchmark profile switches them off)
            "max_document_bytes": 65_536,
            "max_tokens": 5_000,
            "max_depth": 15,
            "max_aliases": 30,
            "max_root_fields": 20,
            "max_fields": 2_000,
        },
    }
    return overlay, key, document_id


def _gateway(
    context: RunContext, name: str, port: int, overlay: dict[str, Any], ready: ReadyCheck
) -> tuple[ServerSpec, list[str]]:
    config = context.run_dir / f"{name}.config.yaml"
    dropped = write_config(config, overlay)
    spec = ServerSpec(
        name=name,
        command=gateway_command(SUPERGRAPH, port),
        cwd=REPO_ROOT,
        env={"ORDERGATE_GATEWAY_CONFIG_FILE": str(config)},
        port=port,
        ready=ready,
    )
    return spec, dropped


def pipeline_proof(url: str, key: str, document_body: bytes, query: str) -> list[str]:
    """Show that the pipeline is really on: refusals without a key and for a raw query."""
    findings = []
    raw = orjson.dumps({"query": query, "variables": orjson.loads(document_body)["variables"]})
    with httpx.Client(timeout=60.0) as client:
        checks: tuple[tuple[str, bytes, dict[str, str]], ...] = (
            ("no API key", document_body, {}),
            ("raw query from the safelisting client", raw, {"x-api-key": key}),
            ("trusted document", document_body, {"x-api-key": key}),
        )
        for what, body, headers in checks:
            status, answer = post_json(client, url, body, headers)
            errors = answer.get("errors") if isinstance(answer, dict) else None
            codes = sorted({e.get("extensions", {}).get("code", "?") for e in errors or []})
            cost = answer.get("extensions", {}).get("cost") if isinstance(answer, dict) else None
            findings.append(
                f"{what}: HTTP {status}"
                + (f", {', '.join(codes)}" if codes else "")
                + (f", cost {cost.get('requested')} requested" if cost else "")
            )
    return findings


def _direct_subgraph_check(orders: RunningServer) -> str:
    """The orders subgraph, called without the gateway's signed principal, refuses."""
    url = f"http://127.0.0.1:{orders.spec.port}/graphql"
    body = orjson.dumps({"query": "{ customers(first: 1) { edges { node { id } } } }"})
    with httpx.Client(timeout=30.0) as client:
        status, answer = post_json(client, url, body)
    errors = answer.get("errors") if isinstance(answer, dict) else None
    codes = sorted({e.get("extensions", {}).get("code", "?") for e in errors or []})
    return f"orders subgraph called directly, no principal: HTTP {status}, {', '.join(codes)}"


def _expected(url: str, body: bytes, headers: dict[str, str]) -> Any:
    with httpx.Client(timeout=60.0) as client:
        status, answer = post_json(client, url, body, headers)
    if status != 200 or not isinstance(answer, dict) or answer.get("errors"):
        raise BenchError(f"CustomerOrders failed: HTTP {status} {str(answer)[:800]}")
    if not answer.get("data", {}).get("customer"):
        raise BenchError(f"CustomerOrders found no customer: {str(answer)[:300]}")
    return answer


@dataclass(frozen=True, slots=True)
class OrdersRun:
    """One gateway configuration of scenario 2."""

    name: str
    label: str
    overlay: dict[str, Any]
    bodies: list[bytes]
    headers: dict[str, str]
    #: subgraphs require the gateway's signed principal (this file holds the shared secret)
    principal_secret: Path | None = None


def _runs(
    context: RunContext,
    options: OrdersOptions,
    query: str,
    variables: list[dict[str, Any]],
    missing: list[str],
) -> list[OrdersRun]:
    runs = []
    if not missing:
        overlay, key, document_id = write_pipeline_files(context.run_dir, query)
        overlay["limits"] = {"enabled": True, "store": options.limits_store}
        secret = None
        if "principal_headers" in settings_sections():
            secret = context.run_dir / "principal.key"
            secret.write_text(secrets.token_hex(32))
            overlay["principal_headers"] = {"mode": "signed", "secret_file": str(secret)}
        bodies = [
            orjson.dumps(
                {"documentId": document_id, "operationName": "CustomerOrders", "variables": v}
            )
            for v in variables
        ]
        runs.append(
            OrdersRun(
                "pipeline",
                "Ordergate, full pipeline (API key, trusted document, cost budget"
                + (", signed principal to the subgraphs)" if secret else ")"),
                overlay,
                bodies,
                {"x-api-key": key},
                secret,
            )
        )
    raw = [
        orjson.dumps({"query": query, "operationName": "CustomerOrders", "variables": v})
        for v in variables
    ]
    # field authorization only reports (the anonymous caller holds no scopes)
    baseline = {"authorization": {"mode": "dry_run"}}
    runs.append(
        OrdersRun("engine", "Ordergate, no pipeline (raw query, anonymous)", baseline, raw, {})
    )
    return runs


def run_orders(options: OrdersOptions) -> dict[str, Any] | None:
    """Run scenario 2 (or explain why it is skipped); returns the JSON document written."""
    missing = pipeline_missing()
    if missing and not options.engine_only:
        print(
            "[orders] SKIPPED: the full pipeline is not on this branch yet: GatewaySettings has "
            f"no {', '.join(missing)} section(s) (they arrive with gateway/pipeline*; "
            "`git merge main` once it has landed). `--engine-only` measures the query without "
            "the pipeline.",
            flush=True,
        )
        return None
    context = RunContext.create("orders", options.port_base)
    query = QUERY_FILE.read_text()
    urls = prepare_databases(options)
    ports = {name: context.port(21 + index) for index, name in enumerate(SUBGRAPHS)}
    subgraph_urls = {name: f"http://127.0.0.1:{port}/graphql" for name, port in ports.items()}
    routing = {"subgraphs": {"urls": subgraph_urls}}
    env = environment()
    measurements: list[Measurement] = []
    notes: list[str] = []
    servers = _subgraphs(context, urls, ports, None)
    try:
        customers = customer_ids(subgraph_urls["orders"])
    finally:
        for server in servers:
            server.stop()
    variables = [{"customerId": cid, "first": ORDERS_PER_CUSTOMER} for cid in customers]
    for index, run in enumerate(_runs(context, options, query, variables, missing)):
        port = context.port(25 + index)
        url = f"http://127.0.0.1:{port}/graphql"
        ready = ReadyCheck(url, body=run.bodies[0], headers=run.headers)
        spec, dropped = _gateway(context, run.name, port, {**routing, **run.overlay}, ready)
        if dropped:
            notes.append(f"{run.name}: config keys not in GatewaySettings: {', '.join(dropped)}")
        print(f"[orders] {run.label}: starting", flush=True)
        servers = _subgraphs(context, urls, ports, run.principal_secret)
        try:
            with RunningServer(spec, context.run_dir) as gateway:
                result = _measure_run(context, options, run, url, query, gateway, servers, notes)
        finally:
            for server in servers:
                server.stop()
        measurements.append(result)
    return _report(context, options, env, measurements, notes, missing)


def _subgraphs(
    context: RunContext, urls: dict[str, str], ports: dict[str, int], secret: Path | None
) -> list[RunningServer]:
    servers = [
        RunningServer(subgraph_spec(name, urls[name], ports[name], secret), context.run_dir)
        for name in SUBGRAPHS
    ]
    try:
        for server in servers:
            server.start()
    except BaseException:
        for server in servers:
            server.stop()
        raise
    return servers


def _measure_run(
    context: RunContext,
    options: OrdersOptions,
    run: OrdersRun,
    url: str,
    query: str,
    gateway: RunningServer,
    servers: list[RunningServer],
    notes: list[str],
) -> Measurement:
    if run.name == "pipeline":
        proof = pipeline_proof(url, run.headers["x-api-key"], run.bodies[0], query)
        if run.principal_secret is not None:
            proof.append(_direct_subgraph_check(servers[0]))
        notes.extend(f"pipeline check: {finding}" for finding in proof)
    expected = _expected(url, run.bodies[0], run.headers)
    result = measure(
        gateway,
        url,
        LoadPlan(
            bodies=run.bodies,
            connections=options.connections,
            duration_seconds=options.duration_seconds,
            warmup_seconds=options.warmup_seconds,
            samples=options.samples,
            headers=run.headers,
        ),
        work_dir=context.run_dir,
        name=run.name,
        label=run.label,
        ours=True,
        expected=expected,
        subgraphs=servers,
    )
    result.response_check = f"{len(orjson.dumps(expected)):,} bytes (customer 1)"
    print(
        f"[orders] {run.label}: {result.load.requests_per_second:.1f} req/s, "
        f"p95 {result.load.latency_ms['p95']:.1f} ms, errors {result.errors}",
        flush=True,
    )
    return result


def _report(
    context: RunContext,
    options: OrdersOptions,
    env: dict[str, Any],
    measurements: list[Measurement],
    notes: list[str],
    missing: list[str],
) -> dict[str, Any]:
    header = (*MEASUREMENT_HEADER[:7], "subgraphs CPU ms/req", *MEASUREMENT_HEADER[8:10])
    rows = []
    for item, row in zip(measurements, measurement_rows(measurements), strict=True):
        per_request = item.subgraph_cpu_seconds * 1000 / item.served_requests
        rows.append([*row[:7], f"{per_request:.2f}", *row[8:10]])
        if item.subgraph_cpu_by_name and item.served_requests:
            split = ", ".join(
                f"{name.removeprefix('subgraph-')} {cpu * 1000 / item.served_requests:.1f}"
                for name, cpu in item.subgraph_cpu_by_name.items()
            )
            notes.append(f"{item.name}: subgraphs CPU ms/req by subgraph: {split}")
    if missing:
        notes.append(f"pipeline run SKIPPED: GatewaySettings has no {', '.join(missing)}")
    notes.append(
        "PostgreSQL's CPU is not in any column (it is not a child of the harness); the four "
        "Python subgraphs and PostgreSQL share the 2 cores with the gateway and wrk"
    )
    markdown = "\n\n".join(
        [
            f"### Orders over PostgreSQL: CustomerOrders ({CUSTOMERS} customers in turn, "
            f"{ORDERS_PER_CUSTOMER} orders each), wrk -t1 -c{options.connections} "
            f"-d{options.duration_seconds}s, {env['time']}",
            markdown_table(header, rows),
            "\n".join(f"- {note}" for note in notes),
        ]
    )
    data = {
        "scenario": "orders",
        "environment": env,
        "results": [item.to_json() for item in measurements],
        "notes": notes,
    }
    write_results(context.run_dir, "orders", data, markdown)
    print(markdown, flush=True)
    return data
