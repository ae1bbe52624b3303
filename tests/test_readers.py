"""Sighting-file readers: framing, sniffing and whole-document failures."""

from __future__ import annotations

import io

import pytest

from equipid.sightings.readers import _quoted_after, detect_format, read_records


def test_inch_marks_do_not_swallow_rows(tmp_path) -> None:
    p = tmp_path / "inch.csv"
    p.write_bytes(b'id,country,text,observed\ni1,SY,a 5" gun,MIB\ni2,SY,fine,telnyashka\ni3,SY,a 7" gun,MIB\ni4,SY,fine,MIB\n')
    recs = list(read_records(str(p)))
    assert [r.data["id"] for r in recs] == ["i1", "i2", "i3", "i4"]
    assert recs[0].data["text"] == 'a 5" gun'


def test_a_lone_inch_mark_is_not_an_unterminated_quote(tmp_path) -> None:
    p = tmp_path / "inch.csv"
    p.write_bytes(b'id,text,observed\ni1,a 5" gun,MIB\ni2,fine,MIB\n')
    recs = list(read_records(str(p)))
    assert [r.error for r in recs] == [None, None]


@pytest.mark.parametrize(
    "line, before, after",
    [
        (b'a,"b,c",d\n', False, False),
        (b'a,"b\n', False, True),
        (b'still inside",x\n', True, False),
        (b'a 5" gun\n', False, False),
        (b'a,"say ""hi""\n', False, True),
        (b'"",x\n', False, False),
    ],
)
def test_quote_state_follows_the_csv_rules(line, before, after) -> None:
    assert _quoted_after(line, before) is after


@pytest.mark.parametrize(
    "head, fmt",
    [
        (b'{"sightings": [{"id": "a"}, {"id": "b"}]}\n', "json"),
        (b'{"id": "a", "observed": ["MIB"]}\n{"id": "b"}\n', "jsonl"),
        (b'{\n  "sightings": []\n}\n', "json"),
        (b"date,country,text,observed\n2016-03-17,SY,caption,MIB\n", "csv"),
        (b"id,text\n1,x\n", "csv"),
        (b"- id: a\n  observed: [MIB]\n", "yaml"),
        (b"\xef\xbb\xbf[{\"id\": 1}]", "json"),
    ],
)
def test_standard_input_is_sniffed(head, fmt) -> None:
    assert detect_format("-", head) == fmt


@pytest.mark.parametrize(
    "name, content",
    [("mid.json", b'[{"id": "a"}, {"id": "b"},]\n'), ("bad.yaml", b"sightings: [\n  {id: a\n")],
)
def test_an_unreadable_document_leaves_an_error_record(tmp_path, name, content) -> None:
    p = tmp_path / name
    p.write_bytes(content)
    recs = list(read_records(str(p)))
    assert len(recs) == 1 and recs[0].error and str(p) in recs[0].error
    assert "no record of this document could be read" in recs[0].error


def test_standard_input_one_line_document(monkeypatch) -> None:
    import sys

    data = b'{"sightings": [{"id": "a", "observed": ["MIB"]}, {"id": "b"}, {"id": "c"}]}'
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    assert [r.data["id"] for r in read_records("-")] == ["a", "b", "c"]


@pytest.mark.parametrize("broken_date", [False, True])
def test_invalid_utf8_in_yaml_costs_only_its_record(tmp_path, broken_date) -> None:
    # With an impossible date elsewhere the file is read item by item: the
    # bad bytes must still cost only their own record, in both paths.
    date = "2016-02-30" if broken_date else "2016-02-03"
    raw = (b"# notes\nsightings:\n"
           b"  - id: a1\n    date: " + date.encode() + b"\n    observed: [MIB]\n"
           b"  - id: a2\n    text: \"bad \xff byte\"\n    observed: [T-90]\n"
           b"  - id: a3\n    observed: [telnyashka]\n")
    p = tmp_path / "bad.yaml"
    p.write_bytes(raw)
    recs = list(read_records(str(p)))
    assert len(recs) == 3
    at = raw.index(b"\xff")
    assert recs[1].error == f"{p}:7: invalid UTF-8 at byte {at}"
    assert recs[1].id_hint in ("a2", None)
    assert recs[2].error is None and recs[2].data["id"] == "a3"
    assert recs[0].error is None and recs[0].data["id"] == "a1"  # an impossible date is reported when scored


def test_reading_csv_leaves_the_process_csv_limit_alone(tmp_path) -> None:
    """The library never changes process-wide state: the csv module's field size limit is put back."""
    import csv

    from equipid.sightings.readers import read_records

    before = csv.field_size_limit()
    big = "x" * (before + 10)
    p = tmp_path / "s.csv"
    p.write_text(f"id,text\na,{big}\n", encoding="utf-8")
    recs = list(read_records(str(p)))
    assert recs[0].data["text"] == big
    assert csv.field_size_limit() == before
