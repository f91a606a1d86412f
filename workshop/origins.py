"""The origins of this server's own pages: the only pages whose websockets it accepts.

They come from the settings, never from the request: a client can send any
``Host`` header, and one that names the ``Origin`` it also sends must not
pass. Allowed are ``--public-url``'s origin and the addresses served: the
``--host`` and ``--port`` given (with ``localhost`` and its addresses for a
loopback host), or, serving every interface, this machine's loopback and LAN
addresses, the LAN one as the join link gives it (read again now and then:
a laptop may change networks during the day).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlsplit

from workshop.settings import EVERY_INTERFACE, Settings, lan_address

_DEFAULT_PORTS = {"http": 80, "https": 443}
_LOOPBACK = ("127.0.0.1", "localhost", "::1")


def origin_of(url: str) -> str | None:
    """``scheme://host[:port]`` of a URL as a browser writes it in an Origin header (lower
    case, no default port), or None when it is no http(s) origin ("null", "")."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if scheme not in _DEFAULT_PORTS or not host:
        return None
    if ":" in host:
        host = f"[{host}]"
    if port is None or port == _DEFAULT_PORTS[scheme]:
        return f"{scheme}://{host}"
    return f"{scheme}://{host}:{port}"


def _served(host: str, port: int) -> str | None:
    return origin_of(f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}")


class Origins:
    """Whether a websocket's Origin is one of this server's own pages."""

    #: Seconds a LAN address read is trusted before it is read again.
    LAN_TTL = 10.0

    def __init__(
        self,
        settings: Settings,
        lan: Callable[[], str] = lan_address,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        hosts = [settings.host]
        self._every_interface = settings.host in EVERY_INTERFACE
        if self._every_interface or settings.host in _LOOPBACK:
            hosts = list(_LOOPBACK)
        found = {_served(h, settings.port) for h in hosts}
        if settings.public_url:
            found.add(origin_of(settings.public_url))
        self.fixed = frozenset(o for o in found if o is not None)
        self._port = settings.port
        self._lan = lan
        self._clock = clock
        self._lan_origin: str | None = None
        self._lan_read = -self.LAN_TTL

    def allows(self, origin: str) -> bool:
        """Whether ``origin`` (an Origin header's value) is one of this server's."""
        found = origin_of(origin)
        if found is None:
            return False
        return found in self.fixed or (self._every_interface and found == self._lan_now())

    def _lan_now(self) -> str | None:
        now = self._clock()
        if now - self._lan_read >= self.LAN_TTL:
            self._lan_origin = _served(self._lan(), self._port)
            self._lan_read = now
        return self._lan_origin
