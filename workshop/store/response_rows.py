"""How a stored response is read: the columns, the SELECT, and the row made a record.

Shared by the parts that read responses (``responses``, ``marks``, ``records``).
"""

from __future__ import annotations

import json
from typing import Any

from workshop.kinds import ResponseRecord, Value
from workshop.store.db import Row

#: The columns ``_record`` reads, in its order (``RETURNING`` lists the same, without votes).
_COLUMNS = (
    "id, participant_id, value, hidden, highlighted, theme_id, pending, group_id, position,"
    " version, language"
)
_RECORD = (
    "SELECT r.id, r.participant_id, r.value, r.hidden, r.highlighted, r.theme_id, r.pending,"
    " r.group_id, r.position, r.version, r.language,"
    " (SELECT count(*) FROM response_votes v WHERE v.response_id = r.id), r.idem_key"
    " FROM responses r"
)


def _record(row: tuple[Any, ...] | Row) -> ResponseRecord:
    """A response from a row of ``_RECORD`` or of a ``RETURNING`` of ``_COLUMNS``."""
    votes = row[11] if len(row) > 11 else 0
    return ResponseRecord(
        id=row[0],
        participant_id=row[1],
        value=json.loads(row[2]),
        hidden=bool(row[3]),
        highlighted=bool(row[4]),
        theme_id=row[5],
        pending=bool(row[6]),
        votes=votes,
        group_id=row[7],
        position=row[8],
        version=row[9],
        language=row[10],
    )


#: ``_RECORD`` with the item's id last.
_RECORD_AND_ITEM = _RECORD.replace(", r.idem_key FROM", ", r.idem_key, r.item_id FROM")


def _keyed(row: tuple[Any, ...]) -> tuple[ResponseRecord, str]:
    return _record(row), str(row[12])


def _json(value: Value) -> str:
    return json.dumps(value, ensure_ascii=False)
