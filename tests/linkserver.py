"""A test HTTP server on several loopback addresses (one "host" each), with a request log."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

HOSTS = ("127.0.0.1", "127.0.0.2", "127.0.0.3")
PAGE = (
    b"<html><head><title>Bone study</title></head><body><h2 id='methods'>Methods</h2></body></html>"
)


@dataclass
class Log:
    """Every request: (time, host, method, path)."""

    entries: list[tuple[float, str, str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    counters: dict[str, int] = field(default_factory=dict)

    def add(self, host: str, method: str, path: str) -> int:
        with self.lock:
            self.entries.append((time.monotonic(), host, method, path))
            self.counters[path] = self.counters.get(path, 0) + 1
            return self.counters[path]

    def paths(self) -> list[str]:
        with self.lock:
            return [path for _, _, _, path in self.entries]


def make_handler(log: Log) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

        def _send(self, status: int, body: bytes = b"", **headers: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", headers.pop("content_type", "text/html"))
            self.send_header("Content-Length", str(len(body)))
            for name, value in headers.items():
                self.send_header(name.replace("_", "-"), value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def do_HEAD(self) -> None:
            if self.path.startswith("/head405"):
                log.add(self.server.server_address[0], "HEAD", self.path)
                self._send(405)
                return
            self.do_GET()

        def do_GET(self) -> None:
            host = self.server.server_address[0]
            parts = urlsplit(self.path)
            path = parts.path
            count = log.add(host, self.command, self.path)
            if path in ("/ok", "/head405", "/", "/other"):
                self._send(200, PAGE)
            elif path == "/missing":
                self._send(404, b"<title>Not Found</title>")
            elif path == "/gone":
                self._send(410)
            elif path == "/moved":
                self._send(301, Location="/ok")
            elif path == "/chain":
                self._send(301, Location="/chain2")
            elif path == "/chain2":
                self._send(308, Location="/ok")
            elif path == "/temporary":
                self._send(302, Location="/other")
            elif path == "/loop":
                self._send(302, Location="/loop")
            elif path == "/to-home":
                self._send(302, Location="/")
            elif path == "/limited-once":
                self._send(429, Retry_After="1") if count == 1 else self._send(200, PAGE)
            elif path == "/limited-forever":
                self._send(429, Retry_After="1")
            elif path == "/limited-long":
                self._send(429, Retry_After="3600")
            elif path == "/unavailable":
                self._send(503)
            elif path == "/blocked":
                self._send(403, b"<title>Just a moment...</title>")
            elif path == "/challenge":
                self._send(503, b"", cf_mitigated="challenge")
            elif path == "/hang":
                time.sleep(2)
                self._send(200, PAGE)
            elif path == "/huge":
                self._send(200, b"<html>" + b"x" * 5_000_000 + b"</html>")
            elif path == "/soft404":
                self._send(200, b"<html><title>Page not found | Journal</title></html>")
            elif path == "/private-redirect":
                self._send(302, Location="http://10.0.0.1/secret")
            elif path.startswith("/api/handles/"):
                doi = path.removeprefix("/api/handles/")
                if doi.endswith("missing"):
                    self._send(
                        404,
                        json.dumps({"responseCode": 100}).encode(),
                        content_type="application/json",
                    )
                else:
                    self._send(
                        200,
                        json.dumps({"responseCode": 1, "handle": doi}).encode(),
                        content_type="application/json",
                    )
            elif path in ("/esummary.fcgi", "/slow/esummary.fcgi"):
                if path.startswith("/slow/"):
                    time.sleep(1)  # a registry that answers slowly
                ids = parse_qs(parts.query)["id"][0].split(",")
                result: dict[str, object] = {"uids": [i for i in ids if not i.startswith("9")]}
                for i in ids:
                    result[i] = (
                        {"error": "cannot get document summary"}
                        if i.startswith("9")
                        else {
                            "uid": i,
                            "articleids": [{"idtype": "doi", "value": f"10.1000/pm{i}"}],
                        }
                    )
                self._send(
                    200, json.dumps({"result": result}).encode(), content_type="application/json"
                )
            else:
                self._send(404)

    return Handler


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that hangs up early (timeouts, capped bodies) is expected, not news."""


@contextmanager
def serve(hosts: tuple[str, ...] = HOSTS) -> Iterator[tuple[int, Log]]:
    """Serve on every address in ``hosts`` at one free port; yields (port, log)."""
    log = Log()
    handler = make_handler(log)
    first = _Server((hosts[0], 0), handler)
    port = first.server_address[1]
    servers = [first] + [_Server((h, port), handler) for h in hosts[1:]]
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield port, log
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()
