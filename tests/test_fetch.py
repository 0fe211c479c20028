"""The fetcher on its own, against the fault server on 127.0.0.1: decoding, caps, redirects,
deadlines, per-host limits."""

from __future__ import annotations

import gzip
import threading
import time
import zlib

import brotli
import pytest

from monitor import fetch
from monitor.netguard import NetPolicy
from tests import faultserver as fs

POLICY = NetPolicy.from_settings(False, ["127.0.0.1/32"])
TEXT = b"<rss><channel><title>caf\xc3\xa9</title></channel></rss>" * 50


@pytest.fixture
def server():
    with fs.FaultServer() as s:
        yield s


@pytest.fixture
def client():
    with fetch.make_client(5, POLICY) as c:
        yield c


def get(client, url, **kw):
    return fetch.fetch(client, url, policy=POLICY, **{"deadline_s": 5, **kw})


def _raw_deflate(data: bytes) -> bytes:
    comp = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    return comp.compress(data) + comp.flush()


@pytest.mark.parametrize(
    "coding, encode",
    [
        ("gzip", gzip.compress),
        ("x-gzip", gzip.compress),
        ("deflate", zlib.compress),  # zlib-wrapped, as the spec says
        ("deflate", _raw_deflate),  # raw, as many servers send it
        ("br", brotli.compress),
        ("identity", lambda b: b),
        ("gzip, br", lambda b: brotli.compress(gzip.compress(b))),
    ],
)
def test_content_codings_are_decoded(server, client, coding, encode):
    server.routes["/f"] = fs.respond(encode(TEXT), headers={"Content-Encoding": coding})
    out = get(client, server.url("/f"))
    assert out.error is None and out.body == TEXT
    assert server.hits[0].headers["accept-encoding"] == "gzip, deflate, br"
    assert server.hits[0].headers["user-agent"].startswith("media-monitor/")


@pytest.mark.parametrize("coding", ["gzip", "br", "deflate"])
def test_decoded_cap_is_exact(server, client, coding):
    encode = {"gzip": gzip.compress, "br": brotli.compress, "deflate": zlib.compress}[coding]
    server.routes["/f"] = fs.respond(encode(TEXT), headers={"Content-Encoding": coding})
    assert get(client, server.url("/f"), max_bytes=len(TEXT)).body == TEXT
    over = get(client, server.url("/f"), max_bytes=len(TEXT) - 1)
    assert over.error == f"response body larger than {len(TEXT) - 1} bytes once decoded"


@pytest.mark.parametrize("coding, bomb", [("gzip", fs.gzip_bomb), ("br", fs.brotli_bomb)])
def test_decoder_never_holds_more_than_the_cap(coding, bomb):
    """Feeding a bomb chunk by chunk: no single call returns more than cap + 1 bytes."""
    data = bomb(32 << 20)
    decoder = fetch.decoder_for(coding, 100_000)
    largest = 0
    with pytest.raises(fetch._Abort, match="larger than 100000 bytes"):
        for i in range(0, len(data), 65536):
            piece = decoder.feed(data[i : i + 65536])
            largest = max(largest, len(piece))
    assert largest <= 100_001


def test_cut_compressed_stream_is_an_error(server, client):
    whole = gzip.compress(TEXT)
    server.routes["/f"] = fs.respond(whole[: len(whole) // 2], headers={"Content-Encoding": "gzip"})
    assert "compressed data ends early" in get(client, server.url("/f")).error


def test_conditional_headers_are_sent(server, client):
    server.routes["/f"] = fs.respond(TEXT, etag='"abc"')
    out = get(client, server.url("/f"), etag='"abc"', last_modified="Tue, 10 Feb 2026 09:00:00 GMT")
    assert out.not_modified and out.ok and out.body == b""
    assert server.hits[0].headers["if-none-match"] == '"abc"'
    assert server.hits[0].headers["if-modified-since"] == "Tue, 10 Feb 2026 09:00:00 GMT"


def test_permanent_url_follows_only_an_unbroken_chain_of_301_308(server, client):
    server.routes["/a"] = fs.redirect("/b", 301)
    server.routes["/b"] = fs.redirect("/c", 308)
    server.routes["/c"] = fs.redirect("/d", 302)
    server.routes["/d"] = fs.respond(TEXT)
    out = get(client, server.url("/a"))
    assert out.status == 200 and out.url == server.url("/d") and out.redirects == 3
    assert out.permanent_url == server.url("/c")  # the 302 breaks the chain
    tmp_first = get(client, server.url("/c"))
    assert tmp_first.permanent_url is None and tmp_first.redirects == 1


def test_outcome_properties(server, client):
    server.routes["/gone"] = fs.respond(b"", 410)
    out = get(client, server.url("/gone"))
    assert out.gone and not out.ok and out.error == "HTTP 410 Gone"
    server.routes["/busy"] = fs.respond(b"", 429, {"Retry-After": "120"})
    busy = get(client, server.url("/busy"))
    assert busy.retry_after == "120" and busy.status == 429


@pytest.mark.parametrize("url", ["http://[bad/", "http://exa mple.com/", "notaurl"])
def test_bad_urls_never_raise(client, url):
    out = get(client, url)
    assert out.status is None and out.error


def test_deadline_is_total_not_per_read(server, client):
    server.routes["/drip"] = fs.drip(TEXT, 0.05)
    started = time.monotonic()
    out = get(client, server.url("/drip"), deadline_s=0.6)
    took = time.monotonic() - started
    assert out.error.startswith("Timeout: no complete response within the 0.6 s deadline")
    assert 0.55 < took < 1.5  # cut near 0.6 s, not after the ~2.5 s the drip would take


def test_host_limiter_bounds_concurrency_and_spaces_starts():
    limiter = fetch.HostLimiter(per_host=2, spacing_s=0.05)
    inside, peak, starts = [0], [0], []
    lock = threading.Lock()

    def work():
        with limiter.slot("a.example"):
            with lock:
                inside[0] += 1
                peak[0] = max(peak[0], inside[0])
                starts.append(time.monotonic())
            time.sleep(0.1)
            with lock:
                inside[0] -= 1

    threads = [threading.Thread(target=work) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    starts.sort()
    assert peak[0] == 2
    assert min(b - a for a, b in zip(starts, starts[1:], strict=False)) >= 0.045
    with limiter.slot("b.example") as queued:  # another host does not wait for a.example
        assert queued < 0.05


def test_time_queued_for_a_host_is_not_charged_to_the_deadline(server, client):
    server.routes["/f"] = fs.respond(TEXT)
    limiter = fetch.HostLimiter(per_host=1, spacing_s=0.8)
    first = get(client, server.url("/f"), deadline_s=0.5, limiter=limiter)
    second = get(client, server.url("/f"), deadline_s=0.5, limiter=limiter)  # queues ~0.8 s
    assert first.error is None and second.error is None
    gap = server.hits[1].at - server.hits[0].at
    assert gap >= 0.7
