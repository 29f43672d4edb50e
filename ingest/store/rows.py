"""The document records and the copies of originals as rows of ``hfkg_store`` (the PostgreSQL backend of
:class:`~ingest.store.files.Records` and :class:`~ingest.store.originals.Copies`).

``records`` holds a document's JSON in place (``staged`` 0) and the version a change staged
(``staged`` its generation), as ``docs/<id>.json`` and ``docs/.staged/<generation>/`` do; each row
appears whole, by its own transaction. ``originals`` holds the bytes by sha256; a copy is served and
linked from a file in this machine's ``originals/``, written from the row when first asked for (the
name says the bytes, so such a file never goes stale). What a repair takes out goes into quarantine
as the file it would have been, then the row goes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from ingest.errors import DocumentDamaged
from ingest.model import Document
from ingest.quarantine import Quarantine
from ingest.store.files import STAGED, DocumentFiles, atomic_write, decode
from ingest.store.originals import SHA256, Originals

if TYPE_CHECKING:
    from ingest.store.postgres import Database

IN_PLACE = 0


class DocumentRows:
    """Table ``records``: one whole document per row."""

    def __init__(self, database: Database, data_dir: Path) -> None:
        self.database = database
        self.aside = DocumentFiles(data_dir)  # where a record goes on its way into quarantine

    def write(self, doc: Document, staged: int | None = None) -> None:
        with self.database.transaction() as db:
            db.execute(
                "INSERT INTO records (doc_id, staged, body) VALUES (?, ?, ?) "
                "ON CONFLICT (doc_id, staged) DO UPDATE SET body = excluded.body",
                (doc.doc_id, staged or IN_PLACE, json.dumps(doc.to_dict(), ensure_ascii=False)),
            )

    def read(self, doc_id: str, staged: int | None = None) -> Document:
        rows = self.database.rows(
            "SELECT body FROM records WHERE doc_id = ? AND staged = ?", (doc_id, staged or IN_PLACE)
        )
        return self.decode(doc_id, rows[0][0] if rows else None)

    def decode(self, doc_id: str, body: str | None) -> Document:
        """The document of a record's ``body`` (None: there is no record)."""
        if body is None:
            raise self._damaged(doc_id, "the record is missing")
        return decode(doc_id, body, lambda reason: self._damaged(doc_id, reason))

    def _damaged(self, doc_id: str, reason: str) -> DocumentDamaged:
        return DocumentDamaged(
            doc_id,
            f"document {doc_id} cannot be read: its record in {self.database.where} is damaged ({reason}); "
            f"`hfkg check` lists every damaged record",
        )

    def exists(self, doc_id: str) -> bool:
        sql = "SELECT 1 FROM records WHERE doc_id = ? AND staged = ?"
        return bool(self.database.rows(sql, (doc_id, IN_PLACE)))

    def remove(self, doc_id: str) -> None:
        with self.database.transaction() as db:
            db.execute("DELETE FROM records WHERE doc_id = ? AND staged = ?", (doc_id, IN_PLACE))

    def move_into_place(self, generation: int, doc_id: str) -> None:
        """The staged version replaces the one in place, in one transaction; once moved, nothing to do."""
        with self.database.transaction() as db:
            db.execute(
                "DELETE FROM records WHERE doc_id = ? AND staged = ? AND EXISTS "
                "(SELECT 1 FROM records WHERE doc_id = ? AND staged = ?)",
                (doc_id, IN_PLACE, doc_id, generation),
            )
            db.execute(
                "UPDATE records SET staged = ? WHERE doc_id = ? AND staged = ?",
                (IN_PLACE, doc_id, generation),
            )

    def drop_staging(self, generation: int) -> None:
        with self.database.transaction() as db:
            db.execute("DELETE FROM records WHERE staged = ?", (generation,))

    def ids(self) -> list[str]:
        sql = "SELECT doc_id FROM records WHERE staged = ? ORDER BY doc_id"
        return [r[0] for r in self.database.rows(sql, (IN_PLACE,))]

    def staging_names(self, but: str | None) -> list[str]:
        sql = "SELECT DISTINCT staged FROM records WHERE staged <> ? ORDER BY staged"
        return [str(r[0]) for r in self.database.rows(sql, (IN_PLACE,)) if str(r[0]) != but]

    def set_aside(
        self, quarantine: Quarantine, doc_id: str | None = None, staging: str | None = None
    ) -> None:
        """Into quarantine as ``docs/<id>.json`` (or ``docs/.staged/<generation>/``), then the rows go."""
        params: tuple[object, ...]
        if doc_id is not None:
            where, params = "doc_id = ? AND staged = ?", (doc_id, IN_PLACE)
            target = self.aside.path(doc_id)
        else:
            where, params = "staged = ?", (int(str(staging)),)
            target = self.aside.folder / STAGED / str(staging)
        for row_id, body in self.database.rows(f"SELECT doc_id, body FROM records WHERE {where}", params):
            atomic_write(target if doc_id is not None else target / f"{row_id}.json", body)
        if target.exists():
            quarantine.move(target)
        with self.database.transaction() as db:
            db.execute(f"DELETE FROM records WHERE {where}", params)


class OriginalRows:
    """Table ``originals``: the bytes of each original file, by sha256."""

    def __init__(self, database: Database, data_dir: Path) -> None:
        self.database = database
        self.local = Originals(data_dir)  # this machine's copies, to serve and link

    def held(self, sha: str, size: int | None = None) -> Path | None:
        if not SHA256.fullmatch(sha):
            return None
        local = self.local.held(sha, size)
        if local is not None:
            return local
        rows = self.database.rows("SELECT data FROM originals WHERE sha256 = ?", (sha,))
        if not rows or (size is not None and len(rows[0][0]) != size):
            return None
        self.local.put(sha, bytes(rows[0][0]))
        return self.local.held(sha, size)

    def holds(self, sha: str) -> bool:
        return bool(self.database.rows("SELECT 1 FROM originals WHERE sha256 = ?", (sha,)))

    def put(self, sha: str, data: bytes) -> None:
        if not SHA256.fullmatch(sha):
            raise ValueError(f"not a sha256: {sha!r}")
        with self.database.transaction() as db:
            db.execute(
                "INSERT INTO originals (sha256, data) VALUES (?, ?) ON CONFLICT DO NOTHING", (sha, data)
            )

    def remove(self, sha: str) -> None:
        with self.database.transaction() as db:
            db.execute("DELETE FROM originals WHERE sha256 = ?", (sha,))
        self.local.remove(sha)

    def files(self) -> list[str]:
        return [
            Originals.name(r[0]) for r in self.database.rows("SELECT sha256 FROM originals ORDER BY sha256")
        ]

    def unnamed(self, named: set[str]) -> list[str]:
        ours = {Originals.name(s) for s in named}
        return [f for f in self.files() if f not in ours]

    def intact(self, sha: str, size: int | None) -> bool:
        rows = self.database.rows(
            "SELECT encode(sha256(data), 'hex'), octet_length(data) FROM originals WHERE sha256 = ?", (sha,)
        )
        return bool(rows) and rows[0][0] == sha and (size is None or rows[0][1] == size)

    def set_aside(self, quarantine: Quarantine, name: str) -> None:
        """Into quarantine as ``originals/<aa>/<sha256>`` (the bytes as the row holds them), then the row goes."""
        sha = name.rpartition("/")[2]
        rows = self.database.rows("SELECT data FROM originals WHERE sha256 = ?", (sha,))
        if rows:
            path = self.local.folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(bytes(rows[0][0]))
            quarantine.move(path)
        with self.database.transaction() as db:
            db.execute("DELETE FROM originals WHERE sha256 = ?", (sha,))
