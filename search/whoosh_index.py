"""The whoosh implementation of :class:`SearchIndex`.

One writer commit per :meth:`WhooshIndex.apply` (whoosh allows one writer and many readers); the
searcher is kept open and replaced only when a commit made it stale, so a search costs no
index opening.

Readers and the writer agree on one lock: a read holds it for its whole use of the open
generation (a searcher and the set matcher built on it), and a generation is swapped and closed only
under it, so no read can find its searcher closed (``ReaderClosed``) half-way. Reads are serialised
anyway: a whoosh searcher and our set matcher keep per-read state (file positions, caches) that
threads cannot share. The commit itself runs outside the lock, on the writer's own reader.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whoosh import index
from whoosh import query as wq
from whoosh.searching import Searcher

from ingest.model import Document
from search.analysis import NorwegianAnalyzer
from search.base import EntityMap, IndexOutdated, SearchIndex, SearchResult
from search.filters import query_filter
from search.highlight import snippet
from search.labels import EntityLabels
from search.querying import QueryBuilder, QueryPlan

# the limits are read from here by api/routes/search.py
from search.responses import SearchRequest, hit, response
from search.results import (
    Ordering,
    Tier,
    counts,
    document_group,
    per_document,
)
from search.schema import FACETS, LIST_FACETS, RecordBuilder, build_schema
from search.set_matching import SetMatcher

log = logging.getLogger(__name__)

SCHEMA_VERSION = 4  # 2: year a list facet (every year a plan covers); 3: record dates, committees by entity id, entity labels; 4: a hit's years and a plan's period
_VERSION_FILE = "hfkg-search.json"


@dataclass(frozen=True, slots=True)
class _Generation:
    """One committed state of the index as reads see it: its searcher and the set matcher built on it."""

    searcher: Searcher
    set_matcher: SetMatcher
    labels: EntityLabels

    @classmethod
    def open(cls, ix: index.Index) -> _Generation:
        searcher = ix.searcher()
        reader = searcher.reader()
        pairs = (
            (b.decode("utf-8"), reader.doc_frequency("entity_label", b))
            for b in (reader.lexicon("entity_label") if "entity_label" in reader.schema else ())
        )
        return cls(searcher, SetMatcher(searcher, FACETS, LIST_FACETS), EntityLabels(pairs))


class WhooshIndex(SearchIndex):
    def __init__(
        self,
        path: Path,
        *,
        analyzer: NorwegianAnalyzer | None = None,
        writer_limitmb: int = 256,
        writer_procs: int = 1,
        lock_timeout: float = 60.0,
    ) -> None:
        self.path = Path(path)
        self.analyzer = analyzer or NorwegianAnalyzer()
        self._records = RecordBuilder(self.analyzer)
        self._queries = QueryBuilder(self.analyzer)
        self._limitmb = writer_limitmb
        # More than one process (a bulk build): each writes its own segment, none are merged.
        self._writer_options: dict[str, Any] = (
            {"procs": writer_procs, "multisegment": True} if writer_procs > 1 else {}
        )
        self._lock_timeout = lock_timeout
        self._lock = threading.RLock()  # held by every read for its whole use of a generation; see above
        self._generation: _Generation | None = None
        self._ix = self._open()

    def _open(self) -> index.Index:
        self.path.mkdir(parents=True, exist_ok=True)
        version_file = self.path / _VERSION_FILE
        if index.exists_in(str(self.path)):
            found = json.loads(version_file.read_text()) if version_file.exists() else {}
            if found.get("schema_version") != SCHEMA_VERSION:
                raise IndexOutdated(f"Søkeindeksen i {self.path} har et eldre format; den må bygges på nytt.")
            return index.open_dir(str(self.path))
        ix = index.create_in(str(self.path), build_schema())
        version_file.write_text(json.dumps({"schema_version": SCHEMA_VERSION}))
        return ix

    # --- writing -----------------------------------------------------------------------------

    def apply(
        self, add: Sequence[Document], remove: Iterable[str] = (), entities: EntityMap | None = None
    ) -> None:
        latest = {doc.doc_id: doc for doc in add}  # the same doc twice: the last one wins
        stale = set(remove) | set(latest)
        writer = self._ix.writer(limitmb=self._limitmb, timeout=self._lock_timeout, **self._writer_options)
        try:
            for doc_id in stale:
                writer.delete_by_term("doc_id", doc_id)
            for record in self._all_records(latest.values(), entities or {}):
                writer.add_document(**record)
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        with self._lock:
            self._swap()  # the writer opens the new generation, so the next search does not wait for it
        log.info(
            "search index: %d documents replaced or added, %d removed", len(latest), len(stale) - len(latest)
        )

    def _all_records(self, docs: Iterable[Document], entities: EntityMap) -> Iterator[dict[str, Any]]:
        for doc in docs:
            yield from self._records.records(doc, entities)

    # --- reading -----------------------------------------------------------------------------

    @contextmanager
    def _reading(self) -> Iterator[_Generation]:
        """The latest generation, held (with the lock) for the whole of one read."""
        with self._lock:
            current = self._generation
            # Not up to date: another WhooshIndex (another process) committed since.
            if current is None or not current.searcher.up_to_date():
                current = self._swap()
            yield current

    def _swap(self) -> _Generation:
        """Open the latest generation and close the one it replaces; only with the lock held.

        Not Searcher.refresh(): whoosh-reloaded 2.7.5 reuses segment readers by segment identity, so
        documents deleted from an old segment stayed visible.
        """
        old, self._generation = self._generation, _Generation.open(self._ix)
        if old is not None:
            old.searcher.close()
        return self._generation

    def doc_ids(self) -> set[str]:
        with self._reading() as current:
            reader = current.searcher.reader()
            if reader.doc_count_all() == 0:
                return set()  # an empty index has no column to read
            column = reader.column_reader("doc_id")
            return {column[docnum] for docnum in reader.all_doc_ids()}

    def duplicate_ids(self) -> set[str]:
        with self._reading() as current:
            reader = current.searcher.reader()
            if reader.doc_count_all() == 0 or ("duplicate", "1") not in reader:
                return set()
            column = reader.column_reader("doc_id")
            return {
                column[n] for n in reader.postings("duplicate", "1").all_ids() if not reader.is_deleted(n)
            }

    def count(self, kind: str | None = None) -> int:
        with self._reading() as current:
            searcher = current.searcher
            if kind is None:
                return searcher.doc_count()
            return len(searcher.search(wq.Term("kind", kind), limit=None))

    def close(self) -> None:
        with self._lock:
            if self._generation is not None:
                self._generation.searcher.close()
                self._generation = None
            self._ix.close()

    # --- searching ---------------------------------------------------------------------------

    def _run(self, request: SearchRequest) -> SearchResult:
        with self._reading() as current:
            set_matcher = current.set_matcher
            set_matcher.reset()
            try:
                return self._search(current, request)
            finally:
                set_matcher.reset()

    def _search(self, current: _Generation, request: SearchRequest) -> SearchResult:
        parsed, kind, sort, group = request.parsed, request.kind, request.sort, request.group
        searcher, set_matcher = current.searcher, current.set_matcher
        reader = searcher.reader()
        plan = self._queries.build(parsed, kind, reader, searcher.corrector("spell"))
        filter_query = query_filter(parsed.filters, reader, current.labels)
        allowed = set_matcher.docs(filter_query) if filter_query is not None else None
        hidden = frozenset() if request.include_duplicates else set_matcher.docs(wq.Term("duplicate", "1"))

        def matching(q: wq.Query | None) -> frozenset[int]:
            found = set_matcher.docs(q) if q is not None else frozenset()
            if allowed is not None:
                found = found & allowed
            return found - hidden if hidden else found

        # Every record that matches is counted, whatever the page: the total and the facets are
        # the same on page 1 and page 2 (only the ordering of the partial ones waits for need).
        strict, partial = matching(plan.strict), matching(plan.partial)
        counted = strict | partial
        doc_ids = set_matcher.values("doc_id")
        tiers = [Tier(plan.strict, strict, "all")]
        if plan.partial is not None:
            tiers.append(Tier(plan.partial, partial, "some"))
        ordering = Ordering(set_matcher, tiers, sort)
        offset, limit = request.offset, request.limit

        def shown(ranked: list[tuple[int, float, str]]) -> list[dict[str, Any]]:
            return [self._hit(d, s, searcher, plan, kind, match) for d, s, match in ranked]

        in_document = per_document(counted, doc_ids)
        page: dict[str, Any] = {"total": len(counted), "matched_all": len(strict)}
        if group:
            groups = [document_group(shown(g), in_document) for g in ordering.groups(offset, limit, doc_ids)]
            page["groups"] = groups
            page["hits"] = [h for g in groups for h in g["hits"]]
        else:
            page["hits"] = shown(ordering.page(offset, limit))
        page["total_documents"] = len(in_document)
        facet_counts = set_matcher.facet_counts(counted, per="doc_id")
        facets = {name: counts(c) for name, c in facet_counts.items()}
        committees = current.labels.labels(facets.get("committee", {}))
        return response(page, request, facets, committees, plan.did_you_mean)

    def _hit(
        self, docnum: int, score: float, searcher: Searcher, plan: QueryPlan, kind: str, match: str
    ) -> dict[str, Any]:
        data: dict[str, Any] = searcher.stored_fields(docnum)["data"]
        marked = snippet(data["text"], self.analyzer, plan.highlight_terms, plan.compound_heads)
        return hit(data, score, kind, match, marked)
