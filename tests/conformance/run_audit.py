"""Run the federation gateway audit against the engine.

    uv run python tests/conformance/run_audit.py /path/to/federation-gateway-audit [--suite ID]

Needs a checkout of graphql-hive/federation-gateway-audit whose npm dependencies are installed
(see docs/conformance.md for the exact preparation). Nothing is downloaded here: the audit's own
CLI serves the suites' subgraphs on port 4200 and, per suite, calls a run script that starts the
product's own gateway (``ordergate gateway``, default settings: the whole pipeline; only
anonymous mutations are allowed, as the audit has no credentials) on port 4000 with the suite's
supergraph. The per-suite results are printed and written to ``--output``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

_HERE = Path(__file__).resolve().parent
_POLYFILL = """\
if (typeof Promise.withResolvers !== "function") {
  Promise.withResolvers = function () {
    let resolve, reject;
    const promise = new Promise((res, rej) => { resolve = res; reject = rej; });
    return { promise, resolve, reject };
  };
}
"""
#: cost is still computed and reported (``extensions.cost``), never refused
_MEASURED_BUDGET = (
    '{"capacity": 1000000, "refill_per_second": 1000000, "max_operation_cost": 1000000, '
    '"mode": "measure"}'
)
_RUN_SCRIPT = """\
#!/bin/sh
set -e
supergraph="$(dirname "$0")/supergraph-$1.graphql"
curl -sf "http://localhost:4200/$1/supergraph" -o "$supergraph"
cd "{repository}"
# the audit sends its mutations without credentials (docs/conformance.md)
export ORDERGATE_GATEWAY_AUTH__ANONYMOUS_MUTATIONS=true
# the audit checks federation answers, not budgets: its callers are anonymous, and some cases
# cost over 4000 units, so the enforced default budget of unidentified callers would refuse them
export ORDERGATE_GATEWAY_LIMITS__UNIDENTIFIED__BUDGET='{measured}'
exec "{python}" -m ordergate gateway --supergraph "$supergraph" --port 4000 --no-watch
"""


def main() -> int:
    """Run the audit; the exit status is 0 when every case passed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("audit", type=Path, help="checkout of federation-gateway-audit")
    parser.add_argument("--suite", help="run one suite only")
    parser.add_argument("--output", type=Path, default=Path("audit-results.txt"))
    args = parser.parse_args()
    audit = args.audit.resolve()
    if not (audit / "node_modules").is_dir():
        print(f"{audit}: run npm install there first (docs/conformance.md)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="ordergate-audit-") as work:
        workdir = Path(work)
        polyfill = workdir / "polyfill.mjs"
        polyfill.write_text(_POLYFILL)
        run_script = workdir / "run.sh"
        run_script.write_text(
            _RUN_SCRIPT.format(
                python=sys.executable, repository=_HERE.parents[1], measured=_MEASURED_BUDGET
            )
        )
        run_script.chmod(0o755)
        env = dict(os.environ, NODE_OPTIONS=f"--import {polyfill}")
        common = [
            "--run-script",
            str(run_script),
            "--graphql",
            "http://127.0.0.1:4000/graphql",
            "--healthcheck",
            "http://127.0.0.1:4000/health",
            "--cwd",
            str(workdir),
        ]
        if args.suite:
            command = ["npx", "tsx", "src/cli.ts", "test-suite", "--test", args.suite, *common]
        else:
            command = ["npx", "tsx", "src/cli.ts", "test", *common, "--write", "results.txt"]
        completed = subprocess.run(command, cwd=audit, env=env, check=False)
        results = workdir / "results.txt"
        if results.exists():
            text = results.read_text()
            args.output.write_text(text)
            print(text)
        logs = workdir / "logs"
        if logs.is_dir():
            kept = args.output.parent / "audit-logs"
            kept.mkdir(exist_ok=True)
            for log in logs.iterdir():
                (kept / log.name).write_bytes(log.read_bytes())
        return completed.returncode


if __name__ == "__main__":
    sys.exit(main())
