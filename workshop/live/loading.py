"""Reading a live session's room from the store: the only read a room needs.

The reads run side by side on the store's reader connections. A command that
commits while they run is applied to the fresh room afterwards as well
(``workshop.live.cache``), so whatever a read missed is not lost.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import lru_cache

from workshop import blocklist
from workshop.kinds import KindRegistry, drafted
from workshop.live.after_close import deadlines
from workshop.live.room import Room
from workshop.store import Store


@lru_cache(maxsize=256)
def _matcher(words: tuple[str, ...]) -> Callable[[str], bool]:
    """A programme's blocklist as a test (compiled once per list of words)."""
    return blocklist.matcher(words)


async def load_room(
    store: Store, kinds: KindRegistry, session_id: int, item_id: int | None = None
) -> Room | None:
    """The session's room as stored now (None: no such session), with its current item,
    or the item ``item_id`` as current (an item still open after the session closed)."""
    session = await store.live.session(session_id)
    if session is None:
        return None
    items, groups, phones, words, language = await asyncio.gather(
        store.agenda.items(session_id),
        store.groups.of_session(session_id),
        store.groups.participants(session_id),
        store.programmes.blocklist(session.programme_id),
        store.programmes.language(session.programme_id),
    )
    current = session.current_item_id if item_id is None else item_id
    item = next((i for i in items if i.id == current), None)
    kind = kinds.get(item.exercise_kind or "") if item is not None else None
    room = Room(
        session=session,
        items=items,
        item=item,
        kind=kind,
        participants={p.id: p for p in phones},
        groups=groups,
        blocked=_matcher(tuple(words)),
        programme_language=language,
    )
    if session.live_state == "closed" and item_id is None:
        room.tallies = await store.responses.tallies(session_id)
        # What its phones are told: an item they can still answer after the close.
        room.ends = await deadlines(store, kinds, session, items)
    if item is None or kind is None:
        return room
    keyed, themes, curation, votes, roles, notes = await asyncio.gather(
        store.responses.keyed_for_item(item.id),
        store.responses.themes(item.id),
        store.responses.curation(item.id),
        store.responses.votes(item.id),
        store.groups.roles(item.id),
        store.groups.notes(item.id),
    )
    for record, key in keyed:
        room.put_response(item.id, record, key)
    room.themes = themes
    room.curation = curation
    for participant_id, response_id in votes:
        room.voted.setdefault(participant_id, set()).add(response_id)
    room.roles = roles
    room.notes = notes
    if drafted(kind):
        thread = kind.thread(item.settings)
        for draft in await store.drafts.of_thread(session.programme_id, thread):
            room.drafts[draft.id] = draft
    return room
