"""What a search reads about the index before it runs: terms and their document frequencies (as
:class:`search.querying.QueryBuilder` asks whoosh's reader for them), spelling suggestions (as
whoosh's corrector makes them), and what stays the same for one commit generation (the record count,
the fields' lengths, the facet values filters are resolved against, the entities' labels)."""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from math import log
from typing import Any

import psycopg
from whoosh.automata.lev import levenshtein_automaton

from search.labels import EntityLabels
from search.postgres.facets import PostingCache, ProfileTable, RecordTable
from search.postgres.lru import SizedCache
from search.postgres.rows import SPELL
from search.postgres.schema import SCHEMA

_LAST = "\U0010ffff"  # sorts after every character: key >= p AND key < p || _LAST is a prefix range
PREFIX_LIMIT = 400  # QueryBuilder looks at no more compounds of one head


class Lookups(SizedCache[tuple[str, ...], Any]):
    """What searches of one generation looked up, kept for the next ones (least recently used out
    first): a term's (id, document frequency), the terms a prefix expands to and the spelling
    suggestions of a word. They change only with a commit, and a question asks for some twenty terms,
    each a round trip to the server otherwise. A new generation starts empty."""

    LIMIT = 200_000  # terms kept per process: a prefix counts the terms it expands to, a word its suggestions

    def __init__(self) -> None:
        super().__init__(self.LIMIT)


class Terms:
    """The terms of the index for one search, each looked up once: (id, document frequency); what
    ``lookups`` holds of the generation is not asked again."""

    def __init__(self, conn: psycopg.Connection, lookups: Lookups | None = None) -> None:
        self.conn = conn
        self.lookups = lookups or Lookups()
        self._found: dict[str, tuple[int, int]] = {}

    def doc_frequency(self, fieldname: str, text: str) -> int:
        key = f"{fieldname}:{text}"
        if key not in self._found:
            self.load([key])
        return self._found[key][1]

    def load(self, keys: Iterable[str]) -> dict[str, tuple[int, int]]:
        """(id, df) of each of ``keys`` ((0, 0) for a term the index does not have)."""
        missing = []
        for key in dict.fromkeys(keys):
            if key in self._found:
                continue
            known = self.lookups.get(("term", key))
            if known is None:
                missing.append(key)
            else:
                self._found[key] = known
        if missing:
            rows = self.conn.execute(
                f"SELECT key, id, df FROM {SCHEMA}.terms WHERE key = ANY(%s)", (missing,)
            ).fetchall()
            read = dict.fromkeys(missing, (0, 0)) | {key: (term_id, df) for key, term_id, df in rows}
            for key, value in read.items():
                self.lookups.put(("term", key), value)
            self._found.update(read)
        return self._found

    def expand_prefix(self, fieldname: str, prefix: str) -> Iterator[bytes]:
        """The field's terms that begin with ``prefix``, in byte order (the first PREFIX_LIMIT)."""
        start = f"{fieldname}:{prefix}"
        rows = self.lookups.get(("prefix", start))
        if rows is None:
            rows = self.conn.execute(
                f"SELECT key, id, df FROM {SCHEMA}.terms WHERE key >= %s AND key < %s AND df > 0"
                " ORDER BY key LIMIT %s",
                (start, start + _LAST, PREFIX_LIMIT),
            ).fetchall()
            self.lookups.put(("prefix", start), rows, len(rows))
        for key, term_id, df in rows:
            self._found[key] = (term_id, df)
            yield key[len(fieldname) + 1 :].encode("utf-8")


class Speller:
    """Spelling suggestions from the words of the index, ranked as whoosh's ReaderCorrector ranks
    them: within the edit distance, the most frequent; the same first letters (``prefix``)."""

    def __init__(self, conn: psycopg.Connection, lookups: Lookups | None = None) -> None:
        self.conn = conn
        self.lookups = lookups or Lookups()

    def suggest(self, text: str, limit: int = 5, maxdist: int = 2, prefix: int = 0) -> list[str]:
        key = ("suggest", text, str(limit), str(maxdist), str(prefix))
        found = self.lookups.get(key)
        if found is None:
            found = self._suggest(text, limit, maxdist, prefix)
            self.lookups.put(key, found, len(found))
        return list(found)

    def _suggest(self, text: str, limit: int, maxdist: int, prefix: int) -> list[str]:
        start = f"{SPELL}:{text[:prefix]}"
        size = len(SPELL) + 1 + len(text)
        rows = self.conn.execute(
            f"SELECT substr(key, %s), df FROM {SCHEMA}.terms WHERE key >= %s AND key < %s"
            " AND length(key) BETWEEN %s AND %s AND df > 0",
            (len(SPELL) + 2, start, start + _LAST, size - maxdist, size + maxdist),
        ).fetchall()
        automaton = levenshtein_automaton(text, maxdist, prefix).to_dfa()
        # whoosh's score: higher is better, the more frequent; ties go to the later word
        scored = [
            (0 - (maxdist + (1.0 / (df or 1) * 0.5)), word) for word, df in rows if automaton.accept(word)
        ]
        best = heapq.nlargest(limit, scored)
        return [word for _, word in sorted(best, key=lambda item: (0 - item[0], item[1]))]


@dataclass(frozen=True, slots=True)
class Generation:
    """One commit generation of the index as searches see it."""

    number: int
    records: int
    lengths: dict[str, int]  # field -> total length
    labels: EntityLabels
    known: dict[str, list[str]]  # facet -> the values the index has (committee, doc_type, fellesskap)
    profiles: ProfileTable  # what the facets count
    record_table: RecordTable  # what matching and ranking need of each record
    postings: PostingCache  # the long posting lists searches read most
    lookups: Lookups  # the terms, prefixes and spellings searches looked up

    @classmethod
    def read(cls, conn: psycopg.Connection, number: int, meta: dict[str, int]) -> Generation:
        pairs = conn.execute(
            f"SELECT l, count(*) FROM {SCHEMA}.stored, unnest(entity_label) l GROUP BY l"
        ).fetchall()
        known: dict[str, list[str]] = {}
        for name, expression in (
            ("committee", "unnest(committee)"),
            ("doc_type", "doc_type"),
            ("fellesskap", "fellesskap"),
        ):
            rows = conn.execute(f"SELECT DISTINCT {expression} AS v FROM {SCHEMA}.records ORDER BY v")
            known[name] = [v for (v,) in rows if v is not None]
        lengths = {name[4:]: value for name, value in meta.items() if name.startswith("len:")}
        tables = ProfileTable.read(conn), RecordTable.read(conn)
        return cls(
            number,
            meta.get("records", 0),
            lengths,
            EntityLabels(pairs),
            known,
            *tables,
            PostingCache(),
            Lookups(),
        )

    def idf(self, df: int) -> float:
        """whoosh's inverse document frequency (scoring.WeightingModel.idf)."""
        return log(self.records / (df + 1)) + 1

    def average_length(self, fieldname: str) -> float:
        return self.lengths.get(fieldname, 0) / (self.records or 1) or 1.0
