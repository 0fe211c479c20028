"""Which addresses the fetcher may connect to, and a connection layer that enforces it.

A feed URL is user input, and a redirect is the feed server's input: either could point the
poller at the machine's own services (a database on 127.0.0.1, a cloud metadata endpoint).
So every TCP connection is opened by `GuardedBackend`, which resolves the host once, checks
every address it resolved to, and connects to exactly the address it checked. There is no
second DNS lookup for a rebinding attacker to answer differently, and TLS still verifies the
certificate against the original host name (httpcore passes it as SNI/server_hostname).

The same layer enforces the total deadline of a request: every socket operation's timeout is
clamped to what is left of the deadline set with `deadline()`, so a server that drips one byte
a second is cut at the deadline rather than at the first slow read.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpcore
import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str, int], list[str]]

ALLOWED_SCHEMES = frozenset({"http", "https"})

# Cloud metadata services: the classic target of server-side request forgery. Most are also
# link-local or private, but not all (Oracle's 192.0.0.192 counts as global to `ipaddress`).
METADATA = frozenset(
    ipaddress.ip_address(a)
    for a in ("169.254.169.254", "169.254.170.2", "100.100.100.200", "192.0.0.192", "fd00:ec2::254")
)
CGNAT = ipaddress.ip_network("100.64.0.0/10")
NAT64 = ipaddress.ip_network("64:ff9b::/96")
IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


class Refused(Exception):
    """The fetcher will not connect there; the message is shown in the feed's health."""


@dataclass(frozen=True)
class NetPolicy:
    allow_private: bool = False
    allowed_networks: tuple[IPNetwork, ...] = ()

    @classmethod
    def from_settings(cls, allow_private: bool, allowed: Iterable[str] = ()) -> NetPolicy:
        networks = []
        for net in allowed:
            try:
                networks.append(ipaddress.ip_network(net, strict=False))
            except ValueError:
                raise ValueError(f"allowed_networks: {net!r} is not an IP network") from None
        return cls(allow_private, tuple(networks))

    def refusal(self, ip: IPAddress) -> str | None:
        """Why `ip` may not be connected to, or None when it may."""
        if self.allow_private:
            return None
        plain = embedded_ipv4(ip) or ip
        if any(plain in net for net in self.allowed_networks if net.version == plain.version):
            return None
        return blocked_reason(ip)


def embedded_ipv4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (mapped, compatible, 6to4, NAT64), if any.

    `[::ffff:127.0.0.1]` reaches 127.0.0.1, so it must be judged as 127.0.0.1."""
    if ip.version == 4:
        return None
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if ip in NAT64 or (ip in IPV4_COMPATIBLE and int(ip) > 1):  # :: and ::1 are not IPv4
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def blocked_reason(ip: IPAddress) -> str | None:
    """'a private address', 'a loopback address', ... or None for a public address."""
    inner = embedded_ipv4(ip)
    if inner is not None:
        reason = blocked_reason(inner)
        return f"{reason} (it carries {inner})" if reason else None
    checks: list[tuple[bool, str]] = [
        (ip in METADATA, "a cloud metadata address"),
        (ip.is_loopback, "a loopback address"),
        (ip.is_unspecified, "an unspecified address"),
        (ip.is_link_local, "a link-local address"),
        (ip.is_multicast, "a multicast address"),
        (ip.version == 4 and ip in CGNAT, "a carrier-grade NAT address"),
        (ip.version == 6 and ip.is_site_local, "a site-local address"),
        (ip.is_reserved, "a reserved address"),
        (ip.is_private, "a private address"),
        (not ip.is_global, "not a public address"),
    ]
    return next((why for hit, why in checks if hit), None)


def literal_address(host: str) -> IPAddress | None:
    """The address a host written as a number means, in every form libc accepts.

    `2130706433`, `0177.0.0.1`, `0x7f.1` and `127.1` all connect to 127.0.0.1, because the
    resolver parses them with inet_aton; so we parse them the same way."""
    host = host.strip("[]")
    try:
        return ipaddress.ip_address(host.split("%", 1)[0])  # drop an IPv6 zone id
    except ValueError:
        pass
    if host and all(c in "0123456789abcdefxABCDEFX." for c in host):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


def system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))  # keep order, drop repeats


def check_scheme(url: str) -> None:
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        raise Refused(f"refused: {url[:200]!r} is not an http(s) URL")


def resolve_checked(
    host: str, port: int, policy: NetPolicy, resolver: Resolver = system_resolver
) -> list[IPAddress]:
    """Every address `host` resolves to, after checking each; Refused if any is not allowed.

    One forbidden address refuses the host: a name that resolves to both a public and a
    private address is exactly what an attacker would set up."""
    literal = literal_address(host)
    if literal is not None:
        addresses = [literal]
    else:
        try:
            addresses = [ipaddress.ip_address(a.split("%", 1)[0]) for a in resolver(host, port)]
        except (OSError, UnicodeError) as exc:
            raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from None
    if not addresses:
        raise httpcore.ConnectError(f"cannot resolve {host}: no addresses")
    for ip in addresses:
        why = policy.refusal(ip)
        if why:
            raise Refused(f"refused: {_shown(host, ip, literal)} is {why}")
    return addresses


def _shown(host: str, ip: IPAddress, literal: IPAddress | None) -> str:
    # `2130706433` means nothing to a reader; `2130706433 (127.0.0.1)` does
    bare = host.strip("[]")
    if bare == str(ip) or (literal is not None and ip.version == 6):
        return bare
    return f"{bare} ({ip})"


def check_url(url: str, policy: NetPolicy) -> None:
    """Refuse a URL before any request: a scheme other than http(s), or a host written as a
    forbidden address (in any notation, including ones httpx would reject as invalid).
    Host names are checked when connecting, by `GuardedBackend`."""
    check_scheme(url)
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return  # httpx reports the malformed URL
    literal = literal_address(host)
    if literal is not None:
        why = policy.refusal(literal)
        if why:
            raise Refused(f"refused: {_shown(host, literal, literal)} is {why}")


# --- the total deadline ---------------------------------------------------------------------

_DEADLINE: ContextVar[float | None] = ContextVar("fetch_deadline", default=None)


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Every socket operation inside this block ends by `seconds` from now (monotonic)."""
    token = _DEADLINE.set(time.monotonic() + seconds)
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def extend_deadline(seconds: float) -> None:
    """Push the current deadline back (time spent queued for a host is not time on the wire)."""
    current = _DEADLINE.get()
    if current is not None and seconds > 0:
        _DEADLINE.set(current + seconds)


def _clamp(timeout: float | None, exc: type[Exception]) -> float | None:
    end = _DEADLINE.get()
    if end is None:
        return timeout
    left = end - time.monotonic()
    if left <= 0:
        raise exc("total deadline exceeded")
    return left if timeout is None else min(timeout, left)


# getaddrinfo takes no timeout; run it aside so a slow DNS server costs the deadline, not more
_LOOKUPS = ThreadPoolExecutor(max_workers=8, thread_name_prefix="resolve")


def _resolve_in_time(host: str, port: int, policy: NetPolicy, resolver: Resolver):
    if literal_address(host) is not None:
        return resolve_checked(host, port, policy, resolver)  # no lookup to wait for
    lookup = _LOOKUPS.submit(resolve_checked, host, port, policy, resolver)
    try:
        return lookup.result(timeout=_clamp(None, httpcore.ConnectTimeout))
    except FutureTimeout:
        raise httpcore.ConnectTimeout(f"resolving {host} took past the deadline") from None


class DeadlineStream(httpcore.NetworkStream):
    """A socket stream whose every read and write ends by the request's total deadline."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _clamp(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _clamp(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context, server_hostname=None, timeout=None) -> DeadlineStream:
        # server_hostname is the URL's host, not the pinned IP: the certificate is verified
        # against the name the feed was configured with
        inner = self._inner.start_tls(
            ssl_context, server_hostname, _clamp(timeout, httpcore.ConnectTimeout)
        )
        return DeadlineStream(inner)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class GuardedBackend(httpcore.NetworkBackend):
    """Resolve once, check every address, connect only to a checked address."""

    def __init__(self, policy: NetPolicy, resolver: Resolver = system_resolver) -> None:
        self.policy = policy
        self.resolver = resolver
        self._plain = httpcore.SyncBackend()

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        addresses = _resolve_in_time(host, port, self.policy, self.resolver)
        last: Exception | None = None
        for ip in addresses:  # try each checked address, like the resolver's order suggests
            try:
                stream = self._plain.connect_tcp(
                    str(ip),
                    port,
                    _clamp(timeout, httpcore.ConnectTimeout),
                    local_address,
                    socket_options,
                )
                return DeadlineStream(stream)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
        assert last is not None
        raise last

    def connect_unix_socket(self, path, timeout=None, socket_options=None):
        raise Refused("refused: unix sockets are not fetched")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class GuardedTransport(httpx.HTTPTransport):
    """httpx's transport with the connection pool swapped for one on `GuardedBackend`.

    httpx does not take a network backend as an argument, so the pool it builds is replaced;
    everything above the pool (request/response mapping, error mapping) stays httpx's own."""

    def __init__(
        self,
        policy: NetPolicy,
        limits: httpx.Limits,
        resolver: Resolver = system_resolver,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        super().__init__(trust_env=False, limits=limits)  # no proxy from the environment
        self._pool = httpcore.ConnectionPool(
            # verifying, always: `ssl_context` only lets a caller trust another CA
            ssl_context=ssl_context or httpx.create_ssl_context(trust_env=False),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=GuardedBackend(policy, resolver),
        )
