"""Shared fixtures: the small test catalog, an isolated cache, a CLI runner."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

FILES = Path(__file__).parent / "files"
MINI = FILES / "mini"


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test gets its own compiled-catalog cache and no ambient catalog."""
    monkeypatch.setenv("EQUIPID_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.delenv("EQUIPID_CATALOG", raising=False)


@pytest.fixture
def mini_dir() -> Path:
    return MINI


@pytest.fixture
def mini_copy(tmp_path: Path) -> Path:
    dst = tmp_path / "catalog"
    shutil.copytree(MINI, dst)
    return dst


@pytest.fixture(scope="session")
def mini():
    from equipid.catalog.compiler import compile_catalog
    from equipid.catalog.loader import load_catalog

    return compile_catalog(load_catalog([MINI]), "test")


@pytest.fixture(scope="session")
def bundled():
    from equipid.catalog.compiler import compile_catalog
    from equipid.catalog.loader import load_catalog
    from equipid.catalog.locate import bundled_catalog

    return compile_catalog(load_catalog([bundled_catalog()]), "bundled")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()
