"""Ordergate's benchmark harness: our gateway against the JavaScript gateways, side by side.

Run ``uv run python -m bench --help`` (or ``make -C bench all``); bench/README.md explains the
scenarios, what each column means and the findings of the last full run.
"""

__all__: list[str] = []
