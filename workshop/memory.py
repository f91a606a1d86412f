"""Handing memory back to the system once a wave of closed sockets has settled.

When a room's phones leave (the day is over, or half of them lose the venue's
wifi at once), the memory of their connections is freed inside the process, but
the C allocator keeps the pages: 1,000 phones that left kept about 50 MiB of a
server that needed 100 without them. glibc's ``malloc_trim`` hands free pages
back. It runs in a thread (a ctypes call lets go of the GIL) once sockets have
been quiet for a moment after a wave of closes, so a wave costs one trim and no
time on the event loop. Where there is no ``malloc_trim`` (not glibc) nothing
is done.
"""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import time
from collections.abc import Callable

Trim = Callable[[int], object]


def _malloc_trim() -> Trim | None:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None
    trim: Trim | None = getattr(libc, "malloc_trim", None)
    return trim


class Trimmer:
    """Counts closed sockets and trims once after a burst, when things are quiet."""

    def __init__(
        self,
        after: int = 100,
        quiet: float = 1.0,
        longest: float = 15.0,
        trim: Trim | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.after = after
        self.quiet = quiet
        self.longest = longest
        self.trims = 0
        self._trim = trim
        self._clock = clock
        self._closed = 0
        self._armed_at: float | None = None
        self._last_change = 0.0
        self._handle: asyncio.TimerHandle | None = None
        self._running: asyncio.Future[object] | None = None

    @classmethod
    def of_this_system(cls) -> Trimmer:
        """A trimmer with this system's ``malloc_trim`` (one that never trims without)."""
        return cls(trim=_malloc_trim())

    def opened(self) -> None:
        """A socket opened: it pushes a pending trim back until things settle."""
        self._last_change = self._clock()

    def closed(self) -> None:
        """A socket closed; the hundredth since the last trim arms the next one."""
        self._last_change = self._clock()
        self._closed += 1
        if self._closed < self.after or self._armed_at is not None or self._trim is None:
            return
        self._armed_at = self._last_change
        self._handle = asyncio.get_running_loop().call_later(self.quiet, self._due)

    def _due(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None
        if self._armed_at is None:
            return
        now = self._clock()
        settled_at = self._last_change + self.quiet
        if now < settled_at and now < self._armed_at + self.longest:
            wait = min(settled_at, self._armed_at + self.longest) - now
            self._handle = asyncio.get_running_loop().call_later(wait, self._due)
            return
        self._armed_at = None
        self._closed = 0
        if self._running is not None and not self._running.done():
            return
        assert self._trim is not None
        self.trims += 1
        self._running = asyncio.get_running_loop().run_in_executor(None, self._trim, 0)

    def cancel(self) -> None:
        """Forget a pending trim (the server is stopping)."""
        if self._handle is not None:
            self._handle.cancel()
        self._handle = None
        self._armed_at = None
