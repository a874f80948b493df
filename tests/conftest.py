"""Test-wide fixtures: the real PostgreSQL and Redis servers, and the CI rule that they were used.

Tests that need PostgreSQL or Redis carry the ``postgres`` or ``redis`` marker and take the
``postgres_admin_url`` or ``redis_url`` fixture; tests that drive a real browser carry the
``browser`` marker and take ``chromium_path``; tests that run Prometheus's ``promtool`` carry the
``promtool`` marker and take ``promtool_path``. Where the server or tool cannot be found they
are skipped, unless ``ORDERGATE_REQUIRE_SERVICES`` names it (``.ci/run`` sets
``postgres,redis,browser,promtool``):
then an unreachable server fails the test, and the session fails if any test with that marker
was skipped or none ran.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Iterator

import pytest

POSTGRES_ADMIN_URL = os.environ.get(
    "ORDERGATE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("ORDERGATE_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
SERVICE_MARKERS = ("postgres", "redis", "browser", "promtool")
#: the Chromium that browser tests drive (Debian's package; Playwright downloads none here)
CHROMIUM = os.environ.get("ORDERGATE_TEST_CHROMIUM", "chromium")
#: Prometheus's rule and config checker (Debian package ``prometheus``)
PROMTOOL = os.environ.get("ORDERGATE_TEST_PROMTOOL", "promtool")


def _required_services() -> set[str]:
    raw = os.environ.get("ORDERGATE_REQUIRE_SERVICES", "")
    return {part.strip() for part in raw.split(",") if part.strip()}


def _unavailable(service: str, reason: str) -> None:
    if service in _required_services():
        pytest.fail(f"{service} is required (ORDERGATE_REQUIRE_SERVICES) but {reason}")
    pytest.skip(f"{service} not reachable: {reason}")


async def _postgres_reachable(url: str) -> str | None:
    import asyncpg

    try:
        connection = await asyncpg.connect(url, timeout=3)
    except (OSError, asyncpg.PostgresError) as exc:
        return str(exc)
    await connection.close()
    return None


async def _redis_reachable(url: str) -> str | None:
    from redis.asyncio import Redis
    from redis.exceptions import RedisError

    client = Redis.from_url(url)
    try:
        await client.ping()
    except (OSError, RedisError) as exc:
        return str(exc)
    finally:
        await client.aclose()
    return None


@pytest.fixture(scope="session")
def postgres_admin_url() -> str:
    """A libpq URL of the PostgreSQL server with rights to create databases."""
    problem = asyncio.run(_postgres_reachable(POSTGRES_ADMIN_URL))
    if problem is not None:
        _unavailable("postgres", problem)
    return POSTGRES_ADMIN_URL


@pytest.fixture(scope="session")
def redis_url() -> str:
    """The URL of the Redis server tests may use (keys are namespaced per test run)."""
    problem = asyncio.run(_redis_reachable(REDIS_URL))
    if problem is not None:
        _unavailable("redis", problem)
    return REDIS_URL


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """The Chromium executable browser tests launch through Playwright."""
    import shutil

    found = shutil.which(CHROMIUM)
    if found is None:
        _unavailable("browser", f"no {CHROMIUM!r} executable (apt-get install chromium)")
    assert found is not None
    return found


@pytest.fixture(scope="session")
def promtool_path() -> str:
    """The ``promtool`` executable that checks and unit-tests the Prometheus rules."""
    import shutil

    found = shutil.which(PROMTOOL)
    if found is None:
        _unavailable("promtool", f"no {PROMTOOL!r} executable (apt-get install prometheus)")
    assert found is not None
    return found


@pytest.fixture(scope="session")
def test_run_id() -> str:
    """A short id unique to this test run, for naming databases and key prefixes."""
    return uuid.uuid4().hex[:10]


async def create_database(admin_url: str, name: str) -> None:
    """Create an empty PostgreSQL database ``name``."""
    import asyncpg

    connection = await asyncpg.connect(admin_url)
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()


async def drop_database(admin_url: str, name: str) -> None:
    """Drop database ``name``, disconnecting whoever is still connected."""
    import asyncpg

    connection = await asyncpg.connect(admin_url)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


def database_url(admin_url: str, name: str, driver: str = "postgresql+asyncpg") -> str:
    """The SQLAlchemy URL of database ``name`` on the server of ``admin_url``."""
    base, _, _ = admin_url.rpartition("/")
    return f"{driver}{base.removeprefix('postgresql')}/{name}"


@pytest.fixture
async def fresh_postgres_database(postgres_admin_url: str, test_run_id: str) -> AsyncIterator[str]:
    """A new, empty PostgreSQL database for one test (its asyncpg URL); dropped afterwards."""
    name = f"ordergate_test_{test_run_id}_{uuid.uuid4().hex[:8]}"
    await create_database(postgres_admin_url, name)
    try:
        yield database_url(postgres_admin_url, name)
    finally:
        await drop_database(postgres_admin_url, name)


_outcomes: Counter[tuple[str, str]] = Counter()


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Count outcomes of tests that carry a service marker."""
    if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
        for marker in SERVICE_MARKERS:
            if marker in report.keywords:
                _outcomes[(marker, report.outcome)] += 1


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the session when a required service's tests were skipped or none ran."""
    required = _required_services()
    if not required or session.config.option.collectonly:
        return
    problems = []
    for marker in sorted(required & set(SERVICE_MARKERS)):
        ran = _outcomes[(marker, "passed")] + _outcomes[(marker, "failed")]
        skipped = _outcomes[(marker, "skipped")]
        if skipped:
            problems.append(f"{skipped} '{marker}' test(s) were skipped")
        if ran == 0:
            problems.append(f"no '{marker}' test ran")
    if problems:
        session.config._ordergate_service_problems = problems  # type: ignore[attr-defined]
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say why the session failed on the service rule."""
    problems = getattr(terminalreporter.config, "_ordergate_service_problems", None)
    if problems:
        terminalreporter.section("required services", sep="=", red=True, bold=True)
        for problem in problems:
            terminalreporter.line(f"FAILED: {problem} (ORDERGATE_REQUIRE_SERVICES)", red=True)


@pytest.fixture
def anyio_backend() -> Iterator[str]:
    """Run anyio-marked tests on asyncio only."""
    yield "asyncio"
