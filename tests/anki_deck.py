"""An Anki text-import file read the way Anki 2.1.54+ reads it (rslib import_export/text/csv):
the leading lines starting with `#` are `key:value` headers, the rest CSV records with the
declared separator, `"`-quoted fields allowed; every record must have the declared columns."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass


@dataclass
class ParsedDeck:
    headers: dict[str, str]
    columns: list[str]
    rows: list[dict[str, str]]

    def column(self, key: str) -> int:
        """The 1-based column a `#<key> column:N` header names."""
        return int(self.headers[f"{key} column"])

    def field(self, row: dict[str, str], key: str) -> str:
        return row[self.columns[self.column(key) - 1]]


def parse_deck(text: str) -> ParsedDeck:
    lines = text.split("\n")
    headers: dict[str, str] = {}
    while lines and lines[0].startswith("#"):
        key, _, value = lines.pop(0)[1:].partition(":")
        headers[key.strip().lower()] = value
    assert headers.get("separator") == "tab", headers
    columns = headers["columns"].split("\t")
    body = "\n".join(lines)
    records = list(csv.reader(io.StringIO(body), delimiter="\t", quotechar='"', strict=True))
    assert body.endswith("\n") and records, "one record a line, the file ends with a newline"
    rows = []
    for number, record in enumerate(records, start=1):
        assert len(record) == len(columns), f"record {number} has {len(record)} fields, not {len(columns)}: {record[:2]}"
        assert not record[0].startswith("#"), "Anki would read this record as a comment"
        rows.append(dict(zip(columns, record, strict=True)))
    assert len(records) == len(lines) - 1, "a field held a line break: one record spans lines"
    return ParsedDeck(headers, columns, rows)
