"""An Anki text-import file read the way Anki 2.1.54+ reads it (rslib import_export/text/csv):
the leading lines starting with `#` are `key:value` headers, the rest CSV records with the
declared separator, `"`-quoted fields allowed; every record must have the same columns. The
guid, deck and tags columns are the ones the headers name; the notetype's fields take the other
columns as Anki maps them: by name when `#columns:` names any column, else in order."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

BASIC = ("Front", "Back")  # a stock Basic notetype's fields in an English collection
BASIC_ZH = ("正面", "背面")  # ... and in a Chinese one: Anki names them in the collection's language


@dataclass
class ParsedDeck:
    headers: dict[str, str]
    field_columns: dict[str, int]  # 1-based, as Anki's importer maps them
    rows: list[dict[str, str]]  # "guid", "deck", "tags" and the notetype's fields, by name

    def column(self, key: str) -> int:
        """The 1-based column a `#<key> column:N` header names."""
        return int(self.headers[f"{key} column"])

    def field(self, row: dict[str, str], key: str) -> str:
        return row[key]


def _field_columns(labels: list[str], count: int, meta: set[int], fields: tuple[str, ...]) -> dict[str, int]:
    """rslib metadata.rs maybe_init_notetype_map: the first field defaults to column 1; named
    columns go to the fields of their name, unnamed ones to the fields in order."""
    columns = [0] * len(fields)
    columns[0] = 1
    if not any(labels):
        free = iter(index for index in range(1, count + 1) if index not in meta)
        columns = [next(free, 0) for _ in fields]
    else:
        by_name = {label: index for index, label in enumerate(labels, start=1) if index not in meta}
        columns = [by_name.get(name, column) for name, column in zip(fields, columns, strict=True)]
    return dict(zip(fields, columns, strict=True))


def parse_deck(text: str, fields: tuple[str, ...] = BASIC) -> ParsedDeck:
    lines = text.split("\n")
    headers: dict[str, str] = {}
    while lines and lines[0].startswith("#"):
        key, _, value = lines.pop(0)[1:].partition(":")
        headers[key.strip().lower()] = value
    assert headers.get("separator") == "tab", headers
    body = "\n".join(lines)
    records = list(csv.reader(io.StringIO(body), delimiter="\t", quotechar='"', strict=True))
    assert body.endswith("\n") and records, "one record a line, the file ends with a newline"
    assert len(records) == len(lines) - 1, "a field held a line break: one record spans lines"
    count = len(records[0])
    labels = headers["columns"].split("\t") if "columns" in headers else [""] * count
    assert len(labels) == count, "#columns: and the records disagree"
    meta = {int(headers[f"{key} column"]): key for key in ("guid", "deck", "tags")}
    mapping = _field_columns(labels, count, set(meta), fields)
    assert all(column and column not in meta for column in mapping.values()), f"a field is not mapped to a field column: {mapping}"
    rows = []
    for number, record in enumerate(records, start=1):
        assert len(record) == count, f"record {number} has {len(record)} fields, not {count}: {record[:2]}"
        assert not record[0].startswith("#"), "Anki would read this record as a comment"
        row = {key: record[column - 1] for column, key in meta.items()}
        rows.append({**row, **{name: record[column - 1] for name, column in mapping.items()}})
    return ParsedDeck(headers, mapping, rows)
