"""open_text: settings, responses and results, tested without the app."""

from __future__ import annotations

import pytest

import exercises
from exercises.open_text import OpenText
from workshop import forms
from workshop.i18n import language
from workshop.kinds import KindRegistry, ResponseRecord, Settings
from workshop.summary import Entries, Entry, Prompt

KIND = OpenText()
SETTINGS: Settings = {"question": "Hva tenker du?", "answers_per_phone": 2, "max_length": 20}


def refused(call: object, *args: object) -> dict[str, str]:
    with pytest.raises(forms.Invalid) as caught:
        call(*args)  # type: ignore[operator]
    with language("en"):
        return {key: str(message) for key, message in caught.value.errors.items()}


def response(n: int, text: str, hidden: bool = False) -> ResponseRecord:
    return ResponseRecord(id=n, participant_id=n, value={"text": text}, hidden=hidden)


def test_it_is_registered_as_open_text() -> None:
    reg = KindRegistry()
    exercises.register(reg)
    assert reg.get("open_text") is not None
    assert reg.names()[0] == "open_text"


def test_default_settings() -> None:
    assert KIND.default_settings() == {"question": "", "answers_per_phone": 1, "max_length": 200}


def test_settings_from_a_form_are_strings() -> None:
    clean = KIND.validate_settings(
        {"question": " Hva er viktigst? ", "answers_per_phone": " 3 ", "max_length": "150"}
    )
    assert clean == {"question": "Hva er viktigst?", "answers_per_phone": 3, "max_length": 150}


def test_settings_from_toml_are_ints() -> None:
    clean = KIND.validate_settings({"question": "Q?", "answers_per_phone": 5, "max_length": 2000})
    assert clean == {"question": "Q?", "answers_per_phone": 5, "max_length": 2000}


def test_blank_numbers_take_the_defaults() -> None:
    clean = KIND.validate_settings({"question": "Q?", "answers_per_phone": "", "max_length": ""})
    assert clean == {"question": "Q?", "answers_per_phone": 1, "max_length": 200}
    assert KIND.validate_settings({"question": "Q?"}) == clean


def test_the_question_may_have_several_lines() -> None:
    clean = KIND.validate_settings({"question": "Første linje\r\nandre linje"})
    assert clean["question"] == "Første linje\nandre linje"


@pytest.mark.parametrize(
    ("raw", "field", "message"),
    [
        ({"question": ""}, "question", "Required."),
        ({"question": "x" * 501}, "question", "At most 500 characters."),
        ({"question": "Q\x00"}, "question", "Contains characters that are not allowed."),
        ({"question": 7}, "question", "Must be text."),
        (
            {"question": "Q", "answers_per_phone": 0},
            "answers_per_phone",
            "Must be between 1 and 20.",
        ),
        (
            {"question": "Q", "answers_per_phone": 21},
            "answers_per_phone",
            "Must be between 1 and 20.",
        ),
        (
            {"question": "Q", "answers_per_phone": "to"},
            "answers_per_phone",
            "Must be a whole number.",
        ),
        (
            {"question": "Q", "answers_per_phone": True},
            "answers_per_phone",
            "Must be a whole number.",
        ),
        ({"question": "Q", "max_length": 9}, "max_length", "Must be between 10 and 2000."),
        ({"question": "Q", "max_length": 2001}, "max_length", "Must be between 10 and 2000."),
        ({"question": "Q", "max_length": 50.0}, "max_length", "Must be a whole number."),
    ],
)
def test_bad_settings_are_refused(raw: dict[str, object], field: str, message: str) -> None:
    assert refused(KIND.validate_settings, raw) == {field: message}


def test_the_limits_themselves_are_allowed() -> None:
    for answers, length in ((1, 10), (20, 2000)):
        raw = {"question": "x" * 500, "answers_per_phone": answers, "max_length": length}
        assert KIND.validate_settings(raw)["max_length"] == length


def test_unknown_settings_are_refused() -> None:
    found = refused(KIND.validate_settings, {"question": "Q", "anonymous": True, "Question": "Q"})
    assert found == {"anonymous": "Unknown setting.", "Question": "Unknown setting."}


def test_every_bad_setting_is_named_at_once() -> None:
    found = refused(KIND.validate_settings, {"answers_per_phone": 0, "max_length": 1})
    assert set(found) == {"question", "answers_per_phone", "max_length"}


def test_a_response_is_trimmed() -> None:
    assert KIND.validate_response(SETTINGS, {"text": "  Trygge ledere \n"}) == {
        "text": "Trygge ledere"
    }


def test_a_response_keeps_its_lines() -> None:
    assert KIND.validate_response(SETTINGS, {"text": "Lytte\r\nDele"}) == {"text": "Lytte\nDele"}


def test_a_response_within_the_limit() -> None:
    assert KIND.validate_response(SETTINGS, {"text": "x" * 20}) == {"text": "x" * 20}
    assert refused(KIND.validate_response, SETTINGS, {"text": "x" * 21}) == {
        "text": "At most 20 characters."
    }


def test_the_limit_counts_after_trimming() -> None:
    assert KIND.validate_response(SETTINGS, {"text": "   " + "x" * 20 + "   "}) == {
        "text": "x" * 20
    }


@pytest.mark.parametrize("raw", [{}, {"text": ""}, {"text": "  \n "}, {"text": None}])
def test_an_empty_response_is_refused(raw: dict[str, object]) -> None:
    assert refused(KIND.validate_response, SETTINGS, raw) == {"text": "Required."}


def test_a_response_that_is_not_text_is_refused() -> None:
    assert refused(KIND.validate_response, SETTINGS, {"text": ["a"]}) == {"text": "Must be text."}
    assert refused(KIND.validate_response, SETTINGS, {"text": "a\x00b"}) == {
        "text": "Contains characters that are not allowed."
    }


def test_responses_allowed_follow_the_settings() -> None:
    assert KIND.responses_allowed(SETTINGS) == 2
    assert KIND.responses_allowed(KIND.default_settings()) == 1


def test_summarise_shows_the_visible_answers_oldest_first() -> None:
    responses = [response(1, "Lytte"), response(2, "Skjult", hidden=True), response(3, "Dele")]
    assert KIND.summarise(SETTINGS, responses) == [responses[0], responses[2]]
    assert KIND.summarise(SETTINGS, []) == []


def test_the_summary_has_the_question_and_the_visible_answers() -> None:
    responses = [response(1, "Lytte", hidden=True), response(2, "Dele"), response(3, "Raus")]
    assert KIND.summary(SETTINGS, responses) == (
        Prompt("Hva tenker du?"),
        Entries((Entry("Dele"), Entry("Raus"))),
    )
