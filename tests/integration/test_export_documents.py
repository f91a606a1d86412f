"""A day that ran every kind, built from a real store and exported as DOCX, XLSX and CSV in
a worker process, then read back: every shown answer is there as it was written (formula-
like ones neutralised in the spreadsheets), hidden, held and private ones are nowhere."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import AsyncIterator
from pathlib import Path

import docx
import openpyxl
import pytest

from facilitator import export
from facilitator.export.build import programme_record, session_record
from facilitator.export.cells import FORMULA_STARTS, neutralised
from facilitator.export.record import Record
from tests.integration.test_record_build import HOSTILE, KINDS, SECRET, START, Day, run_day
from workshop.store import Store
from workshop.workers import Workers

SHOWN = (
    "Trust in the team",
    HOSTILE,
    "Time to think",
    "Courage",
    "Lead",
    "Why now?",
    "Who decides?",
    "Birch's first point",
    "Birch's second point",
    "Rowan's first point",
)
NEVER = ("HIDDEN-rude-answer", "PENDING-held-answer", SECRET)


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    found = Store(tmp_path / "record.db")
    await found.open()
    yield found
    await found.close()


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[dt.datetime]:
    """The day's clock, moved by hand (as in tests/integration/test_record_build.py)."""
    moment = [START]
    monkeypatch.setattr("workshop.store.live.now", lambda: moment[0])
    monkeypatch.setattr("workshop.store.responses.now", lambda: moment[0])
    return moment


async def _rendered(record: Record) -> dict[str, bytes]:
    """The record in each format, rendered as the app renders it: in a worker process."""
    workers = Workers(1)
    try:
        return {
            fmt: await workers.run(export.render, record, fmt) for fmt in ("docx", "xlsx", "csv")
        }
    finally:
        await workers.close()


def _parts(data: bytes) -> str:
    """Every file inside a zip (DOCX, XLSX, the CSVs), as text: nothing hides in a part."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    return "\n".join(
        archive.read(name).decode("utf-8", "replace")
        for name in archive.namelist()
        if not name.endswith(".png")
    )


def _docx_texts(data: bytes) -> list[str]:
    document = docx.Document(io.BytesIO(data))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        texts += [cell.text for row in table.rows for cell in row.cells]
    return texts


def _xlsx_values(data: bytes) -> list[object]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    values = []
    for sheet in book:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(FORMULA_STARTS), cell.value
                values.append(cell.value)
    return values


def _csv_rows(data: bytes, delimiter: str) -> dict[str, list[list[str]]]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    files = {}
    for name in archive.namelist():
        raw = archive.read(name)
        assert raw.startswith(b"\xef\xbb\xbf"), name
        text = io.StringIO(raw.decode("utf-8-sig"), newline="")
        files[name] = list(csv.reader(text, delimiter=delimiter))
    return files


async def test_a_day_of_every_kind_reads_back_from_each_document(
    store: Store, clock: list[dt.datetime]
) -> None:
    day, _ids = await run_day(store, clock)
    record = await session_record(store, KINDS, day.session.id, "nb")
    files = await _rendered(record)

    texts = _docx_texts(files["docx"])
    for answer in SHOWN:
        assert any(answer in text for text in texts), answer
    assert "Day one" in texts and "Dagsprogram" in texts
    pictures = docx.Document(io.BytesIO(files["docx"])).inline_shapes
    assert len(pictures) >= 4  # the cloud, the choice's bars, the wheel, the points
    assert all(shape._inline.docPr.get("descr") for shape in pictures)

    values = _xlsx_values(files["xlsx"])
    for answer in SHOWN:
        assert neutralised(answer) in values, answer
    assert "'" + HOSTILE in values and HOSTILE not in values

    sheets = _csv_rows(files["csv"], ";")  # bokmål writes decimal commas
    assert "agenda.csv" in sheets
    cells = [value for rows in sheets.values() for row in rows for value in row]
    for answer in SHOWN:
        assert neutralised(answer) in cells, answer
    assert not any(value.startswith(FORMULA_STARTS) for value in cells)

    for fmt, data in files.items():
        inside = _parts(data)
        for secret in NEVER:
            assert secret not in inside, (fmt, secret)


async def test_a_programme_reads_back_with_every_session_and_what_runs_across(
    store: Store, clock: list[dt.datetime]
) -> None:
    day, ids = await run_day(store, clock)
    earlier = Day(store, clock)
    await earlier.setup(ids["programme"], "Kick-off", dt.date(2027, 1, 10))
    groups = await earlier.go_to("In groups", 1)
    phone = await store.groups.join(earlier.session.id, "Q", ids["rowan"])
    await earlier.answer(groups, phone.id, {"text": "=1+1 at the kick-off"}, group_id=ids["rowan"])
    await earlier.close(1)
    record = await programme_record(store, KINDS, ids["programme"], "en")
    files = await _rendered(record)

    texts = _docx_texts(files["docx"])
    assert texts.index("Kick-off") < texts.index("Day one") < texts.index("Across the sessions")
    assert sum("=1+1 at the kick-off" in text for text in texts) == 2  # its day, and across
    values = _xlsx_values(files["xlsx"])
    assert "'=1+1 at the kick-off" in values
    book = openpyxl.load_workbook(io.BytesIO(files["xlsx"]))
    assert book.sheetnames[0] == "Summary" and book.sheetnames[-1] == "Across the sessions"
    assert any(name.startswith("2.") for name in book.sheetnames)
    sheets = _csv_rows(files["csv"], ",")
    assert {row[0] for row in sheets["agenda.csv"][1:]} == {"Kick-off", "Day one"}
    for fmt, data in files.items():
        for secret in NEVER:
            assert secret not in _parts(data), (fmt, secret)
