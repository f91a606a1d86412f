"""The app's services, typed: one accessor instead of untyped ``app.state`` lookups.

The app factory builds one :class:`Services` and puts it on the app; a view
or a socket gets it with ``services(request)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

from starlette.requests import HTTPConnection

from workshop.memory import Trimmer
from workshop.workers import Workers

if TYPE_CHECKING:
    from workshop.auth import Throttle
    from workshop.guesses import WrongCodes
    from workshop.kinds import KindRegistry
    from workshop.live import Live
    from workshop.origins import Origins
    from workshop.qr import QrCache
    from workshop.settings import Settings
    from workshop.store import Store
    from workshop.templating import Templates


@dataclass
class Services:
    settings: Settings
    store: Store
    kinds: KindRegistry
    templates: Templates
    live: Live
    qr: QrCache
    throttle: Throttle
    wrong_codes: WrongCodes
    #: The origins of the server's own pages (websockets accept only these).
    origins: Origins
    #: The processes that write exports, at a lower priority than the server: a summary
    #: never delays a live session's phones or drawings (two: a PDF prints in halves).
    exports: Workers = field(default_factory=lambda: Workers(2, nice=10))
    #: Hands freed memory back to the system after a wave of closed sockets.
    trimmer: Trimmer = field(default_factory=Trimmer.of_this_system)
    #: Signs phone cookies and tokens; read from the store when the app starts.
    secret: str = field(default="", repr=False)


def services(connection: HTTPConnection) -> Services:
    """The services of the app serving this request or socket."""
    return cast("Services", connection.app.state.services)
