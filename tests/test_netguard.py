"""The address guard: the decision for every notation, pinning against DNS rebinding, TLS
still verified against the host name while connecting to a pinned address."""

from __future__ import annotations

import ipaddress
import shutil
import ssl
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from monitor import fetch, netguard
from monitor.config import load_settings
from monitor.netguard import NetPolicy, Refused, blocked_reason, check_url, literal_address

STRICT = NetPolicy()


@pytest.mark.parametrize(
    "host, address",
    [
        ("127.0.0.1", "127.0.0.1"),
        ("2130706433", "127.0.0.1"),  # decimal
        ("0177.0.0.1", "127.0.0.1"),  # octal
        ("0x7f.1", "127.0.0.1"),  # hex, shortened
        ("0x7f000001", "127.0.0.1"),
        ("127.1", "127.0.0.1"),  # shortened
        ("[::ffff:127.0.0.1]", "::ffff:7f00:1"),
        ("[::127.0.0.1]", "::7f00:1"),
        ("[fe80::1%eth0]", "fe80::1"),
        ("news.example", None),
        ("1e100.net", None),
        ("deadbeef", None),
    ],
)
def test_literal_addresses_in_every_notation(host, address):
    got = literal_address(host)
    assert (str(got) if got else None) == address


@pytest.mark.parametrize(
    "address, reason",
    [
        ("10.0.0.5", "a private address"),
        ("172.16.3.4", "a private address"),
        ("192.168.1.1", "a private address"),
        ("127.0.0.1", "a loopback address"),
        ("127.255.0.9", "a loopback address"),
        ("0.0.0.0", "an unspecified address"),
        ("169.254.1.1", "a link-local address"),
        ("169.254.169.254", "a cloud metadata address"),
        ("100.100.100.200", "a cloud metadata address"),
        ("192.0.0.192", "a cloud metadata address"),
        ("224.0.0.251", "a multicast address"),
        ("239.255.255.250", "a multicast address"),
        ("100.64.0.1", "a carrier-grade NAT address"),
        ("240.0.0.1", "a reserved address"),
        ("255.255.255.255", "a reserved address"),
        ("198.18.0.1", "a private address"),  # benchmarking range
        ("::1", "a loopback address"),
        ("::", "an unspecified address"),
        ("fe80::1", "a link-local address"),
        ("fc00::1", "a private address"),
        ("fd00:ec2::254", "a cloud metadata address"),
        ("fec0::1", "a site-local address"),
        ("ff02::1", "a multicast address"),
        ("::ffff:127.0.0.1", "a loopback address (it carries 127.0.0.1)"),
        ("::ffff:10.1.2.3", "a private address (it carries 10.1.2.3)"),
        ("::127.0.0.1", "a loopback address (it carries 127.0.0.1)"),
        ("64:ff9b::a9fe:a9fe", "a cloud metadata address (it carries 169.254.169.254)"),
        ("2002:7f00:1::", "a loopback address (it carries 127.0.0.1)"),  # 6to4
        ("2001:db8::1", "a private address"),  # documentation
    ],
)
def test_blocked_addresses_say_why(address, reason):
    assert blocked_reason(ipaddress.ip_address(address)) == reason


@pytest.mark.parametrize(
    "address",
    [
        "93.184.215.14",
        "8.8.8.8",
        "1.1.1.1",
        "2606:4700:4700::1111",
        "::ffff:8.8.8.8",
        "64:ff9b::808:808",
        "2002:808:808::",
    ],
)
def test_public_addresses_pass(address):
    assert blocked_reason(ipaddress.ip_address(address)) is None


@pytest.mark.parametrize(
    "url, message",
    [
        ("http://2130706433/feed", "refused: 2130706433 (127.0.0.1) is a loopback address"),
        ("http://0177.0.0.1/", "refused: 0177.0.0.1 (127.0.0.1) is a loopback address"),
        ("http://0x7f.1/", "refused: 0x7f.1 (127.0.0.1) is a loopback address"),
        ("http://127.1:8080/", "refused: 127.1 (127.0.0.1) is a loopback address"),
        ("http://[::ffff:127.0.0.1]/", "refused: ::ffff:127.0.0.1 is a loopback address"),
        ("http://[::127.0.0.1]/", "refused: ::127.0.0.1 is a loopback address"),
        ("https://10.0.0.5/rss", "refused: 10.0.0.5 is a private address"),
        ("ftp://news.example/feed", "is not an http(s) URL"),
        ("file:///etc/passwd", "is not an http(s) URL"),
        ("gopher://127.0.0.1:6379/_SET", "is not an http(s) URL"),
    ],
)
def test_check_url_refuses(url, message):
    with pytest.raises(Refused) as err:
        check_url(url, STRICT)
    assert message in str(err.value)


def test_policy_switches():
    loop = ipaddress.ip_address("127.0.0.1")
    assert STRICT.refusal(loop) == "a loopback address"
    assert NetPolicy(allow_private=True).refusal(loop) is None
    listed = NetPolicy.from_settings(False, ["127.0.0.1/32", "10.1.0.0/16"])
    assert listed.refusal(loop) is None
    assert listed.refusal(ipaddress.ip_address("::ffff:127.0.0.1")) is None  # same address
    assert listed.refusal(ipaddress.ip_address("10.1.200.3")) is None
    assert listed.refusal(ipaddress.ip_address("127.0.0.2")) == "a loopback address"
    assert listed.refusal(ipaddress.ip_address("10.2.0.1")) == "a private address"
    with pytest.raises(ValueError, match="allowed_networks: 'intranet' is not an IP network"):
        NetPolicy.from_settings(False, ["intranet"])


def test_settings_for_private_networks(tmp_path):
    assert load_settings(env={}, settings_file=tmp_path / "none").allow_private_networks is False
    on = load_settings(env={"MONITOR_ALLOW_PRIVATE_NETWORKS": "1"}, settings_file=tmp_path / "x")
    assert on.allow_private_networks is True
    toml = tmp_path / "monitor.toml"
    toml.write_text(
        "[monitor]\nallow_private_networks = true\n"
        'allowed_networks = ["10.0.0.0/8"]\nhost_spacing_s = 0.5\n'
    )
    from_file = load_settings(env={}, settings_file=toml)
    assert from_file.allow_private_networks is True
    assert from_file.allowed_networks == ("10.0.0.0/8",)
    assert from_file.host_spacing_s == 0.5
    env = load_settings(
        env={"MONITOR_ALLOWED_NETWORKS": "127.0.0.1/32, ::1/128"}, settings_file=tmp_path / "x"
    )
    assert env.allowed_networks == ("127.0.0.1/32", "::1/128")


def test_a_name_with_any_forbidden_address_is_refused():
    def resolver(host, port):
        return ["93.184.215.14", "10.0.0.7"]

    with pytest.raises(Refused, match=r"refused: mixed.example \(10.0.0.7\) is a private address"):
        netguard.resolve_checked("mixed.example", 80, STRICT, resolver)


# --- pinning: one lookup, connect to what was checked ------------------------------------------


class _Echo(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        body = f"host={self.headers.get('Host')}".encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def echo_server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def test_dns_rebinding_cannot_swap_the_checked_address(echo_server):
    """A resolver that answers an allowed address first and a forbidden one afterwards (the
    rebinding trick) is asked once per connection; the socket goes to the first answer."""
    answers = iter([["127.0.0.1"], ["10.0.0.9"], ["10.0.0.9"]])
    calls = []

    def rebinding(host, port):
        calls.append(host)
        return next(answers)

    policy = NetPolicy.from_settings(False, ["127.0.0.1/32"])
    port = echo_server.server_address[1]
    with fetch.make_client(5, policy, rebinding) as client:
        out = fetch.fetch(client, f"http://rebind.test:{port}/feed", policy=policy)
    assert out.status == 200 and out.body == f"host=rebind.test:{port}".encode()
    assert calls == ["rebind.test"]


def test_refused_name_never_connects(echo_server):
    policy = NetPolicy()  # nothing private allowed
    port = echo_server.server_address[1]
    with fetch.make_client(5, policy, lambda h, p: ["127.0.0.1"]) as client:
        out = fetch.fetch(client, f"http://sneaky.test:{port}/", policy=policy)
    assert out.refused and out.error == "refused: sneaky.test (127.0.0.1) is a loopback address"


# --- TLS through a pinned connection -----------------------------------------------------------


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory):
    if shutil.which("openssl") is None:
        pytest.skip("openssl not installed")
    d = tmp_path_factory.mktemp("tls")

    def run(*args):
        subprocess.run(["openssl", *args], cwd=d, check=True, capture_output=True)

    run(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=Test CA",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign",
    )
    run(
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=feeds.test",
        "-keyout",
        "srv.key",
        "-out",
        "srv.csr",
    )
    (d / "ext.cnf").write_text("subjectAltName=DNS:feeds.test\n")
    run(
        "x509",
        "-req",
        "-in",
        "srv.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "2",
        "-out",
        "srv.pem",
        "-extfile",
        "ext.cnf",
    )
    return d


@pytest.fixture
def tls_server(tls_files):
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(tls_files / "srv.pem", tls_files / "srv.key")
    httpd.socket = ctx.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def test_https_is_verified_against_the_name_not_the_pinned_address(tls_server, tls_files):
    trust = ssl.create_default_context(cafile=str(tls_files / "ca.pem"))
    policy = NetPolicy.from_settings(False, ["127.0.0.1/32"])
    port = tls_server.server_address[1]

    def resolver(host, port):
        return ["127.0.0.1"]

    with fetch.make_client(5, policy, resolver, ssl_context=trust) as client:
        good = fetch.fetch(client, f"https://feeds.test:{port}/", policy=policy)
        wrong_name = fetch.fetch(client, f"https://other.test:{port}/", policy=policy)
    assert good.status == 200 and good.body == f"host=feeds.test:{port}".encode()
    assert wrong_name.status is None and "CERTIFICATE_VERIFY_FAILED" in wrong_name.error
    with fetch.make_client(5, policy, resolver) as default_trust:  # system CAs: not ours
        untrusted = fetch.fetch(default_trust, f"https://feeds.test:{port}/", policy=policy)
    assert "CERTIFICATE_VERIFY_FAILED" in untrusted.error


def test_a_slow_dns_lookup_is_cut_at_the_deadline():
    def slow_dns(host, port):
        time.sleep(2)
        return ["127.0.0.1"]

    policy = NetPolicy.from_settings(False, ["127.0.0.1/32"])
    started = time.monotonic()
    with fetch.make_client(5, policy, slow_dns) as client:
        out = fetch.fetch(client, "http://slow-dns.test/feed", deadline_s=0.5, policy=policy)
    assert time.monotonic() - started < 1.5  # the lookup alone takes 2 s
    assert out.error.startswith("Timeout: no complete response within the 0.5 s deadline")
