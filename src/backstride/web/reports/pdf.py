"""HTML → PDF with WeasyPrint: the report page's own template, printed.

The renderer fetches nothing but our own static files (the one stylesheet):
a report never reaches the network, whatever its text contains.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders

BASE_URL = "http://backstride.invalid/"  # resolves relative links; never fetched
logging.getLogger("weasyprint").setLevel(logging.ERROR)  # it warns on every modern CSS rule
logging.getLogger("fontTools").setLevel(logging.ERROR)


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML  # imported when used: loading Pango takes a while

    return HTML(string=html, base_url=BASE_URL, url_fetcher=_fetcher()).write_pdf()


def _fetcher() -> Any:
    from weasyprint.urls import URLFetcher

    class StaticFilesOnly(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            path = urlsplit(url).path
            prefix = "/" + settings.STATIC_URL.strip("/") + "/"
            found = finders.find(path[len(prefix):]) if path.startswith(prefix) else None
            if not found or not isinstance(found, str):
                raise ValueError(f"a report fetches only its own static files, not {url}")
            return super().fetch(Path(found).as_uri(), headers)

    return StaticFilesOnly(allowed_protocols=("file",))
