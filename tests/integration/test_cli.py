"""The command line, run as a user runs it: `python run.py ...` on a real file."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest

from workshop import auth
from workshop.app import kind_registry
from workshop.bootstrap import DEMO_AGENDA, first_start
from workshop.settings import Settings
from workshop.store import Store

ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str, stdin: str = "", db: Path | None = None) -> subprocess.CompletedProcess[str]:
    extra = ["--db", str(db)] if db else []
    env = {**os.environ, "LANG": "C.UTF-8"}
    env.pop("LC_ALL", None)
    env.pop("LC_MESSAGES", None)
    return subprocess.run(
        [sys.executable, str(ROOT / "run.py"), *args, *extra],
        input=stdin,
        text=True,
        capture_output=True,
        cwd=ROOT,
        timeout=60,
        env=env,
    )


def query(db: Path, coro_factory):  # type: ignore[no-untyped-def]
    async def go():  # type: ignore[no-untyped-def]
        store = Store(db)
        await store.open()
        try:
            return await coro_factory(store)
        finally:
            await store.close()

    return asyncio.run(go())


async def _session(store: Store) -> int:
    owner = await store.accounts.create("owner", "Owner", "x", "en")
    programme = await store.programmes.create(owner.id, "P", "")
    return (await store.programmes.create_session(programme.id, "S", None, "")).id


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["serve"],
        ["facilitator"],
        ["facilitator", "create"],
        ["facilitator", "password"],
        ["agenda"],
        ["agenda", "import"],
        ["agenda", "export"],
    ],
)
def test_every_command_has_help(args: list[str]) -> None:
    result = cli(*args, "--help")
    assert result.returncode == 0, result.stderr
    assert "usage:" in result.stdout


def test_serve_help_names_the_flags_and_variables() -> None:
    out = cli("serve", "--help").stdout
    for flag in ("--host", "--port", "--db", "--public-url", "SAMLING_PUBLIC_URL"):
        assert flag in out


def test_create_a_facilitator_with_the_password_on_stdin(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    result = cli(
        "facilitator", "create", "kari", "--name", "Kari N.", stdin="a long secret 1\n", db=db
    )
    assert result.returncode == 0, result.stderr
    found = query(db, lambda s: s.accounts.by_username("kari"))
    assert found is not None and found[0].display_name == "Kari N."
    assert asyncio.run(auth.verify_password(found[1], "a long secret 1"))
    assert found[1].startswith("$argon2id$")

    again = cli("facilitator", "create", "KARI", stdin="another secret 2\n", db=db)
    assert again.returncode == 1 and "already exists" in again.stderr


def test_short_password_is_refused(tmp_path: Path) -> None:
    result = cli("facilitator", "create", "kari", stdin="short\n", db=tmp_path / "s.db")
    assert result.returncode != 0 and "at least" in result.stderr.lower()
    assert query(tmp_path / "s.db", lambda s: s.accounts.count()) == 0


def test_password_reset_ends_every_login(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    cli("facilitator", "create", "kari", stdin="a long secret 1\n", db=db)

    async def log_in(store: Store) -> None:
        found = await store.accounts.by_username("kari")
        assert found
        import datetime as dt

        await store.accounts.start_login(found[0].id, "tokenhash", "csrf", dt.timedelta(hours=1))

    query(db, log_in)
    result = cli("facilitator", "password", "kari", stdin="a new secret 22\n", db=db)
    assert result.returncode == 0, result.stderr
    assert query(db, lambda s: s.accounts.login("tokenhash")) is None
    found = query(db, lambda s: s.accounts.by_username("kari"))
    assert asyncio.run(auth.verify_password(found[1], "a new secret 22"))
    missing = cli("facilitator", "password", "nobody", stdin="a new secret 22\n", db=db)
    assert missing.returncode == 1


def test_agenda_import_then_export_gives_the_same_file(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    session = query(db, _session)
    imported = cli("agenda", "import", str(DEMO_AGENDA), "--session", str(session), db=db)
    assert imported.returncode == 0, imported.stderr
    exported = cli("agenda", "export", "--session", str(session), db=db)
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout == DEMO_AGENDA.read_text(encoding="utf-8")
    out = tmp_path / "out.toml"
    cli("agenda", "export", "--session", str(session), "-o", str(out), db=db)
    assert out.read_text(encoding="utf-8") == DEMO_AGENDA.read_text(encoding="utf-8")


def test_a_malformed_file_names_line_and_field_and_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    session = query(db, _session)
    cli("agenda", "import", str(DEMO_AGENDA), "--session", str(session), db=db)
    before = query(db, lambda s: s.agenda.items(session))
    bad = tmp_path / "bad.toml"
    bad.write_text(
        'samling_agenda = 1\n\n[[item]]\ntitle = "A"\nduration = 10\n\n'
        '[[item]]\ntitle = "B"\nduration = "ten"\n',
        encoding="utf-8",
    )
    result = cli("agenda", "import", str(bad), "--session", str(session), db=db)
    assert result.returncode == 1
    assert "Line 9" in result.stderr and "item[2].duration" in result.stderr
    assert query(db, lambda s: s.agenda.items(session)) == before


def test_import_into_a_missing_session_is_refused(tmp_path: Path) -> None:
    result = cli("agenda", "import", str(DEMO_AGENDA), "--session", "999", db=tmp_path / "s.db")
    assert result.returncode == 1 and "No session" in result.stderr


def test_first_start_creates_a_login_and_a_demo_programme(tmp_path: Path) -> None:
    db = tmp_path / "s.db"

    async def go(store: Store):  # type: ignore[no-untyped-def]
        first = await first_start(store, kind_registry(Settings().plugins))
        again = await first_start(store, kind_registry(Settings().plugins))
        found = await store.accounts.by_username(first.username)
        programmes = await store.programmes.visible_to(found[0].id)
        sessions = await store.programmes.sessions(programmes[0].id)
        items = await store.agenda.items(sessions[0].id)
        ok = await auth.verify_password(found[1], first.password)
        return again, ok, items

    again, ok, items = query(db, go)
    assert again is None  # only on an empty database
    assert ok
    assert len(items) >= 10
    # An item of every exercise kind, ready to run.
    kinds = kind_registry(Settings().plugins)
    assert {i.exercise_kind for i in items} - {None} == {kind.name for kind in kinds}


def test_console_messages_follow_the_locale(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(
        'samling_agenda = 1\n[[item]]\ntitle = "A"\nduration = "ten"\n', encoding="utf-8"
    )
    db = tmp_path / "s.db"
    session = query(db, _session)
    env = {**os.environ, "LANG": "nb_NO.UTF-8"}
    env.pop("LC_ALL", None)
    env.pop("LC_MESSAGES", None)
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "run.py"),
            "agenda",
            "import",
            str(bad),
            "--session",
            str(session),
            "--db",
            str(db),
        ],
        text=True,
        capture_output=True,
        cwd=ROOT,
        timeout=60,
        env=env,
    )
    assert "Linje 4, item[1].duration: Må være et heltall." in result.stderr


def _cli_env(*args: str, stdin: str = "", **env: str) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, "LANG": "C.UTF-8", **env}
    environ.pop("LC_ALL", None)
    environ.pop("LC_MESSAGES", None)
    if "SAMLING_LANGUAGE" not in env:
        environ.pop("SAMLING_LANGUAGE", None)
    return subprocess.run(
        [sys.executable, str(ROOT / "run.py"), *args],
        input=stdin,
        text=True,
        capture_output=True,
        cwd=ROOT,
        timeout=60,
        env=environ,
    )


def test_messages_follow_the_language_flag_in_danish(tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    created = _cli_env(
        "--language", "da", "facilitator", "create", "kari", "--db", db, stdin="a long secret 1\n"
    )
    assert created.returncode == 0, created.stderr
    assert created.stdout.strip() == "Facilitatoren kari er oprettet."
    again = _cli_env(
        "--language=da", "facilitator", "create", "kari", "--db", db, stdin="a long secret 1\n"
    )
    assert again.returncode == 1 and "findes allerede" in again.stderr
    short = _cli_env("--language", "da", "facilitator", "create", "ola", "--db", db, stdin="x\n")
    assert short.returncode != 0 and "Adgangskoden blev afvist" in short.stderr
    missing = _cli_env("--language", "da", "export", "--session", "999", "--db", db)
    assert missing.returncode == 1 and "Intet seminar med id 999." in missing.stderr


def test_messages_follow_samling_language_in_nynorsk(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    session = query(db, _session)
    bad = tmp_path / "bad.toml"
    bad.write_text(
        'samling_agenda = 1\n[[item]]\ntitle = "A"\nduration = "ten"\n', encoding="utf-8"
    )
    args = ("agenda", "import", str(bad), "--session", str(session), "--db", str(db))
    result = _cli_env(*args, SAMLING_LANGUAGE="nn")
    assert result.returncode == 1
    assert "Linje 4, item[1].duration: Må vere eit heiltal." in result.stderr
    good = _cli_env(
        "agenda",
        "import",
        str(DEMO_AGENDA),
        "--session",
        str(session),
        "--db",
        str(db),
        SAMLING_LANGUAGE="nn",
    )
    assert good.returncode == 0, good.stderr
    assert (
        good.stdout.strip().startswith("Importerte ") and f"til samling {session}." in good.stdout
    )
    missing = _cli_env(
        "agenda", "export", "--session", "999", "--db", str(db), SAMLING_LANGUAGE="nn"
    )
    assert missing.returncode == 1 and "Inga samling har id 999." in missing.stderr
    # The flag wins over the variable; English stays the default.
    flagged = _cli_env(
        "--language",
        "en",
        "agenda",
        "export",
        "--session",
        "999",
        "--db",
        str(db),
        SAMLING_LANGUAGE="nn",
    )
    assert "No session with id 999." in flagged.stderr
    assert (
        "No session with id 999."
        in _cli_env("agenda", "export", "--session", "999", "--db", str(db)).stderr
    )


def test_an_unknown_samling_language_is_refused_clearly(tmp_path: Path) -> None:
    result = _cli_env(
        "agenda", "export", "--session", "1", "--db", str(tmp_path / "s.db"), SAMLING_LANGUAGE="sv"
    )
    assert result.returncode != 0
    assert "SAMLING_LANGUAGE='sv' is not a language Samling speaks" in result.stderr
    assert not (tmp_path / "s.db").exists()


def test_help_stays_english_whatever_the_language() -> None:
    result = _cli_env("--language", "da", "facilitator", "create", "--help")
    assert result.returncode == 0 and "usage:" in result.stdout
    assert (
        "the password is asked for" in _cli_env("--language", "nn", "facilitator", "--help").stdout
    )
    assert "--language {nb,nn,da,en}" in _cli_env("--help").stdout
