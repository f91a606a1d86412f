"""How the phones see the session: the regions of the live page, as pushes and answers.

The page has four regions (see ``participant/live.html``): ``stage`` and, for
kinds whose phones see more than their own answers, ``shared`` are rendered
once per audience; ``answers`` and ``mine`` are one phone's own.
"""

from __future__ import annotations

import secrets
from typing import Any

from workshop.kinds import REGIONS, ExerciseKind
from workshop.live.state import LiveState, PhoneState
from workshop.models import Group
from workshop.templating import Templates

PAGE = "participant/live.html"


def new_key() -> str:
    """An idempotency key for a phone's next response (the phone may make its own)."""
    return secrets.token_urlsafe(16)


def _actions(kind: ExerciseKind | None) -> tuple[str, ...]:
    return tuple(kind.phone_actions()) if kind is not None else ()


def _base(**values: Any) -> dict[str, Any]:
    context: dict[str, Any] = {
        "own": (),
        "phone": None,
        "state": None,
        "result": None,
        "group": None,
        "responses": (),
        "open": False,
        "phone_token": "",
        "idem_key": "",
        "form_value": {},
        "errors": {},
        "problem": None,
        "problem_in": (),
        "sent": False,
        #: The phone's action was carried out (a block may say so: "Saved").
        "done": False,
    }
    context.update(values)
    return context


def room_context(state: LiveState, **extra: Any) -> dict[str, Any]:
    """What a render for every phone (of a language, or of a group) is made from."""
    return _base(
        state=state,
        session=state.session,
        item=state.item,
        kind=state.kind,
        phase=state.phase,
        server_now=state.server_now,
        actions=_actions(state.kind),
        **extra,
    )


def phone_context(phone: PhoneState, **extra: Any) -> dict[str, Any]:
    """What a render for one phone is made from."""
    return _base(
        phone=phone,
        session=phone.session,
        item=phone.item,
        kind=phone.kind,
        phase=phone.phase,
        server_now=phone.server_now,
        own=phone.own,
        actions=_actions(phone.kind),
        group=phone.group,
        responses=phone.group_responses,
        open=phone.keeps_list,
        result=phone.shared,
        **extra,
    )


class PhoneView:
    """Phones see the current item and their own answers; never the others' answers,
    except what the kind shows every phone or every phone of a group."""

    def __init__(self, templates: Templates) -> None:
        self.templates = templates

    def _render(self, block: str, context: dict[str, Any]) -> str:
        return self.templates.render_block(PAGE, block, context)

    def stage(self, state: LiveState) -> str:
        """The stage, and the own regions of a phone with nothing of its own yet (so a
        phone's part of the last item goes, and a new item's form comes)."""
        context = room_context(state, phone=PhoneState.anyone(state))
        regions = ["stage", "answers", "mine"]
        if state.kind is None or state.kind.phones_see == "nothing":
            regions.append("shared")  # empty: what the last item's kind showed goes
        return "".join(self._render(name, context) for name in regions)

    def shared(self, state: LiveState) -> str:
        """What every phone sees of the item's responses."""
        return self._render("shared", room_context(state, result=state.phone_result()))

    def group(self, state: LiveState, group: Group | None) -> str:
        """A group's area, rendered once for that group's phones."""
        group_id = group.id if group is not None else None
        context = room_context(
            state,
            group=group,
            responses=state.group_responses(group_id),
            open=not state.keepers(group_id),
        )
        return self._render("shared", context)

    def own(self, phone: PhoneState) -> str:
        """One phone's answers and its own part."""
        context = phone_context(phone)
        return self._render("answers", context) + self._render("mine", context)

    def region(self, phone: PhoneState, name: str, **extra: Any) -> str:
        """One region of a phone's page, or one block of its kind's template."""
        context = phone_context(phone, problem_in=(name,), idem_key=new_key(), **extra)
        if name in REGIONS:
            return self._render(name, context)
        if phone.kind is None or phone.item is None:
            return ""
        return self.templates.render_block(
            phone.kind.template,
            name,
            {**context, "settings": phone.item.settings, "code": phone.session.join_code},
        )

    def page(self, phone: PhoneState, **extra: Any) -> dict[str, Any]:
        """The whole live page's context."""
        return phone_context(phone, **extra)
