"""Serve several ASGI apps from one process and one event loop (``ordergate dev`` and tests).

Usage::

    group = ServerGroup()
    group.add("orders", orders_app, host="127.0.0.1", port=4001)
    group.add("gateway", gateway_app, host="127.0.0.1", port=4000)   # one call per extra app
    async with group:                       # binds every socket, starts every server
        for served in group.served:
            print(served.name, served.url)
        await group.wait()                  # until stop() (or SIGINT/SIGTERM with signals=True)

Port 0 picks a free port; :attr:`ServedApp.port` is the real one once started. An app that
must know the others' real URLs (the gateway) is added with :meth:`ServerGroup.add_factory`: the
factory runs once every socket is bound.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import socket
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from types import TracebackType
from typing import Self

import uvicorn
from starlette.types import ASGIApp

__all__ = ["ServedApp", "ServerGroup"]


class _Server(uvicorn.Server):
    """A uvicorn server that leaves signal handling to its :class:`ServerGroup`."""

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        yield


@dataclass(slots=True)
class ServedApp:
    """One app of a group: where it listens and the path clients should use."""

    name: str
    app: ASGIApp | None
    host: str
    port: int
    path: str = "/graphql"
    _socket: socket.socket | None = field(default=None, repr=False)
    _factory: Callable[[ServerGroup], ASGIApp] | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        """The URL of the app's main endpoint."""
        host = "127.0.0.1" if self.host in ("0.0.0.0", "") else self.host
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self.port}{self.path}"

    @property
    def base_url(self) -> str:
        """The URL of the server root."""
        return self.url.removesuffix(self.path)


class ServerGroup:
    """Apps served together; started and stopped as one."""

    def __init__(self, *, log_level: str = "warning", signals: bool = False) -> None:
        self.served: list[ServedApp] = []
        # uvicorn's own start/stop chatter only when debugging; requests are logged by the apps
        self._log_level = "debug" if log_level == "debug" else "warning"
        self._signals = signals
        self._servers: list[_Server] = []
        self._tasks: list[asyncio.Task[None]] = []
        self._stopped = asyncio.Event()

    def add(
        self, name: str, app: ASGIApp, *, host: str, port: int, path: str = "/graphql"
    ) -> ServedApp:
        """Register one more app (before :meth:`start`)."""
        if self._tasks:
            raise RuntimeError("add apps before starting the group")
        served = ServedApp(name=name, app=app, host=host, port=port, path=path)
        self.served.append(served)
        return served

    def add_factory(
        self,
        name: str,
        factory: Callable[[ServerGroup], ASGIApp],
        *,
        host: str,
        port: int,
        path: str = "/graphql",
    ) -> ServedApp:
        """Register an app built by ``factory(group)`` once every socket is bound.

        The factory sees the real ports of every app (:meth:`url_of`), which apps served on
        port 0 only have after binding.
        """
        if self._tasks:
            raise RuntimeError("add apps before starting the group")
        served = ServedApp(name=name, app=None, host=host, port=port, path=path, _factory=factory)
        self.served.append(served)
        return served

    def url_of(self, name: str) -> str:
        """The main endpoint URL of the app called ``name``."""
        for served in self.served:
            if served.name == name:
                return served.url
        raise KeyError(name)

    async def start(self) -> None:
        """Bind every socket first (so a busy port fails before anything runs), then serve."""
        for served in self.served:
            family = socket.AF_INET6 if ":" in served.host else socket.AF_INET
            sock = socket.socket(family, socket.SOCK_STREAM)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                sock.bind((served.host, served.port))
            except OSError as exc:
                sock.close()
                await self.stop()
                raise OSError(
                    f"{served.name}: cannot listen on {served.host}:{served.port}: {exc}"
                ) from exc
            served.port = sock.getsockname()[1]
            served._socket = sock
        for served in self.served:
            if served._factory is not None:
                served.app = served._factory(self)
            assert served.app is not None
            config = uvicorn.Config(
                served.app,
                log_level=self._log_level,
                log_config=None,
                access_log=False,
                lifespan="on",
                proxy_headers=False,  # the gateway reads X-Forwarded-For of trusted proxies only
            )
            server = _Server(config)
            self._servers.append(server)
            assert served._socket is not None
            self._tasks.append(asyncio.create_task(server.serve(sockets=[served._socket])))
        while not all(server.started for server in self._servers):
            failed = [task for task in self._tasks if task.done()]
            if failed:
                await self.stop()
                failed[0].result()
                raise RuntimeError("a server stopped during startup")
            await asyncio.sleep(0.01)
        if self._signals:
            loop = asyncio.get_running_loop()
            for signum in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(signum, self._stopped.set)

    async def wait(self) -> None:
        """Block until :meth:`stop` is requested or a server exits."""
        waiter = asyncio.create_task(self._stopped.wait())
        await asyncio.wait([waiter, *self._tasks], return_when=asyncio.FIRST_COMPLETED)
        waiter.cancel()

    async def stop(self) -> None:
        """Ask every server to finish and wait for them."""
        self._stopped.set()
        for server in self._servers:
            server.should_exit = True
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        for served in self.served:
            if served._socket is not None:
                served._socket.close()
                served._socket = None
        if self._signals:
            loop = asyncio.get_running_loop()
            for signum in (signal.SIGINT, signal.SIGTERM):
                loop.remove_signal_handler(signum)

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()
