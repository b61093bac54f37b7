"""A raw-socket HTTP server on 127.0.0.1 whose answers are wrong on purpose, one per path."""

from __future__ import annotations

import socket
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager

Behaviour = Callable[[socket.socket], None]
PAGE = b"<html><head><title>Article</title></head><body><h2 id='a'>A</h2></body></html>"


def _send(conn: socket.socket, status: str, headers: dict[str, str], body: bytes = b"") -> None:
    head = f"HTTP/1.1 {status}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    conn.sendall(head.encode("latin-1") + b"\r\n" + body)


def _page(status: str = "200 OK", body: bytes = PAGE, **headers: str) -> Behaviour:
    def answer(conn: socket.socket) -> None:
        _send(
            conn,
            status,
            {
                "Content-Type": "text/html",
                "Content-Length": str(len(body)),
                **{k.replace("_", "-"): v for k, v in headers.items()},
            },
            body,
        )

    return answer


def _redirect(location: bytes, status: str = "302 Found") -> Behaviour:
    def answer(conn: socket.socket) -> None:
        conn.sendall(
            f"HTTP/1.1 {status}\r\nContent-Length: 0\r\n".encode()
            + b"Location: "
            + location
            + b"\r\n\r\n"
        )

    return answer


def _trickle(prefix: bytes, each: bytes, pause: float, count: int) -> Behaviour:
    def answer(conn: socket.socket) -> None:
        conn.sendall(prefix)
        for _ in range(count):
            conn.sendall(each)
            time.sleep(pause)

    return answer


def _raw(data: bytes, then_wait: float = 0.0) -> Behaviour:
    def answer(conn: socket.socket) -> None:
        if data:
            conn.sendall(data)
        time.sleep(then_wait)

    return answer


def _reset(conn: socket.socket) -> None:
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")


HTML = "text/html"
# How many requests each path has received (a test resets it): a client must not send twice.
RECEIVED: Counter[str] = Counter()
_RECEIVED_LOCK = threading.Lock()
# path -> (behaviour, the outcomes an honest checker may give it)
BEHAVIOURS: dict[str, tuple[Behaviour, frozenset[str]]] = {}


def hostile(path: str, behaviour: Behaviour, *outcomes: str) -> None:
    """Register one hostile answer and the outcomes it may honestly get."""
    BEHAVIOURS[path] = (behaviour, frozenset(outcomes))


# Slow or incomplete answers: never "working".
hostile(
    "/slow-body",
    _trickle(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 500\r\n\r\n", b"x", 0.1, 500
    ),
    "timeout",
)
hostile("/slow-headers", _trickle(b"HTTP/1.1 200 OK\r\n", b"X", 0.1, 500), "timeout")
hostile("/slow-status", _trickle(b"", b"H", 0.2, 100), "timeout")
hostile("/silent", _raw(b"", then_wait=5), "timeout")
hostile(
    "/truncated",
    _raw(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 1000\r\n\r\n<html>"),
    "error",
)
hostile("/close-at-once", _raw(b""), "error")
hostile("/reset", _reset, "error", "unreachable")
hostile("/garbage", _raw(b"this is not http\r\n\r\n"), "error")
hostile("/http09", _raw(b"<html>no status line</html>"), "error")
hostile("/bad-status", _raw(b"HTTP/1.1 abc Nope\r\n\r\n"), "error")
hostile("/huge-header", _raw(b"HTTP/1.1 200 OK\r\nX-Big: " + b"y" * 70_000 + b"\r\n\r\n"), "error")
hostile("/many-headers", _raw(b"HTTP/1.1 200 OK\r\n" + b"X-A: b\r\n" * 150 + b"\r\n"), "error")
hostile(
    "/bad-chunked",
    _raw(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nxx\r\n0\r\n\r\n"),
    "error",
)
hostile("/short-body", _raw(b"HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\nshort"), "error")
hostile(
    "/gzip-lie", _page(body=b"\x1f\x8b\x08\x00garbage", Content_Encoding="gzip"), "working", "error"
)
hostile("/binary", _page(body=bytes(range(256)) * 4), "working")
# Redirects to places no request may go, or that cannot be parsed.
for name, target in {
    "private": b"http://10.0.0.1/x",
    "metadata": b"http://169.254.169.254/latest/meta-data/",
    "cgnat": b"http://100.64.0.1/",
    "loopback6": b"http://[::1]/",
    "mapped": b"http://[::ffff:127.0.0.1]/",
    "zero": b"http://0.0.0.0/",
    "multicast": b"http://224.0.0.1/",
    "benchmark": b"http://198.18.0.1/",
    # Loopback by name (RFC 6761), whatever the resolver answers for it.
    "localhost": b"http://localhost/x",
    "sub-localhost": b"http://app.localhost./x",
}.items():
    hostile(f"/to-{name}", _redirect(target), "refused")
hostile("/to-javascript", _redirect(b"javascript:alert(1)"), "refused")
hostile("/to-file", _redirect(b"file:///etc/passwd"), "refused")
hostile("/to-ftp", _redirect(b"ftp://example.org/x"), "refused")
hostile("/to-credentials", _redirect(b"http://user:pass@127.0.0.1/x"), "refused")
hostile("/to-bad-port", _redirect(b"http://example.org:99999/"), "error")
hostile("/to-port-letters", _redirect(b"http://example.org:abc/"), "error")
hostile("/to-nowhere", _redirect(b"http://no-such-host.invalid/"), "unreachable")
hostile("/to-self", _redirect(b"/to-self"), "error")
# A UTF-8 (or Latin-1) Location is an IRI: it is percent-encoded and followed.
hostile("/to-cafe", _redirect("/café".encode()), "working")
hostile("/to-latin1", _redirect(b"/caf\xe9"), "working")
hostile("/caf%C3%A9", _page(), "working")
hostile("/no-location", _raw(b"HTTP/1.1 302 Found\r\nContent-Length: 0\r\n\r\n"), "error")
# Rate limits and server errors: passing faults, never broken.
hostile("/429-forever", _page("429 Too Many Requests", b"", Retry_After="86400"), "rate_limited")
hostile(
    "/429-date-past",
    _page("429 Too Many Requests", b"", Retry_After="Wed, 21 Oct 2015 07:28:00 GMT"),
    "rate_limited",
)
hostile(
    "/429-garbage", _page("429 Too Many Requests", b"", Retry_After="soon, promise"), "rate_limited"
)
hostile(
    "/429-huge-number", _page("429 Too Many Requests", b"", Retry_After="9" * 400), "rate_limited"
)
hostile("/503", _page("503 Service Unavailable", b""), "server_error")
hostile("/500-html", _page("500 Internal Server Error", b"<title>Error</title>"), "server_error")
# Bot walls: unverifiable, never broken.
hostile("/401", _page("401 Unauthorized", b""), "blocked")
hostile("/403", _page("403 Forbidden", b"<title>Just a moment...</title>"), "blocked")
hostile("/418", _page("418 I'm a teapot", b""), "blocked")
hostile("/999", _page("999 Request denied", b""), "blocked")
hostile("/challenge", _page("503 Service Unavailable", b"", cf_mitigated="challenge"), "blocked")
# Soft 404s worded several ways, and decoys that are real articles.
for name, title in {
    "en": "Page Not Found | Journal",
    "de": "Seite nicht gefunden",
    "fr": "Page introuvable",
    "es": "Página no encontrada",
    "error404": "Error 404",
    "gone": "404 - File not found",
}.items():
    hostile(f"/soft-{name}", _page(body=f"<title>{title}</title>".encode()), "soft_404")
for name, title in {
    "study": "404 patients with systemic sclerosis: a cohort",
    "genes": "Genes not found in the mouse genome are not lost",
    "seo": "Why 404 errors hurt: a study of broken links in medicine",
}.items():
    hostile(f"/decoy-{name}", _page(body=f"<title>{title}</title>".encode()), "working")
hostile("/article-moved", _page(body=b"<title>Search results</title>"), "soft_404")
# Plain failures, and answers that are fine.
hostile("/404", _page("404 Not Found", b"<title>Not Found</title>"), "broken")
hostile("/410", _page("410 Gone", b""), "broken")
hostile("/204", _page("204 No Content", b""), "working")
hostile("/ok-keepalive", _page(Connection="keep-alive"), "working")


def _handle(conn: socket.socket) -> None:
    try:
        conn.settimeout(5)
        request = b""
        while b"\r\n\r\n" not in request and len(request) < 65_536:
            chunk = conn.recv(4096)
            if not chunk:
                return
            request += chunk
        path = request.split(b" ", 2)[1].decode("latin-1") if b" " in request else "/"
        with _RECEIVED_LOCK:
            RECEIVED[path] += 1
        behaviour = BEHAVIOURS.get(path.split("?")[0], (_page("404 Not Found", b""), frozenset()))[
            0
        ]
        behaviour(conn)
    except OSError:
        pass  # the client gave up (deadline): expected
    finally:
        conn.close()


@contextmanager
def serve_hostile() -> Iterator[int]:
    """Serve the behaviours on 127.0.0.1 at a free port; yields the port."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=_handle, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join()
        listener.close()
