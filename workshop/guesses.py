"""Join-code guessing is slowed per address; a right code is never turned away.

Every code a phone sends is checked, and only a wrong one counts against the
address it came from (an IPv6 address by its /64, the network one phone's or
one venue's addresses share, so a guesser cannot step to the next address).
An address may send ``FREE`` wrong codes in ``WINDOW`` seconds; each wrong
code after that is answered late (``HOLD`` seconds) with 429 and a
Retry-After, for as long as the address keeps sending them. A right code is
not counted, refused or delayed: 300 phones behind one NAT get in while
someone on the same network types wrong codes, or guesses.

The join form, the QR link (``/j/<code>``) and the live page (``/s/<code>``
sends a phone that has not joined to the QR link) share this one budget.

What it cannot do: since a right code must always get in, a guesser that
sends many codes at once learns of a right one as soon as it is checked. The
hold slows a guesser that waits for each answer (a person, or a plain
script) to one code per ``HOLD`` seconds; eight digits and a few live
sessions leave such a guesser years of work.
"""

from __future__ import annotations

import asyncio
import ipaddress
import math
import time
from collections import OrderedDict, deque
from collections.abc import Awaitable, Callable


def address_key(address: str) -> str:
    """The key an address is counted under: an IPv4 address, or an IPv6 address's /64."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address  # no address at all ("?"), or a test client's name
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


class WrongCodes:
    """Counts wrong codes per address and answers them late past the free budget."""

    FREE = 20
    WINDOW = 60.0
    #: How late a wrong code past the budget is answered.
    HOLD = 2.0
    #: Wrong codes held at once, server-wide: past it one is answered at once (still
    #: 429), so a flood of guesses cannot pile up open requests.
    HELD_MAX = 1_000
    #: Addresses remembered; the one that sent its last wrong code longest ago goes first.
    ADDRESSES_MAX = 100_000

    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._clock = clock
        self._sleep = sleep
        # Per address: the times of its last FREE wrong codes, oldest first.
        self._seen: OrderedDict[str, deque[float]] = OrderedDict()
        self._held = 0

    async def wrong(self, address: str) -> int | None:
        """Count a wrong code from this address. Within the budget: None at once. Past it:
        the Retry-After to send (whole seconds), after holding the answer ``HOLD`` seconds."""
        key = address_key(address)
        now = self._clock()
        times = self._seen.pop(key, None) or deque(maxlen=self.FREE)
        slowed = len(times) == self.FREE and times[0] > now - self.WINDOW
        times.append(now)  # a full deque drops its oldest
        self._seen[key] = times  # to the end: the most recent
        if len(self._seen) > self.ADDRESSES_MAX:
            self._seen.popitem(last=False)
        if not slowed:
            return None
        retry = max(1, math.ceil(times[0] + self.WINDOW - now))
        if self._held < self.HELD_MAX:
            self._held += 1
            try:
                await self._sleep(self.HOLD)
            finally:
                self._held -= 1
        return retry
