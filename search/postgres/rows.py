"""Index records (the dicts :class:`search.schema.RecordBuilder` makes for whoosh) as PostgreSQL rows:
the stored fields as columns, the terms as a tsvector literal, and the postings of the scored fields.

The terms are read exactly as whoosh's analyser of the pre-analysed fields reads them (split on
spaces, lower-cased, ``term^1.6`` a weighted term) and weigh what they weigh in whoosh (the weights
summed, times the record's field boost), and a length is kept as whoosh keeps it, in one byte, so
that BM25 gives both engines the same scores.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from psycopg.types.json import Jsonb
from whoosh.util.numeric import byte_to_length, length_to_byte

from search.schema import FIELDS, TITLE_WEIGHT

MAX_POSITION = 16383  # PostgreSQL's largest tsvector position; later ones are stored as it
MAX_POSITIONS = 256  # positions a tsvector keeps of one lexeme
SPELL = "spell"


def lexeme(fieldname: str, term: str) -> str:
    """A field's term as one quoted tsvector/tsquery lexeme."""
    return _quoted(f"{fieldname}:{term}")


def _quoted(key: str) -> str:
    return "'" + key.replace("\\", "\\\\").replace("'", "''") + "'"


def list_values(value: str | None) -> list[str]:
    """A comma-separated facet value as whoosh's KEYWORD(commas=True) reads it."""
    return [v.strip() for v in (value or "").split(",") if v.strip()]


@dataclass(slots=True)
class _Field:
    """One text field of one record: each term's positions, weight labels and summed weight."""

    positions: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    weights: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    length: int = 0

    def read(self, value: str, boost: float = 1.0) -> None:
        for position, token in enumerate(value.split(), start=1):
            text, _, weight = token.lower().partition("^")
            factor = float(weight) if weight else 1.0
            # title terms weigh A, section terms B, body terms D (only the weight sums are scored)
            label = "A" if factor >= TITLE_WEIGHT else "B" if factor > 1.0 else ""
            if len(self.positions[text]) < MAX_POSITIONS:
                self.positions[text].append(f"{min(position, MAX_POSITION)}{label}")
            self.weights[text] += factor * boost
            self.length += 1


@dataclass(slots=True)
class Batch:
    """The rows of the records to add: records (without their ids), postings by term key, and per
    term key the number of records that have it (the document frequency they add)."""

    records: list[list[Any]] = field(default_factory=list)
    postings: list[list[tuple[str, float, float]]] = field(default_factory=list)
    frequencies: Counter[str] = field(default_factory=Counter)
    lengths: Counter[str] = field(default_factory=Counter)  # total length per scored field

    def add(self, record: dict[str, Any]) -> None:
        names = FIELDS[record["kind"]]
        text, head = _Field(), _Field()
        text.read(record.get(names.text, ""), float(record.get(f"_{names.text}_boost", 1.0)))
        if names.head:
            head.read(record.get(names.head, ""))
        pieces: list[str] = []
        postings: list[tuple[str, float, float]] = []
        for name, read in ((names.text, text), (names.head or "", head)):
            stored_length = float(byte_to_length(length_to_byte(read.length)))
            for term, positions in read.positions.items():
                pieces.append(f"{lexeme(name, term)}:{','.join(positions)}")
                postings.append((f"{name}:{term}", read.weights[term], stored_length))
            self.lengths[name] += read.length
        plain = _keys(record, names.compound, lower=True) | _keys(record, SPELL)
        pieces.extend(_quoted(key) for key in sorted(plain))
        self.frequencies.update(key for key, _, _ in postings)
        self.frequencies.update(_keys(record, names.compound, lower=True) | _keys(record, SPELL))
        self.postings.append(postings)
        self.records.append(_columns(record, text.length, head.length, " ".join(pieces)))


def _keys(record: dict[str, Any], fieldname: str, lower: bool = False) -> set[str]:
    value = record.get(fieldname, "")
    return {f"{fieldname}:{t}" for t in (value.lower() if lower else value).split()}


def _columns(record: dict[str, Any], text_length: int, head_length: int, tsv: str) -> list[Any]:
    """The records row, in schema order from doc_id (the id is given when the batch is written)."""
    return [
        record["doc_id"],
        record["kind"],
        record.get("duplicate") == "1",
        list_values(record.get("year")),
        record.get("doc_type"),
        record.get("fellesskap"),
        record.get("date"),
        list_values(record.get("committee")),
        list_values(record.get("entity")),
        list_values(record.get("entity_type")),
        list_values(record.get("entity_label")),
        text_length,
        head_length,
        tsv,
        Jsonb(record["data"]),
    ]


RECORD_COLUMNS = (
    "id, doc_id, kind, duplicate, years, doc_type, fellesskap, date, committee, entity, entity_type, "
    "entity_label, len_text, len_head, tsv, data"
)
