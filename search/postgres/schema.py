"""The tables of the PostgreSQL search index, in schema ``hfkg_search``, and their version.

- ``records``: one row per passage or agenda item: the stored fields as columns (the facets, the
  filters' values, the date), and ``tsv``, the record's terms as our analyser made them
  (search/analysis.py), each prefixed by its field ("text:røntgen", "compound:kivva…", "head:…").
- ``stored``: per record what a hit shows (``data``), its entities' labels and its spelling words. The tsvector is written as a literal and queried with
  tsquery literals, so PostgreSQL's own text search configurations never stem or fold a word.
- ``terms``: every field-prefixed term with its document frequency: the idf of BM25, the
  alternations and compound heads the query builder looks up, the spelling vocabulary.
- ``postings``: (term, record, weight, length) of the scored fields (text, head) and the compounds
  (which score a constant): BM25 as whoosh computes it (search/postgres/sql.py).
- ``meta``: the schema version, the commit generation, the record count and each scored field's
  total length (its average length for BM25).
"""

from __future__ import annotations

import psycopg

from search.base import IndexOutdated

SCHEMA = "hfkg_search"
SCHEMA_VERSION = 1  # the version of these tables; another one is IndexOutdated
# pg_advisory_xact_lock key of every write (and of the schema's creation): one writer at a time
WRITE_LOCK = 0x6866_6B67_5345  # "hfkgSE"

_TABLES = f"""
CREATE TABLE {SCHEMA}.meta (name text PRIMARY KEY, value bigint NOT NULL);
CREATE TABLE {SCHEMA}.records (
    id bigserial PRIMARY KEY,  -- insertion order: equal scores rank in it, as whoosh's document numbers
    doc_id text NOT NULL,
    kind text NOT NULL,
    duplicate boolean NOT NULL,
    years text[] NOT NULL,
    doc_type text,
    fellesskap text,
    date text,
    committee text[] NOT NULL,
    entity text[] NOT NULL,
    entity_type text[] NOT NULL,
    len_text integer NOT NULL,
    len_head integer NOT NULL,
    tsv tsvector NOT NULL,
    profile integer NOT NULL
);
-- a document's records that have the same facet values share a profile: facets are counted over
-- the matching records' distinct profiles (far fewer than the records), as whoosh's set matcher does
CREATE TABLE {SCHEMA}.profiles (
    id serial PRIMARY KEY,
    key text NOT NULL UNIQUE,
    doc_id text NOT NULL,
    years text[] NOT NULL,
    doc_type text,
    fellesskap text,
    committee text[] NOT NULL,
    entity_type text[] NOT NULL
);
CREATE INDEX profiles_doc_id ON {SCHEMA}.profiles (doc_id);
-- what only a hit and a write read, apart: a narrow records row keeps its tsvector in line (a
-- tsvector moved out to TOAST is read back for each row a phrase or a seq scan checks)
CREATE TABLE {SCHEMA}.stored (
    id bigint PRIMARY KEY,
    entity_label text[] NOT NULL,
    spell text[] NOT NULL,
    data jsonb NOT NULL
);
-- no GIN index on tsv: searches match over the postings and check a phrase on records by id
-- (search/postgres/matching.py); an index made by an earlier version is left, unused
CREATE INDEX records_doc_id ON {SCHEMA}.records (doc_id);
CREATE TABLE {SCHEMA}.terms (
    id serial PRIMARY KEY,
    key text COLLATE "C" NOT NULL UNIQUE,  -- byte order: a prefix is a range, as whoosh's lexicon
    df integer NOT NULL
);
CREATE TABLE {SCHEMA}.postings (
    term_id integer NOT NULL,
    record_id bigint NOT NULL,
    tf real NOT NULL,
    len real NOT NULL,
    PRIMARY KEY (term_id, record_id) INCLUDE (tf, len)
);
CREATE INDEX postings_record ON {SCHEMA}.postings (record_id);
"""


def ensure_schema(conn: psycopg.Connection) -> None:
    """Create the tables on first use; IndexOutdated when they were made for another version."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
        exists = conn.execute("SELECT to_regclass(%s)", (f"{SCHEMA}.meta",)).fetchone()
        if exists is not None and exists[0] is not None:
            row = conn.execute(f"SELECT value FROM {SCHEMA}.meta WHERE name = 'schema_version'").fetchone()
            if row is None or row[0] != SCHEMA_VERSION:
                raise IndexOutdated(
                    f"Søkeindeksen i PostgreSQL ({SCHEMA}) har et annet format; den må bygges på nytt."
                )
            return
        conn.execute(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
        conn.execute(_TABLES)
        conn.execute(
            f"INSERT INTO {SCHEMA}.meta VALUES ('schema_version', %s), ('generation', 0), ('records', 0)",
            (SCHEMA_VERSION,),
        )
