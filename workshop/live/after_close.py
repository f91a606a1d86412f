"""When the items that stay open after their session closes (``OpenAfterClose``) close."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from workshop.clock import now
from workshop.kinds import KindRegistry, open_after_close
from workshop.models import AgendaItem, Session
from workshop.store import Store


async def _day(store: Store, session: Session) -> dt.date:
    """The session's day: its date, else the day it closed (the server's local time)."""
    if session.date is not None:
        return session.date
    facts = await store.records.session(session.id)
    closed = facts.closed_at if facts is not None else None
    return (closed or now()).astimezone().date()


async def deadlines(
    store: Store, kinds: KindRegistry, session: Session, items: Sequence[AgendaItem]
) -> list[tuple[AgendaItem, dt.datetime]]:
    """The agenda's items that stay open after the session closes, with until when, in the
    agenda's order (the day is read only when there is one)."""
    found = [(item, kinds.get(item.exercise_kind or "")) for item in items]
    if not any(open_after_close(kind) for _item, kind in found):
        return []
    day = await _day(store, session)
    ends = []
    for item, kind in found:
        if open_after_close(kind):
            until = kind.open_until(item.settings, day)
            if until is not None:
                ends.append((item, until))
    return ends


def still_open(
    ends: Sequence[tuple[AgendaItem, dt.datetime]], at: dt.datetime
) -> tuple[AgendaItem, dt.datetime] | None:
    """The last of them still open at ``at``."""
    open_now = [(item, until) for item, until in ends if at < until]
    return open_now[-1] if open_now else None
