"""How each audience looks: the renders the fan-out asks of the role packages.

The phone and facilitator packages implement these and the app factory hands
them to the live core; the core never knows what a page looks like, and the
views never know one exercise kind from another. Every render returns
top-level elements with stable ids and ``hx-swap-oob``, so messages can be
joined into one and swapped in as they come.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any, Protocol

from workshop.kinds import ResponseRecord
from workshop.live.state import LiveState, PhoneState
from workshop.models import Group


class PhonesView(Protocol):
    """How the phones see the session."""

    def stage(self, state: LiveState) -> str:
        """What every phone of a language sees: the item, the countdown, and empty
        regions for the parts of a phone's own (filled in by :meth:`own`)."""
        ...

    def shared(self, state: LiveState) -> str:
        """What every phone sees of the item's responses (``phones_see = "room"``)."""
        ...

    def group(self, state: LiveState, group: Group | None) -> str:
        """What a group's phones see of its list (``phones_see = "group"``)."""
        ...

    def own(self, phone: PhoneState) -> str:
        """One phone's own regions: its answers and its own part (role, note, votes)."""
        ...

    def region(self, phone: PhoneState, name: str, **extra: Any) -> str:
        """One region of one phone's page (or a block of its kind's template), as an
        answer to that phone's own request; ``extra`` holds ``problem``, ``errors``..."""
        ...


class ScreenView(Protocol):
    """How a screen (the presenter, the control panel) sees the session."""

    def full(self, state: LiveState) -> str:
        """The whole screen."""
        ...

    def results(self, state: LiveState, added: Sequence[ResponseRecord]) -> str:
        """After responses changed: the new ones appended (kinds that append), the
        result re-rendered (the others), and the counts."""
        ...

    def counts(self, state: LiveState, changed: Collection[int]) -> str:
        """After phones joined, connected or left: the counts, and what the screen
        shows of those phones (only those)."""
        ...
