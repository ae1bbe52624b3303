"""The bundled catalog reaches installed users: build the wheel, install it
into a fresh virtual environment, and run equipid from outside the checkout."""

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_wheel_installs_and_finds_bundled_catalog(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(ROOT)],
                   check=True, capture_output=True, timeout=600)
    (wheel,) = dist.glob("equipid-*.whl")
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    py = env_dir / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "-q", str(wheel)], check=True, capture_output=True, timeout=900)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("EQUIPID_CATALOG", "PYTHONPATH")}
    env["EQUIPID_CACHE_DIR"] = str(tmp_path / "cache")
    exe = env_dir / "bin" / "equipid"
    res = subprocess.run([str(exe), "lookup", "--json", "AK-74M"], cwd=outside, env=env, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["items"][0]["id"] == "ak-74m"
    where = subprocess.run([str(py), "-c", "import equipid.catalog.locate as c; print(c.bundled_catalog())"], cwd=outside, env=env,
                           capture_output=True, text=True, check=True).stdout.strip()
    assert where.startswith(str(env_dir)) and where.endswith("_catalog")
    res = subprocess.run([str(py), "-m", "equipid", "--version"], cwd=outside, env=env, capture_output=True, text=True)
    assert res.returncode == 0 and "equipid, version" in res.stdout
