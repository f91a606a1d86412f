"""What a programme's page compares across its sessions: the items of the kinds that say
how (``ComparedAcrossSessions``), session by session."""

from __future__ import annotations

from collections.abc import Sequence

from workshop.i18n import gettext
from workshop.kinds import (
    KindRegistry,
    ResponseRecord,
    Settings,
    compared_across_sessions,
    kept_private,
)
from workshop.models import Session
from workshop.store import Store
from workshop.summary import Element

Compared = list[tuple[str, Sequence[Element]]]


async def across(store: Store, kinds: KindRegistry, sessions: Sequence[Session]) -> Compared:
    """Per kind compared across sessions, its label and its comparison of every item of
    it, in the sessions' order (only the shown responses count)."""
    found: dict[str, list[tuple[str, Settings, Sequence[ResponseRecord]]]] = {}
    for session in sessions:
        for item in await store.agenda.items(session.id):
            kind = kinds.get(item.exercise_kind or "") if item.kind == "exercise" else None
            if kind is None or kept_private(kind) or not compared_across_sessions(kind):
                continue
            name = item.exercise_kind or ""
            shown = [sent.response for sent in await store.records.shown(item.id)]
            found.setdefault(name, []).append((session.title, item.settings, shown))
    compared: Compared = []
    for name, items in found.items():
        kind = kinds.get(name)
        label = gettext(kind.label) if kind is not None else name
        if compared_across_sessions(kind):
            compared.append((label, kind.compare(items)))
    return compared
