"""The live core: every change someone else must see is one of its commands.

A command validates, writes in one transaction, updates the session's room in
memory and publishes once; routes parse a request, call one command and
render what it returns. The parts, each a module of its own:

``room``, ``state``
    a live session held in memory, and the snapshots audiences render
``loading``, ``cache``
    reading a room from the store, once, and keeping it
``effects``
    carrying out an exercise kind's effects, with who may touch what
``phone``, ``facilitation``, ``groups``, ``planning``
    the commands of phones, of facilitators on a live session, of groups, and
    of changes to the agenda and the programme
``fanout``, ``views``
    rendering once per audience and offering one message per socket
``drawings``, ``wakeups``
    CPU work in a worker process, and waking up when a phase ends
"""

from __future__ import annotations

from workshop.hub import Hub
from workshop.kinds import KindRegistry
from workshop.live.core import Core
from workshop.live.facilitation import FacilitatorCommands
from workshop.live.groups import GroupCommands
from workshop.live.phone import Done, NotJoined, PhoneCommands
from workshop.live.planning import PlanningCommands
from workshop.live.state import LiveState, PhoneState
from workshop.live.views import PhonesView, ScreenView
from workshop.store import Store
from workshop.workers import Workers

__all__ = ["Done", "Live", "LiveState", "NotJoined", "PhoneState", "PhonesView", "ScreenView"]


class Live:
    """The live core of one app: its commands, by who gives them."""

    def __init__(
        self,
        store: Store,
        hub: Hub,
        kinds: KindRegistry,
        phones: PhonesView,
        screens: dict[str, ScreenView],
        workers: Workers | None = None,
    ) -> None:
        self.core = Core(store, hub, kinds, phones, screens, workers)
        self.hub = hub
        self.phone = PhoneCommands(self.core)
        self.facilitator = FacilitatorCommands(self.core)
        self.groups = GroupCommands(self.core)
        self.planning = PlanningCommands(self.core)

    async def shutdown(self) -> None:
        """Stop drawing and waking up for phases (the app is shutting down)."""
        await self.core.shutdown()
