"""Recovery codes: a short code a person reads aloud or types to find their own notes again.

Three groups of four characters from an alphabet without look-alikes (no 0/O, 1/I/L,
2/Z, 5/S, 8/B): "7KQD-MX4R-PTAH". Typing is forgiving: case, spaces and dashes do not
matter. The store keeps only a SHA-256 digest of the code (it holds some 55 bits of
chance, far beyond guessing through a web form); the phone is shown the code itself.
"""

from __future__ import annotations

import hashlib
import re
import secrets

ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
GROUPS, GROUP_LENGTH = 3, 4
LENGTH = GROUPS * GROUP_LENGTH


def new_code() -> str:
    """A fresh code, in its groups: "7KQD-MX4R-PTAH"."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return "-".join(raw[i : i + GROUP_LENGTH] for i in range(0, LENGTH, GROUP_LENGTH))


def normalise(typed: str) -> str | None:
    """A typed code as stored (upper case, no separators), or None if it cannot be one."""
    cleaned = re.sub(r"[\s\-.]", "", typed[:64]).upper()
    if len(cleaned) != LENGTH or any(c not in ALPHABET for c in cleaned):
        return None
    return cleaned


def digest(code: str) -> str:
    """What the store keeps of a code (given in groups or as typed)."""
    cleaned = normalise(code) or ""
    return hashlib.sha256(f"samling.recovery:{cleaned}".encode()).hexdigest()
