"""The upload size cap, enforced while the request body is read.

``FileUploadHandler`` chain (settings.FILE_UPLOAD_HANDLERS): this handler
sees each chunk first and, once a file passes ``BACKSTRIDE_UPLOAD_MAX_BYTES``,
skips the rest of it (``SkipFile``), so an oversized file never reaches
memory or a temporary file whole. Django still reads and discards the rest of
the body; the web server's own body limit (docs/deploy.md) ends that sooner.
The skipped names are kept on the request for the page to explain.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest

REFUSED = "_uploads_too_large"


def refused(request: HttpRequest) -> list[str]:
    """Names of the files this request sent that were over the cap."""
    names: list[str] = request.__dict__.setdefault(REFUSED, [])
    return names


class CappedUploadHandler(FileUploadHandler):
    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.cap = int(settings.BACKSTRIDE_UPLOAD_MAX_BYTES)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > self.cap:
            if self.request is not None:
                refused(self.request).append(self.file_name or "")
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> Any:
        return None  # the next handler (memory or temporary file) makes the file
