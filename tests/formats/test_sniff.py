"""read_activity decides the format from the bytes, never from the file name."""

from __future__ import annotations

import gzip
import io
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backstride.core.activity import SourceFormat
from backstride.core.errors import ImportFormatError
from backstride.formats import MAX_ACTIVITY_BYTES, read_activity
from tests.formats.corpus_cache import corpus_bytes

FIT = "fit/fitparse__garmin-fenix-5-run.fit"
GPX = "gpx/togeojson__run_gpxtpx.gpx"
TCX = "tcx/togeojson__sample.tcx"


def _zip(*members: tuple[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(("name", "expected"), [
    (FIT, SourceFormat.FIT), (GPX, SourceFormat.GPX), (TCX, SourceFormat.TCX),
])
def test_the_format_comes_from_the_bytes_whatever_the_file_is_called(name, expected):
    activity = read_activity(corpus_bytes(name), filename="upload.txt")
    assert activity.source_format is expected


def test_a_fit_file_is_recognised_by_its_signature_at_offset_8():
    data = corpus_bytes(FIT)
    assert data[8:12] == b".FIT"
    assert read_activity(data).source_format is SourceFormat.FIT


def test_xml_with_a_byte_order_mark_and_leading_blank_lines_is_sniffed():
    data = b"\xef\xbb\xbf\n\n  " + corpus_bytes(GPX).lstrip()
    assert read_activity(data).source_format is SourceFormat.GPX


@pytest.mark.parametrize("name", [FIT, GPX, TCX])
def test_gzip_is_unwrapped(name):
    assert read_activity(gzip.compress(corpus_bytes(name))) == read_activity(corpus_bytes(name))


def test_a_zip_with_one_activity_file_is_unwrapped():
    assert read_activity(_zip(("run.fit", corpus_bytes(FIT)))) == read_activity(corpus_bytes(FIT))


def test_a_zip_with_several_files_is_refused():
    with pytest.raises(ImportFormatError, match="exactly one"):
        read_activity(_zip(("a.fit", corpus_bytes(FIT)), ("b.gpx", corpus_bytes(GPX))))


def test_a_gzip_bomb_is_refused_at_the_size_cap():
    bomb = gzip.compress(b"\0" * (MAX_ACTIVITY_BYTES + 1024), compresslevel=9)
    assert len(bomb) < 100_000  # a small upload that would inflate past the cap
    with pytest.raises(ImportFormatError, match="64 MiB"):
        read_activity(bomb)


def test_a_damaged_gzip_stream_is_refused():
    broken = bytearray(gzip.compress(corpus_bytes(GPX)))
    broken[12:40] = b"\xff" * 28
    with pytest.raises(ImportFormatError):
        read_activity(bytes(broken))


@pytest.mark.parametrize(("data", "words"), [
    (b"", "empty"),
    (b"hello, world", "not a FIT, GPX or TCX"),
    (b"<kml xmlns='http://www.opengis.net/kml/2.2'></kml>", "neither GPX nor TCX"),
    (b"<html><body>oops</body></html>", "neither GPX nor TCX"),
    (b"<gpx><trk><trkseg><trkpt", "not well-formed"),
    (b"\x0e\x10\x00\x00\x00\x00\x00\x00.FI", "not a FIT, GPX or TCX"),
])
def test_what_is_not_an_activity_file_gets_a_clear_message(data, words):
    with pytest.raises(ImportFormatError, match=words) as caught:
        read_activity(data)
    assert caught.value.field == "file"


def test_the_file_name_is_named_in_the_message():
    with pytest.raises(ImportFormatError, match=r"^file: notes\.txt: "):
        read_activity(b"just text", filename="notes.txt")


def test_xml_entity_expansion_is_refused():
    laughs = b"""<?xml version="1.0"?>
<!DOCTYPE gpx [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>
<gpx><trk><name>&c;</name></trk></gpx>"""
    with pytest.raises(ImportFormatError, match="entities"):
        read_activity(laughs)


def test_external_entities_are_refused():
    xxe = b"""<?xml version="1.0"?>
<!DOCTYPE gpx [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<gpx><trk><name>&secret;</name></trk></gpx>"""
    with pytest.raises(ImportFormatError, match="entities"):
        read_activity(xxe)


def test_an_upload_over_the_cap_is_refused_before_parsing():
    with pytest.raises(ImportFormatError, match="64 MiB"):
        read_activity(b"<" + b" " * MAX_ACTIVITY_BYTES)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2048))
def test_random_bytes_raise_only_import_format_errors(data):
    with pytest.raises(ImportFormatError):
        read_activity(data)


@settings(max_examples=200, deadline=None)
@given(prefix=st.sampled_from([b".FIT", b"\x1f\x8b", b"PK\x03\x04", b"<gpx>", b"<?xml"]),
       tail=st.binary(max_size=512))
def test_random_bytes_behind_a_magic_number_raise_only_import_format_errors(prefix, tail):
    data = (b"\x0e\x10\x00\x00\x00\x00\x00\x00" + prefix + tail) if prefix == b".FIT" else (
        prefix + tail)
    with pytest.raises(ImportFormatError):
        read_activity(data)
