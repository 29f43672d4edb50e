"""PDF with pypdf: text per page, page numbers kept, AES-encrypted files with an empty password."""

from __future__ import annotations

import io
import logging
import re
from datetime import datetime
from pathlib import Path

from ingest.errors import EmptyDocument, EncryptedDocument, FileTooLarge, IngestError
from ingest.model import RawDocument, RawPage
from ingest.readers.base import Limits
from ingest.readers.textlayer import GARBAGE_SHARE, garbage_share, has_unmapped_font, unmapped_share

log = logging.getLogger(__name__)

# Below this many letters over the whole file we call it a scan: real documents have far more.
MIN_LETTERS = 40


class PdfReader:
    extensions = (".pdf",)

    def __init__(self, limits: Limits = Limits()) -> None:
        self.limits = limits

    def match(self, path: Path, head: bytes) -> bool:
        return b"%PDF-" in head[:1024]

    def read(self, path: Path, data: bytes) -> RawDocument:
        import pypdf
        from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError, PdfStreamError

        try:
            reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                try:
                    ok = reader.decrypt("")
                except (DependencyError, NotImplementedError) as exc:
                    raise EncryptedDocument(f"encrypted PDF that cannot be opened: {exc}") from exc
                if not ok:
                    raise EncryptedDocument("password-protected PDF: cannot be read without its password")
            count = len(reader.pages)
        except IngestError:
            raise
        except (
            PdfReadError,
            PdfStreamError,
            FileNotDecryptedError,
            ValueError,
            KeyError,
            TypeError,
            AttributeError,
            IndexError,
            OSError,
            RecursionError,
        ) as exc:
            raise IngestError(f"corrupt or truncated PDF: {exc}") from exc
        if count == 0:
            raise EmptyDocument("PDF has no pages")
        if count > self.limits.max_pages:
            raise IngestError(f"PDF has {count} pages, over the limit of {self.limits.max_pages}")
        self._check_content(reader, count)
        pages, failed, unusable = self._pages(reader, count, path.name)
        letters = sum(ch.isalpha() for page in pages for ch in page.text)
        with_text = sum(1 for page in pages if page.text.strip()) + len(unusable)
        if letters < MIN_LETTERS or len(unusable) * 2 >= with_text > 0:
            if unusable:
                raise EmptyDocument(
                    f"no usable text layer: the text of {len(unusable)} of {with_text} pages with text is "
                    'glyph numbers, not letters (fonts without a Unicode map, "(cid:n)" codes or private-use '
                    "characters); OCR it first"
                )
            if failed == count:
                raise IngestError("corrupt PDF: no page could be read")
            raise EmptyDocument("no text layer: a scanned document? (OCR it first)")
        if unusable:
            log.warning(
                "%s: left out pages %s, whose text layer is glyph numbers, not letters",
                path.name,
                ", ".join(map(str, unusable)),
            )

        title, created, modified = _metadata(reader)
        return RawDocument(
            source=str(path),
            format="pdf",
            pages=pages,
            title=title,
            created=created,
            modified=modified,
            hard_wrapped=True,
        )

    def _check_content(self, reader: object, count: int) -> None:
        """Every page's decoded content against the limits, before layout extraction parses any:
        what a page draws, and what all pages draw with a shared stream counted for each of them.
        Decoding is where pypdf stops a decompression bomb (extract_text hides it)."""
        from pypdf.errors import LimitReachedError, PdfReadError, PdfStreamError

        limits = self.limits
        total = 0
        for number in range(1, count + 1):
            try:
                contents = reader.pages[number - 1].get_contents()  # type: ignore[attr-defined]
                size = len(contents.get_data()) if contents is not None else 0
            except LimitReachedError as exc:
                raise _bomb(number, exc) from exc
            except (
                PdfReadError,
                PdfStreamError,
                ValueError,
                KeyError,
                TypeError,
                AttributeError,
                IndexError,
                OSError,
                RecursionError,
                ZeroDivisionError,
            ):
                continue  # reading the page's text fails the same way, and says so
            if size > limits.max_page_content_bytes:
                raise FileTooLarge(
                    f"PDF page {number} draws {_size(size)} of page content, over the limit of "
                    f"{_size(limits.max_page_content_bytes)} a page (HFKG_MAX_PDF_PAGE_MB sets it)"
                )
            total += size
            if total > limits.max_content_bytes:
                raise FileTooLarge(
                    f"PDF pages 1-{number} draw {_size(total)} of page content, over the limit of "
                    f"{_size(limits.max_content_bytes)} a file (a stream that several pages share counts "
                    "for each; HFKG_MAX_PDF_CONTENT_MB sets it)"
                )

    def _pages(self, reader: object, count: int, name: str) -> tuple[list[RawPage], int, list[int]]:
        """The text of each page; the number of pages that failed, and of those whose text is not text."""
        from pypdf.errors import LimitReachedError, PdfReadError, PdfStreamError

        pages: list[RawPage] = []
        failed = 0
        unusable: list[int] = []
        total = 0
        for number in range(1, count + 1):
            try:
                page = reader.pages[number - 1]  # type: ignore[attr-defined]
                text = _page_text(page)
                share = garbage_share(text)
                if share <= GARBAGE_SHARE and text.strip() and has_unmapped_font(page):
                    share = max(share, unmapped_share(page))
            except LimitReachedError as exc:
                raise _bomb(number, exc) from exc
            except (
                PdfReadError,
                PdfStreamError,
                ValueError,
                KeyError,
                TypeError,
                AttributeError,
                IndexError,
                OSError,
                RecursionError,
                ZeroDivisionError,
            ) as exc:
                log.warning("%s: page %d could not be read: %s", name, number, exc)
                failed += 1
                text, share = "", 0.0
            if share > GARBAGE_SHARE:
                unusable.append(number)
                text = ""
            total += len(text)
            if total > self.limits.max_text_bytes:
                raise FileTooLarge(
                    f"PDF text is over the limit of {_size(self.limits.max_text_bytes)} for text (at page "
                    f"{number}; HFKG_MAX_TEXT_MB sets it)"
                )
            pages.append(RawPage(number=number, text=text))
        return pages, failed, unusable


def _bomb(number: int, exc: Exception) -> IngestError:
    return IngestError(
        f"PDF page {number} expands past the decompression limit (a decompression bomb?): {exc}"
    )


def _size(count: int) -> str:
    return f"{count / 1_048_576:.1f} MB" if count >= 104_858 else f"{count / 1024:.0f} KB"


def _page_text(page: object) -> str:
    """A page's text with its layout: pypdf's layout mode keeps vertical gaps as blank lines (the only
    paragraph marks a PDF has) and table columns as runs of spaces; :func:`tidy_layout` turns those
    into the paragraphs and cells the normaliser reads. Plain extraction if layout mode fails."""
    from pypdf.errors import LimitReachedError

    try:
        text = page.extract_text(extraction_mode="layout")  # type: ignore[attr-defined]
    except LimitReachedError:
        raise
    except Exception:
        return page.extract_text() or ""  # type: ignore[attr-defined, no-any-return]
    return tidy_layout(text or "")


_GAP = re.compile(r"(?<=\S)( {2,})(?=\S)")
CELL_GAP = 4  # spaces: a wider gap that is not the even spread of a justified line separates cells
JUSTIFIED_MAX = 6


def tidy_layout(text: str) -> str:
    """Layout-mode text to lines: justified lines closed up, table gaps as tabs, indentation and
    trailing space dropped, and line spacing told from paragraph gaps."""
    lines = []
    for raw in _merge_wrapped_rows(text.split("\n")):
        if "\t" in raw:
            lines.append(raw)  # a table row already put together from its wrapped lines
            continue
        line = raw.strip()
        if not line:
            lines.append("")
            continue
        gaps = [len(g) for g in _GAP.findall(line)]
        words = len(line.split())
        justified = (
            len(gaps) >= 2
            and len(gaps) >= 0.8 * (words - 1)
            and max(gaps) - min(gaps) <= 1
            and max(gaps) <= JUSTIFIED_MAX
        )
        if justified or not gaps or max(gaps) < CELL_GAP:
            lines.append(" ".join(line.split()))
        else:
            cells = [" ".join(c.split()) for c in re.split(rf" {{{CELL_GAP},}}", line)]
            lines.append("\t".join(cells))
    # Text set with wide line spacing comes out with a blank line after nearly every line: there
    # only a run of two or more blank lines is a paragraph gap.
    content = [i for i, line in enumerate(lines) if line]
    followed_by_blank = sum(1 for i in content if i + 1 < len(lines) and not lines[i + 1])
    if len(content) >= 8 and followed_by_blank >= 0.6 * len(content):
        squeezed: list[str] = []
        for i, line in enumerate(lines):
            if line or (i + 1 < len(lines) and not lines[i + 1]) or (squeezed and not squeezed[-1]):
                squeezed.append(line)
        lines = squeezed
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def _segments(line: str) -> list[tuple[int, str]]:
    """(column, text) of the parts of a layout line that wide gaps separate."""
    return [(m.start(), m.group(0)) for m in re.finditer(rf"\S+(?: {{1,{CELL_GAP - 1}}}\S+)*", line)]


def _split_at(line: str, segments: list[tuple[int, str]], starts: list[int]) -> list[tuple[int, str]]:
    """Parts that run over a column's start (justified cells leave narrow gaps there) split at it."""
    out = []
    for column, text in segments:
        cuts = [h - column for h in starts if column < h < column + len(text) and line[h - 1] == " "]
        previous = 0
        for cut in cuts + [len(text)]:
            piece = text[previous:cut].strip()
            if piece:
                out.append(
                    (column + previous + (len(text[previous:cut]) - len(text[previous:cut].lstrip())), piece)
                )
            previous = cut
    return out


def _merge_wrapped_rows(raw_lines: list[str]) -> list[str]:
    """A table row whose cells wrap over several lines, set off by blank lines as table rows are:
    the lines are put together column by column ("Heim til kvardag: trygg utskriving av skrøpelege" +
    "eldre, med heimebesøk …" in one cell) into one tab-separated row, in the columns of the table's
    header row. Blocks whose lines each fill every column are rows of a tight table and stay line by
    line; prose is left alone."""
    out: list[str] = []
    block: list[str] = []
    header: list[int] | None = None

    def flush() -> None:
        nonlocal header
        if not block:
            return
        first = _segments(block[0])
        if len(block) == 1 and len(first) >= 3:
            header = [column for column, _ in first]  # a table's header row: its columns
        merged = _merged(block, header)
        if merged is None and len(first) < 2:
            header = None  # prose: the table has ended
        out.extend(merged or block)
        block.clear()

    for raw in raw_lines:
        if raw.strip():
            block.append(raw)
        else:
            flush()
            out.append(raw)
    flush()
    return out


def _merged(block: list[str], header: list[int] | None) -> list[str] | None:
    if len(block) < 2 or len(block) > 12:
        return None
    first = _segments(block[0])
    if len(first) < 2:
        return None
    own = [column for column, _ in first]
    # The header's columns, when this row starts most of its parts where they do.
    aligned = header is not None and sum(any(abs(c - h) <= 3 for c in own) for h in header) >= 0.6 * len(
        header
    )
    starts = header if aligned and header else own
    cells: list[list[str]] = [[] for _ in starts]
    filled_counts = []
    for line in block:
        segments = _split_at(line, _segments(line), starts) if aligned else _segments(line)
        filled = set()
        for column, text in segments:
            # The column this part falls in (a little slack to the left of a column's start).
            index = max((i for i, start in enumerate(starts) if start <= column + 2), default=None)
            if index is None:
                return None  # text left of the first column: not this table's shape
            if not aligned and abs(column - starts[index]) > 3 and column != segments[0][0]:
                return None  # without a header, parts between columns are prose with wide gaps
            cells[index].append(text)
            filled.add(index)
        filled_counts.append(len(filled))
    if all(count == len(starts) for count in filled_counts):
        return None  # every line a full row: a tight table, one row per line
    return ["\t".join(" ".join(" ".join(parts).split()) for parts in cells)]


def _metadata(reader: object) -> tuple[str | None, str | None, str | None]:
    try:
        meta = reader.metadata  # type: ignore[attr-defined]
    except Exception:
        return None, None, None
    if not meta:
        return None, None, None
    title = None
    try:
        raw_title = meta.title
        if raw_title and str(raw_title).strip() and not _looks_like_filename(str(raw_title)):
            title = " ".join(str(raw_title).split())
    except Exception:
        title = None
    return title, _date(meta, "creation_date"), _date(meta, "modification_date")


def _date(meta: object, attr: str) -> str | None:
    try:
        value = getattr(meta, attr)
    except Exception:
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    return None


def _looks_like_filename(title: str) -> bool:
    lowered = title.lower().strip()
    return lowered.endswith((".doc", ".docx", ".pdf", ".ppt", ".pptx", ".odt")) or lowered in {
        "untitled",
        "microsoft word",
        "powerpoint-presentasjon",
        "presentasjon",
        "dokument1",
    }
