"""Every output format, made from the development cases and checked by its validator.

GeoJSON against the rules of RFC 7946, STIX with stix2-validator, the HTML
report in headless Chromium (a screenshot is kept under tests/artifacts/),
Parquet read back with pyarrow, data frames with pandas and Polars, and the
Dask paths against a local run.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import shutil
import subprocess
import uuid
from pathlib import Path
from typing import Any

import orjson
import pytest
import yaml
from click.testing import CliRunner

import equipid
from equipid.cli.main import cli

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT.parent / "shared" / "data" / "dev-sightings.yaml"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


def _dev_sightings() -> list[dict[str, Any]]:
    if DEV.exists():
        return [c["sighting"] for c in yaml.safe_load(DEV.read_text(encoding="utf-8"))["cases"]]
    pytest.skip(f"the development cases are not at {DEV}")


@pytest.fixture(scope="module")
def dev_file(tmp_path_factory) -> Path:
    """The development sightings as one JSON document (dates as text)."""
    p = tmp_path_factory.mktemp("dev") / "dev.json"
    p.write_text(json.dumps(_dev_sightings(), default=str), encoding="utf-8")
    return p


@pytest.fixture(scope="module")
def engine() -> equipid.Engine:
    return equipid.open_catalog()


def _run(args: list[str], input: str | None = None, env: dict[str, str] | None = None) -> Any:
    res = CliRunner().invoke(cli, args, input=input, env=env)
    assert res.exit_code == 0, (res.output, res.exception)
    return res


def _score(dev_file: Path, tmp_path: Path, fmt: str, *more: str) -> Path:
    out = tmp_path / f"out.{fmt}"
    _run(["score", str(dev_file), "--format", fmt, "-o", str(out), "--jobs", "1", *more])
    return out


# -- the record's sighting block, JSON Lines and CSV -------------------------

def test_jsonl_carries_the_sighting(dev_file, tmp_path) -> None:
    recs = [json.loads(line) for line in _score(dev_file, tmp_path, "jsonl").read_text().splitlines()]
    assert len(recs) == 20
    s = recs[0]["sighting"]
    assert s == {"date": "2016-03-17", "place": "west of Palmyra (ad-Duwwa area)", "country": "SY", "lat": 34.55, "lon": 38.27,
                 "text": s["text"]}
    assert s["text"].startswith("Body of a fighter")
    assert recs[1]["sighting"]["lat"] is None and recs[1]["sighting"]["date"] == "2014-09"


def test_csv_carries_date_place_text_and_the_leading_leafs_group(dev_file, tmp_path) -> None:
    rows = list(csv.DictReader(io.StringIO(_score(dev_file, tmp_path, "csv").read_text(encoding="utf-8"))))
    assert len(rows) == 20
    first = rows[0]
    assert (first["date"], first["place"], first["country"]) == ("2016-03-17", "west of Palmyra (ad-Duwwa area)", "SY")
    assert first["text"].startswith("Body of a fighter")
    for row in rows:
        # The group of the leading leaf, never a larger group that does not hold it.
        if row["leading"] in ("ru-ksso", "ru-gru-spetsnaz"):
            assert row["leading_group"] == "ru-sof"
        if row["leading"] == "ru-pmc-wagner":
            assert row["leading_group"] == "ru-pmc"
        if row["leading_group"]:
            assert float(row["leading_group_probability"]) >= float(row["probability"]) - 1e-9


# -- GeoJSON ---------------------------------------------------------------

def _check_rfc7946(doc: dict[str, Any]) -> None:
    """The RFC 7946 rules a consumer relies on (sections 3.1, 3.2, 3.3, 4 and 9)."""
    assert doc["type"] == "FeatureCollection"
    assert isinstance(doc["features"], list)
    assert "crs" not in doc  # removed by RFC 7946: WGS 84 only
    for f in doc["features"]:
        assert f["type"] == "Feature"
        assert "geometry" in f and "properties" in f
        assert f["properties"] is None or isinstance(f["properties"], dict)
        if "id" in f:
            assert isinstance(f["id"], (str, int, float)) and not isinstance(f["id"], bool)
        g = f["geometry"]
        if g is None:
            continue
        assert g["type"] == "Point"
        pos = g["coordinates"]
        assert isinstance(pos, list) and len(pos) in (2, 3)
        assert all(isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x) for x in pos)
        lon, lat = pos[0], pos[1]
        assert -180 <= lon <= 180 and -90 <= lat <= 90


def test_geojson_follows_rfc7946(dev_file, tmp_path) -> None:
    doc = json.loads(_score(dev_file, tmp_path, "geojson").read_text(encoding="utf-8"))
    _check_rfc7946(doc)
    feats = {f["id"]: f for f in doc["features"]}
    assert len(feats) == 20
    palmyra = feats["dev-01-palmyra-2016-03-17"]
    assert palmyra["geometry"]["coordinates"] == [38.27, 34.55]  # longitude first
    p = palmyra["properties"]
    assert p["leading_group"] == "ru-sof" and p["estimate"] and 0 < p["probability"] <= 1
    assert p["date"] == "2016-03-17" and p["place"].startswith("west of Palmyra") and isinstance(p["warnings"], list)
    luhansk = feats["dev-02-luhansk-airport-2014-09"]  # "Luhansk airport area": the gazetteer's Luhansk
    assert luhansk["geometry"]["coordinates"] == [39.33, 48.57]
    assert luhansk["properties"]["geometry_source"] == "gazetteer: Luhansk"
    oblast = feats["dev-05-donetsk-oblast-2014-05-28"]  # "Donetsk oblast" is not the city of Donetsk
    assert oblast["geometry"] is None and "no catalog place with coordinates" in oblast["properties"]["geometry_note"]
    assert sum(f["geometry"] is not None for f in feats.values()) == 12


def test_geojson_takes_a_point_from_the_gazetteer(engine, tmp_path) -> None:
    src = tmp_path / "s.jsonl"
    src.write_text(json.dumps({"id": "base", "location": "Khmeimim Air Base", "observed": ["Su-34"]}) + "\n"
                   + json.dumps({"id": "nowhere", "observed": ["MIB"]}) + "\n", encoding="utf-8")
    out = tmp_path / "o.geojson"
    _run(["score", str(src), "--format", "geojson", "-o", str(out)])
    doc = json.loads(out.read_text())
    _check_rfc7946(doc)
    base, nowhere = doc["features"]
    assert base["geometry"] == {"type": "Point", "coordinates": [35.95, 35.41]}
    assert base["properties"]["geometry_source"] == "gazetteer: Khmeimim Air Base"
    assert nowhere["geometry"] is None and nowhere["properties"]["geometry_note"] == "no place and no coordinates given"


# -- STIX --------------------------------------------------------------------

def test_stix_bundle_is_valid_and_reproducible(dev_file, tmp_path) -> None:
    from stix2validator import ValidationOptions, validate_string

    env = {"SOURCE_DATE_EPOCH": "1700000000"}
    a = tmp_path / "a.json"
    b = tmp_path / "b.json"
    _run(["score", str(dev_file), "--format", "stix", "-o", str(a)], env=env)
    _run(["score", str(dev_file), "--format", "stix", "-o", str(b), "--jobs", "2"], env=env)
    assert a.read_bytes() == b.read_bytes()
    text = a.read_text(encoding="utf-8")
    result = validate_string(text, ValidationOptions(version="2.1", strict=False))
    assert result.is_valid, [str(e) for e in result.errors]
    # The only warning allowed: ids are UUIDv5 on purpose (reproducible), where the spec says SHOULD be v4.
    assert result.warnings, "the validator ran on the objects"
    other = [str(w) for w in result.warnings if "{103}" not in str(w)]
    assert other == []
    doc = json.loads(text)
    kinds = [o["type"] for o in doc["objects"]]
    assert kinds.count("sighting") == 20 and kinds.count("note") == 20 and "identity" in kinds and "location" in kinds
    ids = [o["id"] for o in doc["objects"]]
    assert len(ids) == len(set(ids))
    assert all(uuid.UUID(i.split("--")[1]).version == 5 for i in ids + [doc["id"]])
    assert all(o["created"] == "2023-11-14T22:13:20.000Z" for o in doc["objects"])
    note = next(o for o in doc["objects"] if o["type"] == "note")
    assert "Ranking" in note["content"] and "Evidence" in note["content"]


# -- HTML --------------------------------------------------------------------

def test_html_escapes_every_input_string(engine, tmp_path) -> None:
    evil = '<script>alert("x")</script>'
    src = tmp_path / "evil.jsonl"
    src.write_text(json.dumps({"id": evil, "text": "MIB <img src=x onerror=alert(1)>", "observed": ["MIB", evil],
                               "location": {"name": "<b>Palmyra</b>", "country": "SY", "lat": 34.5, "lon": 38.3}}) + "\n")
    out = tmp_path / "r.html"
    _run(["score", str(src), "--format", "html", "-o", str(out)])
    page = out.read_text(encoding="utf-8")
    assert "<script" not in page and "<img" not in page and "<b>Palmyra" not in page
    assert "&lt;script&gt;" in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    for tag in ("<link", "<iframe", "<object", "url(", "@import"):  # nothing loaded from anywhere
        assert tag not in page


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    return None


def test_html_report_renders_in_chromium(dev_file, tmp_path) -> None:
    exe = _chromium()
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing in CI: .ci/run installs it")
        pytest.skip("headless Chromium is not installed (apt-get install chromium); CI installs it")
    page = _score(dev_file, tmp_path, "html")
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run([exe, *flags, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120).stdout
    assert "Most often leading: Ground Forces" in dom
    assert 'id="map"' in dom and dom.count("<circle") == 12  # the sightings with coordinates, their own or the gazetteer's
    import html as _html

    from equipid.catalog.cache import load_compiled
    from equipid.catalog.locate import catalog_dirs
    from equipid.output.view import verdict

    first = json.loads(_score(dev_file, tmp_path, "jsonl").read_text().splitlines()[0])
    said = verdict(first, load_compiled(catalog_dirs()).aff_names)  # its numbers follow the catalog; its presence is tested
    assert "Sightings by country" in dom and _html.escape(said, quote=False) in dom
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "report.png"
    shot.unlink(missing_ok=True)
    subprocess.run([exe, *flags, f"--screenshot={shot}", "--window-size=1000,1000", page.as_uri()],
                   capture_output=True, timeout=120, cwd=tmp_path)
    assert shot.exists() and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000
    print(f"screenshot of the HTML report: {shot}")


# -- Parquet and data frames -----------------------------------------------------

def test_parquet_holds_the_csv_columns_and_the_record(dev_file, tmp_path) -> None:
    import pyarrow.parquet as pq

    t = pq.read_table(_score(dev_file, tmp_path, "parquet"))
    assert t.num_rows == 20
    assert str(t.schema.field("probability").type) == "double" and str(t.schema.field("leading").type) == "string"
    rows = t.to_pylist()
    local = [json.loads(line) for line in _score(dev_file, tmp_path, "jsonl").read_text().splitlines()]
    assert [json.loads(r["record"]) for r in rows] == local
    assert rows[0]["leading_group"] == "ru-sof" and rows[0]["date"] == "2016-03-17"


def test_parquet_without_pyarrow_says_which_extra(dev_file, tmp_path, monkeypatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    out = tmp_path / "x.parquet"
    res = CliRunner().invoke(cli, ["score", str(dev_file), "--format", "parquet", "-o", str(out)])
    assert res.exit_code == 2
    assert "pip install 'equipid[frames]'" in res.output and "Traceback" not in res.output
    assert not out.exists()


def _frame_rows() -> list[dict[str, Any]]:
    rows = []
    for s in _dev_sightings():
        loc = s.get("location") or {}
        loc = loc if isinstance(loc, dict) else {"name": loc}
        rows.append({"id": s["id"], "date": str(s.get("date") or ""), "location": loc.get("name"), "country": loc.get("country"),
                     "lat": loc.get("lat"), "lon": loc.get("lon"), "text": s.get("text"),
                     "observed": "; ".join(o if isinstance(o, str) else o["item"] for o in s.get("observed", []))})
    return rows


def test_score_frame_pandas_and_polars(engine) -> None:
    import pandas as pd
    import polars as pl

    rows = _frame_rows()
    want = list(engine.records(_expected(r) for r in rows))
    pdf = engine.score_frame(pd.DataFrame(rows, index=[f"r{i}" for i in range(len(rows))]))
    assert list(pdf.index) == [f"r{i}" for i in range(len(rows))]
    assert [json.loads(x) for x in pdf["record"]] == want
    assert pdf["probability"].dtype == "float64" and pdf.loc["r0", "leading_group"] == "ru-sof"
    plf = engine.score_frame(pl.DataFrame(rows))
    assert plf.height == 20 and plf["leading"].to_list() == list(pdf["leading"])
    assert [json.loads(x) for x in plf["record"]] == want


def _expected(r: dict[str, Any]) -> dict[str, Any]:
    """The sighting a frame row stands for: empty cells left out, lat/lon (and the country) inside the location."""
    s = {k: r[k] for k in ("id", "date", "text", "observed") if r[k] not in (None, "")}
    if r["lat"] is not None:
        s["location"] = {"name": r["location"], "lat": r["lat"], "lon": r["lon"], "country": r["country"]}
    else:
        s["location"], s["country"] = r["location"], r["country"]
    return s


def test_score_frame_refuses_other_things(engine) -> None:
    with pytest.raises(equipid.InputError, match="pandas or Polars"):
        engine.score_frame([{"observed": ["MIB"]}])


# -- Dask ------------------------------------------------------------------

@pytest.fixture(scope="module")
def many(tmp_path_factory) -> Path:
    """5,000 sightings (three chunks) as JSON Lines, some without an id."""
    base = json.loads(json.dumps(_dev_sightings(), default=str))
    p = tmp_path_factory.mktemp("many") / "many.jsonl"
    with p.open("wb") as f:
        for i in range(5000):
            rec = dict(base[i % len(base)])
            if i % 7 == 0:
                rec.pop("id")
            else:
                rec["id"] = f"{rec['id']}-{i}"
            f.write(orjson.dumps(rec) + b"\n")
    return p


def test_score_dask_local_cluster_is_byte_identical(many, tmp_path) -> None:
    local = tmp_path / "local.jsonl"
    remote = tmp_path / "dask.jsonl"
    _run(["score", str(many), "-o", str(local), "--jobs", "1"])
    _run(["score", str(many), "-o", str(remote), "--dask", "local:2"])
    assert remote.read_bytes() == local.read_bytes()


def test_score_dask_bad_address_is_a_message() -> None:
    res = CliRunner().invoke(cli, ["score", "-", "--dask", "local:zero"], input="{}\n")
    assert res.exit_code == 2 and "local:N" in res.output


def test_dask_bag_and_dataframe_match_a_local_run(engine) -> None:
    import dask
    import dask.bag as db
    import dask.dataframe as dd
    import pandas as pd

    from equipid.scale_out import score_bag, score_dataframe

    sightings = json.loads(json.dumps(_dev_sightings() * 3, default=str))
    for s in sightings[::4]:
        s.pop("id")
    want = list(engine.records(sightings))
    with dask.config.set(scheduler="processes", num_workers=2):
        got = score_bag(db.from_sequence(sightings, npartitions=4), engine).compute()
    assert [orjson.dumps(r) for r in got] == [orjson.dumps(r) for r in want]
    df = pd.DataFrame(_frame_rows() * 2)
    local = engine.score_frame(df)
    with dask.config.set(scheduler="processes", num_workers=2):
        remote = score_dataframe(dd.from_pandas(df, npartitions=3), engine).compute()
    assert list(remote.index) == list(local.index)
    assert remote["record"].tolist() == local["record"].tolist()
    assert remote["probability"].tolist() == local["probability"].tolist()
