"""An e-mail's attachments as documents of their own, linked to the message, in the message's commit.

The ingestor hands over a message it has read (a :class:`RawDocument` with ``message`` set, see
ingest/readers/email.py) and the :class:`Change` that commits it, before the commit. Here:

- the message's documents get its headers (``Document.message``) and its date as their date;
- each attachment is read through the same reader registry as a file (so a format that gets a reader
  is read as an attachment too), segmented, extracted and checked for near-duplicates like one, and
  becomes documents of their own (``part_of`` the message's document, listed in its ``parts``), with a
  source entry of its own, keyed ``<message key>#<n>/<file name>`` (a nested message's attachments
  under its key in turn), holding its own original copy, so that ``/documents/<id>/source`` serves
  the attachment itself;
- the source entries the message's earlier version left under its key (``<key>#…``) go, with their
  documents, so that re-ingesting a changed message replaces its attachments; :func:`drop_parts` does
  the same when the message is deleted;
- an attachment that cannot be read (unsupported, corrupt, too large, a message attached to itself or
  nested deeper than :data:`MAX_DEPTH`) is a note on the message's report line, never dropped silently;
  the message and its other attachments are ingested.

An attachment's doc_id is the hash of its bytes salted with the bytes' place (the message's sha256,
its number and name): the same bytes attached twice, or also ingested as a file of their own, are
different documents (a near-duplicate of the other), each removed with its own source. Attachment
entries record no ``sha256``, for the same reason: a file with the same bytes is read in as a file,
not called "same content as" a part of a message.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ingest.dedupe import find_duplicate
from ingest.errors import IngestError
from ingest.extract.resolve import registry_entries
from ingest.model import Document, RawDocument
from ingest.normalise import normalise
from ingest.readers.base import read_data
from ingest.segment import segment
from ingest.store import Change, DocumentStore

if TYPE_CHECKING:
    from ingest.pipeline import FileReport, Ingestor

MAX_DEPTH = 3  # messages inside messages: a fourth level is not read
MAX_PARTS = 100  # attachments read from one file, all levels together


@dataclass(slots=True)
class Attached:
    """What a message's attachments became: their documents, and notes on what was not read."""

    documents: list[Document] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def report(self, report: FileReport) -> FileReport:
        """The message's report line with its attachments' documents and the notes."""
        report.doc_ids += [d.doc_id for d in self.documents]
        report.titles += [d.title for d in self.documents]
        report.duplicate_of += [d.duplicate_of for d in self.documents if d.duplicate_of]
        report.reason = "; ".join([*([report.reason] if report.reason else []), *self.notes]) or None
        if report.status == "duplicate" and any(not d.duplicate_of for d in self.documents):
            report.status = "ingested"  # the text of the mail is known, not all it carries
        return report


def attach(ingestor: Ingestor, raw: RawDocument, change: Change, *, key: str) -> Attached:
    """Add the attachments of the message ``raw`` (the file under ``key`` in ``change``) to ``change``,
    and drop the ones its earlier version had. A file that is no message: nothing happens."""
    if raw.message is None:
        return Attached()
    entry = change.sources[key]
    messages = [d for d in change.add if d.doc_id in entry.get("doc_ids", [])]
    stamp(messages, raw.message)
    old = parts_of(ingestor.store, key)
    replaced = {i for e in old.values() for i in e.get("doc_ids", [])}
    unpacker = _Unpacker(ingestor, change, replaced, entry.get("ingested_at"))
    lineage = {str(v) for v in (raw.message.get("message_id"), entry.get("sha256")) if v}
    unpacker.unpack(raw, _Place(key, entry["path"], str(entry.get("sha256")), lineage), messages[:1])
    drop_parts(ingestor, key, change, old=old)
    return unpacker.result


def stamp(documents: list[Document], message: dict[str, Any]) -> None:
    """A message's documents carry its headers, and are dated when it was sent."""
    for doc in documents:
        doc.message = dict(message)
        date = message.get("date")
        if not date:
            continue
        before = [int(doc.date[:4])] if doc.date else []
        doc.date = date
        if doc.period_start is None and doc.years == before:
            doc.years = [int(date[:4])]


def parts_of(store: DocumentStore, key: str) -> dict[str, dict[str, Any]]:
    """The source entries of a message's attachments (nested messages' ones too), by key."""
    prefix = f"{key}#"
    return {k: e for k, e in store.sources().items() if k.startswith(prefix)}


def drop_parts(
    ingestor: Ingestor, key: str, change: Change, *, old: dict[str, dict[str, Any]] | None = None
) -> list[str]:
    """Let the attachments the message under ``key`` had leave with ``change`` (those it sets again
    stay), and point documents that were duplicates of them at another copy. Returns their doc_ids."""
    old = parts_of(ingestor.store, key) if old is None else old
    ids = [i for e in old.values() for i in e.get("doc_ids", [])]
    added = {d.doc_id for d in change.add}
    change.drop_sources += [k for k in old if k not in change.sources]
    change.drop += [i for i in ids if i not in added]
    change.unindex += [i for i in ids if i not in change.unindex]
    gone = [i for i in ids if i not in added]
    change.add += [d for d in ingestor.repointed(ingestor.repoint(gone)) if d.doc_id not in added]
    return ids


@dataclass(frozen=True, slots=True)
class _Place:
    """Where attachments are: their message's source key and shown path, the sha256 of the bytes they
    were taken from, the messages (Message-ID, sha256) they are inside, and how deep."""

    key: str
    shown: str
    sha: str
    lineage: set[str]
    depth: int = 1
    label: str = ""


class _Unpacker:
    def __init__(self, ingestor: Ingestor, change: Change, replaced: set[str], ingested_at: Any) -> None:
        self.ingestor = ingestor
        self.change = change
        self.result = Attached()
        self.known = ingestor.store.registry()
        for doc in change.add:  # the names the message's own documents brought
            self.known = {**self.known, **registry_entries(doc)}
        self.ingested_at = ingested_at
        # Originals to compare with: the stored ones but the attachments being replaced, and the
        # message's documents (an attachment repeating the text of the mail is a duplicate of it).
        self.prints = dict(ingestor.store.fingerprints(exclude=replaced))
        self.prints.update({d.doc_id: d.fingerprint for d in change.add if not d.duplicate_of})
        self.read = 0

    def unpack(self, raw: RawDocument, place: _Place, host: list[Document]) -> None:
        """``raw``'s attachments, each a document (a nested message's own attachments in turn)."""
        self.result.notes += [f"{place.label}{note}" for note in raw.skipped]
        for number, (name, data) in enumerate(raw.attachments, start=1):
            where = f"{place.label}attachment {number} ({name})"
            if self.read >= MAX_PARTS:
                self.result.notes.append(f"{where} not read (at most {MAX_PARTS} attachments per file)")
                continue
            self.read += 1
            try:
                self._part(raw, number, name, data, place, host, where)
            except IngestError as exc:
                self.result.notes.append(f"{where} rejected: {exc}")

    def _part(
        self,
        raw: RawDocument,
        number: int,
        name: str,
        data: bytes,
        place: _Place,
        host: list[Document],
        where: str,
    ) -> None:
        sha = hashlib.sha256(data).hexdigest()
        part = self._read(name, data)
        nested = part.message is not None
        if nested:
            self._check_nesting(part, sha, place)
        key, shown = f"{place.key}#{number}/{name}", f"{place.shown}#{number}/{name}"
        part.source = shown
        part.created = part.created or (raw.message or {}).get("date")
        salted = f"{place.sha}#{number}/{name}\n".encode() + data
        documents = segment(part, normalise(part), salted)
        if not documents:
            raise IngestError("no text")
        for doc in documents:
            self._extract(doc)
            doc.part_of = host[0].doc_id if host else None
        if host:
            host[0].parts += [d.doc_id for d in documents]
        self.change.add += documents
        self.change.sources[key] = {
            "path": shown,
            "size": len(data),
            "mtime_ns": None,
            "ingested_at": self.ingested_at,
            "format": part.format,
            "doc_ids": [d.doc_id for d in documents],
            "original": sha,
            "part_of": place.key,
        }
        self.change.originals[sha] = data
        self.result.documents += documents
        if nested:
            assert part.message is not None
            stamp(documents, part.message)
            lineage = place.lineage | {sha, part.message.get("message_id") or sha}  # what it may not hold
            inner = _Place(key, shown, sha, lineage, place.depth + 1, f"{where} › ")
            self.unpack(part, inner, documents[:1])

    def _read(self, name: str, data: bytes) -> RawDocument:
        """An attachment through the reader registry, with the bounds of a file of its own."""
        ingestor = self.ingestor
        return read_data(Path(name), data, max_bytes=ingestor.max_file_bytes, limits=ingestor.limits)

    @staticmethod
    def _check_nesting(part: RawDocument, sha: str, place: _Place) -> None:
        assert part.message is not None
        message_id = part.message.get("message_id")
        if sha in place.lineage or (message_id and message_id in place.lineage):
            raise IngestError("the attached e-mail is the message itself or one it is inside (recursive)")
        if place.depth >= MAX_DEPTH:
            raise IngestError(f"e-mail nested deeper than {MAX_DEPTH} levels")

    def _extract(self, doc: Document) -> None:
        """Extraction and the near-duplicate check, as for a file's document."""
        self.ingestor.extractor.extract(doc, self.known)
        self.known = {**self.known, **registry_entries(doc)}
        doc.duplicate_of = find_duplicate(doc.fingerprint, self.prints)
        if doc.duplicate_of is None:
            self.prints[doc.doc_id] = doc.fingerprint
