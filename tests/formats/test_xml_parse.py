"""XML without a DTD goes to the standard library's C parser; anything else to defusedxml.

The C parser is three times faster (issue 8, bench/results.md) and, without a
DTD, there is nothing for defusedxml to defuse. These tests hold the two
paths to the same trees on every corpus file and keep every document that
could hide a DTD from the byte check on defusedxml.
"""

from __future__ import annotations

from xml.etree import ElementTree

import defusedxml.ElementTree as DefusedET
import pytest

from backstride.core.errors import ImportFormatError
from backstride.formats import _xml, read_activity
from tests.formats.corpus_cache import corpus_bytes, corpus_files

XML_FILES = [name for name in corpus_files() if not name.startswith("fit/")]


def shape(element: ElementTree.Element) -> list[tuple[object, ...]]:
    return [(e.tag, sorted(e.attrib.items()), (e.text or "").strip()) for e in element.iter()]


@pytest.mark.parametrize("name", XML_FILES)
def test_both_parsers_give_the_same_tree_for_every_corpus_file(name: str) -> None:
    data = corpus_bytes(name).removeprefix(_xml.UTF8_BOM).lstrip(b" \t\r\n")
    try:
        expected = shape(DefusedET.fromstring(data))
    except Exception:  # a malformed corpus file: the public reader must refuse it either way
        with pytest.raises(ImportFormatError):
            _xml.parse_xml(data, what="XML file")
        return
    assert expected == shape(_xml.parse_xml(data, what="XML file"))


@pytest.mark.parametrize("head", [
    b'<?xml version="1.0"?><!DOCTYPE gpx><gpx/>',
    b'<?xml version="1.0" encoding="UTF-16"?><gpx/>',
    b'<?xml version="1.0" encoding="utf-7"?><gpx/>',
    "<gpx/>".encode("utf-16"),
])
def test_a_dtd_or_an_encoding_that_could_hide_one_goes_to_defusedxml(head: bytes) -> None:
    assert not _xml._without_dtd(head)


def test_plain_utf8_and_latin1_documents_take_the_fast_parser() -> None:
    assert _xml._without_dtd(b'<?xml version="1.0" encoding="UTF-8"?><gpx/>')
    assert _xml._without_dtd(b"<?xml version='1.0' encoding='ISO-8859-1'?><gpx/>")
    assert _xml._without_dtd(b"<gpx/>")


def test_entities_hidden_in_utf7_are_still_refused() -> None:
    # "<!DOCTYPE" and "<!ENTITY" spelled in UTF-7: invisible to a byte search.
    hidden = ('<?xml version="1.0" encoding="utf-7"?>'
              '+ADw-!DOCTYPE gpx +AFs-+ADw-!ENTITY a "aaaa"+AD4-+AF0-+AD4-'
              '<gpx>&a;</gpx>').encode("ascii")
    with pytest.raises(ImportFormatError):
        read_activity(hidden)
