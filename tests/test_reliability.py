"""Regression tests for issue 13 (memory and hangs, records lost or made up, tracebacks, output targets).

Each test is built from a failure the issue reports; memory is measured as the
peak RSS of a child process (resource.getrusage in a wrapper process).
"""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from equipid.sightings.readers import read_records

ROOT = Path(__file__).resolve().parent.parent


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)}


def _peak(args: list[str], tmp_path: Path) -> tuple[int, bytes, bytes, float]:
    """Run ``equipid ARGS`` in a child; (exit status, stdout, stderr, peak RSS of the child in MB)."""
    wrapper = (
        "import resource, subprocess, sys\n"
        "p = subprocess.run(sys.argv[1:], capture_output=True)\n"
        "sys.stdout.buffer.write(b'%d %d\\n' % (p.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))\n"
        "open(sys.argv[0] + '.out', 'wb').write(p.stdout)\n"
        "open(sys.argv[0] + '.err', 'wb').write(p.stderr)\n"
    )
    w = tmp_path / "wrapper.py"
    w.write_text(wrapper)
    p = subprocess.run([sys.executable, str(w), sys.executable, "-m", "equipid", *args], capture_output=True, env=_env(), timeout=300)
    rc, kb = p.stdout.split()
    return int(rc), (tmp_path / "wrapper.py.out").read_bytes(), (tmp_path / "wrapper.py.err").read_bytes(), int(kb) / 1024


def _ids(out: bytes) -> list[str]:
    return [json.loads(line)["id"] for line in out.splitlines() if line.strip()]


def _records(out: bytes) -> list[dict]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


# -- memory -------------------------------------------------------------------

def test_long_names_and_a_10_mb_caption_stay_in_bounded_memory(tmp_path: Path) -> None:
    """Was: 30,000 characters 918 MB, 100,000 MemoryError; a 10 MB caption and 1 MB entry past 22 GB."""
    f = tmp_path / "long.jsonl"
    with f.open("w") as out:
        out.write(json.dumps({"id": "entry-30k", "observed": ["x" * 30_000]}) + "\n")
        out.write(json.dumps({"id": "entry-100k", "observed": ["AK-74M " + "y" * 100_000]}) + "\n")
        out.write(json.dumps({"id": "caption", "text": "MIB seen near Palmyra " * 480_000, "observed": ["z" * 1_000_000]}) + "\n")
        out.write(json.dumps({"id": "spaces", "observed": ["a" + " " * 200_000 + "b x 2"]}) + "\n")
        out.write(json.dumps({"id": "after", "observed": ["MIB"]}) + "\n")
    rc, out, err, mb = _peak(["score", str(f), "--format", "jsonl", "--jobs", "1"], tmp_path)
    assert rc == 0, err
    assert _ids(out) == ["entry-30k", "entry-100k", "caption", "spaces", "after"]
    assert all("error" not in r for r in _records(out))
    assert mb < 400, f"peak RSS {mb:.0f} MB"


def test_identify_absent_with_a_long_string(runner) -> None:
    from equipid.cli.main import cli

    r = runner.invoke(cli, ["identify", "MIB", "--absent", "q" * 60_000, "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["id"] == "sighting"


def test_an_anchor_on_a_long_scalar_repeated_is_refused_within_bounds(tmp_path: Path) -> None:
    """Was: a 275 KB file segfaulted the encoder; aliases counted values, not bytes."""
    big = "w" * 100_000
    doc = f"- id: a\n  note: &big {big}\n  observed: [MIB]\n- id: b\n  observed: [MIB]\n  extra: [" + ", ".join(["*big"] * 3000) + "]\n"
    f = tmp_path / "aliases.yaml"
    f.write_text(doc)
    rc, out, err, mb = _peak(["score", str(f), "--format", "jsonl", "--jobs", "1"], tmp_path)
    assert rc == 0, err
    recs = _records(out)
    # NOTE: refused as a whole, the list is read item by item: the item holding the aliases fails alone.
    assert [r["id"] for r in recs] == ["a", "b"]
    assert "error" not in recs[0] and "error" in recs[1]
    assert len(out) < 200_000
    assert mb < 400


# -- YAML recovery never invents or drops ---------------------------------------

def _read(tmp_path: Path, name: str, text: str | bytes) -> list:
    f = tmp_path / name
    if isinstance(text, str):
        f.write_text(text, encoding="utf-8")
    else:
        f.write_bytes(text)
    return list(read_records(str(f)))


def test_a_broken_single_sighting_never_promotes_its_nested_list(tmp_path: Path) -> None:
    recs = _read(tmp_path, "one.yaml", 'id: a\ntext: "unterminated\nobserved:\n- MIB\n- AK-74M\n')
    assert len(recs) == 1 and recs[0].error


def test_a_meta_list_beside_sightings_is_not_scored(tmp_path: Path) -> None:
    for text in ('meta:\n- x\n- y\nsightings:\n- id: a\n  observed: ["MIB\n- id: b\n  observed: [MIB]\n',
                 'sightings:\n- id: a\n  observed: ["MIB\n- id: b\n  observed: [MIB]\nmeta:\n- x\n- y\n'):
        recs = _read(tmp_path, "meta.yaml", text)
        assert len(recs) == 2
        assert recs[0].error and recs[1].data == {"id": "b", "observed": ["MIB"]}


def test_a_tab_or_unicode_line_break_is_never_dropped(tmp_path: Path) -> None:
    recs = _read(tmp_path, "tab.yaml", '- id: a\n  observed: ["MIB\n- id: b\n\tobserved: [MIB]\n- id: c\n  observed: [MIB]\n')
    assert [bool(r.error) for r in recs] == [True, True, False]
    for brk in ("\u2028", "\u0085"):
        recs = _read(tmp_path, "sep.yaml", f'- id: a\n  observed: ["MIB\n- id: b\n  text: x{brk}  observed: [MIB]\n- id: c\n  observed: [MIB]\n')
        assert len(recs) == 3 and recs[0].error
        assert recs[1].data is None or recs[1].data.get("observed") == ["MIB"] or recs[1].error


def test_each_document_of_a_stream_is_read(tmp_path: Path) -> None:
    recs = _read(tmp_path, "multi.yaml", "- id: a\n  observed: [MIB]\n---\n- id: b\n  observed: [MIB]\n---\n- id: c\n  observed: [MIB\n"
                                         "- id: d\n  observed: [MIB]\n")
    assert [r.data["id"] if r.data else None for r in recs] == ["a", "b", None, "d"]
    assert recs[2].error and recs[2].where.endswith(":7")


def test_a_duplicate_key_costs_its_record_only(tmp_path: Path, runner) -> None:
    from equipid.cli.main import cli

    f = tmp_path / "dup.yaml"
    f.write_text("- id: a\n  observed: [MIB]\n- id: b\n  id: c\n  observed: [MIB]\n")
    r = runner.invoke(cli, ["score", str(f), "--format", "jsonl", "--jobs", "1"])
    assert r.exit_code == 0
    recs = [json.loads(x) for x in r.stdout.splitlines()]
    assert [x["id"] for x in recs] == ["a", "b"]
    assert "duplicate key 'id'" in recs[1]["error"]


def test_unquoted_no_says_to_quote_it(tmp_path: Path, runner) -> None:
    from equipid.cli.main import cli

    f = tmp_path / "no.yaml"
    f.write_text("- id: oslo\n  country: NO\n  observed: [MIB]\n")
    r = runner.invoke(cli, ["score", str(f), "--format", "jsonl", "--jobs", "1"])
    rec = json.loads(r.stdout)
    assert rec["id"] == "oslo" and 'quote the code (country: "NO")' in rec["error"]


# -- CSV recovery ---------------------------------------------------------------

def test_csv_lines_inside_quotes_never_become_records(tmp_path: Path) -> None:
    recs = _read(tmp_path, "q.csv", 'id,observed\na,"MIB\nphantom,AK-74M\nb,"x"y\nc,MIB\n')
    assert len(recs) == 2
    assert recs[0].error and "lines 2-4" in recs[0].error
    assert recs[1].data == {"id": "c", "observed": "MIB"}
    recs = _read(tmp_path, "open.csv", 'id,observed\na,MIB\nb,"MIB\nphantom,AK-74M\n')
    assert [r.data["id"] if r.data else None for r in recs] == ["a", None]
    assert "never closed" in recs[1].error


def test_csv_repeated_column_is_not_dropped_silently(tmp_path: Path) -> None:
    recs = _read(tmp_path, "dup.csv", "id,observed,observed\na,MIB,MIB\nb,MIB,\nc,MIB,AK-74M\n")
    assert recs[0].data["observed"] == "MIB" and recs[1].data["observed"] == "MIB"
    assert recs[2].error and "more than once" in recs[2].error


def test_csv_with_cr_line_ends(tmp_path: Path) -> None:
    recs = _read(tmp_path, "mac.csv", b'id,observed\r"a",MIB\r"b","AK-74M\rx"\rc,MIB\r')
    assert [r.data["id"] for r in recs] == ["a", "b", "c"]
    assert recs[1].data["observed"] == "AK-74M\rx"


# -- tracebacks -----------------------------------------------------------------

def test_numbers_surrogates_and_nesting_never_break_the_encoder(tmp_path: Path, runner) -> None:
    from equipid.cli.main import cli

    deep = "x: " + "[" * 60 + "]" * 60
    nested = "deep: " + "".join("{a: " for _ in range(60)) + "1" + "}" * 60
    f = tmp_path / "odd.yaml"
    f.write_text(
        "- id: a\n  observed: [{item: MIB, count: 99999999999999999999999}]\n"
        "- id: b\n  count: 99999999999999999999999\n  observed: [MIB]\n"
        f"- id: c\n  serial: {'9' * 5000}\n  observed: [MIB]\n"
        '- id: d\n  note: "\\ud800 and \\ud83d\\ude00"\n  observed: [MIB]\n'
        f"- id: e\n  {deep}\n  observed: [MIB]\n"
        f"- id: f\n  {nested}\n  observed: [MIB]\n"
    )
    for fmt in ("jsonl", "csv", "json", "table"):
        r = runner.invoke(cli, ["score", str(f), "--format", fmt, "--jobs", "1"])
        assert r.exit_code == 0, (fmt, r.output)
        r.stdout_bytes.decode("utf-8")
    r = runner.invoke(cli, ["score", str(f), "--format", "jsonl", "--jobs", "1"])
    recs = [json.loads(x) for x in r.stdout.splitlines()]
    assert [x["id"] for x in recs] == ["a", "b", "c", "d", "e", "f"]
    assert "count" in recs[0]["error"]
    assert recs[1]["extra"]["count"] == "99999999999999999999999"
    assert recs[2]["extra"]["serial"] == "9" * 5000
    assert recs[3]["extra"]["note"] == "\ufffd and \U0001f600"
    assert "error" not in recs[4]
    assert "error" not in recs[5]


def test_unknown_field_nested_too_deep_is_an_error_record(tmp_path: Path, runner) -> None:
    from equipid.cli.main import cli

    f = tmp_path / "deep.jsonl"
    f.write_text(json.dumps({"id": "deep", "observed": ["MIB"], "x": json.loads("[" * 300 + "]" * 300)}) + "\n"
                 + json.dumps({"id": "next", "observed": ["MIB"]}) + "\n")
    r = runner.invoke(cli, ["score", str(f), "--format", "jsonl", "--jobs", "1"])
    recs = [json.loads(x) for x in r.stdout.splitlines()]
    assert [x["id"] for x in recs] == ["deep", "next"]
    assert "nested deeper" in recs[0]["error"]


def test_markup_and_controls_are_shown_not_obeyed(tmp_path: Path, runner) -> None:
    from equipid.cli.main import cli

    f = tmp_path / "m.jsonl"
    f.write_text(json.dumps({"id": "[/x] a\u202eb\x1b[31m", "observed": ["[/x]MIB\u2067", "zz\x07[/bold]"]}) + "\n")
    for fmt in ("table", "csv"):
        r = runner.invoke(cli, ["score", str(f), "--format", fmt, "--jobs", "1"])
        assert r.exit_code == 0, r.output
        assert "\u202e" not in r.stdout and "\x1b" not in r.stdout and "\x07" not in r.stdout and "\u2067" not in r.stdout
        assert "\\u202e" in r.stdout and "\\x1b" in r.stdout
        assert "[/x]" in r.stdout
    r = runner.invoke(cli, ["identify", "MIB", "--id", "[/x]"])
    assert r.exit_code == 0 and "Sighting [/x]" in r.stdout


def test_identify_json_with_a_byte_that_is_not_utf8(tmp_path: Path) -> None:
    p = subprocess.run([sys.executable, "-m", "equipid", "identify", b"\xac", "MIB", "--json"], capture_output=True, env=_env(), timeout=60)
    assert p.returncode == 0, p.stderr
    rec = json.loads(p.stdout.decode("utf-8"))
    assert rec["unmatched"] == ["\ufffd"]


def test_catalog_name_too_long(runner) -> None:
    from equipid.cli.main import cli

    r = runner.invoke(cli, ["lookup", "--catalog", "d" * 300, "MIB"])
    assert r.exit_code == 2 and "File name too long" in r.output


# -- output targets -------------------------------------------------------------

@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_full_device_is_a_message_and_exit_1(tmp_path: Path) -> None:
    f = tmp_path / "in.jsonl"
    f.write_text("".join(json.dumps({"id": f"r{i}", "observed": ["MIB"]}) + "\n" for i in range(5000)))
    for jobs in ("1", "2"):
        p = subprocess.run([sys.executable, "-m", "equipid", "score", str(f), "-o", "/dev/full", "--jobs", jobs],
                           capture_output=True, env=_env(), timeout=120)
        assert p.returncode == 1
        assert p.stderr.decode().splitlines()[-1] == "equipid: error: cannot write /dev/full: No space left on device"
        with open("/dev/full", "wb") as full:
            p = subprocess.run([sys.executable, "-m", "equipid", "score", str(f), "--jobs", jobs], stdout=full,
                               stderr=subprocess.PIPE, env=_env(), timeout=120)
        assert p.returncode == 1
        assert b"Traceback" not in p.stderr
        assert p.stderr.decode().splitlines()[-1] == "equipid: error: cannot write standard output: No space left on device"


def test_output_to_a_directory_is_refused(tmp_path: Path, runner) -> None:
    from equipid.cli.main import cli

    f = tmp_path / "in.jsonl"
    f.write_text(json.dumps({"id": "a", "observed": ["MIB"]}) + "\n")
    r = runner.invoke(cli, ["score", str(f), "-o", str(tmp_path)])
    assert r.exit_code == 2 and "is a directory" in r.output


def test_atomic_file_keeps_mode_follows_links_and_writes_through_fifos(tmp_path: Path) -> None:
    from equipid.output.atomic import AtomicFile, write_atomic

    target = tmp_path / "result.jsonl"
    target.write_text("old")
    target.chmod(0o600)
    link = tmp_path / "link.jsonl"
    link.symlink_to(target)
    write_atomic(link, b"new")
    assert link.is_symlink() and target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    write_atomic(fifo, b"through")
    reader.join(10)
    assert got == [b"through"] and stat.S_ISFIFO(fifo.stat().st_mode)

    null = AtomicFile("/dev/null")
    assert null.special and null.tmp is None
    null.abort()


def test_a_failed_write_leaves_no_partial_file(tmp_path: Path) -> None:
    from equipid.output.atomic import AtomicFile, WriteError

    target = tmp_path / "out.jsonl"
    target.write_text("previous")
    a = AtomicFile(target)
    a.f.write(b"partial")

    class Full:
        def flush(self) -> None:
            raise OSError(28, "No space left on device")

        def close(self) -> None:
            pass

    a.f._f = Full()  # type: ignore[attr-defined]
    with pytest.raises(WriteError, match=r"cannot write .*out.jsonl: No space left on device"):
        a.commit()
    assert target.read_text() == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]


def test_a_missing_input_among_several_exits_1(tmp_path: Path, runner) -> None:
    from equipid.cli.main import cli

    f = tmp_path / "a.jsonl"
    f.write_text(json.dumps({"id": "a", "observed": ["MIB"]}) + "\n")
    r = runner.invoke(cli, ["score", str(f), str(tmp_path / "nosuch.jsonl"), "--format", "jsonl"])
    assert r.exit_code == 1
    assert [json.loads(x)["id"] for x in r.stdout.splitlines()][0] == "a"


# -- workers --------------------------------------------------------------------

def _chunks(n_chunks: int, size: int = 3) -> list:
    from equipid.sightings.readers import RawRecord

    return [[[RawRecord(f"d{c}-{i}", f"x:{i}", data={"id": f"c{c}r{i}", "observed": ["MIB"]}) for i in range(size)]]
            for c in range(n_chunks)]


def test_spawned_workers_get_the_catalog(mini) -> None:
    from equipid.engine.batch import run_chunks

    got = list(run_chunks(mini, _chunks(3), None, 2, start_method="spawn"))
    assert [r["id"] for recs, _ in got for r in recs] == [f"c{c}r{i}" for c in range(3) for i in range(3)]
    assert all("error" not in r for recs, _ in got for r in recs)


def _die(records: list) -> bytes:
    if any(r["id"] == "c2r0" for r in records):
        import faulthandler

        faulthandler.disable()  # NOTE: pytest's handler would print the crash; it is the point here
        os.kill(os.getpid(), signal.SIGSEGV)
    return b"ok\n"


def test_a_dead_worker_ends_the_run_naming_the_chunk(mini) -> None:
    from equipid.engine.batch import WorkerDied, run_chunks

    with pytest.raises(WorkerDied, match="chunk 3"):
        list(run_chunks(mini, _chunks(5), _die, 2))


def _children(pid: int) -> list[int]:
    out = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                out += [int(c) for c in f.read().split()]
    except OSError:
        pass  # NOTE: the process or a thread ended meanwhile
    return out


@pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="needs /proc")
def test_sigterm_ends_every_worker(tmp_path: Path) -> None:
    f = tmp_path / "many.jsonl"
    line = json.dumps({"id": "r", "observed": ["MIB", "AK-74M with suppressor"], "text": "near Palmyra"}) + "\n"
    f.write_text(line * 300_000)
    p = subprocess.Popen([sys.executable, "-m", "equipid", "score", str(f), "-o", str(tmp_path / "out.jsonl"), "--jobs", "2"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=_env())
    workers: list[int] = []
    for _ in range(300):
        workers = _children(p.pid)
        if len(workers) >= 2 or p.poll() is not None:
            break
        time.sleep(0.1)
    assert len(workers) >= 2
    p.send_signal(signal.SIGTERM)
    p.wait(timeout=60)
    assert p.returncode != 0
    for w in workers:
        assert not os.path.exists(f"/proc/{w}") or open(f"/proc/{w}/stat").read().split()[2] == "Z"
    assert not (tmp_path / "out.jsonl").exists()
    assert [x.name for x in tmp_path.iterdir() if x.name.endswith(".part")] == []
