"""A PDF page as the image Tesseract reads: a page that is one upright scan gives that scan's own
pixels (no resampling: the letters and specks as scanned, and no time spent drawing them again);
any other page is drawn by pdfium, at the resolution asked or at its scan's where that is lower.
The image goes out as PGM or PPM, which Tesseract reads without decoding."""

from __future__ import annotations

from typing import Any

# A page rendered at the configured resolution over this many pixels is rendered smaller: A4 at
# 300 dpi is 8.7 million; a page drawn 5 m wide would otherwise ask for gigabytes.
MAX_PIXELS = 40_000_000
# A scan up to this much finer than the resolution asked is taken as it is: drawing it smaller
# costs more than Tesseract saves on it.
FINER = 1.1


def page_image(document: Any, number: int, dpi: int) -> tuple[bytes, int]:
    """Page ``number`` (1-based) as a PNM image and its resolution in dots per inch."""
    page = document[number - 1]
    try:
        scan = _whole_page_scan(page)
        if scan is not None and scan[1] <= dpi * FINER:
            image = _pnm(scan[0])
            if image is not None:
                return image, round(scan[1])
        width, height = page.get_size()
        scale = min(dpi, _scan_dpi(page) or dpi) / 72
        if width * height * scale * scale > MAX_PIXELS:
            scale = (MAX_PIXELS / (width * height)) ** 0.5
        bitmap = page.render(scale=scale, grayscale=True)
    finally:
        page.close()
    image = _pnm(bitmap)
    if image is None:  # pdfium draws grey as one byte a pixel: not reached
        raise ValueError(f"page {number} rendered in an unexpected bitmap format")
    return image, round(scale * 72)


def _whole_page_scan(page: Any) -> tuple[Any, float] | None:
    """The page's one image, when the page draws nothing else and shows it upright and unmirrored,
    as pdfium decodes it; with its resolution on the page."""
    import pypdfium2.raw as pdfium_c  # type: ignore[import-untyped]

    if page.get_rotation() != 0:
        return None
    objects = list(page.get_objects(max_depth=1))
    if len(objects) != 1 or objects[0].type != pdfium_c.FPDF_PAGEOBJ_IMAGE:
        return None
    a, b, c, d, _e, _f = objects[0].get_matrix().get()
    if b or c or a <= 1 or d <= 1:
        return None
    bitmap = objects[0].get_bitmap(render=False)
    return bitmap, bitmap.width * 72 / a


def _scan_dpi(page: Any) -> float | None:
    """The resolution of the largest image the page draws (its pixels over its size on the page)."""
    import pypdfium2.raw as pdfium_c

    best: tuple[float, float] | None = None
    for image in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,)):
        left, _bottom, right, _top = image.get_bounds()
        pixels, _ = image.get_px_size()
        if right - left > 1 and (best is None or right - left > best[0]):
            best = (right - left, pixels * 72 / (right - left))
    return best[1] if best else None


def _pnm(bitmap: Any) -> bytes | None:
    """A pdfium bitmap as PGM (grey) or PPM (colour, pdfium's BGR order turned to RGB); None for a
    format neither holds."""
    columns, rows, stride, channels = bitmap.width, bitmap.height, bitmap.stride, bitmap.n_channels
    if channels not in (1, 3, 4):
        return None
    raw = bytes(bitmap.buffer)
    if stride != columns * channels:  # rows padded to a multiple of 4 bytes
        raw = b"".join(raw[row * stride : row * stride + columns * channels] for row in range(rows))
    if channels == 1:
        return b"P5\n%d %d\n255\n" % (columns, rows) + raw
    rgb = bytearray(columns * rows * 3)
    rgb[0::3], rgb[1::3], rgb[2::3] = raw[2::channels], raw[1::channels], raw[0::channels]
    return b"P6\n%d %d\n255\n" % (columns, rows) + bytes(rgb)
