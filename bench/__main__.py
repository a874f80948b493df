"""``uv run python -m bench <scenario>``: the benchmark harness's command line.

Scenarios: ``federation`` (ours vs the JavaScript gateways on the standard benchmark),
``orders`` (our subgraphs on PostgreSQL through the full pipeline), ``overhead`` (the gateway's
own added latency), ``rest`` (a REST GET next to the same GraphQL query), ``memory`` (a long
run reporting RSS over time), ``profile`` (py-spy over our gateway under the benchmark load),
``all`` (federation, orders, overhead).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from bench.context import ensure_node_modules
from bench.servers import BenchError

__all__ = ["main"]


def _common(parser: argparse.ArgumentParser, duration: int) -> None:
    parser.add_argument(
        "-d", "--duration", type=int, default=duration, help=f"seconds per run ({duration})"
    )
    parser.add_argument("--warmup", type=int, default=3, help="warm-up seconds before each run (3)")
    parser.add_argument("-c", "--connections", type=int, default=50, help="wrk connections (50)")
    parser.add_argument(
        "--port-base",
        type=int,
        default=4800,
        help="first port of the run; it uses up to base+30 (4800)",
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every scenario."""
    from bench.federation import CONTENDERS, DEFAULT_CONTENDERS

    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="scenario", required=True)
    install = sub.add_parser("install", help="npm ci the peer gateways into bench/node_modules")
    install.add_argument("--force", action="store_true", help="reinstall even if up to date")
    for name, text in (
        ("federation", "scenario 1: ours vs @apollo/gateway and @graphql-hive/gateway"),
        ("orders", "scenario 2: order query over our subgraphs on PostgreSQL, full pipeline"),
        ("overhead", "scenario 3: gateway added latency over an instant subgraph"),
        ("rest", "scenario 4: REST shim overhead, a REST GET vs the same GraphQL query"),
        ("all", "scenarios 1, 2 and 3"),
    ):
        scenario = sub.add_parser(name, help=text)
        _common(scenario, 10)
        scenario.add_argument("--samples", type=int, default=20, help="checked samples (20)")
        if name in ("orders", "all"):
            scenario.add_argument(
                "--engine-only",
                action="store_true",
                help="orders: run without the pipeline when it is not on this branch",
            )
            scenario.add_argument(
                "--orders-connections",
                type=int,
                default=10,
                help="orders: wrk connections (10; the subgraphs, not the gateway, bound it)",
            )
            scenario.add_argument(
                "--limits-store",
                choices=("memory", "redis"),
                default="memory",
                help="orders: where the cost budgets live (memory)",
            )
        if name == "rest":
            scenario.add_argument(
                "--rounds", type=int, default=3, help="interleaved rounds; median reported (3)"
            )
        if name in ("federation", "all"):
            scenario.add_argument(
                "--only",
                default=",".join(DEFAULT_CONTENDERS),
                help=f"gateways to run, comma-separated, from {','.join(CONTENDERS)} "
                f"(default: {','.join(DEFAULT_CONTENDERS)})",
            )
            scenario.add_argument(
                "--rounds",
                type=int,
                default=1,
                help="measure each gateway N times, interleaved; report the median round (1)",
            )
            scenario.add_argument(
                "--gc-tuning",
                default=None,
                help="ORDERGATE_BENCH_GC of the *-gc experiments, e.g. 'freeze' or "
                "'freeze,threshold=50000:20:100' (bench/asgi.py)",
            )
    render = sub.add_parser("render", help="render a federation.json again (tables only)")
    render.add_argument("path", help="bench/results/<run>/federation.json")
    memory = sub.add_parser("memory", help="our gateway for a long run, RSS sampled over time")
    _common(memory, 300)
    memory.add_argument("--interval", type=int, default=10, help="seconds between RSS samples")
    memory.add_argument(
        "--gateway", default="ordergate", help="which of ours (a federation contender name)"
    )
    profile = sub.add_parser("profile", help="py-spy profile of our gateway under the benchmark")
    _common(profile, 20)
    profile.add_argument("--rate", type=int, default=250, help="py-spy samples per second")
    profile.add_argument(
        "--no-dedup", action="store_true", help="profile with subgraph in-flight dedup off"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the chosen scenario; 0 on success, 2 when a run could not be made."""
    args = build_parser().parse_args(argv)
    try:
        if args.scenario == "render":
            from pathlib import Path

            from bench.federation import render_again

            print(render_again(Path(args.path)))
            return 0
        ensure_node_modules(force=args.scenario == "install" and args.force)
        if args.scenario == "install":
            return 0
        return _run(args)
    except BenchError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    from bench.federation import FederationOptions, run_federation

    if args.scenario in ("federation", "all"):
        run_federation(
            FederationOptions(
                duration_seconds=args.duration,
                warmup_seconds=args.warmup,
                connections=args.connections,
                samples=args.samples,
                port_base=args.port_base,
                only=[name.strip() for name in args.only.split(",") if name.strip()],
                gc_tuning=args.gc_tuning,
                rounds=args.rounds,
            )
        )
    if args.scenario in ("orders", "all"):
        from bench.orders import OrdersOptions, run_orders

        run_orders(
            OrdersOptions(
                duration_seconds=args.duration,
                warmup_seconds=args.warmup,
                connections=args.orders_connections,
                samples=args.samples,
                port_base=args.port_base,
                engine_only=args.engine_only,
                limits_store=args.limits_store,
            )
        )
    if args.scenario in ("overhead", "all"):
        from bench.overhead_scenario import OverheadOptions, run_overhead

        run_overhead(
            OverheadOptions(
                duration_seconds=args.duration,
                warmup_seconds=args.warmup,
                connections=args.connections,
                port_base=args.port_base,
            )
        )
    if args.scenario == "rest":
        from bench.rest_scenario import RestOptions, run_rest

        run_rest(
            RestOptions(
                duration_seconds=args.duration,
                warmup_seconds=args.warmup,
                connections=args.connections,
                port_base=args.port_base,
                rounds=args.rounds,
            )
        )
    if args.scenario == "memory":
        from bench.memory import MemoryOptions, run_memory

        run_memory(
            MemoryOptions(
                duration_seconds=args.duration,
                warmup_seconds=args.warmup,
                connections=args.connections,
                port_base=args.port_base,
                interval_seconds=args.interval,
                gateway=args.gateway,
            )
        )
    if args.scenario == "profile":
        from bench.profiling import ProfileOptions, run_profile

        run_profile(
            ProfileOptions(
                duration_seconds=args.duration,
                warmup_seconds=args.warmup,
                connections=args.connections,
                port_base=args.port_base,
                rate=args.rate,
                dedup=not args.no_dedup,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
