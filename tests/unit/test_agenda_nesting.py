"""Deeply nested agenda files are refused before they are parsed, naming the line."""

from __future__ import annotations

import pytest

from workshop.agenda_toml import MAX_NESTING, AgendaFileError, load
from workshop.app import kind_registry

KINDS = kind_registry(("exercises",))
TOO_DEEP = "nested too deeply"  # in the message's English source
ITEM = 'samling_agenda = 1\n\n[[item]]\ntitle = "T"\nduration = 5\n'


def _problem(text: str) -> AgendaFileError:
    with pytest.raises(AgendaFileError) as refused:
        load(text, KINDS)
    return refused.value


@pytest.mark.parametrize(
    "value",
    [
        "[" * (MAX_NESTING + 1) + "]" * (MAX_NESTING + 1),
        "{a = " * (MAX_NESTING + 1) + "1" + "}" * (MAX_NESTING + 1),
        "[\n" * (MAX_NESTING + 1) + "]\n" * (MAX_NESTING + 1),  # over many lines
        "[" * 5000,  # not even closed: refused before the parser sees it
    ],
)
def test_past_the_limit_a_value_is_refused_on_its_line(value: str) -> None:
    problem = _problem(ITEM + f"x = {value}\n")
    assert TOO_DEEP in problem.message.msgid
    # The line where one level too many opens: over many lines, the 21st "[".
    assert problem.line == (6 + MAX_NESTING if "\n" in value else 6)


def test_at_the_limit_a_value_is_read_and_checked_as_usual() -> None:
    value = "[" * MAX_NESTING + "]" * MAX_NESTING
    problem = _problem(ITEM + f"x = {value}\n")
    assert TOO_DEEP not in problem.message.msgid
    assert problem.field == "item[1].x"


def test_a_dotted_key_of_too_many_parts_is_refused() -> None:
    ok = ".".join(["a"] * MAX_NESTING)
    assert TOO_DEEP not in _problem(ITEM + f"{ok} = 1\n").message.msgid
    for key in (".".join(["a"] * (MAX_NESTING + 1)), " . ".join(['"a"'] * 5000)):
        problem = _problem(ITEM + f"{key} = 1\n")
        assert TOO_DEEP in problem.message.msgid and problem.line == 6
    problem = _problem(ITEM + "[" + ".".join(["item"] * 3000) + "]\n")
    assert TOO_DEEP in problem.message.msgid


def test_brackets_and_dots_in_strings_comments_and_numbers_do_not_count() -> None:
    brackets = "[{" * 50
    dots = ".".join(["a"] * 200)
    text = (
        ITEM
        + f'notes = "{brackets} {dots}"  # {brackets} {dots}\n'
        + f"[[item]]\ntitle = '{brackets}'\nduration = 5\nnotes = '''\n{brackets}\n{dots}\n'''\n"
    )
    items = load(text, KINDS)
    assert items[0].notes == f"{brackets} {dots}"
    assert items[1].title == brackets
