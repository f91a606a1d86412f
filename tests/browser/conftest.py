"""Browser fixtures: a real server process on 127.0.0.1 and headless Chromium.

One server per test module (a fresh SQLite file each), one browser per test
run, a fresh browser context per test. Every page records Content-Security-
Policy violations and script errors; a test that causes one fails.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from tests.conftest import make_facilitator, replace_agenda

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

# Collects CSP violations in the page itself: the event fires for each one.
_WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI);
});
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class LiveServer:
    """A `run.py serve` process on a temporary database."""

    db_path: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[str] | None = None
    admin_password: str = ""
    log: list[str] = field(default_factory=list)
    #: What runs run.py (tests may wrap it); default: this Python on run.py.
    launcher: list[str] | None = None
    #: Environment variables for the server beside this process's own (SAMLING_PLUGINS...).
    env: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30.0) -> LiveServer:
        return self.start_with(
            [
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--db",
                str(self.db_path),
                "--public-url",
                self.url,
            ],
            timeout,
        )

    def start_with(self, args: list[str], timeout: float = 30.0) -> LiveServer:
        """Start run.py with these arguments; wait until it serves."""
        if self.process is not None:  # a restart: the old process has ended
            self.stop()
        # English console messages: the password line below is parsed.
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "LANG": "C.UTF-8", **self.env}
        env.pop("LC_ALL", None)
        env.pop("LC_MESSAGES", None)
        self.process = subprocess.Popen(
            [*(self.launcher or [sys.executable, str(ROOT / "run.py")]), *args],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        assert self.process.stdout is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line:
                if self.process.poll() is not None:
                    raise RuntimeError("server exited:\n" + "".join(self.log))
                continue
            self.log.append(line)
            found = re.search(r"with password '([^']+)'", line)
            if found:
                self.admin_password = found[1]
            if "Uvicorn running" in line:
                # Keep draining the pipe, or a chatty server would block on it.
                threading.Thread(target=self._drain, daemon=True).start()
                return self
        raise RuntimeError("server did not start:\n" + "".join(self.log))

    def _drain(self) -> None:
        stream = self.process.stdout if self.process else None
        if stream is None:
            return
        try:
            for line in stream:
                self.log.append(line)
        except (ValueError, OSError):
            pass  # closed by stop()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process and self.process.stdout:
            self.process.stdout.close()

    def add_facilitator(self, username: str, password: str) -> None:
        """Create an account straight in the store (the command line's own test is in
        tests/integration/test_cli.py)."""
        make_facilitator(self.db_path, username, password)

    def import_agenda(self, session_id: int, agenda: str) -> None:
        """Replace a (not yet started) session's agenda with a TOML text."""
        replace_agenda(self.db_path, session_id, agenda, self.plugins)

    @property
    def plugins(self) -> tuple[str, ...]:
        names = self.env.get("SAMLING_PLUGINS", "exercises")
        return tuple(n.strip() for n in names.split(",") if n.strip())


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    live = LiveServer(tmp_path_factory.mktemp("server") / "samling.db").start()
    try:
        yield live
    finally:
        live.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class PageProblems:
    errors: list[str] = field(default_factory=list)


def new_context(browser: Browser, **kwargs: object) -> BrowserContext:
    context = browser.new_context(**kwargs)  # type: ignore[arg-type]
    context.add_init_script(_WATCH_CSP)
    context.set_default_timeout(10_000)
    return context


def watch(page: Page, problems: PageProblems) -> Page:
    page.on("pageerror", lambda exc: problems.errors.append(f"page error: {exc}"))

    def on_console(message) -> None:  # type: ignore[no-untyped-def]
        text = message.text
        if message.type == "error" and ("Content Security Policy" in text or "Refused" in text):
            problems.errors.append(f"console: {text}")

    page.on("console", on_console)
    return page


def assert_clean(page: Page, problems: PageProblems) -> None:
    """No CSP violation, no script error on this page."""
    try:
        violations = page.evaluate("window.__cspViolations || []")
    except Exception:  # noqa: BLE001  # the page may be closed or navigating
        violations = []
    assert not violations, f"CSP violations: {violations}"
    assert not problems.errors, problems.errors


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    ctx = new_context(browser, locale="en-GB", accept_downloads=True)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context: BrowserContext) -> Iterator[Page]:
    problems = PageProblems()
    p = watch(context.new_page(), problems)
    yield p
    assert_clean(p, problems)


def log_in(page: Page, server: LiveServer, username: str, password: str) -> None:
    page.goto(server.url + "/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/programmes$"))
