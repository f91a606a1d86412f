"""qa: settings, questions and the ranking by votes, tested without the app."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from exercises.qa import QA
from workshop import forms
from workshop.i18n import language
from workshop.kinds import ResponseRecord, SharedWithRoom, ShowsText
from workshop.summary import Entries, Prompt

KIND = QA()
SETTINGS = KIND.validate_settings({"question": "Hva lurer du på?"})


def refused(call: Callable[..., Any], *args: object) -> dict[str, str]:
    with pytest.raises(forms.Invalid) as caught:
        call(*args)
    with language("en"):
        return {key: str(message) for key, message in caught.value.errors.items()}


def question(n: int, text: str, votes: int = 0, **marks: Any) -> ResponseRecord:
    return ResponseRecord(
        id=n, participant_id=100 + n, value={"text": text, "name": ""}, votes=votes, **marks
    )


def test_defaults_and_settings_from_a_form_and_from_toml() -> None:
    assert SETTINGS == {
        "question": "Hva lurer du på?",
        "questions_per_phone": 3,
        "max_length": 280,
        "anonymous": False,
    }
    from_form = KIND.validate_settings(
        {"question": "", "questions_per_phone": "5", "max_length": "100", "anonymous": "yes"}
    )
    assert from_form == {
        "question": "",
        "questions_per_phone": 5,
        "max_length": 100,
        "anonymous": True,
    }
    from_toml = KIND.validate_settings({"questions_per_phone": 1, "anonymous": True})
    assert from_toml["anonymous"] is True and from_toml["questions_per_phone"] == 1
    assert KIND.responses_allowed(from_form) == 5
    assert isinstance(KIND, ShowsText) and isinstance(KIND, SharedWithRoom)
    assert KIND.phones_see == "room"


def test_bad_settings_are_refused_with_the_field_named() -> None:
    errors = refused(
        KIND.validate_settings,
        {"questions_per_phone": "0", "max_length": "5", "anonymous": "maybe", "names": "yes"},
    )
    assert set(errors) == {"questions_per_phone", "max_length", "anonymous", "names"}
    assert errors["names"] == "Unknown setting."


def test_a_question_with_or_without_a_name() -> None:
    assert KIND.validate_response(SETTINGS, {"text": " Når starter vi? ", "name": "Kari"}) == {
        "text": "Når starter vi?",
        "name": "Kari",
    }
    assert KIND.validate_response(SETTINGS, {"text": "Anonymt"}) == {"text": "Anonymt", "name": ""}
    anonymous = {**SETTINGS, "anonymous": True}
    # An anonymous item drops a name even if one is posted.
    assert KIND.validate_response(anonymous, {"text": "Hei", "name": "Kari"})["name"] == ""
    assert set(refused(KIND.validate_response, SETTINGS, {"text": "   "})) == {"text"}
    assert set(refused(KIND.validate_response, SETTINGS, {"text": "x" * 281})) == {"text"}
    assert set(refused(KIND.validate_response, SETTINGS, {"text": "ok", "name": "n" * 61})) == {
        "name"
    }
    # The blocklist checks what the room would see: the question and its signature.
    assert KIND.shown_text({"text": "Spørsmål", "name": "Navn"}) == "Spørsmål Navn"


def test_open_questions_rank_by_votes_then_age_and_answered_ones_go_last() -> None:
    questions = [
        question(1, "Først, én stemme", 1),
        question(2, "Flest stemmer", 5),
        question(3, "Også én stemme", 1),
        question(4, "Besvart, mange stemmer", 9),
        question(5, "Skjult", 7, hidden=True),
    ]
    ranked = KIND.summarise(SETTINGS, questions, {"answered": [4]})
    assert [q.id for q in ranked.questions] == [2, 1, 3, 4]
    assert [q.id for q in ranked.open] == [2, 1, 3]
    assert [(q.id, q.answered) for q in ranked.answered] == [(4, True)]
    assert ranked.phones == 4
    # The phones see the same order.
    assert [q.id for q in KIND.phone_result(SETTINGS, questions, {"answered": [4]}).questions] == [
        2,
        1,
        3,
        4,
    ]


def test_marking_answered_and_back() -> None:
    curation = KIND.curate(SETTINGS, {}, {"action": "answered", "response": "7"})
    assert curation == {"answered": [7]}
    curation = KIND.curate(SETTINGS, curation, {"action": "answered", "response": "3"})
    assert curation == {"answered": [3, 7]}
    assert KIND.curate(SETTINGS, curation, {"action": "unanswered", "response": "7"}) == {
        "answered": [3]
    }
    assert set(refused(KIND.curate, SETTINGS, {}, {"action": "delete", "response": "1"})) == {
        "action"
    }
    assert set(refused(KIND.curate, SETTINGS, {}, {"action": "answered", "response": "x"})) == {
        "response"
    }


def test_the_summary_keeps_the_ranking_and_leaves_hidden_questions_out() -> None:
    prompt, listed = KIND.summary(
        SETTINGS, [question(1, "A", 2), question(2, "B", 3), question(3, "C", hidden=True)]
    )
    assert prompt == Prompt("Hva lurer du på?")
    assert isinstance(listed, Entries) and listed.ordered
    assert [e.text for e in listed.entries] == ["B", "A"]
