"""Kept-alive connections, one idle list per route, each watched until its request's end."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from urllib3.connection import HTTPConnection, HTTPSConnection

from .deadline import Watchdog
from .guard import Route


class StaleConnectionError(Exception):
    """A kept-alive connection turned out closed before the request reached the server."""


class Pool:
    """Idle connections by route; urllib3's own pools key by name and would resolve again."""

    def __init__(self, watchdog: Watchdog) -> None:
        """Connections are made on first use."""
        self._watchdog = watchdog
        self._idle: dict[Route, list[HTTPConnection]] = {}
        self._lock = threading.Lock()

    def close(self) -> None:
        """Close every idle connection."""
        with self._lock:
            idle, self._idle = self._idle, {}
        for connections in idle.values():
            for connection in connections:
                connection.close()

    @contextmanager
    def connection(
        self, route: Route, end: float, fresh: bool
    ) -> Iterator[tuple[HTTPConnection, bool]]:
        """An idle connection of ``route`` (unless ``fresh``) or a new one, watched until end.

        Yields the connection and whether it was reused (kept alive from an earlier request).
        """
        connection = None
        if not fresh:
            with self._lock:
                idle = self._idle.get(route)
                connection = idle.pop() if idle else None
        reused = connection is not None
        if connection is None:
            connection = _connect(route)
        self._watchdog.watch(connection, end)
        reusable = False
        try:
            yield connection, reused
            reusable = connection.sock is not None
        finally:
            self._watchdog.unwatch(connection)
            if reusable:
                with self._lock:
                    self._idle.setdefault(route, []).append(connection)
            else:
                connection.close()


def _connect(route: Route) -> HTTPConnection:
    """A new connection to the route's checked address, verifying the URL's host name."""
    connection: HTTPConnection
    if route.scheme == "https":
        connection = HTTPSConnection(
            route.connect_host,
            route.connect_port,
            server_hostname=route.host,
            assert_hostname=route.host,
        )
        if route.proxy:
            connection.set_tunnel(route.host, route.port)
    else:
        connection = HTTPConnection(route.connect_host, route.connect_port)
    return connection
