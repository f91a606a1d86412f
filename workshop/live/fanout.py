"""Getting a change to every audience: rendered once per audience, one message per socket.

A change is rendered once per audience and language (and, for the phones,
once per group and once per distinct content of a phone's own part), then
each socket gets one message joined from those renders. Renders are kept per
version of the room, so a hundred phones reconnecting at once cost one render
and a hundred sends. Bursts (answers, connections) are coalesced to at most
four pushes a second per audience. Each message starts with the server's
clock, so a kept render never carries a stale time.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Iterable
from typing import TYPE_CHECKING

from markupsafe import escape

from workshop import hub as audiences
from workshop.clock import epoch_ms, now
from workshop.hub import FULL, PHONES, Hub, Subscriber
from workshop.i18n import gettext, language
from workshop.live.cache import Rooms
from workshop.live.room import Room
from workshop.live.state import LiveState, PhoneState
from workshop.live.views import PhonesView, ScreenView

if TYPE_CHECKING:
    from workshop.live.wakeups import Wakeups

SCREENS = (audiences.PRESENTER, audiences.FACILITATORS)
#: Renders kept per session and family ("stage", "own"...) before they are forgotten:
#: a phone's own part has one per distinct content, the others one per version.
MEMO_MAX = {"own": 4000}
MEMO_OTHERS = 16


def clock() -> str:
    """The server's clock, for the pages' countdowns (first in every message)."""
    return f'<i id="server-now" hidden data-server-now="{epoch_ms(now())}" hx-swap-oob="true"></i>'


def page_language(lang: str) -> str:
    """For a socket whose page now speaks another language: the page's language and the
    words its scripts say (the connection's state, the item said, a failed change, the
    presenter's "+ N more" and pages) and its static words outside the pushed regions
    (the elements marked data-say), which static/js/language.js puts in place, and the
    footer's link to the statement in it."""
    with language(lang):
        said = {
            "connected": gettext("Connected"),
            "connecting": gettext("Connecting…"),
            "offline": gettext("Offline – reconnecting…"),
            "item": gettext("Now: %(title)s", title="{title}"),
            "problem-offline": gettext(
                "Could not reach the server, so the change was not saved. Check the"
                " connection and try again."
            ),
            "problem-failed": gettext(
                "The server refused the change. Reload the page and try again."
            ),
            # The static words outside the pushed regions (data-say on them).
            "say-languages": gettext("Language"),
            "say-joined": gettext("You joined as %(name)s", name="{name}"),
            "say-chime": gettext("Chime at the end of each phase"),
            "more": gettext("+ %(num)s more", num="{num}"),
            "page": gettext("Page %(page)s of %(count)s", page="{page}", count="{count}"),
        }
        link = escape(gettext("Accessibility statement"))
    words = "".join(f' data-{name}="{escape(text)}"' for name, text in said.items())
    return (
        f'<i id="page-language" hidden data-language="{lang}"{words} hx-swap-oob="true"></i>'
        f'<a href="/tilgjengelighet?lang={lang}" id="accessibility-link"'
        f' hx-swap-oob="true">{link}</a>'
    )


class Fanout:
    """Renders a session's changes for its audiences and offers them to the hub."""

    def __init__(self, hub: Hub, rooms: Rooms, phones: PhonesView, screens: dict[str, ScreenView]):
        self.hub = hub
        self.rooms = rooms
        self.phones = phones
        self.screens = screens
        self.wakeups: Wakeups | None = None
        self._memo: dict[tuple[int, str], dict[Hashable, str]] = {}
        #: Per (session, audience, language): the newest response id its screens were sent.
        self._sent_upto: dict[tuple[int, str, str], int] = {}
        #: Per session: phones whose connection changed since the last counts push.
        self._changed_phones: dict[int, set[int]] = {}

    # -- renders, kept per version ------------------------------------------------------

    def _kept(self, session_id: int, key: tuple[Hashable, ...], render: Callable[[], str]) -> str:
        family = str(key[0])
        memo = self._memo.setdefault((session_id, family), {})
        html = memo.get(key)
        if html is None:
            if len(memo) >= MEMO_MAX.get(family, MEMO_OTHERS):
                memo.clear()
            html = memo[key] = render()
        return html

    def state(self, room: Room) -> LiveState:
        session_id = room.session.id
        return room.snapshot(self.hub.online(session_id), self.hub.online_version(session_id))

    def _stage(self, room: Room, state: LiveState, lang: str) -> str:
        shared = room.results if room.kind is not None and room.kind.phones_see == "room" else 0

        def render() -> str:
            with language(lang):
                html = self.phones.stage(state)
                if shared:
                    html += self.phones.shared(state)
                return html

        return self._kept(room.session.id, ("stage", room.stage, shared, lang), render)

    def _group(self, room: Room, state: LiveState, lang: str, group_id: int | None) -> str:
        if room.kind is None or room.kind.phones_see != "group":
            return ""

        def render() -> str:
            with language(lang):
                return self.phones.group(state, state.group(group_id))

        key = ("group", room.stage, room.group_version(group_id), lang, group_id)
        return self._kept(room.session.id, key, render)

    def _own(self, room: Room, phone: PhoneState, lang: str) -> str:
        own = tuple((r.id, r.version, r.pending, r.hidden, r.votes) for r in phone.own)
        role = room.roles.get(phone.participant_id)
        key = (
            "own",
            room.stage,
            lang,
            own,
            role,
            phone.note,
            phone.voted,
            phone.keeps_list,
            phone.recovery_code,
            len(phone.drafts),
        )

        def render() -> str:
            with language(lang):
                return self.phones.own(phone)

        return self._kept(room.session.id, key, render)

    def _screen(self, room: Room, state: LiveState, audience: str, lang: str) -> str:
        def render() -> str:
            with language(lang):
                return self.screens[audience].full(state)

        key = ("screen", audience, lang, room.version, state.online, state.drawing is None)
        return self._kept(room.session.id, key, render)

    # -- what a socket gets first --------------------------------------------------------

    def first_for_phone(self, room: Room, participant_id: int, lang: str) -> str | None:
        """The full state for one phone's new socket (None: not a phone of the session)."""
        phone = room.phone(participant_id)
        if phone is None:
            return None
        state = self.state(room)
        html = clock() + self._stage(room, state, lang)
        html += self._group(room, state, lang, phone.group.id if phone.group else None)
        if room.has_own(participant_id):
            html += self._own(room, phone, lang)
        return html

    def group_for_phone(self, room: Room, participant_id: int, lang: str) -> str:
        """The shared region of a phone's group as its pushes render it (the room's state
        in it: a plenary's board of every group), for the phone's page ("" for kinds whose
        phones see no group's)."""
        phone = room.phone(participant_id)
        if phone is None:
            return ""
        group_id = phone.group.id if phone.group else None
        return self._group(room, self.state(room), lang, group_id)

    def first_for_screen(self, room: Room, audience: str, lang: str) -> str:
        state = self.state(room)
        newest = max(room.responses, default=0)
        key = (room.session.id, audience, lang)
        self._sent_upto[key] = max(self._sent_upto.get(key, 0), newest)
        return clock() + self._screen(room, state, audience, lang)

    # -- publishing ----------------------------------------------------------------------

    def screens_soon(self, session_id: int) -> None:
        """The screens render again as a whole, at most four times a second."""
        self.hub.soon(session_id, "screens", lambda: self.screens_full(session_id))

    def screens_full(self, session_id: int) -> None:
        """Everything, to the screens only (the phones did not change)."""
        self.full(session_id, phones=False)

    def full(self, session_id: int, *, phones: bool = True) -> None:
        """Everything, to every socket of the session (after a change of item, switch,
        timer, groups...): one message each."""
        room = self.rooms.cached(session_id)
        if room is None:
            return
        state = self.state(room)
        stamp = clock()
        if phones:
            self._forget_renders(session_id)
        for audience in SCREENS:
            for sub in self.hub.screens(session_id, audience):
                html = self._screen(room, state, audience, sub.language)
                sub.offer(stamp + html, FULL)
            newest = max(room.responses, default=0)
            for lang in self.hub.languages(session_id, audience):
                self._sent_upto[(session_id, audience, lang)] = newest
        if self.wakeups is not None:
            self.wakeups.check(room, state)
        if not phones:
            return
        with_own = room.with_own()
        # One message per language and group, shared by their sockets (a phone with a
        # part of its own gets that joined on): the loop below only sends.
        shared: dict[tuple[str, int | None], str] = {}
        messages: list[tuple[Subscriber, str]] = []
        for sub in self.hub.phones(session_id):
            message = shared.get((sub.language, sub.group))
            if message is None:
                message = stamp + self._stage(room, state, sub.language)
                message += self._group(room, state, sub.language, sub.group)
                shared[(sub.language, sub.group)] = message
            if sub.key is not None and sub.key in with_own:
                phone = room.phone(sub.key)
                if phone is not None:
                    message += self._own(room, phone, sub.language)
            messages.append((sub, message))
        self.hub.fan_out(messages, FULL)

    def relanguaged(self, subs: Iterable[Subscriber]) -> None:
        """These sockets speak another language now (they had the full state in it)."""
        self.hub.fan_out(((s, page_language(s.language)) for s in subs), None)

    def results_soon(self, session_id: int) -> None:
        """The item's responses changed: the screens (and phones that see them) follow,
        at most four times a second."""
        self.hub.soon(session_id, "results", lambda: self.results_now(session_id))

    def results_now(self, session_id: int) -> None:
        """The item's results to who sees them, now (a drawing that just came)."""
        room = self.rooms.cached(session_id)
        if room is None:
            return
        shared = room.kind is not None and room.kind.phones_see == "room"
        if not any(
            self.hub.count(session_id, a) for a in (*SCREENS, *([PHONES] if shared else []))
        ):
            return  # nobody would see it: not even the state is built
        state = self.state(room)
        for audience in SCREENS:
            for lang in self.hub.languages(session_id, audience):
                key = (session_id, audience, lang)
                upto = self._sent_upto.get(key, 0)
                added = [r for r in state.responses if r.id > upto and not r.hidden]
                self._sent_upto[key] = max([upto, *(r.id for r in state.responses)])
                with language(lang):
                    html = self.screens[audience].results(state, added)
                self._offer(self.hub.screens(session_id, audience), lang, html, None)
        if room.kind is not None and room.kind.phones_see == "room":
            subs = self.hub.phones(session_id)
            self.hub.fan_out(((s, self._shared(room, state, s.language)) for s in subs), "shared")

    def _shared(self, room: Room, state: LiveState, lang: str) -> str:
        def render() -> str:
            with language(lang):
                return self.phones.shared(state)

        return self._kept(room.session.id, ("shared", room.results, lang), render)

    def group_soon(self, session_id: int, group_id: int | None) -> None:
        """A group's list changed: its phones follow (no other group's phone hears of it)."""
        self.hub.soon(session_id, f"group:{group_id}", lambda: self._to_group(session_id, group_id))

    def _to_group(self, session_id: int, group_id: int | None) -> None:
        room = self.rooms.cached(session_id)
        if room is None:
            return
        state = self.state(room)
        subs = self.hub.phones(session_id, group_id)
        self.hub.fan_out(
            ((s, self._group(room, state, s.language, group_id)) for s in subs), "group"
        )

    def to_phone(self, session_id: int, participant_id: int) -> None:
        """One phone's own regions changed by someone else (its answer was approved)."""
        room = self.rooms.cached(session_id)
        phone = room.phone(participant_id) if room is not None else None
        if room is None or phone is None:
            return
        for sub in self.hub.sockets_of(session_id, participant_id):
            sub.offer(self._own(room, phone, sub.language), "own")

    def phone_to_group(self, session_id: int, participant_id: int) -> None:
        """A phone moved to another group: its sockets get that group's area and its own."""
        room = self.rooms.cached(session_id)
        phone = room.phone(participant_id) if room is not None else None
        if room is None or phone is None:
            return
        state = self.state(room)
        group_id = phone.group.id if phone.group else None
        for sub in self.hub.sockets_of(session_id, participant_id):
            html = self._group(room, state, sub.language, group_id)
            sub.offer(html + self._own(room, phone, sub.language), None)

    def counts_soon(self, session_id: int, changed: Collection[int] = ()) -> None:
        """Phones joined, connected or left: the screens' counts, and those phones' rows."""
        self._changed_phones.setdefault(session_id, set()).update(changed)
        self.hub.soon(session_id, "counts", lambda: self._counts(session_id))

    def _counts(self, session_id: int) -> None:
        changed = self._changed_phones.pop(session_id, set())
        room = self.rooms.cached(session_id)
        if room is None or not any(self.hub.count(session_id, a) for a in SCREENS):
            return
        state = self.state(room)
        for audience in SCREENS:
            for lang in self.hub.languages(session_id, audience):
                with language(lang):
                    html = self.screens[audience].counts(state, changed)
                self._offer(self.hub.screens(session_id, audience), lang, html, None)

    @staticmethod
    def _offer(subs: Iterable[Subscriber], lang: str, html: str, slot: str | None) -> None:
        if not html:
            return
        for sub in subs:
            if sub.language == lang:
                sub.offer(html, slot)

    def _forget_renders(self, session_id: int) -> None:
        for key in [k for k in self._memo if k[0] == session_id]:
            del self._memo[key]

    def forget(self, session_id: int) -> None:
        """Drop what is kept for a session (it closed)."""
        self._forget_renders(session_id)
        self._changed_phones.pop(session_id, None)
        for key in [k for k in self._sent_upto if k[0] == session_id]:
            del self._sent_upto[key]
