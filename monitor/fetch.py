"""HTTP fetching of feeds: conditional GET, a total deadline, a body-size cap, bounded redirects.

Never raises for network trouble: every outcome is a `FetchOutcome` the poller can record.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from urllib.parse import urljoin

import httpx

from monitor import __version__

USER_AGENT = f"media-monitor/{__version__} (+https://github.com/media-monitor)"
MAX_REDIRECTS = 5


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

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def ok(self) -> bool:
        return self.error is None and self.status is not None and self.status < 400


class _Abort(Exception):
    pass


def make_client(timeout_s: float = 20.0) -> httpx.Client:
    return httpx.Client(
        timeout=httpx.Timeout(timeout_s, connect=min(timeout_s, 10.0)),
        headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"},
        follow_redirects=False,
        limits=httpx.Limits(max_connections=32, max_keepalive_connections=16),
    )


def conditional_headers(etag: str | None, last_modified: str | None) -> dict[str, str]:
    headers = {"Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5"}
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
) -> FetchOutcome:
    started = time.monotonic()
    try:
        return _fetch(client, url, conditional_headers(etag, last_modified), started,
                      started + deadline_s, max_bytes)
    except _Abort as exc:
        return FetchOutcome(url, None, error=str(exc), elapsed_ms=_ms(started))
    except httpx.HTTPError as exc:
        return FetchOutcome(url, None, error=_describe(exc), elapsed_ms=_ms(started))


def _fetch(client, url, headers, started, deadline, max_bytes) -> FetchOutcome:
    for _hop in range(MAX_REDIRECTS + 1):
        with client.stream("GET", url, headers=headers) as resp:
            if resp.is_redirect and "location" in resp.headers:
                url = urljoin(url, resp.headers["location"])
                continue
            body = _read_capped(resp, deadline, max_bytes) if resp.status_code < 300 else b""
            return FetchOutcome(
                url=url, status=resp.status_code, body=body,
                etag=resp.headers.get("etag"), last_modified=resp.headers.get("last-modified"),
                error=None if resp.status_code < 400 else f"HTTP {resp.status_code} {resp.reason_phrase}",
                elapsed_ms=_ms(started), retry_after=resp.headers.get("retry-after"),
            )
    raise _Abort(f"more than {MAX_REDIRECTS} redirects")


def _read_capped(resp: httpx.Response, deadline: float, max_bytes: int) -> bytes:
    chunks, size = [], 0
    for chunk in resp.iter_bytes():  # decoded bytes: a compression bomb stops at the cap too
        size += len(chunk)
        if size > max_bytes:
            raise _Abort(f"response body larger than {max_bytes} bytes")
        if time.monotonic() > deadline:
            raise _Abort("total deadline exceeded while reading the body")
        chunks.append(chunk)
    return b"".join(chunks)


def _describe(exc: httpx.HTTPError) -> str:
    kind = type(exc).__name__
    return f"{kind}: {exc}" if str(exc) else kind


def _ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)
