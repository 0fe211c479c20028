"""HTTP fetching of feeds: conditional GET, a total deadline, a decoded-size cap, guarded and
bounded redirects, a per-host concurrency limit and spacing.

Never raises for network trouble: every outcome is a `FetchOutcome` the poller can record.
Connections go through `netguard`, which refuses private addresses on every hop and pins
each connection to the address it checked.
"""

from __future__ import annotations

import ssl
import threading
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import brotli
import httpx

from monitor import __version__, netguard
from monitor.netguard import NetPolicy, Refused

USER_AGENT = f"media-monitor/{__version__} (+https://github.com/media-monitor)"
MAX_REDIRECTS = 5
PERMANENT = frozenset({301, 308})
ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5"


@dataclass(frozen=True)
class FetchOutcome:
    url: str  # the final URL after redirects
    status: int | None  # None when no response arrived
    body: bytes = b""
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None
    elapsed_ms: int = 0
    retry_after: str | None = None
    redirects: int = 0
    permanent_url: str | None = None  # where an unbroken chain of 301/308 from the start led
    refused: bool = False  # the guard refused an address: nothing was sent there

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def gone(self) -> bool:
        return self.status == 410

    @property
    def ok(self) -> bool:
        return self.error is None and self.status is not None and self.status < 400


class _Abort(Exception):
    pass


@dataclass
class _Trail:
    """The redirect chain so far, kept outside the request so a failure can report it."""

    url: str
    redirects: int = 0
    permanent_url: str | None = None
    only_permanent: bool = True
    visited: set[str] = field(default_factory=set)

    def follow(self, status: int, target: str) -> None:
        if target in self.visited or target == self.url:
            raise _Abort(f"redirect loop: {target} was already visited")
        if self.redirects >= MAX_REDIRECTS:
            raise _Abort(f"too many redirects (more than {MAX_REDIRECTS})")
        self.visited.add(self.url)
        self.redirects += 1
        self.only_permanent = self.only_permanent and status in PERMANENT
        if self.only_permanent:
            self.permanent_url = target
        self.url = target


class HostLimiter:
    """At most `per_host` requests in flight to one host, started at least `spacing_s` apart.

    Shared by every fetch of a poller across polls, so a feed list with fifty feeds on one
    site does not hit that site fifty times at once."""

    def __init__(self, per_host: int = 2, spacing_s: float = 1.0) -> None:
        self.per_host = max(1, per_host)
        self.spacing_s = max(0.0, spacing_s)
        self._lock = threading.Lock()
        self._slots: dict[str, threading.BoundedSemaphore] = {}
        self._next_start: dict[str, float] = {}

    @contextmanager
    def slot(self, host: str) -> Iterator[float]:
        """Hold one of the host's slots; yields how long we queued for it (seconds)."""
        queued = time.monotonic()
        with self._lock:
            sem = self._slots.setdefault(host, threading.BoundedSemaphore(self.per_host))
        with sem:
            with self._lock:
                start = max(time.monotonic(), self._next_start.get(host, 0.0))
                self._next_start[host] = start + self.spacing_s
            time.sleep(max(0.0, start - time.monotonic()))
            yield time.monotonic() - queued


def make_client(
    timeout_s: float = 20.0,
    policy: NetPolicy | None = None,
    resolver: netguard.Resolver = netguard.system_resolver,
    ssl_context: ssl.SSLContext | None = None,
) -> httpx.Client:
    limits = httpx.Limits(max_connections=32, max_keepalive_connections=16)
    return httpx.Client(
        transport=netguard.GuardedTransport(policy or NetPolicy(), limits, resolver, ssl_context),
        timeout=httpx.Timeout(timeout_s, connect=min(timeout_s, 10.0)),
        # we decode bodies ourselves (bounded), so ask only for what _Decoder handles
        headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate, br"},
        follow_redirects=False,  # each hop is checked by fetch() itself
        trust_env=False,
    )


def conditional_headers(etag: str | None, last_modified: str | None) -> dict[str, str]:
    headers = {"Accept": ACCEPT}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


def fetch(
    client: httpx.Client,
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    deadline_s: float = 30.0,
    max_bytes: int = 10 * 1024 * 1024,
    limiter: HostLimiter | None = None,
    policy: NetPolicy | None = None,
) -> FetchOutcome:
    """GET `url`. `policy` pre-checks each hop's URL for a clear refusal message; the
    client's transport enforces the same policy on every connection regardless."""
    started = time.monotonic()
    trail = _Trail(url)

    def failed(error: str, refused: bool = False) -> FetchOutcome:
        return FetchOutcome(
            trail.url,
            None,
            error=error,
            elapsed_ms=_ms(started),
            redirects=trail.redirects,
            permanent_url=trail.permanent_url,
            refused=refused,
        )

    try:
        with netguard.deadline(deadline_s):
            headers = conditional_headers(etag, last_modified)
            return _fetch(client, trail, headers, started, max_bytes, limiter, policy)
    except Refused as exc:
        return failed(str(exc), refused=True)
    except _Abort as exc:
        return failed(str(exc))
    except httpx.TimeoutException as exc:
        return failed(
            f"Timeout: no complete response within the {deadline_s:g} s deadline "
            f"({type(exc).__name__})"
        )
    except httpx.HTTPError as exc:
        return failed(_describe(exc))
    except (httpx.InvalidURL, ValueError) as exc:  # urllib raises ValueError for "http://[x"
        return failed(f"invalid URL {trail.url[:200]!r}: {exc}")


def _fetch(client, trail: _Trail, headers, started, max_bytes, limiter, policy) -> FetchOutcome:
    while True:
        if policy is not None:
            netguard.check_url(trail.url, policy)
        else:
            netguard.check_scheme(trail.url)
        host = (urlsplit(trail.url).hostname or "").lower()
        with _host_slot(limiter, host), client.stream("GET", trail.url, headers=headers) as resp:
            if resp.is_redirect and "location" in resp.headers:
                trail.follow(resp.status_code, urljoin(trail.url, resp.headers["location"]))
                continue
            ok = 200 <= resp.status_code < 300
            body = _read_body(resp, max_bytes) if ok else b""
            return FetchOutcome(
                url=trail.url,
                status=resp.status_code,
                body=body,
                etag=resp.headers.get("etag"),
                last_modified=resp.headers.get("last-modified"),
                error=None
                if resp.status_code < 400
                else f"HTTP {resp.status_code} {resp.reason_phrase}".strip(),
                elapsed_ms=_ms(started),
                retry_after=resp.headers.get("retry-after"),
                redirects=trail.redirects,
                permanent_url=trail.permanent_url,
            )


@contextmanager
def _host_slot(limiter: HostLimiter | None, host: str) -> Iterator[None]:
    if limiter is None:
        yield
        return
    with limiter.slot(host) as queued:
        netguard.extend_deadline(queued)  # the deadline is for the request, not the queue
        yield


# --- bounded decoding -------------------------------------------------------------------------


class _Decoder:
    """Decodes one content-coding with output capped at `cap` bytes, whatever the ratio.

    httpx's own decoders inflate a whole network chunk at once: 64 KiB of brotli can become
    gigabytes before any size check runs. These never produce more than cap + 1 bytes."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.out = 0

    def _count(self, piece: bytes) -> bytes:
        self.out += len(piece)
        if self.out > self.cap:
            raise _Abort(f"response body larger than {self.cap} bytes once decoded")
        return piece

    def feed(self, data: bytes) -> bytes:
        return self._count(data)

    def flush(self) -> bytes:
        return b""


class _ZlibDecoder(_Decoder):
    def __init__(self, cap: int, wbits: int, name: str) -> None:
        super().__init__(cap)
        self.name = name
        self.wbits = wbits
        self._d = zlib.decompressobj(wbits)
        self._started = False

    def feed(self, data: bytes) -> bytes:
        try:
            return self._inflate(data)
        except zlib.error as exc:
            if self.wbits == zlib.MAX_WBITS and not self._started:
                # "deflate" is often sent raw, without the zlib wrapper the spec asks for
                self.wbits, self._d = -zlib.MAX_WBITS, zlib.decompressobj(-zlib.MAX_WBITS)
                return self.feed(data)
            raise _Abort(f"cannot decode {self.name} body: {exc}") from None

    def _inflate(self, data: bytes) -> bytes:
        pieces = []
        while True:
            piece = self._d.decompress(data, self.cap - self.out + 1)
            self._started = self._started or bool(piece)
            pieces.append(self._count(piece))
            data = self._d.unconsumed_tail
            if not data and not piece:
                return b"".join(pieces)

    def flush(self) -> bytes:
        rest = self.feed(b"")
        if not self._d.eof:  # a compressed stream cut short would otherwise pass as complete
            raise _Abort(f"cannot decode {self.name} body: compressed data ends early")
        return rest


class _BrotliDecoder(_Decoder):
    def __init__(self, cap: int) -> None:
        super().__init__(cap)
        self._d = brotli.Decompressor()

    def feed(self, data: bytes) -> bytes:
        try:
            pieces = [self._count(self._d.process(data, output_buffer_limit=self._room()))]
            while not self._d.can_accept_more_data():
                pieces.append(self._count(self._d.process(b"", output_buffer_limit=self._room())))
        except brotli.error as exc:
            raise _Abort(f"cannot decode br body: {exc}") from None
        return b"".join(pieces)

    def flush(self) -> bytes:
        if not self._d.is_finished():
            raise _Abort("cannot decode br body: compressed data ends early")
        return b""

    def _room(self) -> int:
        return max(1, self.cap - self.out + 1)


class _Chain(_Decoder):
    """Several codings (`Content-Encoding: gzip, br`), undone last-applied first."""

    def __init__(self, stages: list[_Decoder]) -> None:
        super().__init__(stages[-1].cap if stages else 0)
        self.stages = stages

    def feed(self, data: bytes) -> bytes:
        for stage in self.stages:
            data = stage.feed(data)
        return data

    def flush(self) -> bytes:
        data = b""
        for stage in self.stages:
            data = (stage.feed(data) if data else b"") + stage.flush()
        return data


def decoder_for(content_encoding: str | None, cap: int) -> _Decoder:
    codings = [c.strip().lower() for c in (content_encoding or "").split(",") if c.strip()]
    stages: list[_Decoder] = []
    for coding in reversed(codings):
        if coding in ("identity", ""):
            continue
        if coding in ("gzip", "x-gzip"):
            stages.append(_ZlibDecoder(cap, zlib.MAX_WBITS | 16, "gzip"))
        elif coding == "deflate":
            stages.append(_ZlibDecoder(cap, zlib.MAX_WBITS, "deflate"))
        elif coding == "br":
            stages.append(_BrotliDecoder(cap))
        else:
            raise _Abort(f"unsupported Content-Encoding: {coding[:40]}")
    if not stages:
        return _Decoder(cap)
    return stages[0] if len(stages) == 1 else _Chain(stages)


def _read_body(resp: httpx.Response, max_bytes: int) -> bytes:
    decoder = decoder_for(resp.headers.get("content-encoding"), max_bytes)
    out = bytearray()
    for chunk in resp.iter_raw():  # raw bytes: decoding happens in our bounded decoders
        out += decoder.feed(chunk)
    out += decoder.flush()
    return bytes(out)


def _describe(exc: httpx.HTTPError) -> str:
    kind = type(exc).__name__
    return f"{kind}: {exc}" if str(exc) else kind


def _ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)
