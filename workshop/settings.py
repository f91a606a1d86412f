"""How one Samling server is configured: command-line flags over environment variables."""

from __future__ import annotations

import datetime as dt
import os
import socket
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

ENV_HOST = "SAMLING_HOST"
ENV_PORT = "SAMLING_PORT"
ENV_DB = "SAMLING_DB"
ENV_PUBLIC_URL = "SAMLING_PUBLIC_URL"
ENV_PLUGINS = "SAMLING_PLUGINS"
ENV_ACCESSIBILITY_CONTACT = "SAMLING_ACCESSIBILITY_CONTACT"
#: Addresses that mean "every interface": phones reach such a server at the LAN address.
EVERY_INTERFACE = ("0.0.0.0", "::", "")  # noqa: S104


@dataclass(frozen=True)
class Settings:
    db_path: Path = Path("samling.db")
    host: str = "0.0.0.0"  # noqa: S104  # phones on the venue wifi must reach the laptop
    port: int = 8000
    public_url: str | None = None
    #: Modules with a ``register(registry)`` function adding exercise kinds, in order
    #: (``SAMLING_PLUGINS``, comma-separated; the built-in kinds are ``exercises``).
    plugins: tuple[str, ...] = ("exercises",)
    #: Where the accessibility statement sends visitors who meet a barrier: an e-mail
    #: address or a web address the operator answers (``SAMLING_ACCESSIBILITY_CONTACT``).
    #: Without it the statement asks them to contact whoever runs the workshop.
    accessibility_contact: str | None = None
    #: Largest request body accepted, in bytes (an agenda file is a few KB).
    max_body_bytes: int = 1_000_000
    login_lifetime: dt.timedelta = dt.timedelta(hours=12)
    static_dir: Path = ROOT / "static"
    node_modules: Path = ROOT / "node_modules"
    extra: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Settings from SAMLING_* variables, then explicit overrides (flags) on top."""
        values: dict[str, object] = {}
        if ENV_HOST in os.environ:
            values["host"] = os.environ[ENV_HOST]
        if ENV_PORT in os.environ:
            values["port"] = int(os.environ[ENV_PORT])
        if ENV_DB in os.environ:
            values["db_path"] = Path(os.environ[ENV_DB])
        if os.environ.get(ENV_PUBLIC_URL):
            values["public_url"] = os.environ[ENV_PUBLIC_URL]
        if os.environ.get(ENV_ACCESSIBILITY_CONTACT, "").strip():
            values["accessibility_contact"] = os.environ[ENV_ACCESSIBILITY_CONTACT].strip()
        if os.environ.get(ENV_PLUGINS):
            names = [n.strip() for n in os.environ[ENV_PLUGINS].split(",")]
            values["plugins"] = tuple(n for n in names if n)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]

    def join_base_url(self) -> str:
        """Where phones reach this server: --public-url, else the address served (when it
        is one address, loopback included), else this machine's LAN address."""
        if self.public_url:
            return self.public_url.rstrip("/")
        if self.host not in EVERY_INTERFACE:
            host = f"[{self.host}]" if ":" in self.host else self.host
            return f"http://{host}:{self.port}"
        return f"http://{lan_address()}:{self.port}"


def lan_address() -> str:
    """This machine's address on the local network, or 127.0.0.1 when it has none.

    Connecting a UDP socket sends no packet: it only asks the kernel which
    interface would route to that (documentation-range) address.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))
            address: str = probe.getsockname()[0]
        except OSError:
            return "127.0.0.1"
    return address
