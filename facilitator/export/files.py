"""A kind's files of an agenda item for the facilitator (a PDF, an SVG, a page
to print), made in the export worker like the summary: the worker opens the database
itself, reads what the file is made of (:class:`workshop.kinds.FileContext`) and calls the
kind's ``render`` in the job's language; the server only waits for the bytes.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

from facilitator.export.build import group_names
from workshop.i18n import language as in_language
from workshop.kinds import (
    FacilitatorFile,
    FileContext,
    KindRegistry,
    drafted,
    kept_private,
    serves_facilitator_files,
)
from workshop.store import Store


class NoSuchFile(LookupError):
    """The item, its kind or the file is not there (any more)."""


@dataclass(frozen=True)
class FileJob:
    """What a worker needs to make one file: the database, the kinds the app runs, the
    item (in its session), the file's name, and the language."""

    db_path: Path
    plugins: tuple[str, ...]
    language: str
    session_id: int
    item_id: int
    name: str


def file_of(kinds: KindRegistry, exercise_kind: str | None, name: str) -> FacilitatorFile | None:
    """The file of this name an item of the kind makes (None: it makes none so named; a
    kind kept private makes none for a facilitator)."""
    kind = kinds.get(exercise_kind or "")
    if kind is None or kept_private(kind) or not serves_facilitator_files(kind):
        return None
    return kind.facilitator_files().get(name)


async def file_context(store: Store, kinds: KindRegistry, job: FileJob) -> FileContext:
    """What the job's file is made of, read from the store (NoSuchFile: it is gone)."""
    facts = await store.records.session(job.session_id)
    item = await store.agenda.item(job.session_id, job.item_id)
    kind = kinds.get(item.exercise_kind or "") if item is not None else None
    if facts is None or item is None or kind is None:
        raise NoSuchFile(job.name)
    session = facts.session
    drafts = (
        await store.drafts.until_session(session.id, kind.thread(item.settings))
        if drafted(kind)
        else []
    )
    shown = [s.response for s in await store.records.shown(item.id)]
    return FileContext(
        settings=item.settings,
        item_title=item.title,
        programme_title=facts.programme_title,
        session_title=session.title,
        date=session.date,
        language=job.language,
        drafts=tuple(drafts),
        curation=await store.responses.curation(item.id),
        groups=await group_names(store, session.programme_id, session.id),
        responses=tuple(shown),
        place=session.place,
        client=facts.client,
    )


async def _make(job: FileJob) -> bytes:
    from workshop.app import kind_registry

    kinds = kind_registry(job.plugins)
    store = Store(job.db_path)
    await store.open()
    try:
        item = await store.agenda.item(job.session_id, job.item_id)
        found = file_of(kinds, item.exercise_kind if item else None, job.name)
        if found is None:
            raise NoSuchFile(job.name)
        context = await file_context(store, kinds, job)
    finally:
        await store.close()
    with in_language(job.language):
        return found.render(context)


def facilitator_file(job: FileJob) -> bytes:
    """The job's file, made in this process (the export worker): its bytes."""
    return asyncio.run(_make(job))
