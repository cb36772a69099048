"""Activity files in, workout and calendar files out.

:func:`read_activity` is the one entry point for uploads: it decides the
format from the bytes themselves (a file name or a MIME type from a browser is
a claim, not a fact), unwraps gzip and single-file zip archives with a size
cap, and hands over to :mod:`.fit`, :mod:`.gpx` or :mod:`.tcx`. Whatever the
input, the only exception that leaves is
:class:`~backstride.core.errors.ImportFormatError`.

This package imports only ``backstride.core``, the standard library,
fitdecode, defusedxml and icalendar (the layer rule in DESIGN.md).
"""

from __future__ import annotations

import io
import zipfile
import zlib

from backstride.core.activity import Activity
from backstride.core.errors import ImportFormatError
from backstride.formats import _xml
from backstride.formats.fit import read_fit
from backstride.formats.gpx import read_gpx, read_gpx_root
from backstride.formats.tcx import read_tcx, read_tcx_root

# The largest activity we accept, after decompression. The corpus' biggest
# file (100k records, 8.5 hours) is 2.4 MB; a week-long GPX hike is ~30 MB.
MAX_ACTIVITY_BYTES = 64 * 1024 * 1024

GZIP_MAGIC = b"\x1f\x8b"
ZIP_MAGIC = b"PK\x03\x04"
FIT_SIGNATURE = b".FIT"  # FIT protocol: bytes 8-11 of every file header
_XML_SNIFF_BYTES = 4096

__all__ = ["MAX_ACTIVITY_BYTES", "read_activity", "read_fit", "read_gpx", "read_tcx"]


def read_activity(data: bytes, *, filename: str | None = None) -> Activity:
    """Read an uploaded FIT, GPX or TCX file (optionally gzip- or zip-compressed).

    The format is sniffed from ``data``; ``filename`` only names the file in
    error messages. Raises ImportFormatError, and nothing else, for anything
    that is not a readable recorded activity.
    """
    try:
        return _read(_unwrap(bytes(data)))
    except ImportFormatError as exc:
        if filename:
            raise ImportFormatError(exc.field, f"{filename}: {exc.message}") from exc
        raise
    except Exception as exc:  # the contract: a malformed upload never yields a traceback
        message = f"the file could not be read ({type(exc).__name__})"
        raise ImportFormatError("file", message) from exc


def _read(data: bytes) -> Activity:
    if _is_fit(data):
        return read_fit(data)
    if _looks_like_xml(data):
        root = _xml.parse_xml(data, what="XML file")
        name = _xml.local(root.tag)
        if name == "gpx":
            return read_gpx_root(root)
        if name == "TrainingCenterDatabase":
            return read_tcx_root(root)
        raise ImportFormatError("file", f"an XML file, but neither GPX nor TCX (root <{name}>)")
    if not data:
        raise ImportFormatError("file", "the file is empty")
    raise ImportFormatError("file", "not a FIT, GPX or TCX file")


def _is_fit(data: bytes) -> bool:
    return len(data) >= 12 and data[8:12] == FIT_SIGNATURE


def _looks_like_xml(data: bytes) -> bool:
    head = data[:_XML_SNIFF_BYTES]
    for bom in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        if head.startswith(bom):
            return True
    return head.lstrip().startswith(b"<")


def _unwrap(data: bytes) -> bytes:
    """Decompress one level of gzip or zip, refusing more than MAX_ACTIVITY_BYTES."""
    if len(data) > MAX_ACTIVITY_BYTES:
        raise ImportFormatError("file", _too_big())
    if data.startswith(GZIP_MAGIC):
        return _gunzip(data)
    if data.startswith(ZIP_MAGIC):
        return _unzip(data)
    return data


def _gunzip(data: bytes) -> bytes:
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(data, MAX_ACTIVITY_BYTES + 1)
    except zlib.error as exc:
        raise ImportFormatError("file", f"a damaged gzip file ({exc})") from exc
    if len(out) > MAX_ACTIVITY_BYTES:
        raise ImportFormatError("file", _too_big())
    if not out:  # a cut or garbled header: zlib waits for more and yields nothing
        raise ImportFormatError("file", "a damaged gzip file: nothing could be decompressed")
    # A truncated gzip stream still hands over what it decompressed: the FIT
    # reader keeps the records before the fault, the XML parser refuses.
    return out


def _unzip(data: bytes) -> bytes:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = [m for m in archive.infolist() if not m.is_dir()]
            if len(members) != 1:
                raise ImportFormatError(
                    "file", f"a zip archive must hold exactly one activity file, not {len(members)}"
                )
            if members[0].file_size > MAX_ACTIVITY_BYTES:
                raise ImportFormatError("file", _too_big())
            with archive.open(members[0]) as member:
                out = member.read(MAX_ACTIVITY_BYTES + 1)
    except ImportFormatError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError,
            EOFError, OSError, zlib.error, ValueError) as exc:
        raise ImportFormatError("file", f"a damaged or unsupported zip archive ({exc})") from exc
    if len(out) > MAX_ACTIVITY_BYTES:
        raise ImportFormatError("file", _too_big())
    return out


def _too_big() -> str:
    return f"larger than {MAX_ACTIVITY_BYTES // (1024 * 1024)} MiB once decompressed"
