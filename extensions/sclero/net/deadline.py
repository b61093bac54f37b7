"""One deadline per request: connect, headers and the whole body.

A socket timeout bounds each ``recv``, not the whole answer: a server that sends a byte a
second would hold a request for as long as it likes. One thread per fetcher shuts down the
socket of any connection still busy at its end time; the blocked read then fails at once,
and ``read_body`` stops reading at the end time too.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable
from typing import Protocol

from urllib3.response import BaseHTTPResponse

# Bytes read at once: large enough to be cheap, small enough to notice the end time.
_CHUNK = 65_536


class _HasSocket(Protocol):
    sock: socket.socket | None


def read_body(
    response: BaseHTTPResponse, end: float, clock: Callable[[], float], limit: int
) -> tuple[bytes, bool]:
    """The body read before ``end``, at most ``limit`` bytes, and whether it was all of it.

    Raises ``TimeoutError`` when the end time passes, even on the last bytes: an answer
    that came too late is not a complete answer.
    """
    body = bytearray()
    complete = False
    while len(body) < limit:
        if clock() >= end:
            raise TimeoutError
        chunk = response.read1(_CHUNK)
        if not chunk:
            complete = True
            break
        body += chunk
    if clock() >= end:
        raise TimeoutError
    return bytes(body[:limit]), complete


class Watchdog:
    """Shuts down a watched connection's socket once the clock passes its end time."""

    def __init__(self, clock: Callable[[], float]) -> None:
        """The thread starts with the first watched connection."""
        self._clock = clock
        self._ends: dict[int, tuple[float, _HasSocket]] = {}
        self._wake = threading.Condition()
        self._closed = False
        self._thread: threading.Thread | None = None

    def watch(self, connection: _HasSocket, end: float) -> None:
        """Watch ``connection`` until ``unwatch`` (or shut its socket at ``end``)."""
        with self._wake:
            self._ends[id(connection)] = (end, connection)
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="sclero-linkcheck-watchdog", daemon=True
                )
                self._thread.start()
            self._wake.notify()

    def unwatch(self, connection: _HasSocket) -> None:
        """The request is over; leave the connection alone."""
        with self._wake:
            self._ends.pop(id(connection), None)

    def close(self) -> None:
        """Stop the thread."""
        with self._wake:
            self._closed = True
            self._wake.notify()

    def _run(self) -> None:
        with self._wake:
            while not self._closed:
                now = self._clock()
                overdue = [key for key, (end, _) in self._ends.items() if end <= now]
                for key in overdue:
                    _, connection = self._ends.pop(key)
                    sock = connection.sock
                    if sock is not None:
                        # Already closed by its owner: nothing left to cut.
                        with contextlib.suppress(OSError):
                            sock.shutdown(socket.SHUT_RDWR)
                soonest = min((end for end, _ in self._ends.values()), default=None)
                # Capped at a second in case the clock is not the system's (tests inject one).
                self._wake.wait(None if soonest is None else min(1.0, max(0.0, soonest - now)))
