"""Writing the PostgreSQL search index: one :func:`apply` is one transaction.

The records are analysed before the transaction begins (the slow part), so the write lock (an
advisory lock: one writer at a time, whichever process) is held only for the SQL. Removed records
take their terms' document frequencies and their fields' lengths with them; the new ones are copied
in with COPY.
"""

from __future__ import annotations

from collections.abc import Sequence

import psycopg

from search.postgres.rows import RECORD_COLUMNS, Batch
from search.postgres.schema import SCHEMA, WRITE_LOCK
from search.schema import FIELDS

# After adding this many records the planner's statistics and the visibility map are renewed
# (VACUUM ANALYZE), so that scoring reads the postings by index only.
VACUUM_AFTER = 5000


def apply(conn: psycopg.Connection, batch: Batch, stale: Sequence[str]) -> None:
    """Remove every record of the documents ``stale``, then add ``batch``, in one transaction."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
        _remove(conn, list(stale))
        if batch.records:
            _insert(conn, batch)
        conn.execute(f"UPDATE {SCHEMA}.meta SET value = value + 1 WHERE name = 'generation'")


def _remove(conn: psycopg.Connection, stale: list[str]) -> None:
    if not stale:
        return
    removed = conn.execute(
        f"SELECT kind, count(*), sum(len_text), sum(len_head) FROM {SCHEMA}.records"
        " WHERE doc_id = ANY(%s) GROUP BY kind",
        (stale,),
    ).fetchall()
    if not removed:
        return
    conn.execute(
        f"""UPDATE {SCHEMA}.terms t SET df = t.df - c.n
            FROM (SELECT u.lexeme, count(*) AS n FROM {SCHEMA}.records r, unnest(r.tsv) u
                  WHERE r.doc_id = ANY(%s) GROUP BY u.lexeme) c
            WHERE t.key = c.lexeme""",
        (stale,),
    )
    conn.execute(
        f"DELETE FROM {SCHEMA}.postings WHERE record_id IN"
        f" (SELECT id FROM {SCHEMA}.records WHERE doc_id = ANY(%s))",
        (stale,),
    )
    conn.execute(f"DELETE FROM {SCHEMA}.records WHERE doc_id = ANY(%s)", (stale,))
    conn.execute(f"DELETE FROM {SCHEMA}.terms WHERE df <= 0")
    changes: dict[str, int] = {}
    for kind, count, text_length, head_length in removed:
        names = FIELDS[kind]
        changes["records"] = changes.get("records", 0) - count
        changes[f"len:{names.text}"] = -int(text_length)
        if names.head:
            changes[f"len:{names.head}"] = -int(head_length)
    _add_meta(conn, changes)


def _insert(conn: psycopg.Connection, batch: Batch) -> None:
    ids = [
        row[0]
        for row in conn.execute(
            f"SELECT nextval(pg_get_serial_sequence('{SCHEMA}.records', 'id')) FROM generate_series(1, %s)",
            (len(batch.records),),
        )
    ]
    conn.execute('CREATE TEMP TABLE new_terms (key text COLLATE "C", n integer) ON COMMIT DROP')
    with conn.cursor().copy("COPY new_terms (key, n) FROM STDIN") as copy:
        for key, count in batch.frequencies.items():
            copy.write_row((key, count))
    conn.execute(
        f"INSERT INTO {SCHEMA}.terms (key, df) SELECT key, n FROM new_terms"
        " ON CONFLICT (key) DO UPDATE SET df = terms.df + excluded.df"
    )
    scored = {key for postings in batch.postings for key, _, _ in postings}
    term_ids = {
        key: term_id
        for key, term_id in conn.execute(
            f"SELECT t.key, t.id FROM {SCHEMA}.terms t JOIN new_terms n ON n.key = t.key"
        )
        if key in scored
    }
    with conn.cursor().copy(f"COPY {SCHEMA}.records ({RECORD_COLUMNS}) FROM STDIN") as copy:
        for record_id, row in zip(ids, batch.records):
            copy.write_row([record_id, *row])
    with conn.cursor().copy(f"COPY {SCHEMA}.postings (term_id, record_id, tf, len) FROM STDIN") as copy:
        for record_id, postings in zip(ids, batch.postings):
            for key, weight, length in postings:
                copy.write_row((term_ids[key], record_id, weight, length))
    conn.execute("DROP TABLE new_terms")
    _add_meta(conn, {"records": len(ids), **{f"len:{name}": n for name, n in batch.lengths.items()}})


def _add_meta(conn: psycopg.Connection, changes: dict[str, int]) -> None:
    for name, change in changes.items():
        conn.execute(
            f"INSERT INTO {SCHEMA}.meta VALUES (%s, %s) ON CONFLICT (name)"
            " DO UPDATE SET value = meta.value + excluded.value",
            (name, change),
        )


def vacuum(url: str) -> None:
    """VACUUM ANALYZE the index's tables (outside any transaction, as VACUUM must be)."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"VACUUM (ANALYZE) {SCHEMA}.records, {SCHEMA}.postings, {SCHEMA}.terms")
