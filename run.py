#!/usr/bin/env python3
"""Samling's command line: serve the app, manage facilitators, import and export agendas,
export the summary of a session or a programme.

Run ``python run.py --help`` (or ``python run.py COMMAND --help``) for the details.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import sys
from pathlib import Path

from facilitator.export import FORMATS
from facilitator.export import filename as export_filename
from facilitator.export import render as render_export
from facilitator.export.build import programme_record, session_record
from facilitator.export.pdf import PdfUnavailable
from facilitator.export.record import Record
from workshop import agenda_toml, auth
from workshop.app import create_app, kind_registry
from workshop.bootstrap import first_start
from workshop.i18n import DEFAULT_LANGUAGE, LANGUAGES, _, current_language, set_language
from workshop.settings import (
    ENV_ACCESSIBILITY_CONTACT,
    ENV_DB,
    ENV_HOST,
    ENV_PORT,
    ENV_PUBLIC_URL,
    Settings,
)
from workshop.store import DuplicateUsername, Store


def _db_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", type=Path, help=f"SQLite file (default ./samling.db; env {ENV_DB})")


#: The console's language when ``--language`` is not given (before the locale's).
ENV_LANGUAGE = "SAMLING_LANGUAGE"
_LANGUAGE_FLAG = "--language"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="run.py", description=__doc__)
    # Given before the command; the commands' own --language say an account's or a
    # summary's language, so this one has a dest of its own.
    parser.add_argument(
        _LANGUAGE_FLAG,
        dest="console_language",
        choices=list(LANGUAGES),
        help=f"language of the messages (default: env {ENV_LANGUAGE}, else the locale's,"
        " else English); --help stays English",
    )
    sub = parser.add_subparsers(dest="command")

    serve = sub.add_parser("serve", help="serve the app (the default command)")
    serve.add_argument("--host", help=f"address to listen on (default 0.0.0.0; env {ENV_HOST})")
    serve.add_argument("--port", type=int, help=f"port (default 8000; env {ENV_PORT})")
    serve.add_argument(
        "--public-url",
        help=f"URL phones use to reach this server (default: this machine's LAN address;"
        f" env {ENV_PUBLIC_URL})",
    )
    serve.add_argument(
        "--accessibility-contact",
        help="e-mail or web address the accessibility statement gives for reporting barriers"
        f" (default: ask the workshop's organiser; env {ENV_ACCESSIBILITY_CONTACT})",
    )
    _db_flag(serve)

    fac = sub.add_parser("facilitator", help="create a facilitator or reset a password")
    fac_sub = fac.add_subparsers(dest="action", required=True)
    create = fac_sub.add_parser(
        "create",
        help="create a facilitator; the password is asked for, or read from standard input",
    )
    create.add_argument("username")
    create.add_argument("--name", help="display name (default: the username)")
    create.add_argument("--language", choices=list(LANGUAGES), default=DEFAULT_LANGUAGE)
    _db_flag(create)
    reset = fac_sub.add_parser(
        "password",
        help="set a new password (asked for, or read from standard input); ends all logins",
    )
    reset.add_argument("username")
    _db_flag(reset)

    agenda = sub.add_parser("agenda", help="import or export a session's agenda as TOML")
    agenda_sub = agenda.add_subparsers(dest="action", required=True)
    imp = agenda_sub.add_parser("import", help="replace a session's agenda with a TOML file")
    imp.add_argument("file", type=Path)
    imp.add_argument("--session", type=int, required=True, help="session id (see its URL)")
    _db_flag(imp)
    exp = agenda_sub.add_parser("export", help="write a session's agenda as TOML")
    exp.add_argument("--session", type=int, required=True, help="session id (see its URL)")
    exp.add_argument("-o", "--output", type=Path, help="file to write (default: stdout)")
    _db_flag(exp)

    summary = sub.add_parser("export", help="write the summary of a session or a programme")
    which = summary.add_mutually_exclusive_group(required=True)
    which.add_argument("--session", type=int, help="session id (see its URL)")
    which.add_argument("--programme", type=int, help="programme id (see its URL)")
    summary.add_argument("--format", choices=list(FORMATS), default="html")
    summary.add_argument(
        "--language",
        choices=list(LANGUAGES),
        help="the summary's language (default: the console's)",
    )
    summary.add_argument(
        "-o", "--output", type=Path, help="file to write (default: named after the title, here)"
    )
    _db_flag(summary)
    return parser


def _read_password(confirm: bool) -> str:
    """From a prompt when there is a terminal, else the first line of standard input."""
    if sys.stdin.isatty():
        password = getpass.getpass(_("Password: "))
        if confirm and getpass.getpass(_("Repeat password: ")) != password:
            raise SystemExit(_("The two passwords differ."))
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    problem = auth.password_problem(password)
    if problem:
        raise SystemExit(_("Password refused: %(problem)s", problem=str(problem)))
    return password


async def _with_store(settings: Settings, action: object) -> int:
    store = Store(settings.db_path)
    await store.open()
    try:
        return await action(store)  # type: ignore[operator, no-any-return]
    finally:
        await store.close()


async def _facilitator(args: argparse.Namespace, settings: Settings) -> int:
    password = _read_password(confirm=True)

    async def act(store: Store) -> int:
        hashed = await auth.hash_password(password)
        if args.action == "create":
            try:
                await store.accounts.create(
                    args.username, args.name or args.username, hashed, args.language
                )
            except DuplicateUsername:
                print(
                    _("A facilitator called %(name)s already exists.", name=args.username),
                    file=sys.stderr,
                )
                return 1
            print(_("Created facilitator %(name)s.", name=args.username))
            return 0
        found = await store.accounts.by_username(args.username)
        if found is None:
            print(_("No facilitator called %(name)s.", name=args.username), file=sys.stderr)
            return 1
        await store.accounts.set_password(found[0].id, hashed)
        print(_("New password set for %(name)s; all of its logins have ended.", name=args.username))
        return 0

    return await _with_store(settings, act)


async def _agenda(args: argparse.Namespace, settings: Settings) -> int:
    kinds = kind_registry(settings.plugins)

    async def act(store: Store) -> int:
        if not await store.programmes.session_exists(args.session):
            print(_("No session with id %(id)d.", id=args.session), file=sys.stderr)
            return 1
        if args.action == "export":
            text = agenda_toml.dump([i.fields() for i in await store.agenda.items(args.session)])
            if args.output:
                args.output.write_text(text, encoding="utf-8")
            else:
                sys.stdout.write(text)
            return 0
        try:
            items = agenda_toml.load(args.file.read_text(encoding="utf-8"), kinds)
        except (OSError, UnicodeDecodeError) as exc:
            print(_("Cannot read %(file)s: %(error)s", file=args.file, error=exc), file=sys.stderr)
            return 1
        except agenda_toml.AgendaFileError as exc:
            print(f"{args.file}: {exc}", file=sys.stderr)
            return 1
        await store.agenda.replace(args.session, items)
        print(_("Imported %(count)d items into session %(id)d.", count=len(items), id=args.session))
        return 0

    return await _with_store(settings, act)


def _raise_open_files_limit() -> None:
    """Each phone holds a socket: allow as many open files as the system lets us."""
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        if soft < hard:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    except (ImportError, ValueError, OSError):
        pass


def _collect_garbage_in_bulk() -> None:
    """Fewer, cheaper garbage collections for a room of phones.

    A burst of answers or sockets allocates many short-lived objects: the default
    young-generation threshold (700) collects hundreds of times a second, and every
    full collection walks every object of every open socket. What the server holds
    from its start (modules, templates) is frozen out of the collections for good.
    """
    import gc

    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 20, 50)


def _serve(settings: Settings) -> int:
    import uvicorn

    from workshop.ws_protocol import WebSocketProtocol

    _raise_open_files_limit()

    async def prepare(store: Store) -> int:
        first = await first_start(store, kind_registry(settings.plugins))
        url = settings.join_base_url()
        print(
            _("Samling is at %(url)s/  (database: %(db)s)", url=url, db=settings.db_path),
            flush=True,
        )
        if first:
            print(
                _(
                    "First start: log in as facilitator '%(name)s' with password "
                    "'%(password)s'\nThis password is shown only now; change it on your "
                    "account page, or with\n  python run.py facilitator password %(name)s",
                    name=first.username,
                    password=first.password,
                ),
                flush=True,
            )
        return 0

    asyncio.run(_with_store(settings, prepare))
    app = create_app(settings)
    _collect_garbage_in_bulk()
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        ws=WebSocketProtocol,
        ws_per_message_deflate=True,
        ws_max_size=64 * 1024,
        proxy_headers=True,
        server_header=False,
        log_level="info",
        # No line per request: a room of phones answering at once would spend as much
        # on logging as on the answers (and the log would list every phone's address).
        access_log=False,
    )
    return 0


async def _export(args: argparse.Namespace, settings: Settings) -> int:
    kinds = kind_registry(settings.plugins)
    lang = args.language or current_language()

    async def act(store: Store) -> Record | None:
        if args.session is not None:
            if not await store.programmes.session_exists(args.session):
                print(_("No session with id %(id)d.", id=args.session), file=sys.stderr)
                return None
            return await session_record(store, kinds, args.session, lang)
        if not await store.programmes.programme_exists(args.programme):
            print(_("No programme with id %(id)d.", id=args.programme), file=sys.stderr)
            return None
        return await programme_record(store, kinds, args.programme, lang)

    record = await _with_store(settings, act)
    if record is None:
        return 1
    output = args.output or Path(export_filename(record, args.format))
    try:
        data = render_export(record, args.format)
    except PdfUnavailable as exc:
        print(str(exc), file=sys.stderr)
        return 1
    try:
        output.write_bytes(data)
    except OSError as exc:
        print(_("Cannot write %(file)s: %(error)s", file=output, error=exc), file=sys.stderr)
        return 1
    print(_("Wrote %(file)s.", file=output))
    return 0


def _console_language() -> str:
    """The language of messages on the console: SAMLING_LANGUAGE's, else the locale's if we
    speak it, else English."""
    chosen = os.environ.get(ENV_LANGUAGE, "").strip().lower()
    if chosen:
        if chosen not in LANGUAGES:
            # No language is known yet to say it in: English, as --help.
            raise SystemExit(
                f"{ENV_LANGUAGE}={chosen!r} is not a language Samling speaks;"
                f" choose one of {', '.join(LANGUAGES)}."
            )
        return chosen
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            code = value.split(".")[0].split("_")[0].lower()
            code = "nb" if code == "no" else code
            return code if code in LANGUAGES else "en"
    return "en"


def _leading_language(given: list[str]) -> tuple[list[str], list[str]]:
    """The global ``--language X`` before the command, and the rest of the arguments."""
    if given and given[0].startswith(_LANGUAGE_FLAG + "="):
        return given[:1], given[1:]
    if given and given[0] == _LANGUAGE_FLAG:
        return given[:2], given[2:]
    return [], given


def main(argv: list[str] | None = None) -> int:
    glob, given = _leading_language(sys.argv[1:] if argv is None else argv)
    if given and given[0].startswith("-") and given[0] not in ("-h", "--help"):
        given = ["serve", *given]  # serve's flags without the subcommand: serve
    args = _parser().parse_args([*glob, *given])
    set_language(args.console_language or _console_language())
    overrides = {
        k: getattr(args, k, None) for k in ("host", "port", "public_url", "accessibility_contact")
    }
    settings = Settings.from_env(db_path=getattr(args, "db", None), **overrides)
    if args.command in (None, "serve"):
        return _serve(settings)
    if args.command == "facilitator":
        return asyncio.run(_facilitator(args, settings))
    if args.command == "export":
        return asyncio.run(_export(args, settings))
    return asyncio.run(_agenda(args, settings))


if __name__ == "__main__":
    sys.exit(main())
