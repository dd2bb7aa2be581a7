"""The merged vocabulary is kept in the user's cache folder and read back only when it was
merged from the same files by the same code; a missing, stale or damaged cache is merged anew."""

from __future__ import annotations

from pathlib import Path

import pytest

from skating_db.loaders import vocabulary as v


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "skating-db" / "vocabulary.marshal"


def _merge_refused(_texts: dict[str, str]) -> v.Vocabulary:
    raise AssertionError("merged again although the cache holds it")


def test_the_kept_vocabulary_is_the_merged_one(
    cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    merged = v.vocabulary.__wrapped__()
    assert cache_home.is_file()
    monkeypatch.setattr(v, "_vocabulary", _merge_refused)
    assert v.vocabulary.__wrapped__() == merged == v.vocabulary()


def test_a_stale_or_damaged_cache_is_merged_anew(cache_home: Path) -> None:
    merged = v.vocabulary.__wrapped__()
    assert v._cached(b"another key") is None  # other files or other code
    cache_home.write_bytes(b"\x00damaged")
    assert v._cached(b"any") is None
    assert v.vocabulary.__wrapped__() == merged
    cache_home.unlink()
    cache_home.write_bytes(b"")
    assert v.vocabulary.__wrapped__() == merged


def test_a_cache_folder_that_cannot_be_written_is_no_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert v.vocabulary.__wrapped__() == v.vocabulary()
    assert blocker.read_text() == "not a folder"
