"""Which phone is asking: a signed participant cookie, and the phone's form token.

The cookie holds the participant's id and session id, signed with the app's
secret, so a phone can neither forge another's id nor carry its identity into
another session. The token in a phone's forms is an HMAC of the same, checked
on every POST (the cookie is SameSite=Lax as well).
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeSerializer
from starlette.requests import HTTPConnection

from workshop.auth import cookie_name
from workshop.services import services

PHONE_COOKIE = "samling_phone"
COOKIE_MAX_AGE = 7 * 24 * 3600
#: The device's person across a programme's sessions (kinds that follow the phone): set on
#: joining, kept as long as browsers keep a cookie (400 days).
DEVICE_COOKIE = "samling_device"
DEVICE_MAX_AGE = 400 * 24 * 3600


@dataclass(frozen=True)
class PhoneId:
    participant_id: int
    session_id: int


def _serializer(secret: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret, salt="samling.phone")


def cookie_value(secret: str, phone: PhoneId) -> str:
    return str(_serializer(secret).dumps([phone.participant_id, phone.session_id]))


def read_cookie(connection: HTTPConnection) -> PhoneId | None:
    raw = connection.cookies.get(cookie_name(connection, PHONE_COOKIE))
    if not raw or len(raw) > 200:
        return None
    try:
        value = _serializer(services(connection).secret).loads(raw)
    except BadSignature:
        return None
    if (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
    ):
        return PhoneId(value[0], value[1])
    return None


def _devices(secret: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret, salt="samling.device")


def device_value(secret: str, person_id: int) -> str:
    return str(_devices(secret).dumps(person_id))


def read_device(connection: HTTPConnection) -> int | None:
    """The person the device's cookie names (None: no cookie, or not one of ours)."""
    raw = connection.cookies.get(cookie_name(connection, DEVICE_COOKIE))
    if not raw or len(raw) > 200:
        return None
    try:
        value = _devices(services(connection).secret).loads(raw)
    except BadSignature:
        return None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def form_token(secret: str, phone: PhoneId) -> str:
    message = f"{phone.participant_id}:{phone.session_id}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()[:32]


def clean_code(raw: str) -> str:
    """A join code as typed: spaces, dashes and dots ignored."""
    return re.sub(r"[\s\-.]", "", raw)[:32]


def tokens_equal(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())
