"""The record of a day, built from a real store: a session that ran every kind of
exercise (answers hidden, held for approval, highlighted, in themes, voted for, in groups),
and a programme of two sessions compared. Closing through the app keeps when it closed."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from exercises.open_text import OpenText
from exercises.scale import Scale
from facilitator.export.build import NotFound, programme_record, session_record
from facilitator.export.record import ExerciseRecord, SessionRecord
from tests.conftest import Facilitator, _with_store, run
from workshop import agenda_toml
from workshop.app import kind_registry
from workshop.kinds import KindRegistry, ResponseRecord, Settings
from workshop.models import AgendaItem, ItemFields
from workshop.store import Store
from workshop.summary import (
    BarChart,
    CloudChart,
    Element,
    Entries,
    Entry,
    Paragraph,
    Part,
    Prompt,
    RadarChart,
    Table,
)

HOSTILE = '=HYPERLINK("http://x") æøå 🙂 \u202eevil'
SECRET = "MARKER-private-reflection-7f3a"
START = dt.datetime(2027, 3, 14, 8, 0, tzinfo=dt.UTC)


class Private(OpenText):
    """A kind whose responses only their author reads (as reflections are)."""

    name = "private_note"

    def kept_private(self) -> bool:
        """Only the author reads them."""
        return True


class Rated(Scale):
    """A scale compared across a programme's sessions (as the evaluation is)."""

    name = "rated"

    def compare(
        self, items: Sequence[tuple[str, Settings, Sequence[ResponseRecord]]]
    ) -> Sequence[Element]:
        """A row per session: its title and the mean of the first statement."""
        rows = []
        for title, _settings, responses in items:
            ratings = [r.value["ratings"][0] for r in responses]
            rows.append((title, sum(ratings) / len(ratings) if ratings else None))
        return (Table(("Session", "Mean"), tuple(rows)),)


def registry() -> KindRegistry:
    kinds = kind_registry(("exercises",))
    kinds.add(Private())
    kinds.add(Rated())
    return kinds


KINDS = registry()

AGENDA = """samling_agenda = 1

[[item]]
title = "Welcome"
start = "08:00"
duration = 10
kind = "talk"

[[item]]
title = "Expectations"
start = "08:10"
duration = 15
kind = "exercise"
exercise = "open_text"
[item.settings]
question = "What matters most today?"
answers_per_phone = 3

[[item]]
title = "One word"
duration = 5
kind = "exercise"
exercise = "word_cloud"
[item.settings]
question = "One word for leadership"

[[item]]
title = "Sides"
duration = 5
kind = "exercise"
exercise = "choice"
[item.settings]
question = "Which side matters most?"
options = ["Lead", "Follow", "Share"]

[[item]]
title = "Wheel"
duration = 5
kind = "exercise"
exercise = "scale"
[item.settings]
statements = ["Listening", "Deciding", "Sharing"]

[[item]]
title = "Platform"
duration = 5
kind = "exercise"
exercise = "points"
[item.settings]
question = "What should the platform do?"
options = ["Meet", "Learn"]

[[item]]
title = "Questions"
duration = 10
kind = "exercise"
exercise = "qa"
[item.settings]
question = "Ask the panel"

[[item]]
title = "In groups"
duration = 20
kind = "exercise"
exercise = "group_work"
[item.settings]
task = "What makes good leadership?"
[[item.settings.phases]]
name = "Round"
minutes = 20
mode = "group"

[[item]]
title = "Lunch"
duration = 30
kind = "break"

[[item]]
title = "Notes to self"
duration = 5
kind = "exercise"
exercise = "private_note"
[item.settings]
question = "What will you practise?"

[[item]]
title = "Rating"
duration = 5
kind = "exercise"
exercise = "rated"
[item.settings]
statements = ["The day"]
"""


class Day:
    """A session run on a real store, its clock moved by hand."""

    def __init__(self, store: Store, clock: list[dt.datetime]) -> None:
        self.store = store
        self.clock = clock
        self.keys = 0

    async def setup(self, programme_id: int, title: str, date: dt.date) -> None:
        self.session = await self.store.programmes.create_session(
            programme_id, title, date, "Town hall"
        )
        await self.store.agenda.replace(self.session.id, agenda_toml.load(AGENDA, KINDS))
        self.items = {i.title: i for i in await self.store.agenda.items(self.session.id)}
        await self.store.live.start(self.session.id)

    async def go_to(self, title: str, after_minutes: int) -> AgendaItem:
        self.clock[0] += dt.timedelta(minutes=after_minutes)
        async with self.store.transaction() as tx:
            await self.store.live.go_to(tx, self.session.id, self.items[title].id)
        return self.items[title]

    async def answer(
        self, item: AgendaItem, phone: int, value: dict[str, Any], **kw: Any
    ) -> ResponseRecord:
        self.keys += 1
        async with self.store.transaction() as tx:
            found = await self.store.responses.insert(
                tx,
                session_id=self.session.id,
                item_id=item.id,
                participant_id=phone,
                idem_key=f"k{self.keys}",
                value=value,
                limit=50,
                **kw,
            )
        assert found is not None
        return found

    async def close(self, after_minutes: int) -> None:
        self.clock[0] += dt.timedelta(minutes=after_minutes)
        async with self.store.transaction() as tx:
            await self.store.live.close(tx, self.session.id)


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    found = Store(tmp_path / "record.db")
    await found.open()
    yield found
    await found.close()


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[dt.datetime]:
    moment = [START]
    monkeypatch.setattr("workshop.store.live.now", lambda: moment[0])
    monkeypatch.setattr("workshop.store.responses.now", lambda: moment[0])
    return moment


async def run_day(store: Store, clock: list[dt.datetime]) -> tuple[Day, dict[str, int]]:
    """A day with five phones (four answer), two network groups, every kind."""
    owner = await store.accounts.create("anna", "Anna", "x", "en")
    programme = await store.programmes.create(owner.id, "Leadership 2027", "Example town")
    birch = await store.groups.create(programme.id, "Birch")
    rowan = await store.groups.create(programme.id, "Rowan")
    day = Day(store, clock)
    await day.setup(programme.id, "Day one", dt.date(2027, 3, 14))
    phones = [
        (await store.groups.join(day.session.id, f"P{n}", (birch, rowan)[n % 2].id)).id
        for n in range(5)
    ]
    ids: dict[str, int] = {"programme": programme.id, "birch": birch.id, "rowan": rowan.id}

    item = await day.go_to("Expectations", 12)
    shown = await day.answer(item, phones[0], {"text": "Trust in the team"})
    await day.answer(item, phones[1], {"text": HOSTILE})
    themed = await day.answer(item, phones[2], {"text": "Time to think"})
    hidden = await day.answer(item, phones[3], {"text": "HIDDEN-rude-answer"})
    await day.answer(item, phones[3], {"text": "PENDING-held-answer"}, pending=True)
    async with store.transaction() as tx:
        theme = await store.responses.add_theme(tx, item.id, "Time")
        await store.responses.mark(tx, item.id, hidden.id, hidden=True)
        await store.responses.mark(tx, item.id, shown.id, highlighted=True)
        await store.responses.mark(tx, item.id, themed.id, theme_id=theme.id)

    item = await day.go_to("One word", 20)
    for n, word in enumerate(["Trust", "trust!", "Courage", "Noise"]):
        await day.answer(item, phones[n], {"text": word})
    async with store.transaction() as tx:
        await store.responses.set_curation(tx, item.id, {"merges": {}, "hidden": ["noise"]})

    item = await day.go_to("Sides", 5)
    for n, picks in enumerate([[0], [0], [2]]):
        await day.answer(item, phones[n], {"choices": picks})

    item = await day.go_to("Wheel", 5)
    for n, ratings in enumerate([[5, 2, 3], [4, 2, 4]]):
        await day.answer(item, phones[n], {"ratings": ratings})

    item = await day.go_to("Platform", 5)
    await day.answer(item, phones[0], {"points": [30, 70]})

    item = await day.go_to("Questions", 5)
    asked = await day.answer(item, phones[0], {"text": "Why now?", "name": "Kari"})
    popular = await day.answer(item, phones[1], {"text": "Who decides?", "name": ""})
    async with store.transaction() as tx:
        for voter in phones[2:4]:
            await store.responses.set_vote(tx, item.id, popular.id, voter, True)
        await store.responses.set_curation(tx, item.id, {"answered": [asked.id]})

    item = await day.go_to("In groups", 10)
    await day.answer(item, phones[0], {"text": "Rowan's first point"}, group_id=rowan.id)
    await day.answer(item, phones[1], {"text": "Birch's first point"}, group_id=birch.id)
    await day.answer(item, phones[3], {"text": "Birch's second point"}, group_id=birch.id)

    await day.go_to("Lunch", 20)
    item = await day.go_to("Notes to self", 30)
    await day.answer(item, phones[0], {"text": SECRET})
    item = await day.go_to("Rating", 5)
    await day.answer(item, phones[0], {"ratings": [4]})
    await day.answer(item, phones[1], {"ratings": [5]})
    await day.close(7)
    return day, ids


def exercise(record: SessionRecord, title: str) -> ExerciseRecord:
    return next(e for e in record.exercises if e.title == title)


def entry_texts(elements: Sequence[Element]) -> list[str]:
    found: list[str] = []
    for element in elements:
        if isinstance(element, Entries):
            found += [e.text for e in element.entries]
        elif isinstance(element, Part):
            found += entry_texts(element.elements)
    return found


async def test_a_session_record_holds_every_shown_answer_and_counts_the_rest(
    store: Store, clock: list[dt.datetime]
) -> None:
    day, ids = await run_day(store, clock)
    record = await session_record(store, KINDS, day.session.id, "en")

    assert (record.title, record.date, record.place) == (
        "Day one",
        dt.date(2027, 3, 14),
        "Town hall",
    )
    assert (record.programme, record.client, record.language) == (
        "Leadership 2027",
        "Example town",
        "en",
    )
    assert (record.joined, record.answered) == (5, 4)

    # The agenda as it ran: each item took until the next began, the last until the close.
    rows = {row.title: row for row in record.agenda}
    assert rows["Welcome"].kind == "Talk" and rows["Lunch"].kind == "Break"
    assert rows["Expectations"].kind == "Open text"
    assert rows["Welcome"].planned_start == dt.time(8, 0) and rows["Welcome"].planned_minutes == 10
    assert rows["Welcome"].actual_start == START.astimezone()
    assert rows["Welcome"].took_minutes == 12
    assert rows["Expectations"].took_minutes == 20
    assert rows["Lunch"].took_minutes == 30
    assert rows["Rating"].took_minutes == 7
    assert [r.title for r in record.agenda][:2] == ["Welcome", "Expectations"]

    # Open text: every shown answer, highlighted and themed; hidden and held ones counted.
    open_text = exercise(record, "Expectations")
    assert (open_text.phones, open_text.shown, open_text.hidden) == (4, 3, 2)
    assert open_text.elements[0] == Prompt("What matters most today?")
    assert open_text.elements[1:] == (
        Part("Time", (Entries((Entry("Time to think"),)),)),
        Part(
            "No theme",
            (Entries((Entry("Trust in the team", highlighted=True), Entry(HOSTILE))),),
        ),
    )
    assert "HIDDEN-rude-answer" not in repr(record) and "PENDING-held-answer" not in repr(record)
    assert open_text.sheet is not None
    assert open_text.sheet.headers == ("Time", "Group", "Answer")
    assert [row[1:] for row in open_text.sheet.rows] == [
        ("Birch", "Trust in the team"),
        ("Rowan", HOSTILE),
        ("Birch", "Time to think"),
    ]
    local_time = (START + dt.timedelta(minutes=12)).astimezone().strftime("%Y-%m-%d %H:%M:%S")
    assert open_text.sheet.rows[0][0] == local_time

    cloud = exercise(record, "One word")
    assert isinstance(cloud.elements[1], CloudChart)
    assert cloud.elements[1].words == (("Trust", 2), ("Courage", 1))
    assert cloud.elements[-1] == Paragraph("1 entry hidden from the cloud", muted=True)

    choice = exercise(record, "Sides")
    bars = choice.elements[1]
    assert isinstance(bars, BarChart) and bars.values == (2.0, 0.0, 1.0)
    assert choice.sheet is not None and [r[2] for r in choice.sheet.rows] == [
        "Lead",
        "Lead",
        "Share",
    ]

    wheel = exercise(record, "Wheel")
    assert any(isinstance(e, RadarChart) and e.values == (4.5, 2.0, 3.5) for e in wheel.elements)
    assert wheel.sheet is not None and wheel.sheet.headers[2:] == (
        "Listening",
        "Deciding",
        "Sharing",
    )

    points = exercise(record, "Platform")
    assert isinstance(points.elements[1], BarChart) and points.elements[1].labels == (
        "Learn",
        "Meet",
    )

    qa = exercise(record, "Questions")
    assert qa.elements[1] == Entries(
        (Entry("Who decides?", "2 votes"), Entry("Why now?", "Kari · 0 votes · answered")),
        ordered=True,
    )

    groups = exercise(record, "In groups")
    parts = [e for e in groups.elements if isinstance(e, Part)]
    assert [(p.title, entry_texts(p.elements)) for p in parts] == [
        ("Birch", ["Birch's first point", "Birch's second point"]),
        ("Rowan", ["Rowan's first point"]),
    ]
    assert groups.sheet is not None and [r[1] for r in groups.sheet.rows] == [
        "Rowan",
        "Birch",
        "Birch",
    ]

    # A private kind: how many wrote, nothing of what.
    private = exercise(record, "Notes to self")
    assert private.elements == (Paragraph("1 phone wrote reflections"),)
    assert private.sheet is None and private.shown == 0
    assert SECRET not in repr(record)

    # Talks and breaks are on the agenda, never among the exercises.
    assert "Welcome" not in [e.title for e in record.exercises]


async def test_the_record_is_written_in_its_language(
    store: Store, clock: list[dt.datetime]
) -> None:
    day, _ids = await run_day(store, clock)
    record = await session_record(store, KINDS, day.session.id, "nb")
    assert record.language == "nb"
    assert {row.title: row.kind for row in record.agenda}["Lunch"] == "Pause"
    open_text = exercise(record, "Expectations")
    assert open_text.kind == "Åpen tekst"
    assert open_text.sheet is not None and open_text.sheet.headers == (
        "Tidspunkt",
        "Gruppe",
        "Svar",
    )
    assert exercise(record, "Notes to self").elements == (
        Paragraph("1 telefon skrev refleksjoner"),
    )
    assert (
        Part(
            "Uten tema", (Entries((Entry("Trust in the team", highlighted=True), Entry(HOSTILE))),)
        )
        in open_text.elements
    )


async def test_a_programme_record_has_its_sessions_by_date_and_what_runs_across_them(
    store: Store, clock: list[dt.datetime]
) -> None:
    day, ids = await run_day(store, clock)
    earlier = Day(store, clock)
    await earlier.setup(ids["programme"], "Kick-off", dt.date(2027, 1, 10))
    rating = await earlier.go_to("Rating", 1)
    phone = await store.groups.join(earlier.session.id, "Q", ids["rowan"])
    await earlier.answer(rating, phone.id, {"ratings": [2]})
    groups = await earlier.go_to("In groups", 1)
    await earlier.answer(groups, phone.id, {"text": "Rowan at the kick-off"}, group_id=ids["rowan"])
    await earlier.close(1)

    record = await programme_record(store, KINDS, ids["programme"], "en")
    assert (record.title, record.client) == ("Leadership 2027", "Example town")
    assert [s.title for s in record.sessions] == ["Kick-off", "Day one"]
    compared, birch, rowan = record.across
    assert compared == Part(
        "Scale", (Table(("Session", "Mean"), (("Kick-off", 2.0), ("Day one", 4.5))),)
    )
    assert birch == Part(
        "Birch",
        (
            Part(
                "Day one: In groups",
                (
                    Entries(
                        (Entry("Birch's first point"), Entry("Birch's second point")), ordered=True
                    ),
                ),
            ),
        ),
    )
    assert isinstance(rowan, Part) and rowan.title == "Rowan"
    assert [p.title for p in rowan.elements if isinstance(p, Part)] == [
        "Kick-off: In groups",
        "Day one: In groups",
    ]
    assert SECRET not in repr(record)


async def test_no_such_session_or_programme(store: Store) -> None:
    with pytest.raises(NotFound):
        await session_record(store, KINDS, 999, "en")
    with pytest.raises(NotFound):
        await programme_record(store, KINDS, 999, "en")


def test_closing_the_session_keeps_when_it_closed(facilitator: Facilitator, db_path: Path) -> None:
    programme = facilitator.create_programme()
    session_id = facilitator.create_session(programme)
    assert facilitator.post(f"/sessions/{session_id}/live/start").status_code in (200, 303)
    before = dt.datetime.now(dt.UTC)
    assert facilitator.post(f"/sessions/{session_id}/live/close").status_code in (200, 303)

    async def read(store: Store) -> Any:
        return await store.records.session(session_id)

    facts = run(_with_store(db_path, read))
    assert facts.session.live_state == "closed"
    assert facts.closed_at is not None and before <= facts.closed_at <= dt.datetime.now(dt.UTC)


async def test_the_evaluations_of_three_sessions_are_compared_and_reflections_never_read(
    store: Store, clock: list[dt.datetime]
) -> None:
    kinds = kind_registry(("exercises",))
    evaluation, reflection = kinds.get("evaluation"), kinds.get("reflection")
    assert evaluation is not None and reflection is not None
    owner = await store.accounts.create("anna", "Anna", "x", "en")
    programme = await store.programmes.create(owner.id, "Leadership 2027", "Example town")
    ratings = {"Third": [5, 5, 4], "First": [2, 3], "Second": [4, 4, 4, 3]}
    dates = {
        "First": dt.date(2027, 1, 5),
        "Second": dt.date(2027, 2, 5),
        "Third": dt.date(2027, 3, 5),
    }
    for title, given in ratings.items():  # made out of order: the record orders by date
        session = await store.programmes.create_session(programme.id, title, dates[title], "")
        items = [
            ItemFields(
                title="Notes",
                duration_min=5,
                kind="exercise",
                exercise_kind="reflection",
                settings=reflection.validate_settings(reflection.default_settings()),
            ),
            ItemFields(
                title="How was it?",
                duration_min=5,
                kind="exercise",
                exercise_kind="evaluation",
                settings=evaluation.validate_settings(evaluation.default_settings()),
            ),
        ]
        await store.agenda.replace(session.id, items)
        day = Day(store, clock)
        day.session = session
        day.items = {i.title: i for i in await store.agenda.items(session.id)}
        await store.live.start(session.id)
        phones = [(await store.groups.join(session.id, "", None)).id for _ in given]
        notes = day.items["Notes"]
        await day.answer(notes, phones[0], {"answers": [SECRET, "", "", "", ""]})
        rated = await day.go_to("How was it?", 5)
        for phone, rating in zip(phones, given, strict=True):
            await day.answer(rated, phone, {"part": "rating", "ratings": [rating]})
        await day.close(5)

    read: list[int] = []
    shown = store.records.shown

    async def reading(item_id: int) -> Any:
        read.append(item_id)
        return await shown(item_id)

    store.records.shown = reading  # type: ignore[method-assign]
    record = await programme_record(store, kinds, programme.id, "en")
    assert [s.title for s in record.sessions] == ["First", "Second", "Third"]
    private = {e.item_id for s in record.sessions for e in s.exercises if e.title == "Notes"}
    assert len(private) == 3 and read and not private & set(read)  # never even read
    (compared,) = record.across
    assert isinstance(compared, Part) and compared.title == "Evaluation"
    table = next(e for e in compared.elements if isinstance(e, Table))
    overall = table.rows[0]
    assert overall[0] == "Overall rating"
    assert overall[1::2] == (2.5, 3.75, 4.67)  # the means, session by session
    for session in record.sessions:
        notes = next(e for e in session.exercises if e.title == "Notes")
        assert notes.elements == (Paragraph("1 phone wrote reflections"),)
        assert notes.sheet is None
    assert SECRET not in repr(record)
