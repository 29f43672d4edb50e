"""E-mail (.eml, RFC 5322 with MIME) read with the standard library's ``email`` package.

The message becomes one document: its subject as the title heading, its body (text/plain, else
text/html through the HTML reader's conversion) as the text, its date as the document's date, and
its headers (sender, to, cc, date, subject) in ``RawDocument.message``. The files it carries go to
``RawDocument.attachments`` as (file name, bytes), each read later as a document of its own through
the same reader registry (ingest/attachments.py); what could not be handed on is said in
``RawDocument.skipped``, never dropped in silence.

Charsets: a part's declared charset is trusted only where the bytes decode in it; valid UTF-8 is
UTF-8 whatever a single-byte declaration says (the commonest wrong declaration), and anything else
goes through ingest/readers/encoding.py's detection, as a text file does. Headers with raw 8-bit
bytes and no declared charset are decoded the same way.

Outlook's .msg is not read: extract-msg, the maintained reader, is GPL-3.0 (this project is MIT) and
brings 14 more packages (oletools, msoffcrypto-tool, a Tk GUI library); no library writes a real .msg
for the tests either. Saved as .eml (Outlook: *Lagre som*), the same message is read here.
"""

from __future__ import annotations

import mimetypes
import re
from email import errors as mime_errors
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesHeaderParser, BytesParser
from pathlib import Path
from typing import Any

from ingest.errors import EmptyDocument, IngestError
from ingest.model import RawDocument, RawPage
from ingest.readers.encoding import decode
from ingest.readers.markup import html_to_markup
from ingest.readers.text import text_to_raw

# Bounds a hostile message cannot push past: attachments handed on from one message (the rest are
# named in ``skipped``), and the headers a file must show in its first bytes to be taken for e-mail.
MAX_ATTACHMENTS = 50
_MESSAGE_HEADERS = {"from", "to", "cc", "subject", "date", "message-id", "mime-version", "received"}
_ADDRESSES = ("from", "to", "cc")
# Declared charsets that mail software writes for what is in fact windows-1252 (as browsers read them).
_AS_CP1252 = {"us-ascii", "ascii", "iso-8859-1", "latin-1", "latin1"}
_WIDE = re.compile(r"^utf[-_]?(16|32)", re.I)
_BROKEN_STRUCTURE = (mime_errors.StartBoundaryNotFoundDefect, mime_errors.MultipartInvariantViolationDefect)
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f]+")
_AS_READ = policy.default.clone(refold_source="none")


class EmailReader:
    extensions: tuple[str, ...] = (".eml",)

    def match(self, path: Path, head: bytes) -> bool:
        return looks_like_message(head)

    def read(self, path: Path, data: bytes) -> RawDocument:
        return read_message(data, source=str(path))


def looks_like_message(head: bytes) -> bool:
    """Whether the first bytes are a message's headers (at least one header a message has)."""
    if b"\x00" in head:
        return False
    headers = BytesHeaderParser(policy=policy.default).parsebytes(head)
    return any(name.lower() in _MESSAGE_HEADERS for name in headers)


def read_message(data: bytes, *, source: str) -> RawDocument:
    msg = BytesParser(policy=policy.default).parsebytes(data)
    assert isinstance(msg, EmailMessage)  # policy.default makes EmailMessage objects
    broken = [d for d in msg.defects if isinstance(d, _BROKEN_STRUCTURE)]
    if broken:
        raise IngestError(
            "broken MIME structure: the parts its Content-Type announces are not there "
            f"({type(broken[0]).__name__})"
        )
    message = headers(msg)
    skipped = []
    if any(isinstance(d, mime_errors.CloseBoundaryNotFoundDefect) for p in msg.walk() for d in p.defects):
        skipped.append(
            "the message is cut short (its last MIME boundary is missing): what came before it is read"
        )
    body_part = msg.get_body(preferencelist=("plain", "html"))
    attachments, left_out = _attachments(msg, body_part)
    skipped += left_out
    message["attachments"] = [name for name, _ in attachments]
    raw = _body(body_part, message, source)
    raw.message, raw.attachments, raw.skipped = message, attachments, skipped
    raw.title = message.get("subject") or raw.title
    raw.created = message.get("date")
    return raw


def headers(msg: EmailMessage) -> dict[str, Any]:
    """Sender, recipients, date and subject as plain values (ISO date and time, address strings)."""
    out: dict[str, Any] = {}
    for name in _ADDRESSES:
        header = _header(msg, name)
        if header is None:
            continue
        addresses = [str(a) for group in getattr(header, "groups", ()) for a in group.addresses]
        out["sender" if name == "from" else name] = addresses or [str(header)]
    if "sender" in out:
        out["sender"] = ", ".join(out["sender"])
    subject = _header(msg, "subject")
    if subject is not None and str(subject).strip():
        out["subject"] = " ".join(str(subject).split())
    date = _header(msg, "date")
    when = getattr(date, "datetime", None)
    if when is not None:
        out["date"] = when.date().isoformat()
        out["sent"] = when.isoformat()
    message_id = _header(msg, "message-id")
    if message_id is not None and str(message_id).strip():
        out["message_id"] = str(message_id).strip()
    return out


def _header(msg: Message, name: str) -> Any:
    """A header as the policy parses it, its raw 8-bit bytes (no RFC 2047 charset) decoded first the
    way a text file's are, instead of the replacement characters the parser leaves for them."""
    raw = next((value for key, value in msg.raw_items() if key.lower() == name), None)
    if raw is None:
        return None
    if any("\udc80" <= ch <= "\udcff" for ch in raw):
        try:
            raw, _ = decode(raw.encode("ascii", "surrogateescape"))
        except IngestError:  # binary or blank: the parser's reading, replacement characters and all
            return msg.get(name)
    try:
        return policy.default.header_factory(name, raw)
    except (AttributeError, IndexError, TypeError, ValueError):
        # The address parser fails on some garbage (a group where a mailbox goes, a stray line break):
        # the header's text stands as it is.
        return " ".join(raw.split())


def part_text(part: Message) -> str:
    """A text part's payload decoded: see the module's note on charsets."""
    payload = part.get_payload(decode=True)
    data = payload if isinstance(payload, bytes) else b""
    declared = (part.get_content_charset() or "").lower()
    candidates = [declared] if _WIDE.match(declared) else []
    candidates += ["utf-8", "cp1252" if declared in _AS_CP1252 else declared]
    for charset in filter(None, candidates):
        try:
            return data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            continue
    try:
        return decode(data)[0]
    except EmptyDocument:
        return ""


def _body(part: Message | None, message: dict[str, Any], source: str) -> RawDocument:
    subject = message.get("subject")
    heading = f"# {subject}\n\n" if subject else ""
    html = part is not None and part.get_content_subtype() == "html"
    text = part_text(part) if part is not None else ""
    if html:
        text = html_to_markup(text)[0]
    if not text.strip():
        if not message["attachments"]:
            raise EmptyDocument("empty e-mail: no text and no attachments")
        # A message that only carries files is still the message they came with.
        text = "Vedlegg: " + ", ".join(message["attachments"])
    if html:  # already the light markup: not to be read as Markdown
        return RawDocument(source=source, format="email", pages=[RawPage(number=1, text=heading + text)])
    return text_to_raw(heading + text, source=source, fmt="email")


def _attachments(msg: EmailMessage, body: Message | None) -> tuple[list[tuple[str, bytes]], list[str]]:
    """The files the message carries (nested multiparts' too), at most MAX_ATTACHMENTS; the rest and
    the ones that cannot be decoded are named in the second list."""
    found: list[tuple[str, bytes]] = []
    skipped: list[str] = []
    parts = [p for p in _attached_parts(msg) if p is not body]
    for number, part in enumerate(parts[:MAX_ATTACHMENTS], start=1):
        name = attachment_name(part, number)
        try:
            found.append((name, _payload(part)))
        except IngestError as exc:
            skipped.append(f"attachment {number} ({name}) rejected: {exc}")
    if len(parts) > MAX_ATTACHMENTS:
        skipped.append(
            f"attachments {MAX_ATTACHMENTS + 1}–{len(parts)} not read (at most {MAX_ATTACHMENTS} per e-mail)"
        )
    return found, skipped


def _attached_parts(msg: EmailMessage) -> list[EmailMessage]:
    """What ``iter_attachments`` gives, with the attachments of a multipart attached as such (a
    forwarded bundle) in its place; a message/rfc822 part stays one attachment (a nested e-mail)."""
    out: list[EmailMessage] = []
    for part in msg.iter_attachments():
        assert isinstance(part, EmailMessage)
        if part.is_multipart() and part.get_content_maintype() == "multipart":
            out.extend(_attached_parts(part))
        else:
            out.append(part)
    return out


def attachment_name(part: Message, number: int) -> str:
    """The attachment's own file name (its last path component, no control characters), else one
    from its type: ``vedlegg-2.pdf``; a nested message always ends in .eml, so the registry reads it."""
    given = _UNSAFE_NAME.sub("", re.split(r"[\\/]", part.get_filename() or "")[-1]).strip()
    if part.get_content_type() == "message/rfc822":
        inner = part.get_payload()
        nested = inner[0] if isinstance(inner, list) and inner else None
        subject = str(nested.get("subject") or "") if isinstance(nested, Message) else ""
        given = given or _UNSAFE_NAME.sub("", re.sub(r"[\\/:]", "-", " ".join(subject.split())))[:80]
        return given if given.lower().endswith(".eml") else f"{given or f'vedlegg-{number}'}.eml"
    if given:
        return given
    extension = mimetypes.guess_extension(part.get_content_type()) or ""
    return f"vedlegg-{number}{extension}"


def _payload(part: Message) -> bytes:
    if part.get_content_type() == "message/rfc822":
        inner = part.get_payload()
        nested = inner[0] if isinstance(inner, list) and inner else None
        if not isinstance(nested, Message):
            raise IngestError("the attached message is empty")
        try:  # its headers as they came (refolding would parse them again, and garbage fails that)
            return nested.as_bytes(policy=_AS_READ)
        except (AttributeError, IndexError, LookupError, TypeError, UnicodeError, ValueError) as exc:
            raise IngestError(f"the attached message cannot be written out: {exc}") from exc
    data = part.get_payload(decode=True)
    if any(isinstance(d, mime_errors.InvalidBase64LengthDefect) for d in part.defects):
        raise IngestError("corrupt base64 (the encoded file is cut or damaged)")
    if not isinstance(data, bytes) or not data:
        raise IngestError("empty attachment")
    return data
