"""Rendering HTML templates to PDF with WeasyPrint.

Templates may only load the application's own static files (fonts, logo,
stylesheets) and inline `data:` URLs such as QR codes: the fetcher refuses
every other URL, so a template an organization adjusts cannot make the worker
read local files or reach the network.
"""

from collections.abc import Sequence
from functools import cache, lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

# Relative and root-relative URLs in PDF templates resolve against this base.
BASE_URL = "https://aktiva.invalid/"


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
        stylesheets=[fonts_css, *map(_stylesheet, stylesheets)], font_config=font_config
    )


def render_pdf(template_name: str, context: dict, stylesheets: Sequence[str] = ()) -> bytes:
    """Render a template from templates/pdf/ to PDF bytes."""
    return html_to_pdf(render_to_string(template_name, context), stylesheets)


def qr_data_uri(url: str) -> str:
    """A QR code as an inline SVG data URI (no file, no network)."""
    import segno

    return segno.make(url, error="m").svg_data_uri(border=0)
