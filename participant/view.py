"""How the phones see the session: the regions of the live page, as pushes and answers.

The page has four regions (see ``participant/live.html``): ``stage`` and, for
kinds whose phones see more than their own answers, ``shared`` are rendered
once per audience; ``answers`` and ``mine`` are one phone's own.
"""

from __future__ import annotations

import secrets
from functools import cache
from typing import Any

from markupsafe import Markup

from workshop.i18n import current_language
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
        #: The saved versions the audience may see (``Drafted`` kinds): its group's and
        #: the common ones.
        "drafts": (),
        "open": False,
        #: The group's shared region as the pushes render it (the page of a kind whose
        #: phones see their group's): shown instead of a render from the phone's state.
        "shared_html": None,
        "phone_token": "",
        "idem_key": "",
        "form_value": {},
        "errors": {},
        "problem": None,
        "problem_in": (),
        #: The phone action a refusal answers, and what it sent (a kind's block may keep
        #: the control that sent it open, with what was typed in it).
        "action": None,
        "fields": {},
        "sent": False,
        #: The phone's answer whose edit form is open (it asked for it).
        "editing": None,
        #: The phone's action was carried out (a block may say so: "Saved").
        "done": False,
    }
    context.update(values)
    return context


def room_context(state: LiveState, **extra: Any) -> dict[str, Any]:
    """What a render for every phone (of a language, or of a group) is made from."""
    return _base(
        state=state,
        stage=state.stage,
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
        stage=phone.stage,
        session=phone.session,
        item=phone.item,
        kind=phone.kind,
        phase=phone.phase,
        server_now=phone.server_now,
        own=phone.own,
        actions=_actions(phone.kind),
        group=phone.group,
        responses=phone.group_responses,
        drafts=phone.drafts,
        open=phone.keeps_list,
        result=phone.shared,
        **extra,
    )


#: Renders of one answer, or of the answer form, kept for the next phone that needs the
#: same (a room answering at once: each phone's acknowledgement holds them).
KEPT_MAX = 5000
#: Where the phone's own parts go in a kept frame (no template output holds a NUL).
_MARKERS = {name: Markup(f"\x00{name}\x00") for name in ("mine", "own_html", "form_html")}  # noqa: S704


class PhoneView:
    """Phones see the current item and their own answers; never the others' answers,
    except what the kind shows every phone or every phone of a group."""

    def __init__(self, templates: Templates) -> None:
        self.templates = templates
        self._kept: dict[tuple[Any, ...], Markup] = {}

    def _render(self, block: str, context: dict[str, Any]) -> str:
        if block == "answers":
            return self._answers_region(context)
        return self.templates.render_block(PAGE, block, context)

    def _answers_region(self, context: dict[str, Any]) -> str:
        """The answers region: its frame kept as a shell for every phone with the same
        item and state, the phone's own parts put in (a room answering at once: each
        acknowledgement costs the render of its new answer only)."""
        parts = self._answers(context)
        if context["problem"] or context["errors"]:
            return self.templates.render_block(PAGE, "answers", {**context, **parts})
        session, item = context["session"], context["item"]
        key = (
            current_language(),
            "frame",
            session.id,
            session.live_state,
            session.responses_locked,
            context["stage"],
            item.id if item is not None else None,
            bool(context["own"]),
        )
        # Plain str from here on: a Markup would escape whatever it is joined to.
        shell = str(self._keep(key, "answers", {**context, **_MARKERS}))
        return (
            shell.replace(_MARKERS["mine"], str(parts["mine"]))
            .replace(_MARKERS["own_html"], str(parts["own_html"]))
            .replace(_MARKERS["form_html"], str(parts["form_html"]))
        )

    def _keep(self, key: tuple[Any, ...], block: str, context: dict[str, Any]) -> Markup:
        found = self._kept.get(key)
        if found is None:
            if len(self._kept) >= KEPT_MAX:
                self._kept.clear()
            html = self.templates.render_block(PAGE, block, context)
            found = self._kept[key] = Markup(html)  # noqa: S704  # our autoescaped template
        return found

    def _answers(self, context: dict[str, Any]) -> dict[str, Markup]:
        """The parts of the answers region: each answer and the form, rendered once for
        every phone that shows the same (the frame around them is the phone's own)."""
        item, kind = context["item"], context["kind"]
        mine = Markup(" ".join(str(r.id) for r in context["own"]))  # noqa: S704  # numbers
        if item is None or kind is None or "answer" not in context["actions"]:
            return {"own_html": Markup(), "form_html": Markup(), "mine": mine}
        session = context["session"]
        base = (
            current_language(),
            session.id,
            session.live_state,
            session.responses_locked,
            context["stage"],
            item.id,
            context["phone_token"],
        )
        own = "".join(
            self._keep(
                (*base, "own", r.id, r.version, r.pending, r.hidden),
                "own_item",
                {**context, "r": r},
            )
            for r in context["own"]
        )
        if context["errors"] or context["form_value"] or context["idem_key"]:
            form = Markup(self.templates.render_block(PAGE, "answer_form", context))  # noqa: S704
        else:
            key = (*base, "form", len(context["own"]), context["sent"])
            form = self._keep(key, "answer_form", context)
        return {"own_html": Markup(own), "form_html": form, "mine": mine}  # noqa: S704  # kept

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
            drafts=state.group_drafts(group_id),
            open=not state.keepers(group_id),
        )
        return self._render("shared", context)

    def own(self, phone: PhoneState) -> str:
        """One phone's answers and its own part."""
        context = phone_context(phone)
        return self._render("answers", context) + self._render("mine", context)

    def region(self, phone: PhoneState, name: str, **extra: Any) -> str:
        """One region of a phone's page, or one block of its kind's template."""
        # The form's idempotency key is left empty: the page makes one (it runs scripts, or
        # it would not ask for a part of itself), and the render can be kept for others.
        context = phone_context(phone, problem_in=(name,), **extra)
        if name in REGIONS:
            return self._render(name, context)
        if phone.kind is None or phone.item is None:
            return ""
        return self.templates.render_block(
            phone.kind.template,
            name,
            {**context, "settings": phone.item.settings, "code": phone.session.join_code},
        )

    def own_item(self, phone: PhoneState, response_id: int) -> str | None:
        """One of the phone's answers with its edit form open (None: no such answer)."""
        found = phone.own_response(response_id)
        if found is None:
            return None
        context = phone_context(phone, editing=response_id, r=found)
        return self.templates.render_block(PAGE, "own_item", context)

    def page(self, phone: PhoneState, **extra: Any) -> dict[str, Any]:
        """The whole live page's context."""
        context = phone_context(phone, **extra)
        return {**context, **self._answers(context)}


@cache
def view_of(templates: Templates) -> PhoneView:
    """The one phone view of an app (its kept renders are shared by pushes and answers)."""
    return PhoneView(templates)
