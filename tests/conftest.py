"""Shared fixtures: a real HTTP server on 127.0.0.1 serving feed files, real DuckDB files."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "application/rss+xml; charset=utf-8"
    etag: bool = True
    delay_s: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class FeedServer:
    """Routes are mutable while the server runs: tests change a feed between polls."""

    routes: dict[str, Route] = field(default_factory=dict)
    hits: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    port: int = 0

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def hits_for(self, path: str) -> list[dict[str, str]]:
        return [h for p, h in self.hits if p == path]


def _handler(server: FeedServer):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            server.hits.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
            route = server.routes.get(self.path)
            if route is None:
                return self._send(404, b"not found", "text/plain")
            if route.delay_s:
                time.sleep(route.delay_s)
            tag = '"' + hashlib.sha1(route.body).hexdigest()[:16] + '"'
            if route.etag and self.headers.get("If-None-Match") == tag:
                return self._send(304, b"", None, {"ETag": tag})
            extra = {"ETag": tag} if route.etag else {}
            self._send(route.status, route.body, route.content_type, {**extra, **route.headers})

        def _send(self, status, body, ctype, headers=None) -> None:
            self.send_response(status)
            if ctype:
                self.send_header("Content-Type", ctype)
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:  # keep test output clean
            pass

    return Handler


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    state = FeedServer()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    httpd.daemon_threads = True
    state.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield state
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "monitor.duckdb"


def rss(items: list[dict], title: str = "Test Wire", language: str = "en") -> bytes:
    """A small RSS 2.0 document; each item dict has guid, title, link, date, body (HTML)."""
    from xml.sax.saxutils import escape

    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">',
        f"<channel><title>{escape(title)}</title><link>https://wire.example/</link>",
        f"<language>{language}</language>",
    ]
    for it in items:
        parts.append("<item>")
        for tag, key in (
            ("guid", "guid"),
            ("title", "title"),
            ("link", "link"),
            ("pubDate", "date"),
        ):
            if it.get(key):
                parts.append(f"<{tag}>{escape(it[key])}</{tag}>")
        parts.append(f"<content:encoded>{escape(it.get('body', ''))}</content:encoded>")
        parts.append("</item>")
    parts.append("</channel></rss>")
    return "\n".join(parts).encode("utf-8")
