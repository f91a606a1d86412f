"""Facilitator authentication: password hashes, login sessions, throttling, CSRF.

Login sessions live in the store (table ``logins``); the cookie holds a random
token and the table its SHA-256, so logout or a password change really ends a
session. Each login session has its own CSRF token, sent back by every form
(hidden field ``csrf_token``) and every htmx request (header ``X-CSRF-Token``).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import secrets
import time
from collections.abc import Awaitable, Callable
from functools import cache, wraps

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from starlette.requests import HTTPConnection, Request
from starlette.responses import Response

from workshop.errors import refuse
from workshop.i18n import Message, set_language
from workshop.models import Login
from workshop.services import services

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
PASSWORD_MIN = 10
PASSWORD_MAX = 256

_hasher = PasswordHasher()  # argon2id with the library's recommended cost


async def hash_password(password: str) -> str:
    # argon2's C code releases the GIL, so a thread keeps the event loop free.
    return await asyncio.to_thread(_hasher.hash, password)


async def verify_password(stored_hash: str | None, password: str) -> bool:
    """Check a password; with no account, check against a dummy hash so timing matches."""
    target = stored_hash or _dummy_hash()

    def check() -> bool:
        try:
            return _hasher.verify(target, password)
        except (VerificationError, InvalidHashError):
            return False

    ok = await asyncio.to_thread(check)
    return ok and stored_hash is not None


@cache
def _dummy_hash() -> str:
    return _hasher.hash(secrets.token_urlsafe(16))


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def tokens_match(given: str | None, expected: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


def is_https(request: HTTPConnection) -> bool:
    # The scope's scheme (set from X-Forwarded-Proto behind a trusted proxy): building
    # request.url for it would cost more than the rest of a phone's answer.
    return request.scope.get("scheme") in ("https", "wss")


def cookie_name(request: HTTPConnection, base: str) -> str:
    # The __Host- prefix makes the browser refuse the cookie unless it is Secure,
    # host-only and for path /: a sibling subdomain cannot plant or read it.
    return f"__Host-{base}" if is_https(request) else base


def set_cookie(response: Response, request: Request, base: str, value: str, max_age: int) -> None:
    response.set_cookie(
        cookie_name(request, base),
        value,
        max_age=max_age,
        path="/",
        httponly=True,
        samesite="lax",
        secure=is_https(request),
    )


def clear_cookie(response: Response, request: Request, base: str) -> None:
    response.delete_cookie(
        cookie_name(request, base),
        path="/",
        httponly=True,
        samesite="lax",
        secure=is_https(request),
    )


LOGIN_COOKIE = "samling_login"


class Throttle:
    """Slows password guessing down without locking the real user out.

    Failures are counted per (username, address) and per address. After a few
    free attempts each further one must wait twice as long as the last, up to a
    cap; the wait is checked before the password is, so a guess sent early is
    refused unchecked. Keying by address keeps an attacker elsewhere from
    shutting the real user out of their own account.
    """

    FREE = 5
    FREE_PER_ADDRESS = 30
    CAP = 60.0
    FORGET_AFTER = 15 * 60.0

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._failures: dict[tuple[str, ...], tuple[int, float]] = {}

    def _keys(self, username: str, address: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        return (username.casefold(), address), (address,)

    def wait(self, username: str, address: str) -> float:
        """Seconds before this pair may try again (0 when it may now)."""
        now = self._clock()
        longest = 0.0
        for key, free in zip(
            self._keys(username, address), (self.FREE, self.FREE_PER_ADDRESS), strict=True
        ):
            count, last = self._failures.get(key, (0, now))
            if now - last > self.FORGET_AFTER:
                self._failures.pop(key, None)
                continue
            if count >= free:
                delay = min(self.CAP, 2.0 ** (count - free))
                longest = max(longest, last + delay - now)
        return max(0.0, longest)

    def failed(self, username: str, address: str) -> None:
        now = self._clock()
        for key in self._keys(username, address):
            count, _last = self._failures.get(key, (0, now))
            self._failures[key] = (count + 1, now)
        if len(self._failures) > 100_000:  # bound memory under a flood of names
            self._failures.clear()

    def succeeded(self, username: str, address: str) -> None:
        self._failures.pop(self._keys(username, address)[0], None)


Endpoint = Callable[[Request], Awaitable[Response]]


def login_of(request: Request) -> Login:
    """The login session that requires_login put on the request."""
    login: Login = request.state.login
    return login


def requires_login(endpoint: Endpoint) -> Endpoint:
    """Wrap a facilitator view: a logged-in facilitator, and a CSRF token on unsafe methods."""

    @wraps(endpoint)
    async def view(request: Request) -> Response:
        try:
            login = await current_login(request)
            if login is None:
                return await refuse(request, "login")
            set_language(login.facilitator.language)
            if request.method not in SAFE_METHODS:
                given = request.headers.get(CSRF_HEADER)
                if given is None:
                    form = await request.form()
                    value = form.get(CSRF_FIELD)
                    given = value if isinstance(value, str) else None
                if not tokens_match(given, login.csrf_token):
                    return await refuse(request, "csrf")
            request.state.login = login
            return await endpoint(request)
        finally:
            # Closes the files of a parsed multipart form (an agenda upload).
            await request.close()

    view.requires_login = True  # type: ignore[attr-defined]  # found by the route-walking test
    return view


async def current_login(request: HTTPConnection) -> Login | None:
    token = request.cookies.get(cookie_name(request, LOGIN_COOKIE))
    if not token or len(token) > 100:
        return None
    login: Login | None = await services(request).store.accounts.login(token_hash(token))
    return login


ANON_CSRF_COOKIE = "samling_csrf"


def anon_csrf(request: Request) -> tuple[str, bool]:
    """The CSRF token for forms shown before login (double-submit cookie); new if True."""
    token = request.cookies.get(cookie_name(request, ANON_CSRF_COOKIE), "")
    if 20 <= len(token) <= 100:
        return token, False
    return new_token(), True


def anon_csrf_ok(request: Request, given: str | None) -> bool:
    token = request.cookies.get(cookie_name(request, ANON_CSRF_COOKIE))
    return token is not None and tokens_match(given, token)


async def start_login(request: Request, response: Response, facilitator_id: int) -> None:
    """Begin a new login session (always a fresh id) and set its cookie."""
    token = new_token()
    lifetime = services(request).settings.login_lifetime
    await services(request).store.accounts.start_login(
        facilitator_id, token_hash(token), new_token(), lifetime
    )
    set_cookie(response, request, LOGIN_COOKIE, token, int(lifetime.total_seconds()))


def password_problem(password: str) -> Message | None:
    """Why a new password is refused, or None."""
    if len(password) < PASSWORD_MIN:
        return Message("Use at least %(min)d characters.", min=PASSWORD_MIN)
    if len(password) > PASSWORD_MAX:
        return Message("At most %(max)d characters.", max=PASSWORD_MAX)
    if "\x00" in password:
        return Message("Contains characters that are not allowed.")
    return None
