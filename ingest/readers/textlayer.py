"""Whether a PDF page's text layer is text: glyph numbers, "(cid:n)" codes and private-use or control
characters come out of a PDF whose fonts carry no Unicode map, and read as words to no one."""

from __future__ import annotations

import re
from typing import Any

# Over this share of a page's visible characters unmapped, the page has no usable text layer.
GARBAGE_SHARE = 0.25

_CID = re.compile(r"\(cid:\d+\)")
# C0/C1 controls but tab and line breaks, surrogates, the replacement character, private use.
_BAD = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffd\ue000-\uf8ff\U000f0000-\U0010ffff]")
# A private-use glyph that opens a line is a Symbol or Wingdings bullet (the normaliser reads those).
_BULLET = re.compile("^[ \t]*[\ue000-\uf8ff]", re.M)
_SPACE = re.compile(r"\s")
_IDENTITY = ("/Identity-H", "/Identity-V")


def garbage_share(text: str) -> float:
    """The share of the visible characters of ``text`` that are no letters of any script."""
    visible = len(text) - len(_SPACE.findall(text))
    if not visible:
        return 0.0
    codes = _CID.findall(text)
    rest = _CID.sub("", text) if codes else text
    bad = sum(map(len, codes)) + len(_BAD.findall(rest)) - len(_BULLET.findall(rest))
    return max(0, bad) / visible


def is_unmapped(font: Any) -> bool:
    """A composite font whose codes are glyph ids (Identity-H/V) with no ToUnicode map: pypdf can only
    give the glyph numbers as characters ("$HGQWD" for "Agenda")."""
    try:
        return (
            font.get("/Subtype") == "/Type0"
            and str(font.get("/Encoding")) in _IDENTITY
            and "/ToUnicode" not in font
        )
    except AttributeError:
        return False


def has_unmapped_font(page: Any) -> bool:
    try:
        fonts = page["/Resources"].get_object().get("/Font")
        fonts = fonts.get_object() if fonts is not None else {}
        return any(is_unmapped(font.get_object()) for font in fonts.values())
    except (AttributeError, KeyError, TypeError):
        return False


def unmapped_share(page: Any) -> float:
    """The share of the page's visible characters drawn in unmapped fonts (one plain-mode pass that
    tells which font drew each piece; run only on a page that has such a font)."""
    counts = [0, 0]

    def visit(text: str, _cm: object, _tm: object, font: object, _size: object) -> None:
        counts[is_unmapped(font)] += len(text) - len(_SPACE.findall(text))

    page.extract_text(visitor_text=visit)
    total = counts[0] + counts[1]
    return counts[1] / total if total else 0.0
