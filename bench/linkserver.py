"""The bench's web: eight web hosts and three registry stand-ins on loopback, with latency,
server-side rate limits, and a log of every request.

Web hosts are 127.0.0.1-8; E-utilities, Crossref and the DOI handle API answer on their own
hosts (see corpus.py) in the registries' documented JSON shapes, from ``registry.json``.
"""

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
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from corpus import CROSSREF, CROSSREF_LIST_RATE, EUTILS, HANDLES, WEB_HOSTS

RATE_LIMIT = 10  # requests per second per host above which the server answers 429
RETRY_AFTER = 1  # seconds, in every 429 answer
HANG = 20.0


def _html(title: str, body: str = "") -> bytes:
    return f"<html><head><title>{title}</title></head><body>{body}</body></html>".encode()


ARTICLE = _html("Article", "<h1 id='top'>Article</h1><p>Results.</p>")
PAGES = {
    "decoy_title": (
        _html("404 patients with scleroderma: a cohort | Bench J"),
        _html("Not found: missing heritability in systemic sclerosis"),
    ),
    "decoy_text": (_html("Article", "<p>Servers answer 404 Not Found for missing pages.</p>"),),
    "soft_title": (_html("Page not found | Bench J"), _html("Oops! That page can't be found.")),
    "soft_lang": (_html("Página no encontrada"), _html("Seite nicht gefunden - Bench")),
    "soft_results": (_html("Search results"),),
}


@dataclass
class RequestLog:
    """(time, host, method, path, status) of every request, and the servers' memory."""

    rows: list[tuple[float, str, str, str, int]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    seen: dict[str, int] = field(default_factory=dict)
    windows: dict[str, deque[float]] = field(default_factory=dict)

    def since(self, mark: int) -> list[tuple[float, str, str, str, int]]:
        """Requests after ``mark``."""
        with self.lock:
            return list(self.rows[mark:])

    def mark(self) -> int:
        """A point to count requests from."""
        with self.lock:
            return len(self.rows)

    def reset(self) -> None:
        """Forget first visits and rate windows: the next tool meets the web as the first did."""
        with self.lock:
            self.seen.clear()
            self.windows.clear()


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


def _handler(
    log: RequestLog, rng: random.Random, registry: dict[str, dict[str, dict[str, object]]]
) -> type[BaseHTTPRequestHandler]:
    pubmed, crossref = registry["pubmed"], registry["crossref"]

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

        def _json(self, status: int, data: object) -> None:
            self._reply(status, json.dumps(data).encode(), content_type="application/json")

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
            elif host == EUTILS:
                self._eutils()
            elif host == CROSSREF:
                self._crossref()
            elif host == HANDLES:
                self._handle()
            else:
                self._web(count)

        def _web(self, count: int) -> None:
            kind, _, number = urlsplit(self.path).path.strip("/").partition("/")
            variants = PAGES.get(kind)
            if variants:
                self._reply(200, variants[int(number or 0) % len(variants)])
            elif kind in ("ok", "head405", ""):
                self._reply(200, ARTICLE)
            elif kind == "moved":
                self._reply(301, Location=f"/ok/{number}")
            elif kind == "chain":
                self._reply(302, Location=f"/moved/{number}")
            elif kind == "soft_home":
                self._reply(302, Location="/")
            elif kind == "missing":
                self._reply(404, _html("404 Not Found"))
            elif kind == "gone":
                self._reply(410, _html("410 Gone"))
            elif kind == "blocked":
                self._reply(403, _html("Just a moment..."))
            elif kind == "limited" and count == 1:
                self._reply(429, Retry_After=str(RETRY_AFTER))
            elif kind == "limited":
                self._reply(200, ARTICLE)
            elif kind == "hang":
                time.sleep(HANG)
                self._reply(200, ARTICLE)
            else:
                self._reply(404)

        def _eutils(self) -> None:
            parts = urlsplit(self.path)
            query = parse_qs(parts.query)
            if parts.path.endswith("/esummary.fcgi"):
                ids = query.get("id", [""])[0].split(",")
                result: dict[str, object] = {"uids": ids}
                for uid in ids:
                    result[uid] = pubmed.get(uid) or {
                        "uid": uid,
                        "error": "cannot get document summary",
                    }
                self._json(
                    200, {"header": {"type": "esummary", "version": "0.3"}, "result": result}
                )
            elif parts.path.endswith("/ecitmatch.cgi"):
                lines = query.get("bdata", [""])[0].split("\r")
                self._reply(
                    200,
                    "\n".join(f"{line}NOT_FOUND" for line in lines).encode(),
                    content_type="text/plain",
                )
            elif parts.path.endswith("/esearch.fcgi"):
                self._json(200, {"esearchresult": {"count": "0", "idlist": []}})
            else:
                self._reply(404)

        def _crossref(self) -> None:
            parts = urlsplit(self.path)
            if parts.path.endswith("/works"):
                # A work list for a doi: filter, announcing the list requests' own rate.
                asked = parse_qs(parts.query).get("filter", [""])[0].split(",")
                dois = [d.removeprefix("doi:").lower() for d in asked]
                items = [crossref[d] for d in dois if d in crossref]
                body = {"status": "ok", "message-type": "work-list",
                        "message": {"total-results": len(items), "items": items}}  # fmt: skip
                self._reply(200, json.dumps(body).encode(), content_type="application/json",
                            X_Rate_Limit_Limit=str(CROSSREF_LIST_RATE),
                            X_Rate_Limit_Interval="1s")  # fmt: skip
                return
            doi = unquote(parts.path.partition("/works/")[2]).lower()
            record = crossref.get(doi)
            if record is None:
                self._reply(404, b"Resource not found.", content_type="text/plain")
            else:
                self._json(200, {"status": "ok", "message-type": "work", "message": record})

        def _handle(self) -> None:
            doi = unquote(urlsplit(self.path).path.partition("/handles/")[2]).lower()
            if doi in crossref:
                self._json(200, {"responseCode": 1, "handle": doi})
            else:
                self._json(404, {"responseCode": 100})

    return Handler


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def handle_error(self, request: object, client_address: object) -> None:
        pass


@dataclass
class Web:
    """The running servers: their port, the request log, and the registries' records."""

    port: int
    log: RequestLog
    records: dict[str, dict[str, dict[str, object]]]

    def load(self, registry: Path) -> None:
        """Answer with the records a corpus wrote (generated once the port is known)."""
        for name, table in json.loads(registry.read_text(encoding="utf-8")).items():
            self.records[name].clear()
            self.records[name].update(table)


@contextmanager
def serve(seed: int = 1) -> Iterator[Web]:
    """Every host on one free port."""
    log = RequestLog()
    records: dict[str, dict[str, dict[str, object]]] = {"pubmed": {}, "crossref": {}}
    handler = _handler(log, random.Random(seed), records)
    hosts = (*WEB_HOSTS, EUTILS, CROSSREF, HANDLES)
    first = _Server((hosts[0], 0), handler)
    port = first.server_address[1]
    servers = [first] + [_Server((h, port), handler) for h in hosts[1:]]
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield Web(port, log, records)
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()
