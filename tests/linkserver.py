"""A test HTTP server on several loopback addresses (one "host" each), with a request log."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

from .registry_data import PMC, PUBMED, crossref_records

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
            elif path.startswith("/down/"):
                self._send(503, b"Service Unavailable")  # a registry in trouble
            elif path.startswith("/busy/"):
                self._send(429, b"", Retry_After="3600")
            elif path.endswith("/esummary.fcgi"):
                if path.startswith("/slow/"):
                    time.sleep(1)  # a registry that answers slowly
                self._esummary(parse_qs(parts.query))
            elif path == "/works":
                self._works(parse_qs(parts.query))
            elif path.startswith("/works/"):
                record = CROSSREF.get(unquote(path.removeprefix("/works/")).lower())
                if record is None:
                    # Crossref's answer for a DOI it does not know is plain text.
                    self._send(404, b"Resource not found.", content_type="text/plain")
                else:
                    body = {"status": "ok", "message-type": "work", "message": record}
                    self._send(200, json.dumps(body).encode(), content_type="application/json")
            elif path == "/ecitmatch.cgi":
                self._ecitmatch(parse_qs(parts.query))
            elif path == "/esearch.fcgi":
                term = parse_qs(parts.query)["term"][0].lower()
                ids = [uid for uid, r in PUBMED.items() if r and _words_in(term, r["title"])]
                body = {"esearchresult": {"count": str(len(ids)), "idlist": ids}}
                self._send(200, json.dumps(body).encode(), content_type="application/json")
            elif path == "/trickle":
                # 100 bytes promised, one every 0.1 s: a body that never arrives in time.
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", "100")
                self.end_headers()
                for _ in range(100):
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(0.1)
            elif path == "/slow-headers":
                self.wfile.write(b"HTTP/1.1 200 OK\r\n")
                for byte in b"X-Slow: " + b"y" * 100 + b"\r\n":
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(0.05)
            elif path == "/truncated":
                # 1000 bytes promised, 10 sent, then the connection closes.
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", "1000")
                self.end_headers()
                self.wfile.write(b"<html>oops")
                self.close_connection = True
            elif path == "/to-cafe":
                # A UTF-8 Location, as some servers send it (not percent-encoded).
                self.send_response(301)
                self._headers_buffer.append("Location: /café\r\n".encode())
                self.send_header("Content-Length", "0")
                self.end_headers()
            elif path == "/caf%C3%A9":
                self._send(200, PAGE)
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
            else:
                self._send(404)

        def _esummary(self, query: dict[str, list[str]]) -> None:
            """E-utilities esummary 2.0 JSON: an error entry for an id with no record."""
            table = PMC if query.get("db") == ["pmc"] else PUBMED
            ids = query["id"][0].split(",")
            result: dict[str, object] = {"uids": ids}
            for uid in ids:
                found = table.get(uid)
                result[uid] = (
                    found if found else {"uid": uid, "error": "cannot get document summary"}
                )
            body = {"header": {"type": "esummary", "version": "0.3"}, "result": result}
            self._send(200, json.dumps(body).encode(), content_type="application/json")

        def _works(self, query: dict[str, list[str]]) -> None:
            """Crossref's ``/works?filter=doi:A,doi:B``: a work list of the DOIs it knows."""
            asked = [v.removeprefix("doi:") for v in query["filter"][0].split(",")]
            if any("refused" in doi for doi in asked):
                # What Crossref answers a filter value it cannot parse.
                self._send(400, b'{"status": "failed"}', content_type="application/json")
                return
            items = [CROSSREF[d.lower()] for d in asked if d.lower() in CROSSREF]
            message = {"total-results": len(items), "items": items, "items-per-page": 20}
            body = {"status": "ok", "message-type": "work-list", "message": message}
            limit, interval = RATE_ANNOUNCED["limit"], RATE_ANNOUNCED["interval"]
            headers = {"X_Rate_Limit_Limit": limit, "X_Rate_Limit_Interval": interval}
            self._send(200, json.dumps(body).encode(), content_type="application/json",
                       **{k: v for k, v in headers.items() if v})  # fmt: skip

        def _ecitmatch(self, query: dict[str, list[str]]) -> None:
            """journal|year|volume|first_page|author|key| lines, each answered with a PMID."""
            if "Down Journal" in query["bdata"][0]:
                self._send(503, b"Service Unavailable")  # E-utilities in trouble
                return
            lines = []
            for line in query["bdata"][0].split("\r"):
                journal, year, volume, page, author, key = line.split("|")[:6]
                pmid = next(
                    (
                        uid
                        for uid, r in PUBMED.items()
                        if r
                        and r["source"].lower() == journal.lower()
                        and r["volume"] == volume
                        and r["pages"].split("-")[0] == page
                    ),
                    "NOT_FOUND",
                )
                lines.append("|".join((journal, year, volume, page, author, key, pmid)))
            self._send(200, "\n".join(lines).encode(), content_type="text/plain")

    return Handler


CROSSREF = crossref_records()
# What the /works list answers announce: x-rate-limit-limit and -interval ("" announces none).
RATE_ANNOUNCED = {"limit": "", "interval": ""}


def _words_in(term: str, title: str) -> bool:
    """Every word of an esearch ``word[Title] AND ...`` term is in ``title``."""
    words = [w.split("[")[0].strip("() ") for w in term.split(" and ")]
    return all(w and w in title.lower() for w in words)


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
