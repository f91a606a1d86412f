"""The live core's commands, in-process: a real store on a temporary file, the real hub and
kinds, recording views and fake sockets. Each test checks the rows stored and what the
states and renders hold."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable
from pathlib import Path

import pytest

from tests.unit.live_support import GROUP_WORK, OPEN_TEXT, QA, Sink, World, world
from workshop.effects import Refused
from workshop.hub import FACILITATORS, PHONES, PRESENTER, Hub
from workshop.live import Done, NotJoined, cache
from workshop.live.effects import ALL_SENT, CHANGED, LOCKED, MOVED_ON, NO_GROUP, NO_VOTE
from workshop.live.loading import load_room
from workshop.live.phone import EXPIRED
from workshop.models import Session
from workshop.phones import PhoneId


@pytest.fixture
async def w(tmp_path: Path) -> AsyncIterator[World]:
    async with world(tmp_path) as here:
        yield here


def key() -> str:
    return uuid.uuid4().hex


async def answer(
    w: World, session: Session, phone: PhoneId, item_id: int, text: str, idem: str | None = None
) -> Done:
    assert session.join_code
    fields = {"text": text, "name": ""}
    return await w.live.phone.act(
        phone, session.join_code, item_id, "answer", fields, idem or key()
    )


async def refusal(call: Awaitable[object]) -> Refused:
    with pytest.raises(Refused) as caught:
        await call
    return caught.value


async def settle(hub: Hub) -> None:
    """Wait for the hub's coalesced jobs that are running or due (no timed sleep)."""
    while hub._tasks:
        await asyncio.gather(*hub._tasks.values())


# -- answers ---------------------------------------------------------------------------


async def test_an_answer_is_stored_once_per_key_and_a_late_retry_gets_its_acknowledgement(
    w: World,
) -> None:
    session = await w.session(OPEN_TEXT)
    first, second = await w.items(session.id)
    phone = await w.join(session, "Ola")
    idem = key()
    done = await answer(w, session, phone, first, "Tillit", idem)
    assert done.sent and [r.value["text"] for r in done.phone.own] == ["Tillit"]
    again = await answer(w, session, phone, first, "Tillit", idem)
    assert again.sent and [r.id for r in again.phone.own] == [r.id for r in done.phone.own]
    assert len(await w.rows(first)) == 1

    await w.live.facilitator.go_to(session.id, second)
    late = await answer(w, session, phone, first, "Tillit", idem)
    assert late.sent
    assert late.phone.item is not None and late.phone.item.id == second
    assert len(await w.rows(first)) == 1 and await w.rows(second) == []


async def test_an_answer_to_an_item_no_longer_current_is_refused_and_nothing_stored(
    w: World,
) -> None:
    session = await w.session(OPEN_TEXT)
    first, second = await w.items(session.id)
    phone = await w.join(session)
    await w.live.facilitator.go_to(session.id, second)
    assert (await refusal(answer(w, session, phone, first, "For sent"))).message == MOVED_ON
    assert await w.rows(first) == [] and await w.rows(second) == []


async def test_the_store_refuses_an_answer_when_the_room_has_not_heard_of_moving_on(
    w: World,
) -> None:
    session = await w.session(OPEN_TEXT)
    first, second = await w.items(session.id)
    phone = await w.join(session)
    async with w.store.transaction() as tx:  # behind the live core's back
        await w.store.live.go_to(tx, session.id, second)
    assert (await refusal(answer(w, session, phone, first, "For sent"))).message == MOVED_ON
    assert await w.rows(first) == [] and await w.rows(second) == []


async def test_locked_answers_are_refused_and_taken_again_once_unlocked(w: World) -> None:
    session = await w.session(OPEN_TEXT)
    first, _ = await w.items(session.id)
    phone = await w.join(session)
    await w.live.facilitator.switch(session.id, responses_locked=True)
    assert (await w.live.phone.state(phone, session.join_code or "")).locked
    assert (await refusal(answer(w, session, phone, first, "Låst"))).message == LOCKED
    assert await w.rows(first) == []
    # Locked in the store only: its guard refuses as well.
    await w.live.facilitator.switch(session.id, responses_locked=False)
    async with w.store.transaction() as tx:
        await w.store.live.set_switches(tx, session.id, responses_locked=True)
    assert (await refusal(answer(w, session, phone, first, "Låst"))).message == LOCKED
    assert await w.rows(first) == []
    await w.live.facilitator.switch(session.id, responses_locked=False)
    assert (await answer(w, session, phone, first, "Åpen")).sent
    assert [r.value["text"] for r in await w.rows(first)] == ["Åpen"]


async def test_a_phone_gets_no_more_answers_than_its_limit_even_all_at_once(w: World) -> None:
    session = await w.session(OPEN_TEXT)  # two answers per phone
    first, _ = await w.items(session.id)
    phone, other = await w.join(session), await w.join(session)
    tries = await asyncio.gather(
        *(answer(w, session, phone, first, f"Svar {n}") for n in range(5)), return_exceptions=True
    )
    done = [t for t in tries if isinstance(t, Done)]
    refused = [t for t in tries if isinstance(t, Refused)]
    assert len(done) == 2 and len(refused) == 3, tries
    assert all(r.message == ALL_SENT for r in refused)
    assert (await refusal(answer(w, session, phone, first, "En til"))).message == ALL_SENT
    assert (await answer(w, session, other, first, "Mitt")).sent
    stored = await w.rows(first)
    assert sorted(r.participant_id for r in stored) == sorted(
        [phone.participant_id] * 2 + [other.participant_id]
    )


async def test_an_answer_needs_its_key(w: World) -> None:
    session = await w.session(OPEN_TEXT)
    first, _ = await w.items(session.id)
    phone = await w.join(session)
    act = w.live.phone.act
    code = session.join_code or ""
    assert (await refusal(act(phone, code, first, "answer", {"text": "x"}))).message == EXPIRED
    assert (await refusal(act(phone, code, first, "answer", {"text": "x"}, "k"))).message == EXPIRED
    assert await w.rows(first) == []


async def test_a_phones_state_right_after_its_answer_holds_it(w: World) -> None:
    session = await w.session(OPEN_TEXT)
    first, _ = await w.items(session.id)
    phones = [await w.join(session, f"P{n}") for n in range(10)]
    # Answers, and a change that reads the room again, all at once.
    await asyncio.gather(
        *(answer(w, session, p, first, f"Svar {p.participant_id}") for p in phones),
        w.live.planning.update_session(session.id, "Renamed", None, "There"),
    )
    for p in phones:
        state = await w.live.phone.state(p, session.join_code or "")
        assert [r.value["text"] for r in state.own] == [f"Svar {p.participant_id}"]
    assert len(await w.rows(first)) == 10
    screens = await w.live.facilitator.state(session.id)
    assert screens is not None and len(screens.responses) == 10
    assert screens.session.title == "Renamed"


async def test_an_edit_on_a_stale_version_is_refused_and_the_text_kept(w: World) -> None:
    session = await w.session(OPEN_TEXT)
    first, _ = await w.items(session.id)
    phone = await w.join(session)
    code = session.join_code or ""
    (mine,) = (await answer(w, session, phone, first, "Første")).phone.own
    edit = {"response": str(mine.id), "text": "Andre", "version": str(mine.version)}
    edited = await w.live.phone.act(phone, code, first, "edit", edit)
    assert [(r.value["text"], r.version) for r in edited.phone.own] == [("Andre", 2)]
    stale = {"response": str(mine.id), "text": "Tredje", "version": str(mine.version)}
    assert (await refusal(w.live.phone.act(phone, code, first, "edit", stale))).message == CHANGED
    (stored,) = await w.rows(first)
    assert (stored.value["text"], stored.version) == ("Andre", 2)
    state = await w.live.phone.state(phone, code)
    assert [r.value["text"] for r in state.own] == ["Andre"]


async def test_a_phone_edits_and_deletes_only_its_own_answers(w: World) -> None:
    session = await w.session(OPEN_TEXT)
    first, _ = await w.items(session.id)
    phone, other = await w.join(session), await w.join(session)
    code = session.join_code or ""
    (mine,) = (await answer(w, session, phone, first, "Mitt")).phone.own
    with pytest.raises(Refused):
        await w.live.phone.act(other, code, first, "delete", {"response": str(mine.id)})
    with pytest.raises(Refused):
        await w.live.phone.act(other, code, first, "edit", {"response": str(mine.id), "text": "x"})
    assert [r.value["text"] for r in await w.rows(first)] == ["Mitt"]
    gone = await w.live.phone.act(phone, code, first, "delete", {"response": str(mine.id)})
    assert gone.phone.own == () and await w.rows(first) == []


async def test_a_retry_after_its_answer_was_deleted_does_not_bring_it_back(w: World) -> None:
    session = await w.session(OPEN_TEXT)
    first, _ = await w.items(session.id)
    phone = await w.join(session)
    idem = key()
    (mine,) = (await answer(w, session, phone, first, "Angret", idem)).phone.own
    await w.live.phone.act(
        phone, session.join_code or "", first, "delete", {"response": str(mine.id)}
    )
    await answer(w, session, phone, first, "Angret", idem)  # the first POST's late retry
    assert await w.rows(first) == []


# -- joining ---------------------------------------------------------------------------


async def test_a_phone_that_just_joined_is_found_by_its_next_state(w: World) -> None:
    session = await w.session(OPEN_TEXT)
    phone = await w.join(session, "Kari")
    state = await w.live.phone.state(phone, session.join_code or "")
    assert state.participant.name == "Kari" and state.item is not None
    with pytest.raises(NotJoined):
        await w.live.phone.state(PhoneId(phone.participant_id + 100, session.id), "x")
    with pytest.raises(NotJoined):
        await w.live.phone.state(phone, "00000000")


async def test_thirty_phones_joining_at_once_are_each_found_at_once(w: World) -> None:
    session = await w.session(OPEN_TEXT)
    # Joins, and a change that reads the room again meanwhile.
    joined = await asyncio.gather(
        *(w.join(session, f"Phone {n}") for n in range(30)),
        w.live.planning.update_session(session.id, "Renamed", None, "There"),
    )
    phones = [p for p in joined if isinstance(p, PhoneId)]
    assert len({p.participant_id for p in phones}) == 30
    states = await asyncio.gather(*(w.live.phone.state(p, session.join_code or "") for p in phones))
    assert sorted(s.participant.name for s in states) == sorted(f"Phone {n}" for n in range(30))
    assert len(await w.store.groups.participants(session.id)) == 30


async def test_the_screens_count_a_phone_as_soon_as_it_joined(w: World) -> None:
    session = await w.session(OPEN_TEXT)
    before = await w.live.facilitator.state(session.id)
    assert before is not None and len(before.participants) == 0
    await w.join(session, "Kari")
    after = await w.live.facilitator.state(session.id)
    assert after is not None and len(after.participants) == 1


# -- group work ------------------------------------------------------------------------


async def group_work(w: World) -> tuple[Session, int, dict[str, PhoneId], dict[str, int]]:
    """A session on its group-work item: groups A (a1, a2 connected, a3 not), B (b1), and
    a phone in no group (loner); roles were handed out among the connected phones."""
    session = await w.session(GROUP_WORK)
    warm_up, work = await w.items(session.id)
    groups = {}
    for name in ("A", "B"):
        made = await w.live.planning.create_group(session.programme_id, name, [])
        groups[name] = made.id
    phones = {
        "a1": await w.join(session, "a1", str(groups["A"])),
        "a2": await w.join(session, "a2", str(groups["A"])),
        "a3": await w.join(session, "a3", str(groups["A"])),
        "b1": await w.join(session, "b1", str(groups["B"])),
        "loner": await w.join(session, "loner"),
    }
    for name in ("a1", "a2", "b1", "loner"):
        await w.connect(session, phones[name])
    assert await w.live.facilitator.go_to(session.id, work)
    return session, work, phones, groups


async def point(w: World, session: Session, phone: PhoneId, item_id: int, text: str) -> Done:
    fields = {"text": text}
    return await w.live.phone.act(
        phone, session.join_code or "", item_id, "point.add", fields, key()
    )


async def test_moving_to_group_work_hands_out_roles_among_the_connected_phones(w: World) -> None:
    session, work, phones, _groups = await group_work(w)
    roles = await w.store.groups.roles(work)
    ids = {name: p.participant_id for name, p in phones.items()}
    assert sorted(roles[ids[n]] for n in ("a1", "a2")) == [0, 1]  # both roles, in group A
    assert roles[ids["b1"]] == 0  # a group of one gets the first role
    assert ids["a3"] not in roles and ids["loner"] not in roles  # offline; in no group
    code = session.join_code or ""
    states = {n: await w.live.phone.state(p, code) for n, p in phones.items()}
    assert {states[n].role.name for n in ("a1", "a2")} == {"Leder", "Sekretær"}  # type: ignore[union-attr]
    assert states["a3"].role is None
    # Coming back to the item keeps the roles handed out the first time.
    await w.live.facilitator.step(session.id, -1)
    await w.live.facilitator.step(session.id, 1)
    assert await w.store.groups.roles(work) == roles


async def test_a_point_goes_to_the_phones_own_group_only(w: World) -> None:
    session, work, phones, groups = await group_work(w)
    code = session.join_code or ""
    done = await point(w, session, phones["a1"], work, "Tillit først")
    assert [r.value["text"] for r in done.phone.group_responses] == ["Tillit først"]
    (stored,) = await w.rows(work)
    assert stored.group_id == groups["A"]
    a3 = await w.live.phone.state(phones["a3"], code)
    assert [r.id for r in a3.group_responses] == [stored.id]
    b1 = await w.live.phone.state(phones["b1"], code)
    assert b1.group_responses == () and b1.own == ()
    await point(w, session, phones["b1"], work, "B sitt")
    b1 = await w.live.phone.state(phones["b1"], code)
    a1 = await w.live.phone.state(phones["a1"], code)
    assert [r.value["text"] for r in b1.group_responses] == ["B sitt"]
    assert [r.value["text"] for r in a1.group_responses] == ["Tillit først"]


async def test_a_phone_in_no_group_cannot_add_a_point(w: World) -> None:
    session, work, phones, _groups = await group_work(w)
    assert (await refusal(point(w, session, phones["loner"], work, "Alene"))).message == NO_GROUP
    assert await w.rows(work) == []


async def test_only_the_list_keeper_deletes_a_point_of_its_groups_list(w: World) -> None:
    session, work, phones, _groups = await group_work(w)
    code = session.join_code or ""
    states = {n: await w.live.phone.state(phones[n], code) for n in ("a1", "a2")}
    keeper = next(n for n, s in states.items() if s.keeps_list)
    helper = next(n for n, s in states.items() if not s.keeps_list)
    assert states[helper].role is not None and states[keeper].role is not None
    assert states[keeper].role.keeps_list  # type: ignore[union-attr]
    (listed,) = (await point(w, session, phones[helper], work, "Et poeng")).phone.group_responses
    delete = {"response": str(listed.id)}
    for name in (helper, "a3", "b1"):  # b1 keeps its own list (nobody keeps it), not A's
        with pytest.raises(Refused):
            await w.live.phone.act(phones[name], code, work, "point.delete", delete)
    assert [r.id for r in await w.rows(work)] == [listed.id]
    gone = await w.live.phone.act(phones[keeper], code, work, "point.delete", delete)
    assert gone.phone.group_responses == () and await w.rows(work) == []


# -- Q&A -------------------------------------------------------------------------------


async def test_a_phone_votes_once_for_a_question_and_never_for_its_own(w: World) -> None:
    session = await w.session(QA)
    (item,) = await w.items(session.id)
    code = session.join_code or ""
    asker, voter = await w.join(session), await w.join(session)
    (question,) = (await answer(w, session, asker, item, "Når er lunsj?")).phone.own
    vote = {"response": str(question.id), "up": "1"}
    for _ in range(3):
        done = await w.live.phone.act(voter, code, item, "vote", vote)
    assert done.phone.voted == {question.id}
    assert await w.store.responses.votes(item) == [(voter.participant_id, question.id)]
    assert [r.votes for r in await w.rows(item)] == [1]
    screens = await w.live.facilitator.state(session.id)
    assert screens is not None and [r.votes for r in screens.responses] == [1]
    refused = await refusal(w.live.phone.act(asker, code, item, "vote", vote))
    assert refused.message == NO_VOTE
    assert await w.store.responses.votes(item) == [(voter.participant_id, question.id)]
    back = await w.live.phone.act(voter, code, item, "vote", {"response": str(question.id)})
    assert back.phone.voted == frozenset() and [r.votes for r in await w.rows(item)] == [0]


# -- the facilitator -------------------------------------------------------------------


async def test_the_facilitator_marks_answers_and_sorts_them_into_themes(w: World) -> None:
    session = await w.session(OPEN_TEXT)
    first, _ = await w.items(session.id)
    phone = await w.join(session)
    (mine,) = (await answer(w, session, phone, first, "Tillit")).phone.own
    act = w.live.facilitator.act
    await act(session.id, first, "mark", {"response": str(mine.id), "highlighted": "yes"})
    await act(session.id, first, "theme.add", {"name": "Kultur"})
    (theme,) = await w.store.responses.themes(first)
    assert theme.name == "Kultur"
    marks = {"response": str(mine.id), "set_theme": "1", "theme_id": str(theme.id)}
    await act(session.id, first, "mark", marks)
    (stored,) = await w.rows(first)
    assert stored.highlighted and stored.theme_id == theme.id
    state = await w.live.facilitator.state(session.id)
    assert state is not None and [t.name for t in state.themes] == ["Kultur"]
    assert [(r.highlighted, r.theme_id) for r in state.responses] == [(True, theme.id)]
    with pytest.raises(Refused):
        await act(session.id, first, "mark", {"response": "99999", "hidden": "yes"})
    await w.live.facilitator.step(session.id, 1)
    with pytest.raises(Refused):  # not the current item any more
        await act(session.id, first, "mark", {"response": str(mine.id), "hidden": "yes"})
    assert not (await w.rows(first))[0].hidden


async def test_an_answer_held_back_for_a_blocked_word_shows_once_approved(w: World) -> None:
    session = await w.session(OPEN_TEXT, blocklist=["tull"])
    first, _ = await w.items(session.id)
    phone = await w.join(session)
    sink, _sub = await w.connect(session, phone)
    code = session.join_code or ""
    (held,) = (await answer(w, session, phone, first, "Dette er tull")).phone.own
    (clean,) = (await answer(w, session, await w.join(session), first, "Fint")).phone.own
    assert held.pending and not clean.pending
    state = await w.live.facilitator.state(session.id)
    assert state is not None and [r.id for r in state.pending] == [held.id]
    assert [r.id for r in state.shown] == [clean.id]
    await w.live.facilitator.moderate(session.id, first, held.id, approve=True)
    assert not [r for r in await w.rows(first) if r.pending]
    mine = await w.live.phone.state(phone, code)
    assert [r.pending for r in mine.own] == [False]
    assert "Dette er tull" in sink.got[-1]  # its author's phone hears of it at once
    state = await w.live.facilitator.state(session.id)
    assert state is not None and state.pending == () and len(state.shown) == 2
    await w.live.facilitator.moderate(session.id, first, clean.id, approve=False)
    assert [r.hidden for r in await w.rows(first)] == [False, True]


async def test_go_to_reads_the_room_once(w: World, monkeypatch: pytest.MonkeyPatch) -> None:
    session = await w.session(OPEN_TEXT)
    first, second = await w.items(session.id)
    await w.live.facilitator.state(session.id)
    reads: list[int] = []

    async def counted(*args: object) -> object:
        reads.append(1)
        return await load_room(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(cache, "load_room", counted)
    assert await w.live.facilitator.go_to(session.id, second)
    assert len(reads) == 1
    await w.live.facilitator.step(session.id, -1)
    assert len(reads) == 2
    state = await w.live.facilitator.state(session.id)
    assert state is not None and state.item is not None and state.item.id == first
    assert len(reads) == 2
    assert not await w.live.facilitator.go_to(session.id, 99999)
    assert len(reads) == 2


async def test_closing_a_session_drops_its_room_renders_and_jobs(tmp_path: Path) -> None:
    async with world(tmp_path, min_interval=60) as w:  # a second job waits: it is kept
        session = await w.session(OPEN_TEXT)
        first, _ = await w.items(session.id)
        other = await w.session(OPEN_TEXT)
        code = session.join_code or ""
        phones = [await w.join(session) for _ in range(2)]
        sink, sub = await w.connect(session, phones[0])
        await w.connect(session, audience=PRESENTER)
        await w.live.phone.first(phones[0], code, "en", sub)
        await w.live.facilitator.first(session.id, PRESENTER, "en")
        await w.live.facilitator.first(other.id, PRESENTER, "en")
        for p in phones:
            await answer(w, session, p, first, "Svar")
        fanout, hub = w.live.core.fanout, w.live.hub
        assert any(k[0] == session.id for k in fanout._memo)
        assert any(k[0] == session.id for k in hub._tasks)
        waiting = [t for k, t in hub._tasks.items() if k[0] == session.id]

        await w.live.facilitator.close(session.id)
        assert w.live.core.rooms.cached(session.id) is None
        assert not any(k[0] == session.id for k in fanout._memo)
        assert not any(k[0] == session.id for k in hub._tasks)
        await asyncio.gather(*waiting, return_exceptions=True)
        assert all(t.cancelled() for t in waiting)
        assert w.live.core.rooms.cached(other.id) is not None  # the other session is kept
        assert any(k[0] == other.id for k in fanout._memo)
        with pytest.raises(NotJoined):
            await w.live.phone.state(phones[0], code)
        closed = await w.store.live.session(session.id)
        assert closed is not None and closed.live_state == "closed" and closed.join_code is None


# -- fan-out ---------------------------------------------------------------------------


async def test_a_change_is_rendered_once_per_audience_and_language_not_per_phone(
    w: World,
) -> None:
    session = await w.session(OPEN_TEXT)
    first, second = await w.items(session.id)
    phones = [await w.join(session) for _ in range(50)]
    sinks: list[Sink] = []
    for n, p in enumerate(phones):
        sink, _sub = await w.connect(session, p, language="en" if n % 2 else "nb")
        sinks.append(sink)
    screens = [
        (await w.connect(session, audience=audience, language=lang))[0]
        for audience in (PRESENTER, FACILITATORS)
        for lang in ("en", "nb")
    ]
    await answer(w, session, phones[0], first, "Bare meg")
    await settle(w.hub)
    before = [len(s.got) for s in [*sinks, *screens]]
    w.phones_view.calls.clear()
    w.presenter.calls.clear()
    w.control.calls.clear()

    await w.live.facilitator.go_to(session.id, second)
    await settle(w.hub)
    assert w.phones_view.calls == {"stage": 2}  # nb and en; nobody has anything of its own
    assert w.presenter.calls == {"full": 2} and w.control.calls == {"full": 2}
    after = [len(s.got) for s in [*sinks, *screens]]
    assert [b - a for a, b in zip(before, after, strict=True)] == [1] * 54
    assert all("Second question" in s.got[-1] for s in [*sinks, *screens])

    # Back to the first item: the one phone with an answer gets its own part as well.
    w.phones_view.calls.clear()
    await w.live.facilitator.go_to(session.id, first)
    assert w.phones_view.calls == {"stage": 2, "own": 1}
    assert "Bare meg" in sinks[0].got[-1]
    assert all("Bare meg" not in s.got[-1] for s in sinks[1:])


async def test_a_groups_list_is_rendered_once_per_group_and_reaches_that_group_only(
    w: World,
) -> None:
    session, work, phones, _groups = await group_work(w)
    sinks = {}
    for name in ("a1", "a2", "b1", "loner"):
        (sub,) = w.hub.sockets_of(session.id, phones[name].participant_id)
        assert isinstance(sub.sink, Sink)
        sinks[name] = sub.sink
    await settle(w.hub)
    before = {n: len(s.got) for n, s in sinks.items()}
    w.phones_view.calls.clear()
    await point(w, session, phones["a1"], work, "Et poeng")
    await settle(w.hub)
    assert w.phones_view.calls["group"] == 1
    got = {n: len(s.got) - before[n] for n, s in sinks.items()}
    assert got == {"a1": 1, "a2": 1, "b1": 0, "loner": 0}
    assert sinks["a2"].got[-1].startswith("<group ") and "n=1" in sinks["a2"].got[-1]
    assert w.hub.count(session.id, PHONES) == 4


async def test_an_answer_approved_later_reaches_the_presenter(w: World) -> None:
    session = await w.session(OPEN_TEXT, blocklist=["tull"])
    first, _ = await w.items(session.id)
    presenter, _sub = await w.connect(session, audience=PRESENTER)
    phone = await w.join(session)
    (held,) = (await answer(w, session, phone, first, "Dette er tull")).phone.own
    await settle(w.hub)
    assert all(held.id not in [r.id for r in s.shown] for _name, s in w.presenter.log)
    since = len(w.presenter.log)
    await w.live.facilitator.moderate(session.id, first, held.id, approve=True)
    await settle(w.hub)
    later = w.presenter.log[since:]
    assert later, "the presenter heard nothing of the approval"
    name, state = later[-1]
    assert [r.id for r in state.shown] == [held.id]
    # Shown either appended as new, or in the screen rendered again as a whole.
    appended = w.presenter.added[-1] if name == "results" else []
    assert name == "full" or held.id in appended
    assert presenter.got[-1].endswith("n=1>")  # and its socket got that render


async def test_votes_made_while_the_room_is_read_again_are_counted_once(
    w: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = await w.session(QA)
    (item,) = await w.items(session.id)
    code = session.join_code or ""
    asker, voter = await w.join(session), await w.join(session)
    await w.live.facilitator.state(session.id)
    reading, may_read = asyncio.Event(), asyncio.Event()

    async def held(*args: object) -> object:
        reading.set()
        await may_read.wait()
        return await load_room(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(cache, "load_room", held)
    rereading = asyncio.ensure_future(
        w.live.planning.update_session(session.id, "Renamed", None, "There")
    )
    await reading.wait()  # the reread has begun; it reads once let
    (question,) = (await answer(w, session, asker, item, "Når er lunsj?")).phone.own
    await w.live.phone.act(voter, code, item, "vote", {"response": str(question.id), "up": "1"})
    may_read.set()  # the read sees the question and its vote; both changes are replayed
    await rereading
    state = await w.live.facilitator.state(session.id)
    assert state is not None and state.session.title == "Renamed"
    assert [r.votes for r in await w.rows(item)] == [1]
    assert [r.votes for r in state.responses] == [1]


# -- groups and planning ---------------------------------------------------------------


async def test_groups_formed_on_the_spot_take_the_connected_phones_and_their_sockets(
    w: World,
) -> None:
    session = await w.session(OPEN_TEXT)
    phones = [await w.join(session) for _ in range(5)]
    subs = [(await w.connect(session, p))[1] for p in phones[:4]]  # the fifth is offline
    assert await w.live.groups.form(session.id, count=2) == 2
    state = await w.live.facilitator.state(session.id)
    assert state is not None and len(state.groups) == 2
    stored = {p.id: p.group_id for p in await w.store.groups.participants(session.id)}
    formed = {g.id for g in state.groups}
    assert {stored[p.participant_id] for p in phones[:4]} == formed
    assert sorted(len(state.in_group(g)) for g in formed) == [2, 2]
    assert stored[phones[4].participant_id] is None
    assert [sub.group for sub in subs] == [stored[p.participant_id] for p in phones[:4]]
    code = session.join_code or ""
    mine = await w.live.phone.state(phones[0], code)
    assert mine.group is not None and mine.group.id == stored[phones[0].participant_id]


async def test_a_phone_moved_to_another_group_gets_its_area_and_its_pushes(w: World) -> None:
    session, work, phones, groups = await group_work(w)
    code = session.join_code or ""
    await point(w, session, phones["b1"], work, "B sitt")
    await settle(w.hub)
    (sub,) = w.hub.sockets_of(session.id, phones["a1"].participant_id)
    assert isinstance(sub.sink, Sink)
    assert await w.live.groups.move(session.id, phones["a1"].participant_id, groups["B"])
    assert sub.group == groups["B"]
    assert sub.sink.got[-1].startswith(f"<group {groups['B']} n=1>")
    moved = await w.live.phone.state(phones["a1"], code)
    assert moved.group is not None and moved.group.id == groups["B"]
    assert [r.value["text"] for r in moved.group_responses] == ["B sitt"]
    stored = {p.id: p.group_id for p in await w.store.groups.participants(session.id)}
    assert stored[phones["a1"].participant_id] == groups["B"]
    assert not await w.live.groups.move(session.id, 99999, groups["B"])


async def test_renaming_a_group_and_drawing_roles_again_reach_the_room(w: World) -> None:
    session, work, phones, groups = await group_work(w)
    assert await w.live.groups.rename(session.id, groups["A"], "Bjørk")
    state = await w.live.facilitator.state(session.id)
    assert state is not None and state.group(groups["A"]).name == "Bjørk"  # type: ignore[union-attr]
    code = session.join_code or ""
    await w.connect(session, phones["a3"])  # three connected in A now, for two roles
    await w.live.groups.draw_roles(session.id)
    roles = await w.store.groups.roles(work)
    in_a = [roles[p] for p in (phones[n].participant_id for n in ("a1", "a2", "a3")) if p in roles]
    assert sorted(in_a) == [0, 1]
    assert roles[phones["b1"].participant_id] == 0
    assert phones["loner"].participant_id not in roles
    for name, phone in phones.items():
        state_of = await w.live.phone.state(phone, code)
        index = roles.get(phone.participant_id)
        assert (state_of.role is None) == (index is None), name


async def test_an_agenda_edit_reaches_the_live_room(w: World) -> None:
    session = await w.session(OPEN_TEXT)
    first, second = await w.items(session.id)
    phone = await w.join(session)
    (item,) = [i for i in await w.store.agenda.items(session.id) if i.id == first]
    fewer = item.fields()
    fewer.settings["answers_per_phone"] = 1
    await w.live.planning.update_item(session.id, first, fewer)
    await answer(w, session, phone, first, "Ett")
    assert (await refusal(answer(w, session, phone, first, "To"))).message == ALL_SENT
    assert len(await w.rows(first)) == 1
    await w.live.planning.reorder(session.id, [second, first])
    state = await w.live.facilitator.state(session.id)
    assert state is not None and [i.id for i in state.items] == [second, first]


async def test_a_blocklist_set_during_the_session_holds_back_new_answers(w: World) -> None:
    session = await w.session(OPEN_TEXT)
    first, _ = await w.items(session.id)
    phone = await w.join(session)
    await w.live.planning.set_blocklist(session.programme_id, ["tull"])
    (held,) = (await answer(w, session, phone, first, "Bare tull")).phone.own
    assert held.pending and [r.pending for r in await w.rows(first)] == [True]


async def test_a_deleted_session_is_forgotten_and_its_phones_must_join_again(w: World) -> None:
    session = await w.session(OPEN_TEXT)
    phone = await w.join(session)
    await w.live.phone.state(phone, session.join_code or "")
    await w.live.planning.delete_session(session)
    assert w.live.core.rooms.cached(session.id) is None
    with pytest.raises(NotJoined):
        await w.live.phone.state(phone, session.join_code or "")
    assert await w.store.live.session(session.id) is None
