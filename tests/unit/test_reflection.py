"""The reflection kind, its recovery codes, and the live core keeping it private: pure
functions and the room in memory, no server."""

from __future__ import annotations

import datetime as dt

import pytest

from exercises.reflection import DEFAULT_QUESTIONS, Reflection
from workshop import forms, recovery
from workshop.app import kind_registry
from workshop.effects import Delete, Insert, NewRecoveryCode, Recover, Refused, Update
from workshop.i18n import language
from workshop.kinds import OwnNote, ResponseRecord, follows_the_phone, kept_private
from workshop.live.room import Room
from workshop.live.state import PhoneState
from workshop.models import AgendaItem, Participant, Session
from workshop.summary import Paragraph, Prompt

# Registered as the app registers it: its translations join the app's.
KIND = kind_registry(("exercises",)).get("reflection")
assert isinstance(KIND, Reflection)
SETTINGS = {"intro": "", "questions": ["What should characterise me?", "My first action?"]}
SESSION = Session(1, 1, "Samling 1", dt.date(2027, 5, 4), "Salen", join_code="12345678")
ITEM = AgendaItem(1, 1, 0, "Reflect", 20, "exercise", None, "", "reflection", SETTINGS)


def _phone(own: tuple[ResponseRecord, ...] = ()) -> PhoneState:
    return PhoneState(
        session=SESSION,
        item=ITEM,
        kind=KIND,
        phase=None,
        participant=Participant(7, 1, ""),
        group=None,
        own=own,
        group_responses=(),
        role=None,
        keeps_list=False,
        note="",
        voted=frozenset(),
        server_now=dt.datetime.now(dt.UTC),
    )


def _mine(*answers: str) -> ResponseRecord:
    return ResponseRecord(id=3, participant_id=7, value={"answers": list(answers)}, version=2)


# -- recovery codes ------------------------------------------------------------------


def test_a_code_is_three_groups_of_four_without_look_alikes() -> None:
    codes = {recovery.new_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        groups = code.split("-")
        assert [len(g) for g in groups] == [4, 4, 4]
        assert not set("".join(groups)) - set(recovery.ALPHABET)
    assert not set("0O1IL2Z5S8B") & set(recovery.ALPHABET)


def test_a_typed_code_is_forgiving_and_a_wrong_one_is_no_code() -> None:
    code = recovery.new_code()
    digest = recovery.digest(code)
    for typed in (code.lower(), code.replace("-", " "), f"  {code.replace('-', '')}  "):
        assert recovery.normalise(typed) == code.replace("-", "")
        assert recovery.digest(typed) == digest
    assert digest != recovery.digest(recovery.new_code())
    assert code not in digest and code.replace("-", "") not in digest
    for wrong in ("", "ABCD-EFGH", "ACDE-FGHJ-KMN0", "ACDE-FGHJ-KMNPQ", "x" * 500):
        assert recovery.normalise(wrong) is None


# -- the kind ------------------------------------------------------------------------


def test_the_kind_is_private_and_follows_the_phone() -> None:
    assert kept_private(KIND)
    assert follows_the_phone(KIND)
    assert KIND.facilitator_actions() == {}
    assert KIND.responses_allowed(SETTINGS) == 1


def test_the_default_questions_are_the_five_action_learning_questions_in_the_language() -> None:
    with language("en"):
        english = KIND.default_settings()["questions"]
    with language("nb"):
        bokmal = KIND.default_settings()["questions"]
    assert english == list(DEFAULT_QUESTIONS) and len(english) == 5
    assert bokmal[0] == "Hva ønsker du skal kjennetegne ditt lederskap?"
    assert bokmal[3] == "Når skal du trene?"
    assert KIND.validate_settings({"questions": "\n".join(bokmal)})["questions"] == bokmal


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ({"questions": ""}, "questions"),
        ({"questions": "\n".join(f"Q{n}" for n in range(11))}, "questions"),
        ({"questions": "x" * 301}, "questions"),
        ({"questions": "Q", "colour": "red"}, "colour"),
        ({"questions": "Q", "intro": "x" * 501}, "intro"),
    ],
)
def test_bad_settings_name_the_field(raw: dict[str, object], field: str) -> None:
    with pytest.raises(forms.Invalid) as caught:
        KIND.validate_settings(raw)
    assert field in caught.value.errors


def test_the_first_save_inserts_and_a_blank_one_is_refused() -> None:
    phone = _phone()
    assert KIND.save(SETTINGS, phone, {"answer-1": " Trust ", "answer-2": ""}) == Insert(
        {"answers": ["Trust", ""]}
    )
    with pytest.raises(forms.Invalid):
        KIND.save(SETTINGS, phone, {"answer-1": "  ", "answer-2": ""})
    with pytest.raises(forms.Invalid):
        KIND.save(SETTINGS, phone, {"answer-1": "x" * 3001})


def test_later_saves_change_the_one_response_or_take_it_away() -> None:
    phone = _phone((_mine("Trust", ""),))
    assert KIND.save(SETTINGS, phone, {"answer-1": "Trust", "answer-2": "Ask", "version": "2"}) == (
        Update(3, {"answers": ["Trust", "Ask"]}, 2)
    )
    # A retry of a save already stored does nothing.
    assert KIND.save(SETTINGS, phone, {"answer-1": "Trust", "answer-2": ""}) == ()
    assert KIND.save(SETTINGS, phone, {"answer-1": "", "answer-2": ""}) == Delete(3)


def test_a_recovery_code_is_typed_and_a_new_one_needs_a_note_first() -> None:
    assert KIND.recover(SETTINGS, _phone(), {"code": " abcd "}) == Recover("abcd")
    with pytest.raises(Refused):
        KIND.recover(SETTINGS, _phone(), {"code": "  "})
    with pytest.raises(Refused):
        KIND.new_code(SETTINGS, _phone(), {})
    assert KIND.new_code(SETTINGS, _phone((_mine("Trust"),)), {}) == NewRecoveryCode()


def test_the_summary_counts_and_never_says_what_was_written() -> None:
    written = [_mine("SECRET-1", "SECRET-2"), ResponseRecord(4, 8, {"answers": ["SECRET-3"]})]
    with language("en"):
        elements = KIND.summary(SETTINGS, written)
        assert KIND.summarise(SETTINGS, written) == 2
    assert isinstance(elements[0], Prompt) and "My first action?" in elements[0].text
    assert isinstance(elements[1], Paragraph) and elements[1].text.startswith("2 phones wrote")
    assert "SECRET" not in repr(elements)


def _note(session: str, date: dt.date | None, *answers: str, earlier: bool) -> OwnNote:
    return OwnNote(
        session_id=1,
        session_title=session,
        session_date=date,
        item_id=1,
        item_title="Reflect",
        settings=SETTINGS,
        value={"answers": list(answers)},
        written_at=dt.datetime(2027, 5, 4, 15, 0, tzinfo=dt.UTC),
        earlier=earlier,
    )


def test_the_text_file_has_every_session_question_and_answer() -> None:
    notes = [
        _note("Samling 1", dt.date(2027, 5, 4), "Trust, æøå", "", earlier=True),
        _note("Samling 2", None, "Clear goals", "Mondays", earlier=False),
    ]
    with language("nb"):
        text = KIND.own_text("reflections.txt", notes)
    assert text.startswith("Mine refleksjoner\r\n")
    assert "Samling 1, 4. mai 2027" in text
    assert text.index("Trust, æøå") < text.index("Clear goals") < text.index("Mondays")
    assert "My first action?\r\n–" in text  # a question left blank
    with language("en"):
        assert "You have not written anything yet." in KIND.own_text("reflections.txt", [])
    with language("en"):
        files = KIND.own_files()
    assert files["reflections.txt"].filename == "reflections.txt"
    assert files["reflections.html"].block == "printable"
    assert files["earlier"].filename is None


# -- the live core -------------------------------------------------------------------


def test_the_screens_get_a_private_kinds_responses_without_their_text() -> None:
    room = Room(
        session=SESSION,
        items=[ITEM],
        item=ITEM,
        kind=KIND,
        participants={7: Participant(7, 1, ""), 8: Participant(8, 1, "")},
    )
    room.put_response(1, _mine("SECRET-1", "SECRET-2"), "key-0000001")
    room.put_response(1, ResponseRecord(4, 8, {"answers": ["SECRET-3"]}), "key-0000002")
    state = room.snapshot(frozenset({7, 8}), 1)
    assert state.answered == 2 and state.result() == 2
    assert all(r.value == {} for r in state.responses)
    assert "SECRET" not in repr(state)
    # The phone itself reads its own.
    phone = room.phone(7)
    assert phone is not None and phone.own[0].value == {"answers": ["SECRET-1", "SECRET-2"]}
    assert "SECRET-3" not in repr(phone)
    # A recovery code given to a phone is its own to see, kept across a fresh read.
    room.put_code(7, "ACDE-FGHJ-KMNP")
    fresh = Room(
        session=SESSION, items=[ITEM], item=ITEM, kind=KIND, participants=room.participants
    )
    fresh.continue_from(room)
    assert fresh.phone(7).recovery_code == "ACDE-FGHJ-KMNP"  # type: ignore[union-attr]
    assert fresh.phone(8).recovery_code is None  # type: ignore[union-attr]
    assert "ACDE" not in repr(fresh.snapshot(frozenset(), 1))
