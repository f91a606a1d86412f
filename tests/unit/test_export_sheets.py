"""The record as a spreadsheet (XLSX) and as CSV files: every shown answer, no formula runs."""

from __future__ import annotations

import csv
import io
import zipfile

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from facilitator.export import cells, xlsx
from facilitator.export import csv as csv_export
from facilitator.export.record import Record, Sheet
from tests.unit.export_sample import FORMATS, GROUP, HIDDEN, NEUTRALISED, TIME


def _shown(answer: str) -> str:
    return NEUTRALISED.get(answer, answer)


def _workbook(record: Record) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(xlsx.render(record)))


def _values(sheet: Worksheet) -> list[object]:
    return [cell.value for row in sheet.iter_rows() for cell in row if cell.value is not None]


def test_neutralised_makes_formula_like_text_plain_and_leaves_the_rest() -> None:
    for text in ('=HYPERLINK("http://x")', "+1", "-2", "@x", "\tx", "\rx", "=", "-"):
        assert cells.neutralised(text) == "'" + text
    for text in ("Blåbær 🎉", "1+1", "a=b", "'quoted", "", "#N/A"):
        assert cells.neutralised(text) == text
    assert cells.neutralised(-2) == -2
    assert cells.neutralised(4.5) == 4.5
    assert cells.neutralised(None) is None
    # A control character no XML file can hold is dropped, not a crash.
    assert cells.neutralised("a\x00b\x1b=") == "ab="


def test_sheet_names_are_short_clean_and_unique() -> None:
    names = list(
        cells.sheet_names(
            [
                "Summary",
                "summary",
                "A [very] long: title/with*every?bad\\character and then some more",
                "A [very] long: title/with*every?bad\\character and then some more",
                "'quoted'",
                "History",
                "???",
                "\u202eevil",
            ],
            fallback="Exercise",
        )
    )
    assert len({name.casefold() for name in names}) == len(names)
    for name in names:
        assert 0 < len(name) <= 31
        assert not set(name) & set("[]:*?/\\")
        assert not name.startswith("'") and not name.endswith("'")
        assert "\u202e" not in name
    assert names[0] == "Summary" and names[1] == "summary (2)"
    assert names[3].endswith(" (2)") and len(names[3]) == 31
    assert names[5] == "History (2)" and names[6] == "Exercise"


def test_file_names_are_safe_everywhere() -> None:
    names = list(
        cells.file_names(
            ["a/b\\c:d", "a/b\\c:d", "CON", "...", "Blåbær 🎉 <3>"], "csv", fallback="Exercise"
        )
    )
    assert names == [
        "a b c d.csv",
        "a b c d (2).csv",
        "_CON.csv",
        "Exercise.csv",
        "Blåbær 🎉 3.csv",
    ]


def test_xlsx_holds_every_shown_answer_as_text_and_runs_no_formula() -> None:
    book = _workbook(FORMATS.session())
    assert book.sheetnames == [
        "Oppsummering",
        "1 Hva er god ledelse del 1 2",
        "2 Hva er god ledelse del 1 2",
        "3 Prioriter",
    ]
    sheet = book["1 Hva er god ledelse del 1 2"]
    assert sheet["A1"].value == "Hva er god ledelse? [del 1/2]"
    assert [cell.value for cell in sheet[4]] == ["Time", "Group", "Answer", "Theme"]
    rows = list(sheet.iter_rows(min_row=5, values_only=True))
    assert rows == [(TIME, GROUP, _shown(answer), "Tillit") for answer in FORMATS.answers]
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.value
            if isinstance(cell.value, str):
                assert cell.data_type == "s"
                assert not cell.value.startswith(cells.FORMULA_STARTS)
    assert sheet.freeze_panes == "A5"
    assert sheet.auto_filter.ref == "A4:D15"
    assert 8 < sheet.column_dimensions["C"].width <= 62
    everything = [value for ws in book for value in _values(ws)]
    assert not any(HIDDEN in str(value) for value in everything)


def test_xlsx_files_hold_no_formula_at_all() -> None:
    archive = zipfile.ZipFile(io.BytesIO(xlsx.render(FORMATS.programme())))
    sheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/sheet")]
    assert len(sheets) == 8
    for name in sheets:
        assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name), name
    assert '<t>\'=HYPERLINK("http://x")</t>' in archive.read("xl/worksheets/sheet2.xml").decode()


def test_xlsx_keeps_numbers_numbers_and_sums_up_the_day() -> None:
    book = _workbook(FORMATS.session())
    scale = book["2 Hva er god ledelse del 1 2"]
    assert list(scale.iter_rows(min_row=5, values_only=True)) == [
        (TIME, None, 4, 3),
        ("10:16", None, 5, 4),
    ]
    assert scale["C5"].data_type == "n"
    summary = _values(book["Oppsummering"])
    for expected in (
        "Ledersamling: Ærlighet & mot",
        "tirsdag 1. desember 2026",
        "Kommunestyresalen, Tromsø",
        "Nordkommune",
        "Dagsprogram",
        "Velkommen",
        "09:02",
        "Lunsj",
        "Refleksjon",
        23,
        19,
    ):
        assert expected in summary
    # The private kind is counted on the summary sheet and has no sheet of its own.
    assert "Reflection" in summary
    assert not any("Refleksjon" in name for name in book.sheetnames)
    link = next(
        cell
        for row in book["Oppsummering"].iter_rows()
        for cell in row
        if cell.value == "3 Prioriter"
    )
    assert link.hyperlink.location == "'3 Prioriter'!A1"


def test_xlsx_of_a_programme_has_every_session_and_what_runs_across() -> None:
    book = _workbook(FORMATS.programme())
    assert book.sheetnames[0] == "Oppsummering"
    assert book.sheetnames[1:4] == [
        "1.1 Hva er god ledelse del 1 2",
        "1.2 Hva er god ledelse del 1 2",
        "1.3 Prioriter",
    ]
    assert book.sheetnames[4] == "2.1 Hva er god ledelse del 1 2"
    across = _values(book[book.sheetnames[-1]])
    assert "Samling 2" in across and 3.75 in across and "Felles punkt på tvers" in across
    summary = _values(book["Oppsummering"])
    assert "Samling 1" in summary and "Samling 2" in summary


def test_xlsx_in_english_says_it_in_english() -> None:
    record = FORMATS.session()
    english = type(record)(**{**record.__dict__, "language": "en"})
    book = _workbook(english)
    assert book.sheetnames[0] == "Summary"
    assert "Tuesday, December 1, 2026" in _values(book["Summary"])


def _zip(record: Record) -> dict[str, list[list[str]]]:
    archive = zipfile.ZipFile(io.BytesIO(csv_export.render(record)))
    files = {}
    for name in archive.namelist():
        data = archive.read(name)
        assert data.startswith(b"\xef\xbb\xbf"), name  # Excel reads it as UTF-8
        text = data.decode("utf-8-sig")
        files[name] = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    return files


def test_csv_zip_has_a_file_per_exercise_with_every_shown_answer() -> None:
    files = _zip(FORMATS.session())
    assert sorted(files) == [
        "01 Hva er god ledelse [del 1 2].csv",
        "02 Hva er god ledelse [del 1 2].csv",
        "03 Prioriter.csv",
        "agenda.csv",
    ]
    rows = files["01 Hva er god ledelse [del 1 2].csv"]
    assert rows[0] == ["Time", "Group", "Answer", "Theme"]
    assert rows[1:] == [[TIME, GROUP, _shown(answer), "Tillit"] for answer in FORMATS.answers]
    for row in rows:
        for value in row:
            assert not value.startswith(cells.FORMULA_STARTS)
    assert files["02 Hva er god ledelse [del 1 2].csv"][1] == [TIME, "", "4", "3"]
    agenda = files["agenda.csv"]
    assert agenda[0][:2] == ["Planlagt start", "Punkt"]
    assert agenda[1] == ["09:00", "Velkommen", "Talk", "15", "09:02", "14"]
    assert agenda[2] == ["09:15", "Hva er god ledelse? [del 1/2]", "Open question", "20", "", ""]
    assert not any(HIDDEN in value for rows in files.values() for row in rows for value in row)


@pytest.mark.parametrize(
    ("language", "delimiter", "mean"), [("nb", ";", "4,25"), ("en", ",", "4.25")]
)
def test_csv_separates_fields_as_excel_in_that_language_reads_them(
    language: str, delimiter: str, mean: str
) -> None:
    record = FORMATS.session()
    exercise = record.exercises[1]
    sheet = Sheet(("Time", "Mean"), ((TIME, 4.25),))
    exercises = (type(exercise)(**{**exercise.__dict__, "sheet": sheet}),)
    changed = type(record)(**{**record.__dict__, "language": language, "exercises": exercises})
    archive = zipfile.ZipFile(io.BytesIO(csv_export.render(changed)))
    text = archive.read("01 Hva er god ledelse [del 1 2].csv").decode("utf-8-sig")
    assert text.splitlines()[1] == f"{TIME}{delimiter}{mean}"


def test_csv_of_a_programme_names_each_session() -> None:
    files = _zip(FORMATS.programme())
    assert "01-03 Prioriter.csv" in files and "02-03 Prioriter.csv" in files
    agenda = files["agenda.csv"]
    assert agenda[0][:3] == ["Samling", "Planlagt start", "Punkt"]
    assert {row[0] for row in agenda[1:]} == {"Samling 1", "Samling 2"}
