# Two commands do everything from a fresh clone:
#   make dev   - install (locked) and run the whole system on the embedded defaults
#   make test  - install (locked) and run the test suite
# uv is used when it is on PATH; otherwise a private copy is installed into .tools/.

UV ?= $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
UV_VERSION := 0.13.9

.PHONY: install assets dev test lint typecheck drift check
.tools/bin/uv:
	python3 -m venv .tools
	.tools/bin/pip install --quiet uv==$(UV_VERSION)

install: $(if $(filter .tools/bin/uv,$(UV)),.tools/bin/uv) assets
	$(UV) sync --frozen

# GraphiQL's files, pinned by assets/package-lock.json, served by the gateway itself (no CDN)
assets: assets/node_modules/.package-lock.json
assets/node_modules/.package-lock.json: assets/package.json assets/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --prefix assets --ignore-scripts --no-audit --no-fund --loglevel=error; \
	else \
		echo "npm not found: GraphiQL's files are not installed; the gateway serves GraphQL" \
			"without them and its GraphiQL page says how to install them (Node.js + npm)."; \
	fi

dev: install
	$(UV) run --frozen ordergate dev

test: install
	$(UV) run --frozen pytest $(PYTEST_ARGS)

lint: install
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .

typecheck: install
	$(UV) run --frozen mypy

# the checked-in subgraph snapshots and supergraph must match the code
drift: install
	$(UV) run --frozen python -m subgraphs.snapshots --check
	$(UV) run --frozen ordergate compose --check
	$(UV) run --frozen ordergate rest check

check: lint typecheck drift test
