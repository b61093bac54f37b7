"""The benchmark's web: 127.0.0.1-8 as eight hosts, with latency, server-side rate limits and a log."""

from __future__ import annotations

import json
import random
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

HOSTS = tuple(f"127.0.0.{n}" for n in range(1, 9))
PAGE = b"<html><head><title>Article</title></head><body><h1 id='top'>Article</h1></body></html>"
RATE_LIMIT = 10  # requests per second per host above which the server answers 429
RETRY_AFTER = 1  # seconds, in every 429 answer
HANG = 20.0


@dataclass
class RequestLog:
    """(time, host, method, path, status) of every request, thread-safe."""

    rows: list[tuple[float, str, str, str, int]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    seen: dict[str, int] = field(default_factory=dict)
    windows: dict[str, deque[float]] = field(default_factory=dict)

    def since(self, mark: int) -> list[tuple[float, str, str, str, int]]:
        with self.lock:
            return list(self.rows[mark:])

    def mark(self) -> int:
        with self.lock:
            return len(self.rows)


def peak_rate(rows: list[tuple[float, str, str, str, int]]) -> float:
    """The most requests any one host received within one second."""
    best = 0
    by_host: dict[str, list[float]] = {}
    for t, host, *_ in rows:
        by_host.setdefault(host, []).append(t)
    for times in by_host.values():
        times.sort()
        start = 0
        for end, t in enumerate(times):
            while t - times[start] >= 1.0:
                start += 1
            best = max(best, end - start + 1)
    return float(best)


def _handler(log: RequestLog, rng: random.Random) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

        def _reply(self, status: int, body: bytes = b"", **headers: str) -> None:
            host = self.server.server_address[0]
            with log.lock:
                arrived = getattr(self, "arrived", time.monotonic())
                log.rows.append((arrived, host, self.command, self.path, status))
            self.send_response(status)
            self.send_header("Content-Type", headers.pop("content_type", "text/html"))
            self.send_header("Content-Length", str(len(body)))
            for name, value in headers.items():
                self.send_header(name.replace("_", "-"), value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def do_HEAD(self) -> None:
            if self.path.startswith("/head405/"):
                self._reply(405)
            else:
                self.do_GET()

        def do_GET(self) -> None:
            host = self.server.server_address[0]
            now = time.monotonic()
            self.arrived = now
            with log.lock:
                window = log.windows.setdefault(host, deque())
                while window and now - window[0] >= 1.0:
                    window.popleft()
                window.append(now)
                over = len(window) > RATE_LIMIT
                count = log.seen[self.path] = log.seen.get(self.path, 0) + 1
            # Realistic latency: mostly tens of milliseconds, a long tail.
            time.sleep(min(1.0, rng.lognormvariate(-3.0, 0.6)))
            if over:
                self._reply(429, Retry_After=str(RETRY_AFTER))
                return
            parts = urlsplit(self.path)
            kind, _, number = parts.path.strip("/").partition("/")
            if kind in ("ok", "head405", ""):
                self._reply(200, PAGE)
            elif kind == "moved":
                self._reply(301, Location=f"/ok/{number}")
            elif kind == "chain":
                self._reply(302, Location=f"/moved/{number}")
            elif kind == "missing":
                self._reply(404)
            elif kind == "gone":
                self._reply(410)
            elif kind == "soft404":
                self._reply(200, b"<html><title>Page not found</title><body>Sorry.</body></html>")
            elif kind == "blocked":
                self._reply(403, b"<html><title>Just a moment...</title></html>")
            elif kind == "limited":
                if count == 1:
                    self._reply(429, Retry_After=str(RETRY_AFTER))
                else:
                    self._reply(200, PAGE)
            elif kind == "hang":
                time.sleep(HANG)
                self._reply(200, PAGE)
            elif kind == "api":
                self._reply(
                    200, json.dumps({"responseCode": 1}).encode(), content_type="application/json"
                )
            elif kind == "esummary.fcgi":
                ids = parse_qs(parts.query).get("id", [""])[0].split(",")
                doi = [{"idtype": "doi", "value": "10.1000/bench.{}"}]
                result = {
                    i: {"uid": i, "articleids": [{**doi[0], "value": doi[0]["value"].format(i)}]}
                    for i in ids
                }
                result |= {"uids": ids}
                self._reply(
                    200, json.dumps({"result": result}).encode(), content_type="application/json"
                )
            else:
                self._reply(404)

    return Handler


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def handle_error(self, request: object, client_address: object) -> None:
        pass


@contextmanager
def serve(seed: int = 1) -> Iterator[tuple[int, RequestLog]]:
    """All eight hosts on one free port."""
    log = RequestLog()
    handler = _handler(log, random.Random(seed))
    first = _Server((HOSTS[0], 0), handler)
    port = first.server_address[1]
    servers = [first] + [_Server((h, port), handler) for h in HOSTS[1:]]
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield port, log
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()
