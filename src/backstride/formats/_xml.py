"""What the GPX and TCX readers share: safe parsing and tolerant value reading.

Uploads are untrusted, so XML goes through ``defusedxml`` (no entity
expansion, no external entities: "billion laughs" and XXE fail with an
ImportFormatError). Element names are compared without their namespace, so
GPX 1.0 and 1.1, TCX v1 and v2 and every version of Garmin's extension
schemas read the same way.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime
from xml.etree import ElementTree
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as DefusedET
from defusedxml import DefusedXmlException

from backstride.core.errors import ImportFormatError
from backstride.formats._timeline import plausible_time

UTF8_BOM = b"\xef\xbb\xbf"


def parse_xml(data: bytes, *, what: str) -> Element:
    """The root element of ``data``; ImportFormatError if it is not well-formed XML.

    Blank lines before the XML declaration (some web exporters write them) are
    not well-formed XML but carry no meaning: they are skipped, after a UTF-8
    byte order mark if there is one.
    """
    if data.startswith(UTF8_BOM):
        data = data[len(UTF8_BOM) :]
    data = data.lstrip(b" \t\r\n")
    try:
        # The standard parser only for a document _without_dtd() proved has no DTD, so no
        # entity can be declared or fetched (bandit B314 reviewed, issue #7).
        root = (ElementTree.fromstring(data) if _without_dtd(data)  # nosec B314
                else DefusedET.fromstring(data))
    except DefusedXmlException as exc:
        raise ImportFormatError("file", f"{what}: XML with entities or a DTD is refused") from exc
    except (ParseError, ValueError, UnicodeError, LookupError) as exc:
        # LookupError: an unknown encoding in the XML declaration.
        raise ImportFormatError("file", f"{what}: not well-formed XML ({exc})") from exc
    if not isinstance(root, Element):
        raise ImportFormatError("file", f"{what}: no XML root element")
    return root


def _without_dtd(data: bytes) -> bool:
    """Whether ``data`` certainly has no DTD, so the standard library's C parser may read it.

    defusedxml's protection is a DTD's: without one no entity can be declared
    and nothing external can be referenced, and expat (2.4.1+) resolves no
    external DTD. defusedxml runs the pure-Python parser, three times slower
    (bench/results.md, issue 8), so it is kept for documents that declare a DTD
    or whose encoding could hide one from a byte search (UTF-16, UTF-7, ...).
    """
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        return False
    head = data[:_DECLARATION_BYTES]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head:
        return False
    declared = _ENCODING.match(head)
    return declared is None or declared.group(1).lower() in _ASCII_ENCODINGS


_DECLARATION_BYTES = 256
_ENCODING = re.compile(rb"<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._:-]+)[\"']")
# Encodings in which "<!DOCTYPE" is those very bytes (expat reads these itself).
_ASCII_ENCODINGS = {b"utf-8", b"utf8", b"us-ascii", b"ascii", b"iso-8859-1", b"latin-1",
                    b"latin1"}


def local(tag: object) -> str:
    """``{namespace}name`` → ``name`` (comments and processing instructions → "")."""
    name = _LOCAL_NAMES.get(tag)  # a handful of tags, each seen thousands of times
    if name is None:
        name = tag.rpartition("}")[2] if isinstance(tag, str) else ""
        if len(_LOCAL_NAMES) < _MAX_LOCAL_NAMES:  # a hostile file's million tags are not kept
            _LOCAL_NAMES[tag] = name
    return name


_LOCAL_NAMES: dict[object, str] = {}
_MAX_LOCAL_NAMES = 4096


def by_name(element: Element) -> dict[str, Element]:
    """The children of ``element`` by local name (the first of each name wins).

    One pass instead of one scan per field: a track point has a dozen children.
    """
    out: dict[str, Element] = {}
    for item in element:
        out.setdefault(local(item.tag), item)
    return out


def child(element: Element, name: str) -> Element | None:
    for item in element:
        if local(item.tag) == name:
            return item
    return None


def children(element: Element, name: str) -> list[Element]:
    return [item for item in element if local(item.tag) == name]


def descendants(element: Element, name: str) -> list[Element]:
    return [item for item in element.iter() if local(item.tag) == name]


def text_of(element: Element | None) -> str | None:
    if element is None or element.text is None:
        return None
    text = element.text.strip()
    return text or None


def child_text(element: Element, name: str) -> str | None:
    return text_of(child(element, name))


def to_float(text: str | None) -> float | None:
    """A finite float, or ``None`` for missing or junk ("undefined", "NaN")."""
    if text is None:
        return None
    try:
        value = float(text.strip())
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def to_time(text: str | None) -> datetime | None:
    """An ISO 8601 time as aware UTC; no zone means UTC (GPX and TCX say so)."""
    if text is None:
        return None
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    try:
        return plausible_time(value)
    except (OverflowError, ValueError):
        return None


def to_lat_lon(lat: str | None, lon: str | None) -> tuple[float, float] | None:
    """A valid (lat, lon) pair in degrees, or ``None``."""
    la, lo = to_float(lat), to_float(lon)
    if la is None or lo is None or not (-90 <= la <= 90 and -180 <= lo <= 180):
        return None
    return la, lo


def in_range(value: float | None, low: float, high: float) -> float | None:
    """``value`` if ``low <= value <= high``, else ``None`` (sensor junk)."""
    if value is None or not (low <= value <= high):
        return None
    return value
