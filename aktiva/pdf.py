"""Rendering HTML templates to PDF with WeasyPrint.

Templates may only load the application's own static files (fonts, logo,
stylesheets) and inline `data:` URLs such as QR codes: the fetcher refuses
every other URL, so a template an organization adjusts cannot make the worker
read local files or reach the network.
"""

import base64
import struct
import zlib
from collections.abc import Sequence
from functools import cache, lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

# Relative and root-relative URLs in PDF templates resolve against this base.
BASE_URL = "https://aktiva.invalid/"
# Every document is a tagged PDF for screen readers (PDF/UA-1, which WeasyPrint writes with
# pdf_tags and the metadata it requires); templates need <html lang> and a <title>.
PDF_VARIANT = "pdf/ua-1"


class StaticOnlyURLFetcher(URLFetcher):
    """Serves files found by the staticfiles finders and data: URLs; nothing else."""

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        path = _static_path(url)
        if path is None:
            raise ValueError(f"blocked: {url} is not a static file of the application")
        return URLFetcherResponse(url, body=path.read_bytes(), headers={})


def _static_path(url: str) -> Path | None:
    parts = urlsplit(url)
    prefix = "/" + settings.STATIC_URL.lstrip("/")
    if f"{parts.scheme}://{parts.netloc}/" != BASE_URL or not parts.path.startswith(prefix):
        return None
    relative = unquote(parts.path[len(prefix) :])
    if ".." in Path(relative).parts:
        return None
    found = finders.find(relative)
    if found:
        return Path(found)
    # In production {% static %} names the hashed copy that collectstatic wrote to STATIC_ROOT.
    root = Path(settings.STATIC_ROOT).resolve()
    collected = (root / relative.lstrip("/")).resolve()
    return collected if collected.is_relative_to(root) and collected.is_file() else None


@lru_cache(maxsize=1)
def _fonts() -> tuple[FontConfiguration, CSS]:
    """One font configuration per process: loading fonts is the costly part of a page."""
    font_config = FontConfiguration()
    css = CSS(
        string=render_to_string("pdf/fonts.css"),
        base_url=BASE_URL,
        url_fetcher=StaticOnlyURLFetcher(),
        font_config=font_config,
    )
    return font_config, css


@cache
def _stylesheet(template_name: str) -> CSS:
    """A stylesheet template (rendered without context) parsed once per process."""
    font_config, _ = _fonts()
    return CSS(
        string=render_to_string(template_name),
        base_url=BASE_URL,
        url_fetcher=StaticOnlyURLFetcher(),
        font_config=font_config,
    )


def html_to_pdf(html: str, stylesheets: Sequence[str] = ()) -> bytes:
    """`stylesheets` names templates of static CSS, parsed once per process instead of
    once per document as an inline <style> would be."""
    font_config, fonts_css = _fonts()
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyURLFetcher())
    return document.write_pdf(
        stylesheets=[fonts_css, *map(_stylesheet, stylesheets)],
        font_config=font_config,
        # Tagged PDF/UA-1 (BITV 2.0): a structure tree from the HTML, the document language
        # from <html lang>, the title from <title> shown in the reader's title bar.
        pdf_variant=PDF_VARIANT,
    )


def render_pdf(template_name: str, context: dict, stylesheets: Sequence[str] = ()) -> bytes:
    """Render a template from templates/pdf/ to PDF bytes."""
    return html_to_pdf(render_to_string(template_name, context), stylesheets)


def qr_data_uri(url: str) -> str:
    """A QR code as an 8-bit grey PNG data URI with one pixel per module (no file, no
    network); templates scale it up with `image-rendering: pixelated`.

    WeasyPrint draws this ~10× faster than an SVG QR code, and takes 8-bit grey as it is
    where segno's 1-bit PNG would be converted and encoded twice more per document; a
    fixed mask spares segno trying all eight.
    """
    matrix = segno.make(url, error="m", mask=0, micro=False).matrix
    rows = b"".join(b"\0" + bytes(0 if dark else 255 for dark in row) for row in matrix)
    size = struct.pack("!II", len(matrix[0]), len(matrix))
    png = b"\x89PNG\r\n\x1a\n" + b"".join(
        struct.pack("!I", len(data)) + kind + data + struct.pack("!I", zlib.crc32(kind + data))
        for kind, data in (
            (b"IHDR", size + bytes([8, 0, 0, 0, 0])),  # 8 bit, grey, no interlace
            (b"IDAT", zlib.compress(rows)),
            (b"IEND", b""),
        )
    )
    return "data:image/png;base64," + base64.b64encode(png).decode()
