import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from equipid.cli.main import cli
from equipid.output.csv import csv_lines, neutralise
from equipid.sightings.readers import read_records


def _score(runner, mini_dir, args, input=None):
    return runner.invoke(cli, ["score", "--catalog", str(mini_dir), *args], input=input)


def _lines(out: str):
    return [json.loads(x) for x in out.splitlines() if x.strip()]


def test_jsonl_1000_good_10_bad_keeps_every_record_in_place(runner, mini_dir, tmp_path) -> None:
    path = tmp_path / "in.jsonl"
    bad_at = set(range(50, 1010, 96))
    with open(path, "w") as f:
        for i in range(1010):
            if i in bad_at:
                f.write(f'{{"id": "bad-{i}", "observed": [\n')
            else:
                f.write(json.dumps({"id": f"r{i}", "observed": ["MIB"] if i % 2 else ["BTR-4"]}) + "\n")
    res = _score(runner, mini_dir, [str(path), "--format", "jsonl", "--jobs", "2"])
    assert res.exit_code == 0, res.output
    recs = _lines(res.stdout)
    assert len(recs) == 1010
    for i, rec in enumerate(recs):
        if i in bad_at:
            assert rec["id"] == f"bad-{i}" and rec["error"].startswith(f"{path}:{i + 1}: JSON")
        else:
            assert rec["id"] == f"r{i}" and "ranking" in rec


def test_order_preserved_with_two_jobs(runner, mini_dir, tmp_path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps({"id": f"x{i}", "observed": ["MIB"]}) + "\n" for i in range(9000)))
    res = _score(runner, mini_dir, [str(path), "--jobs", "2", "--format", "jsonl", "--no-explain"])
    assert [r["id"] for r in _lines(res.stdout)] == [f"x{i}" for i in range(9000)]


SIGHTINGS = [
    {"id": "a", "date": "2016-03-17", "location": {"name": "Palmyra", "country": "SY"}, "observed": ["MIB", "telnyashka"]},
    {"id": "b", "text": "a BTR-4 near the road", "observed": []},
    {"id": "c", "observed": ["AK-74M with suppressor"], "absent": ["bat patch"]},
]


def _write(tmp_path: Path, fmt: str) -> Path:
    p = tmp_path / f"in.{fmt}"
    if fmt == "jsonl":
        p.write_text("".join(json.dumps(s) + "\n" for s in SIGHTINGS))
    elif fmt == "json":
        p.write_text(json.dumps({"sightings": SIGHTINGS}))
    elif fmt == "yaml":
        import yaml

        p.write_text(yaml.safe_dump(SIGHTINGS, allow_unicode=True))
    elif fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(["id", "date", "location", "country", "source", "text", "observed"])
        for s in SIGHTINGS:
            loc = s.get("location", {})
            w.writerow([s["id"], s.get("date", ""), loc.get("name", ""), loc.get("country", ""), "", s.get("text", ""),
                        ";".join(s["observed"])])
        p.write_text(buf.getvalue())
    return p


@pytest.mark.parametrize("fmt", ["jsonl", "json", "yaml", "csv"])
def test_formats_give_the_same_results(runner, mini_dir, tmp_path, fmt) -> None:
    res = _score(runner, mini_dir, [str(_write(tmp_path, fmt)), "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    recs = _lines(res.stdout)
    assert [r["id"] for r in recs] == ["a", "b", "c"]
    ref = _lines(_score(runner, mini_dir, [str(_write(tmp_path, "jsonl")), "--format", "jsonl"]).stdout)
    if fmt != "csv":  # CSV carries no 'absent' column
        assert [r["ranking"] for r in recs] == [r["ranking"] for r in ref]
    else:
        assert [r["ranking"][0] for r in recs[:2]] == [r["ranking"][0] for r in ref[:2]]


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_output_formats(runner, mini_dir, tmp_path, fmt) -> None:
    res = _score(runner, mini_dir, [str(_write(tmp_path, "jsonl")), "--format", fmt])
    assert res.exit_code == 0
    if fmt == "json":
        assert [r["id"] for r in json.loads(res.stdout)] == ["a", "b", "c"]
    else:
        rows = list(csv.DictReader(io.StringIO(res.stdout)))
        assert [r["id"] for r in rows] == ["a", "b", "c"] and rows[1]["leading"] == "ua-afu"


def test_stdin(runner, mini_dir) -> None:
    res = _score(runner, mini_dir, ["-", "--format", "jsonl"], input=json.dumps({"id": "s", "observed": ["MIB"]}) + "\n")
    assert _lines(res.stdout)[0]["id"] == "s"


@pytest.mark.parametrize("payload", ["=HYPERLINK(\"http://x\")", "+1+2", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_csv_injection_is_inert(runner, mini_dir, tmp_path, payload) -> None:
    p = tmp_path / "in.jsonl"
    p.write_text(json.dumps({"id": payload, "observed": [payload]}) + "\n")
    res = _score(runner, mini_dir, [str(p), "--format", "csv"])
    row = list(csv.reader(io.StringIO(res.stdout, newline="")))[1]
    for cell in row:
        assert not cell or cell[0] not in "=+-@\t\r" or _is_number(cell)


def _is_number(s: str) -> bool:
    try:
        float(s)
        return True
    except ValueError:
        return False


def test_neutralise_keeps_numbers() -> None:
    assert neutralise("-0.5") == "-0.5"
    assert neutralise("=1+1") == "'=1+1"


@given(st.lists(st.lists(st.text(alphabet=st.sampled_from('ab ,"\r\n\t\x00é|'), max_size=5), min_size=1, max_size=4),
                max_size=5))
def test_csv_lines_are_the_csv_module_rows_ending_in_lf(rows) -> None:
    """Rows joined without the csv module (most of them) are exactly what it writes."""
    want = []
    for row in rows:
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\r\n").writerow(row)
        want.append(buf.getvalue()[:-2] + "\n")
    assert csv_lines(rows) == "".join(want)


def test_input_fields_never_override_results(runner, mini_dir, tmp_path) -> None:
    p = tmp_path / "in.jsonl"
    p.write_text(json.dumps({"id": "z", "observed": ["MIB"], "ranking": [], "error": "spoof", "groups": 1}) + "\n")
    rec = _lines(_score(runner, mini_dir, [str(p), "--format", "jsonl"]).stdout)[0]
    assert "error" not in rec and rec["ranking"] and isinstance(rec["groups"], list)
    assert rec["extra"] == {"ranking": [], "error": "spoof", "groups": 1}


def test_yaml_impossible_date_costs_one_record(runner, mini_dir, tmp_path) -> None:
    p = tmp_path / "in.yaml"
    p.write_text("- id: a\n  date: 2016-02-30\n  observed: [MIB]\n- id: b\n  observed: [MIB]\n")
    recs = _lines(_score(runner, mini_dir, [str(p), "--format", "jsonl"]).stdout)
    assert recs[0]["id"] == "a" and "impossible date" in recs[0]["error"] and f"{p}:1" in recs[0]["error"]
    assert "ranking" in recs[1]


def test_yaml_syntax_error_costs_one_record(runner, mini_dir, tmp_path) -> None:
    p = tmp_path / "in.yaml"
    p.write_text("- id: a\n  observed: [MIB\n- id: b\n  observed: [MIB]\n")
    recs = _lines(_score(runner, mini_dir, [str(p), "--format", "jsonl"]).stdout)
    assert len(recs) == 2 and "error" in recs[0] and recs[1]["id"] == "b"


def test_csv_unterminated_quote_detected_and_lines_inside_it_never_read_as_records(tmp_path) -> None:
    # NOTE: as the csv module reads it, the quote opened on line 2 closes on line 4:
    # "2,fine,MIB" is inside a quoted field, so it is never scored as a record (issue 13).
    p = tmp_path / "in.csv"
    p.write_bytes(b'id,text,observed\n1,"never closed,MIB\n2,fine,MIB\n3,"ok, quoted",MIB\n4,after,MIB\n')
    recs = list(read_records(str(p)))
    assert len(recs) == 2
    assert "quoted field is not closed" in recs[0].error and f"{p}:2" in recs[0].error and "lines 2-4" in recs[0].error
    assert recs[1].data == {"id": "4", "text": "after", "observed": "MIB"}
    p.write_bytes(b'id,text,observed\n1,ok,MIB\n2,"never closed,MIB\n3,fine,MIB\n')
    recs = list(read_records(str(p)))
    assert len(recs) == 2 and recs[0].data["id"] == "1"
    assert "unterminated quoted field" in recs[1].error and "lines 3-4" in recs[1].error


def test_csv_bom_crlf_nul_invalid_utf8_and_huge_field(tmp_path) -> None:
    big = "x" * (10 * 1024 * 1024)
    p = tmp_path / "in.csv"
    p.write_bytes(
        b"\xef\xbb\xbfid,text,observed\r\n"
        + b"1,ok,MIB\r\n"
        + b"2,nul\x00,MIB\r\n"
        + b"3,bad\xff,MIB\r\n"
        + b'4,"' + big.encode() + b'",MIB\r\n'
    )
    recs = list(read_records(str(p)))
    assert recs[0].data == {"id": "1", "text": "ok", "observed": "MIB"}
    assert "NUL" in recs[1].error
    assert "invalid UTF-8" in recs[2].error
    assert len(recs[3].data["text"]) == len(big)


def test_jsonl_bom_crlf_nul_invalid_utf8(runner, mini_dir, tmp_path) -> None:
    p = tmp_path / "in.jsonl"
    p.write_bytes(b'\xef\xbb\xbf{"id":"a","observed":["MIB"]}\r\n{"id":"b\x00"}\r\n{"id":"c","text":"\xff"}\r\n')
    recs = _lines(_score(runner, mini_dir, [str(p), "--format", "jsonl"]).stdout)
    assert [("error" in r) for r in recs] == [False, True, True]
    assert "invalid UTF-8" in recs[2]["error"]


def test_exit_codes(runner, mini_dir, tmp_path) -> None:
    p = tmp_path / "in.jsonl"
    p.write_text('{"id":"a","observed":["MIB"]}\n{oops\n')
    assert _score(runner, mini_dir, [str(p)]).exit_code == 0
    assert _score(runner, mini_dir, [str(p), "--strict"]).exit_code == 1
    q = tmp_path / "bad.jsonl"
    q.write_text("{oops\n")
    assert _score(runner, mini_dir, [str(q)]).exit_code == 1
    missing = str(tmp_path / "missing.jsonl")
    assert _score(runner, mini_dir, [missing]).exit_code == 1  # nothing could be read
    both = _score(runner, mini_dir, [str(p), missing, "--format", "jsonl"])
    assert both.exit_code == 1  # a missing input is a failure, however many others were read (issue 13)
    recs = _lines(both.stdout)
    assert [r["id"] for r in recs] == ["a", f"{p}:2", missing]
    assert "no record of this file could be read" in recs[2]["error"]
    assert _score(runner, mini_dir, [str(p), missing, "--strict"]).exit_code == 1


def test_summary_on_stderr(runner, mini_dir, tmp_path) -> None:
    res = _score(runner, mini_dir, [str(_write(tmp_path, "jsonl")), "--summary", "-o", str(tmp_path / "out.jsonl")])
    assert "3 records read, 3 scored, 0 errors" in res.stderr
    assert "Sightings by month" in res.stderr and "Sightings by country" in res.stderr
    assert len(_lines((tmp_path / "out.jsonl").read_text())) == 3


def test_interrupted_write_leaves_no_result(mini_dir, tmp_path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": f"x{i}", "observed": ["MIB", "telnyashka"]}) + "\n" for i in range(400000)))
    out = tmp_path / "out.jsonl"
    env = {**os.environ, "EQUIPID_CATALOG": str(mini_dir)}
    # NOTE: a test run started in the background by a shell inherits SIGINT ignored; the child gets the default.
    proc = subprocess.Popen([sys.executable, "-m", "equipid", "score", str(src), "-o", str(out), "--jobs", "1"],
                            env=env, stderr=subprocess.PIPE,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.time() + 60
    while time.time() < deadline and not any(p.name.endswith(".part") for p in tmp_path.iterdir()):
        time.sleep(0.05)
    time.sleep(0.3)
    proc.send_signal(signal.SIGINT)
    proc.wait(timeout=60)
    assert proc.returncode != 0
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_csv_output_quotes_a_lone_carriage_return(runner, mini_dir, tmp_path) -> None:
    import csv as _csv
    import io as _io

    p = tmp_path / "cr.csv"
    p.write_bytes(b'id,observed\n"\rCR",MIB\nok,MIB\n')
    out = _score(runner, mini_dir, [str(p), "--format", "csv"]).stdout
    rows = list(_csv.reader(_io.StringIO(out, newline="")))
    assert [r[0] for r in rows] == ["id", "\\x0dCR", "ok"]  # a control character is spelled out (issue 13)


@pytest.mark.parametrize("to_file", [True, False])
def test_workers_writing_results_themselves_keep_order_and_bytes(mini_dir, tmp_path, to_file) -> None:
    src = tmp_path / "in.jsonl"
    with open(src, "w") as f:
        for i in range(9000):
            f.write(json.dumps({"id": f"w{i}", "observed": ["MIB", "BTR-4", "telnyashka"][: 1 + i % 3]}) + "\n")
            if i % 1000 == 7:
                f.write("\n{oops\n")
    env = {**os.environ, "EQUIPID_CATALOG": str(mini_dir)}

    def score(jobs: int) -> bytes:
        cmd = [sys.executable, "-m", "equipid", "score", str(src), "--format", "jsonl", "--jobs", str(jobs)]
        if not to_file:
            return subprocess.run(cmd, env=env, capture_output=True, check=True).stdout
        out = tmp_path / f"out-{jobs}.jsonl"
        subprocess.run(cmd + ["-o", str(out)], env=env, capture_output=True, check=True)
        return out.read_bytes()

    one, two = score(1), score(2)
    assert one == two
    recs = _lines(two.decode())
    assert len(recs) == 9009 and recs[8]["error"].startswith(f"{src}:10: JSON") and recs[9]["id"] == "w8"


def test_chunks_hold_exactly_chunk_records_across_blank_lines_and_files(tmp_path) -> None:
    from equipid.sightings.readers import Lines, read_chunks

    a = tmp_path / "a.jsonl"
    a.write_bytes(b"\xef\xbb\xbf" + b"".join(b'{"id":"a%d"}\n%s' % (i, b"\n  \n" if i % 7 == 0 else b"") for i in range(2501)))
    b = tmp_path / "b.csv"
    b.write_text("id,observed\n" + "".join(f"b{i},MIB\n" for i in range(30)))
    chunks = list(read_chunks([str(a), str(b), str(a)], size=1000))

    def ids(chunk):
        return [r.data["id"] if isinstance(r.data, dict) else json.loads(r.data)["id"]
                for p in chunk for r in (p.records() if isinstance(p, Lines) else p)]

    assert [len(ids(c)) for c in chunks] == [1000] * 5 + [32]
    got = [i for c in chunks for i in ids(c)]
    assert got == [f"a{i}" for i in range(2501)] + [f"b{i}" for i in range(30)] + [f"a{i}" for i in range(2501)]
    where = [r.where for p in chunks[2] for r in (p.records() if isinstance(p, Lines) else p)]
    assert where[0] == f"{a}:{2000 + 2000 // 7 * 2 + 1 + 2}"


def test_output_dash_is_standard_output_and_files_get_normal_permissions(runner, mini_dir, tmp_path, monkeypatch) -> None:
    import os as _os

    src = _write(tmp_path, "jsonl")
    monkeypatch.chdir(tmp_path)
    res = _score(runner, mini_dir, [str(src), "-o", "-", "--format", "jsonl"])
    assert len(_lines(res.stdout)) == 3 and not (tmp_path / "-").exists()
    out = tmp_path / "out.jsonl"
    _score(runner, mini_dir, [str(src), "-o", str(out)])
    umask = _os.umask(0)
    _os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask
