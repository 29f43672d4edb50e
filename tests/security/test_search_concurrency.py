"""Issue 10, item 6: searches and questions got 500 ``whoosh.reading.ReaderClosed`` while uploads ran.

A commit made the open searcher stale; the next search closed it while another step of a search
(or the search itself, fetching the searcher twice) still used it. Readers in threads against a
real whoosh index while another thread commits, as the server's upload thread does.
"""

from __future__ import annotations

import threading
from pathlib import Path

from search import WhooshIndex
from tests.search.search_documents import all_documents

COMMITS = 40
READERS = 4


def test_searches_never_see_a_closed_reader_while_commits_run(tmp_path: Path) -> None:
    index = WhooshIndex(tmp_path / "search")
    documents = all_documents()
    index.apply(documents)
    failures: list[BaseException] = []
    empty: list[str] = []
    done = threading.Event()

    def read() -> None:
        # Each query matches a document that every commit replaces by itself, so it always has hits.
        queries = [
            ("samhandlingsavvik", "passage"),
            ("fagutvalg for fastleger", "decision"),
            ("skrøpelige eldre", "passage"),
            ("mobil røntgen", "passage"),
        ]
        turn = 0
        while not done.is_set():
            query, kind = queries[turn % len(queries)]
            turn += 1
            try:
                if not index.search(query, kind=kind, limit=20)["hits"]:
                    empty.append(query)
                index.doc_ids()
                index.count("decision")
            except BaseException as exc:
                failures.append(exc)

    def write() -> None:
        try:
            for n in range(COMMITS):
                index.apply([documents[n % len(documents)]])
        finally:
            done.set()

    threads = [threading.Thread(target=read) for _ in range(READERS)] + [threading.Thread(target=write)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    finally:
        done.set()
        index.close()
    assert not failures, f"{len(failures)} failed searches, first: {failures[0]!r}"
    assert not empty, f"searches without hits during commits: {empty[:5]}"
