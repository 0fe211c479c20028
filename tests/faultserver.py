"""A fault-injecting HTTP/1.1 server on a loopback address, written on raw sockets so it can
misbehave in ways `http.server` cannot: drip bytes, reset connections, cut bodies short,
lie about Content-Length, answer with garbage.

Each path maps to a behaviour: a function `(FaultServer, Request, socket) -> None` that
writes whatever it likes to the socket. The server closes the connection afterwards (every
answer says `Connection: close`), so behaviours never have to think about keep-alive.
"""

from __future__ import annotations

import socket
import struct
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

import brotli

Behaviour = Callable[["FaultServer", "Request", socket.socket], None]


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]
    at: float  # monotonic time the request head was read


@dataclass
class FaultServer:
    host: str = "127.0.0.1"
    routes: dict[str, Behaviour] = field(default_factory=dict)
    hits: list[Request] = field(default_factory=list)
    port: int = 0
    in_flight: int = 0
    max_in_flight: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _sock: socket.socket | None = None
    _stop: threading.Event = field(default_factory=threading.Event)

    def url(self, path: str) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}{path}"

    def hits_for(self, path: str) -> list[Request]:
        with self._lock:
            return [h for h in self.hits if h.path == path]

    # --- lifecycle ------------------------------------------------------------------------

    def start(self) -> FaultServer:
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        self._sock = socket.socket(family, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind((self.host, self.port))
        self._sock.listen(256)
        self._sock.settimeout(0.2)
        self.port = self._sock.getsockname()[1]
        threading.Thread(target=self._accept_loop, daemon=True).start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._sock is not None:
            self._sock.close()

    def __enter__(self) -> FaultServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def _accept_loop(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return  # closed by stop()
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        with self._lock:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            conn.settimeout(30)
            request = _read_request(conn)
            if request is None:
                return
            with self._lock:
                self.hits.append(request)
            behaviour = self.routes.get(request.path.split("?", 1)[0], not_found)
            behaviour(self, request, conn)
        except OSError:
            pass  # the client went away mid-answer: that is the client's business
        finally:
            with self._lock:
                self.in_flight -= 1
            conn.close()


def _read_request(conn: socket.socket) -> Request | None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        data += chunk
        if len(data) > 1 << 16:
            return None
    head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    method, path, _ = (head[0].split(" ") + ["", ""])[:3]
    headers = {}
    for line in head[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return Request(method, path, headers, time.monotonic())


# --- building blocks ------------------------------------------------------------------------


def head(status: int, headers: dict[str, str] | None = None, reason: str = "") -> bytes:
    lines = [f"HTTP/1.1 {status} {reason or REASONS.get(status, 'Status')}"]
    lines += [f"{k}: {v}" for k, v in {"Connection": "close", **(headers or {})}.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


REASONS = {
    200: "OK",
    301: "Moved Permanently",
    302: "Found",
    304: "Not Modified",
    308: "Permanent Redirect",
    404: "Not Found",
    410: "Gone",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


def respond(
    body: bytes = b"",
    status: int = 200,
    headers: dict[str, str] | None = None,
    content_type: str = "application/rss+xml; charset=utf-8",
    length: bool = True,
    etag: str | None = None,
) -> Behaviour:
    """A plain answer. `length=False` leaves Content-Length out: the body ends at close."""

    def behave(server: FaultServer, req: Request, conn: socket.socket) -> None:
        if etag and req.headers.get("if-none-match") == etag:
            conn.sendall(head(304, {"ETag": etag}))
            return
        extra = {"Content-Type": content_type, **(headers or {})}
        if length:
            extra["Content-Length"] = str(len(body))
        if etag:
            extra["ETag"] = etag
        conn.sendall(head(status, extra) + body)

    return behave


def not_found(server: FaultServer, req: Request, conn: socket.socket) -> None:
    conn.sendall(head(404, {"Content-Length": "9"}) + b"not found")


def redirect(location: str, status: int = 301) -> Behaviour:
    return respond(b"", status, {"Location": location})


def reset() -> Behaviour:
    """Close with a TCP RST instead of an answer."""

    def behave(server: FaultServer, req: Request, conn: socket.socket) -> None:
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))

    return behave


def reset_mid_body(body: bytes, after: int) -> Behaviour:
    def behave(server: FaultServer, req: Request, conn: socket.socket) -> None:
        conn.sendall(head(200, {"Content-Length": str(len(body))}) + body[:after])
        time.sleep(0.05)
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))

    return behave


def hang(seconds: float) -> Behaviour:
    """Read the request, say nothing."""

    def behave(server: FaultServer, req: Request, conn: socket.socket) -> None:
        _sleep_unless_stopped(server, seconds)

    return behave


def drip(body: bytes, every_s: float, headers_too: bool = False) -> Behaviour:
    """Send one byte every `every_s`: never idle long enough for a per-read timeout."""

    def behave(server: FaultServer, req: Request, conn: socket.socket) -> None:
        top = head(200, {"Content-Type": "application/rss+xml", "Content-Length": str(len(body))})
        payload = top + body if headers_too else body
        if not headers_too:
            conn.sendall(top)
        for i in range(len(payload)):
            if server._stop.is_set():
                return
            conn.sendall(payload[i : i + 1])
            time.sleep(every_s)

    return behave


def garbage(data: bytes) -> Behaviour:
    def behave(server: FaultServer, req: Request, conn: socket.socket) -> None:
        conn.sendall(data)

    return behave


def _sleep_unless_stopped(server: FaultServer, seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end and not server._stop.is_set():
        time.sleep(0.05)


# --- compression bombs ----------------------------------------------------------------------


def gzip_bomb(size: int) -> bytes:
    """`size` zero bytes, gzipped (about a thousandth of the size on the wire)."""
    comp = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    block = bytes(1 << 20)
    parts = [comp.compress(block) for _ in range(size >> 20)]
    return b"".join(parts) + comp.flush()


def brotli_bomb(size: int) -> bytes:
    """`size` zero bytes, brotli-compressed (a few hundred bytes per gigabyte)."""
    comp = brotli.Compressor(quality=5)
    block = bytes(1 << 20)
    parts = [comp.process(block) for _ in range(size >> 20)]
    return b"".join(parts) + comp.finish()
