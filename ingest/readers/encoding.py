"""Turn bytes into text: BOMs, UTF-16 without BOM, UTF-8, then the single-byte encodings of Norway."""

from __future__ import annotations

import codecs

from ingest.errors import EmptyDocument, IngestError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Single-byte encodings seen in Norwegian files, most likely first.
_FALLBACKS = ("cp1252", "cp865", "mac_roman", "latin-1")
_NORWEGIAN = set("æøåÆØÅéÉ")


def decode(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name); raise IngestError for binary data."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return _strict(data[len(bom) :], name), name
    utf16 = _utf16_without_bom(data)
    if utf16:
        return _strict(data, utf16), utf16
    if b"\x00" in data[:65536]:
        raise IngestError("binary data, not text (NUL bytes)")
    try:
        text = data.decode("utf-8")
        encoding = "utf-8"
    except UnicodeDecodeError:
        text, encoding = _best_single_byte(data)
    _reject_binary(text)
    if not text.strip():
        raise EmptyDocument("empty file (only white space)")
    return text, encoding


def _strict(data: bytes, encoding: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise IngestError(f"broken {encoding} text: {exc.reason} at byte {exc.start}") from exc
    _reject_binary(text)
    if not text.strip():
        raise EmptyDocument("empty file (only white space)")
    return text


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even_zero = sample[0::2].count(0) / max(1, len(sample[0::2]))
    odd_zero = sample[1::2].count(0) / max(1, len(sample[1::2]))
    if odd_zero > 0.3 and even_zero < 0.05:
        return "utf-16-le"
    if even_zero > 0.3 and odd_zero < 0.05:
        return "utf-16-be"
    return None


def _best_single_byte(data: bytes) -> tuple[str, str]:
    best: tuple[float, str, str] | None = None
    for encoding in _FALLBACKS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        score = _plausibility(text)
        if best is None or score > best[0]:
            best = (score, text, encoding)
    assert best is not None  # latin-1 decodes every byte
    return best[1], best[2]


def _plausibility(text: str) -> float:
    """Letters typical of Norwegian count up; control and box-drawing characters count down."""
    score = 0.0
    for ch in text:
        if ch in _NORWEGIAN:
            score += 1
        elif ch.isalpha() and ord(ch) > 127:
            score -= 0.5
        elif (ord(ch) < 32 and ch not in "\t\n\r\f") or 0x80 <= ord(ch) < 0xA0 or 0x2500 <= ord(ch) < 0x2600:
            score -= 2
    return score


def _reject_binary(text: str) -> None:
    sample = text[:65536]
    if not sample:
        return
    controls = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\n\r\f") or ch == "\ufffd")
    if controls / len(sample) > 0.02:
        raise IngestError("binary data, not text (control characters)")
