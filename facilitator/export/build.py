"""The record of a session or a programme, read from the store (``record.py`` holds it).

Each exercise's elements come from its kind (``summary``), given the shown responses only:
hidden ones and those still waiting for approval are counted, never put in the record. A
private kind (``KeptPrivate``) gives how many phones wrote, and its responses are never
read. Everything is written in the record's language; times are the server's local time.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence

from facilitator.export.record import (
    AgendaRow,
    ExerciseRecord,
    ProgrammeRecord,
    SessionRecord,
    Sheet,
)
from workshop.clock import now
from workshop.i18n import gettext, ngettext
from workshop.i18n import language as in_language
from workshop.kinds import (
    ExerciseKind,
    KindRegistry,
    ResponseRecord,
    Settings,
    anonymous,
    compared_across_sessions,
    drafted,
    in_groups,
    kept_private,
    tabulated,
)
from workshop.models import AgendaItem, Group
from workshop.store import Store
from workshop.store.records import ItemCounts, Sent
from workshop.summary import Cell, Element, Entries, Entry, Paragraph, Part, SummaryContext

_NONE = ItemCounts(0, 0, 0)


class NotFound(LookupError):
    """No session or programme with that id."""


def local(moment: dt.datetime) -> dt.datetime:
    """A stored moment (UTC) in the server's local time."""
    return moment.astimezone()


async def session_record(
    store: Store, kinds: KindRegistry, session_id: int, language: str
) -> SessionRecord:
    """The record of one session, in ``language`` ("nb", "en"); NotFound if there is none."""
    with in_language(language):
        return await _session(store, kinds, session_id, language)


async def programme_record(
    store: Store, kinds: KindRegistry, programme_id: int, language: str
) -> ProgrammeRecord:
    """The record of a programme: its sessions by date, what its kinds compare across
    them, and what each network group added across them."""
    with in_language(language):
        found = await store.records.programme(programme_id)
        if found is None:
            raise NotFound(f"no programme {programme_id}")
        title, client = found
        sessions = await store.programmes.sessions(programme_id)
        records = [await _session(store, kinds, s.id, language) for s in sessions]
        across = [
            *await _compared(store, kinds, [s.id for s in sessions], records),
            *await _network_points(store, kinds, programme_id, records),
        ]
        return ProgrammeRecord(
            programme_id=programme_id,
            title=title,
            client=client,
            language=language,
            sessions=tuple(records),
            across=tuple(across),
            made_at=local(now()),
        )


# -- one session ------------------------------------------------------------------------


async def _session(
    store: Store, kinds: KindRegistry, session_id: int, language: str
) -> SessionRecord:
    facts = await store.records.session(session_id)
    if facts is None:
        raise NotFound(f"no session {session_id}")
    session = facts.session
    items = await store.agenda.items(session_id)
    counts = await store.records.counts(session_id)
    groups = await _groups(store, session.programme_id, session_id)
    names = {g.id: g.name for g in groups}
    phones = {p.id: p.group_id for p in await store.groups.participants(session_id)}
    exercises = []
    for item in items:
        kind = kinds.get(item.exercise_kind or "") if item.kind == "exercise" else None
        if kind is not None:
            exercises.append(
                await _exercise(store, kind, item, counts.get(item.id, _NONE), names, phones)
            )
    return SessionRecord(
        session_id=session_id,
        title=session.title,
        date=session.date,
        place=session.place,
        programme=facts.programme_title,
        client=facts.client,
        language=language,
        agenda=_agenda(items, kinds, facts.closed_at),
        exercises=tuple(exercises),
        joined=facts.joined,
        answered=facts.answered,
        made_at=local(now()),
    )


async def group_names(store: Store, programme_id: int, session_id: int) -> dict[int, str]:
    """Group id → name, for every group the session's responses and versions may name."""
    return {g.id: g.name for g in await _groups(store, programme_id, session_id)}


async def _groups(store: Store, programme_id: int, session_id: int) -> list[Group]:
    """Every group the session's responses may name: its own, then its programme's."""
    found = {g.id: g for g in await store.groups.of_session(session_id)}
    for group in await store.groups.of_programme(programme_id):
        found.setdefault(group.id, group)
    return list(found.values())


def _kind_label(item: AgendaItem, kinds: KindRegistry) -> str:
    if item.kind == "talk":
        return gettext("Talk")
    if item.kind == "break":
        return gettext("Break")
    kind = kinds.get(item.exercise_kind or "")
    return gettext(kind.label) if kind is not None else gettext("Exercise")


def _agenda(
    items: Sequence[AgendaItem], kinds: KindRegistry, closed_at: dt.datetime | None
) -> tuple[AgendaRow, ...]:
    """The agenda as planned and as it ran: an item took until the next one began (in the
    order they began) or the session closed."""
    began = sorted((i.actual_start, i.id) for i in items if i.actual_start is not None)
    until: dict[int, dt.datetime | None] = {}
    # Each item ends when the next one began; the last one when the session closed.
    ends: list[dt.datetime | None] = [*(start for start, _id in began[1:]), closed_at]
    for (_start, item_id), end in zip(began, ends[: len(began)], strict=True):
        until[item_id] = end
    rows = []
    for item in items:
        took = None
        end = until.get(item.id)
        if item.actual_start is not None and end is not None:
            took = max(0, round((end - item.actual_start).total_seconds() / 60))
        rows.append(
            AgendaRow(
                title=item.title,
                kind=_kind_label(item, kinds),
                planned_start=item.start,
                planned_minutes=item.duration_min,
                actual_start=local(item.actual_start) if item.actual_start else None,
                took_minutes=took,
            )
        )
    return tuple(rows)


async def _exercise(
    store: Store,
    kind: ExerciseKind,
    item: AgendaItem,
    counts: ItemCounts,
    names: dict[int, str],
    phones: dict[int, int | None],
) -> ExerciseRecord:
    label = gettext(kind.label)
    if kept_private(kind):
        wrote = ngettext(
            "%(num)d phone wrote reflections", "%(num)d phones wrote reflections", counts.phones
        )
        return ExerciseRecord(
            item_id=item.id,
            title=item.title,
            kind=label,
            elements=(Paragraph(wrote),),
            phones=counts.phones,
            shown=0,
            hidden=0,
            sheet=None,
        )
    sent = await store.records.shown(item.id)
    themes = [(t.id, t.name) for t in await store.responses.themes(item.id)]
    curation = await store.responses.curation(item.id)
    drafts = (
        await store.drafts.until_session(item.session_id, kind.thread(item.settings))
        if drafted(kind)
        else ()
    )
    context = SummaryContext(groups=names, themes=themes, drafts=tuple(drafts))
    responses = [s.response for s in sent]
    elements = tuple(kind.summary(item.settings, responses, curation, context))
    return ExerciseRecord(
        item_id=item.id,
        title=item.title,
        kind=label,
        elements=elements,
        phones=counts.phones,
        shown=counts.shown,
        hidden=counts.hidden,
        sheet=_sheet(kind, item.settings, sent, names, phones),
    )


def _plain(value: object) -> Cell:
    if value is None or isinstance(value, str | int | float):
        return value
    return json.dumps(value, ensure_ascii=False)


def _sort_key(row: Sequence[Cell]) -> tuple[tuple[int, float, str], ...]:
    """Rows in order of their cells: numbers as numbers, texts as texts, blanks last."""
    return tuple(
        (2, 0.0, "")
        if c is None
        else (0, float(c), "")
        if isinstance(c, int | float)
        else (1, 0.0, c.casefold())
        for c in row
    )


def _sheet(
    kind: ExerciseKind,
    settings: Settings,
    sent: Sequence[Sent],
    names: dict[int, str],
    phones: dict[int, int | None],
) -> Sheet:
    """A row per shown response: when it was sent, its group (the list it is on, else its
    phone's group), then the kind's columns, or a column per field of the values."""
    if tabulated(kind):
        headers = tuple(kind.columns(settings))

        def cells(response: ResponseRecord) -> tuple[Cell, ...]:
            return tuple(kind.cells(settings, response.value))
    else:
        fields = list(dict.fromkeys(k for s in sent for k in s.response.value))
        headers = tuple(fields)

        def cells(response: ResponseRecord) -> tuple[Cell, ...]:
            return tuple(_plain(response.value.get(k)) for k in fields)

    if anonymous(kind):
        # No time, no group, and sorted: nothing says which responses came from one phone.
        body = sorted((cells(s.response) for s in sent), key=_sort_key)
        return Sheet(headers, tuple(body))
    rows = []
    for item in sent:
        response = item.response
        group = response.group_id or phones.get(response.participant_id)
        rows.append(
            (
                local(item.sent_at).strftime("%Y-%m-%d %H:%M:%S"),
                names.get(group, "") if group is not None else "",
                *cells(response),
            )
        )
    return Sheet((gettext("Time"), gettext("Group"), *headers), tuple(rows))


# -- across a programme's sessions ------------------------------------------------------------


async def _compared(
    store: Store,
    kinds: KindRegistry,
    session_ids: Sequence[int],
    records: Sequence[SessionRecord],
) -> list[Element]:
    """Per kind compared across sessions (ComparedAcrossSessions): its comparison of every item of
    it, in the sessions' order."""
    found: dict[str, list[tuple[str, Settings, Sequence[ResponseRecord]]]] = {}
    for session_id, record in zip(session_ids, records, strict=True):
        for item in await store.agenda.items(session_id):
            kind = kinds.get(item.exercise_kind or "") if item.kind == "exercise" else None
            compared = kind is not None and compared_across_sessions(kind)
            if kind is None or kept_private(kind) or not compared:
                continue
            shown = [s.response for s in await store.records.shown(item.id)]
            found.setdefault(kind.name, []).append((record.title, item.settings, shown))
    parts: list[Element] = []
    for name, items in found.items():
        kind = kinds.get(name)
        label = gettext(kind.label) if kind is not None else name
        if kind is not None and compared_across_sessions(kind):
            parts.append(Part(label, tuple(kind.compare(items))))
    return parts


async def _network_points(
    store: Store,
    kinds: KindRegistry,
    programme_id: int,
    records: Sequence[SessionRecord],
) -> list[Element]:
    """Per network group of the programme: its responses in each session's exercises done in
    groups (a part per session's item), in the sessions' order."""
    network = await store.groups.of_programme(programme_id)
    per_group: dict[int, list[Element]] = {g.id: [] for g in network}
    for record in records:
        for item in await store.agenda.items(record.session_id):
            kind = kinds.get(item.exercise_kind or "") if item.kind == "exercise" else None
            grouped = kind is not None and in_groups(kind)
            if kind is None or kept_private(kind) or not grouped:
                continue
            shown = [s.response for s in await store.records.shown(item.id)]
            for group_id, found in per_group.items():
                mine = sorted(
                    (r for r in shown if r.group_id == group_id),
                    key=lambda r: (r.position or 0, r.id),
                )
                if mine:
                    entries = tuple(
                        Entry(_text(kind, item.settings, r), highlighted=r.highlighted)
                        for r in mine
                    )
                    title = f"{record.title}: {item.title}"
                    found.append(Part(title, (Entries(entries, ordered=True),)))
    return [Part(g.name, tuple(per_group[g.id])) for g in network if per_group[g.id]]


def _text(kind: ExerciseKind, settings: Settings, response: ResponseRecord) -> str:
    """A response as one line of text: the kind's cells, else its value's texts."""
    if tabulated(kind):
        cells = kind.cells(settings, response.value)
    else:
        cells = [_plain(v) for v in response.value.values()]
    return " · ".join(str(c) for c in cells if c not in (None, ""))
