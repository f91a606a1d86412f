"""How the phones see the session: the fragments the live loop pushes to them."""

from __future__ import annotations

import secrets
from typing import Any

from workshop.hub import Fragment
from workshop.kinds import ResponseRecord, Voted
from workshop.live import LiveState
from workshop.models import Group
from workshop.templating import Templates

PAGE = "participant/live.html"


def new_key() -> str:
    """An idempotency key for a phone's next response (the phone may make its own)."""
    return secrets.token_urlsafe(16)


def context(
    state: LiveState,
    own: list[ResponseRecord],
    *,
    phone_token: str = "",
    idem_key: str = "",
    **extra: Any,
) -> dict[str, Any]:
    values: dict[str, Any] = {
        "state": state,
        "session": state.session,
        "own": own,
        "phone_token": phone_token,
        "idem_key": idem_key,
        "form_value": {},
        "errors": {},
        "problem": None,
        "sent": False,
        "csrf_token": "",
        "voted": [],
        "role": None,
        "keeper": False,
        "note": "",
        "saved": False,
        "group": None,
        "points": [],
        "open": False,
    }
    values.update(extra)
    return values


class PhoneView:
    """Phones see the current item and their own answers; never the others' answers."""

    def __init__(self, templates: Templates) -> None:
        self.templates = templates

    def _blocks(self, ctx: dict[str, Any], *names: str) -> list[Fragment]:
        return [Fragment(self.templates.render_block(PAGE, name, ctx), slot=name) for name in names]

    def full(self, state: LiveState) -> list[Fragment]:
        """The stage, an empty answer area (tokens are filled in on the phone) and what
        the phones see of the others' responses."""
        return self._blocks(context(state, []), "stage", "answers", "others")

    def own(
        self, state: LiveState, participant_id: int, own: list[ResponseRecord]
    ) -> list[Fragment]:
        """One phone's answer area with its own responses."""
        return self._blocks(context(state, own), "answers")

    def results(self, state: LiveState) -> list[Fragment]:
        """Phones show no results; for ``Voted`` kinds, the others' responses to vote for."""
        if not isinstance(state.kind, Voted):
            return []
        return self._blocks(context(state, []), "others")

    def votes(self, state: LiveState, voted: list[int], **extra: Any) -> str:
        """One phone's votes (the phone marks its buttons with them)."""
        return self.templates.render_block(
            PAGE, "my_votes", context(state, [], voted=voted, **extra)
        )

    def group(
        self, state: LiveState, group: Group | None, points: list[ResponseRecord], **extra: Any
    ) -> list[Fragment]:
        """A group's area (group work): its list, and the form in the group round."""
        return self._group_block("group", state, group, points, extra)

    def points(
        self, state: LiveState, group: Group | None, points: list[ResponseRecord], **extra: Any
    ) -> list[Fragment]:
        """A group's list alone (after a point was added or changed)."""
        return self._group_block("group_points", state, group, points, extra)

    def _group_block(
        self,
        name: str,
        state: LiveState,
        group: Group | None,
        points: list[ResponseRecord],
        extra: dict[str, Any],
    ) -> list[Fragment]:
        # "open": a group without a list keeper, where every phone may edit the list.
        group_open = not state.keepers(group.id if group else None)
        ctx = context(state, [], group=group, points=points, open=group_open, **extra)
        return self._blocks(ctx, name)

    def mine(
        self, state: LiveState, participant_id: int | None, note: str, **extra: Any
    ) -> list[Fragment]:
        """One phone's role and notepad (None: a phone with neither, for all of those)."""
        role = state.role_of(participant_id) if participant_id is not None else None
        ctx = context(
            state, [], role=role, keeper=bool(role and role.keeps_list), note=note, **extra
        )
        return self._blocks(ctx, "mine", "notepad")

    def added(self, state: LiveState, responses: list[ResponseRecord]) -> list[Fragment]:
        """Phones do not see others' responses."""
        return []

    def counts(self, state: LiveState) -> list[Fragment]:
        """Phones show no counts."""
        return []
