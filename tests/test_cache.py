import pickle
import shutil

from equipid.catalog import cache, locate
from equipid.catalog.compiled import FORMAT_VERSION


def _entries():
    return list(cache.cache_dir().glob("catalog-*.pickle"))


def test_cache_written_and_reused(mini_dir) -> None:
    a = cache.load_compiled([mini_dir])
    assert len(_entries()) == 1
    b = cache.load_compiled([mini_dir])
    assert a.digest == b.digest and b.leaves == a.leaves


def test_stale_cache_not_trusted(mini_copy) -> None:
    a = cache.load_compiled([mini_copy])
    text = (mini_copy / "items.yaml").read_text().replace("name: telnyashka", "name: telnyashka shirt")
    (mini_copy / "items.yaml").write_text(text)
    b = cache.load_compiled([mini_copy])
    assert a.digest != b.digest
    assert b.items["telnyashka"]["name"] == "telnyashka shirt"


def test_corrupt_cache_rebuilt(mini_dir) -> None:
    cache.load_compiled([mini_dir])
    (entry,) = _entries()
    entry.write_bytes(b"equipid-compiled\ngarbage")
    c = cache.load_compiled([mini_dir])
    assert "mib" in c.items
    assert pickle.loads(entry.read_bytes()[len(b"equipid-compiled\n") + 32:]).digest == c.digest


def test_foreign_cache_rebuilt(mini_dir) -> None:
    good = cache.load_compiled([mini_dir])
    (entry,) = _entries()
    good.version = FORMAT_VERSION - 1
    entry.write_bytes(b"equipid-compiled\n" + pickle.dumps(good))
    c = cache.load_compiled([mini_dir])
    assert c.version == FORMAT_VERSION


def test_foreign_pickle_without_magic_is_not_loaded(mini_dir) -> None:
    cache.load_compiled([mini_dir])
    (entry,) = _entries()
    entry.write_bytes(pickle.dumps({"not": "ours"}))
    assert cache.load_compiled([mini_dir]).items


class _Planted:
    """A pickle that runs code when loaded."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self):
        return (open, (self.marker, "w"))


def test_planted_pickle_is_never_unpickled(mini_dir, tmp_path) -> None:
    cache.load_compiled([mini_dir])
    (entry,) = _entries()
    marker = tmp_path / "ran"
    entry.write_bytes(b"equipid-compiled\n" + b"\0" * 32 + pickle.dumps(_Planted(str(marker))))
    assert cache.load_compiled([mini_dir]).items
    assert not marker.exists()


def test_cache_key_that_others_can_read_is_not_used(mini_dir) -> None:
    import os

    cache.load_compiled([mini_dir])
    key = cache.cache_dir() / "key"
    assert key.stat().st_mode & 0o777 == 0o600
    os.chmod(key, 0o644)
    assert cache._user_key(cache.cache_dir(), create=False) is None
    assert cache.load_compiled([mini_dir]).items  # rebuilt, not read


def test_unwritable_cache_dir_still_works(mini_dir, tmp_path, monkeypatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("EQUIPID_CACHE_DIR", str(blocker / "sub"))
    assert cache.load_compiled([mini_dir]).items


def test_catalog_selection_env_and_extend(monkeypatch, mini_dir, tmp_path) -> None:
    monkeypatch.setenv("EQUIPID_CATALOG", str(mini_dir))
    assert locate.catalog_dirs() == [mini_dir]
    assert locate.catalog_dirs(None, [str(tmp_path)]) == [mini_dir, tmp_path]
    monkeypatch.delenv("EQUIPID_CATALOG")
    assert locate.catalog_dirs()[0] == locate.bundled_catalog()


def test_cache_not_inside_package() -> None:
    import equipid

    pkg = str(equipid.__file__).rsplit("/", 1)[0]
    assert not str(cache.cache_dir()).startswith(pkg)


def test_digest_depends_on_content_not_mtime(mini_copy) -> None:
    d1 = cache.catalog_digest([mini_copy])
    shutil.copy(mini_copy / "items.yaml", mini_copy / "items.yaml.bak")  # not a .yaml file: ignored
    (mini_copy / "items.yaml").touch()
    assert cache.catalog_digest([mini_copy]) == d1


def test_a_layer_named_twice_is_one_layer(mini_dir, tmp_path) -> None:
    layer = tmp_path / "team"
    layer.mkdir()
    assert locate.catalog_dirs(mini_dir, [layer, layer]) == [mini_dir, layer]
