"""The origins a websocket is accepted from: the server's own, never the request's Host."""

from __future__ import annotations

from workshop.origins import Origins, origin_of
from workshop.settings import Settings


class Lan:
    def __init__(self, address: str) -> None:
        self.address = address
        self.reads = 0

    def __call__(self) -> str:
        self.reads += 1
        return self.address


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_origins_are_compared_as_browsers_write_them() -> None:
    assert origin_of("HTTP://Example.ORG:80/path?q") == "http://example.org"
    assert origin_of("https://example.org:443") == "https://example.org"
    assert origin_of("https://example.org:8443/") == "https://example.org:8443"
    assert origin_of("http://[::1]:8000") == "http://[::1]:8000"
    for bad in ("", "null", "file:///etc", "http://", "http://x:99999", "javascript:x"):
        assert origin_of(bad) is None, bad


def test_one_address_served() -> None:
    origins = Origins(Settings(host="192.168.1.5", port=8000), lan=Lan("10.9.9.9"))
    assert origins.allows("http://192.168.1.5:8000")
    for other in ("http://10.9.9.9:8000", "http://localhost:8000", "https://192.168.1.5:8000"):
        assert not origins.allows(other), other


def test_a_loopback_host_is_also_localhost() -> None:
    origins = Origins(Settings(host="127.0.0.1", port=9000), lan=Lan("10.9.9.9"))
    for own in ("http://127.0.0.1:9000", "http://localhost:9000", "http://[::1]:9000"):
        assert origins.allows(own), own
    assert not origins.allows("http://127.0.0.1:8000")


def test_every_interface_means_loopback_and_the_lan_address_of_the_join_link() -> None:
    lan, clock = Lan("192.168.1.5"), Clock()
    origins = Origins(Settings(host="0.0.0.0", port=8000), lan=lan, clock=clock)  # noqa: S104
    assert origins.allows("http://localhost:8000")
    assert origins.allows("http://192.168.1.5:8000")
    assert not origins.allows("http://0.0.0.0:8000")
    assert not origins.allows("http://evil.example:8000")
    # The laptop moves to another network: the new address is allowed once read again.
    lan.address = "10.0.0.7"
    clock.now += Origins.LAN_TTL
    assert origins.allows("http://10.0.0.7:8000")
    assert not origins.allows("http://192.168.1.5:8000")
    reads = lan.reads
    for _ in range(100):
        origins.allows("http://10.0.0.7:8000")
    assert lan.reads == reads  # not once per handshake


def test_the_public_url_is_allowed_beside_the_addresses_served() -> None:
    settings = Settings(host="127.0.0.1", port=8000, public_url="https://samling.example.org/")
    origins = Origins(settings, lan=Lan("10.9.9.9"))
    assert origins.allows("https://samling.example.org")
    assert origins.allows("http://127.0.0.1:8000")
    assert not origins.allows("http://samling.example.org")
