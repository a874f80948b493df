# One image for every Ordergate process: `ordergate subgraph NAME`, `ordergate migrate`, ...
# Build: docker build -t ordergate .   (docker-compose.yml builds it as ordergate:latest)
# GraphiQL's files from their pinned npm packages (assets/package-lock.json), served by the gateway
FROM node:20-slim AS assets
WORKDIR /assets
COPY assets/package.json assets/package-lock.json assets/.npmrc ./
RUN npm ci --ignore-scripts --no-audit --no-fund

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PROJECT_ENVIRONMENT=/app/.venv \
    PATH=/app/.venv/bin:$PATH

# the same uv as the Makefile's, installed from PyPI
RUN pip install --no-cache-dir uv==0.13.9

WORKDIR /app

# dependencies first (cached while only the code changes), exactly as locked
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --no-install-project

COPY ordergate ordergate
COPY gateway gateway
COPY subgraphs subgraphs
COPY worker worker
COPY wire wire
COPY webui webui
COPY schema schema
COPY persisted_queries persisted_queries
COPY --from=assets /assets/node_modules assets/node_modules
RUN uv sync --frozen --no-dev

RUN useradd --system --uid 10001 --home-dir /app ordergate && chown -R ordergate /app
USER ordergate

EXPOSE 4000 4001 4002 4003 4004
CMD ["ordergate", "--help"]
