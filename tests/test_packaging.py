"""What a user's `pip install` puts into site-packages: one `skating_db` package, nothing else.

The repository keeps its `loaders/` folder; `skating_db/loaders` links to it, and the wheel
and the sdist carry it as files inside `skating_db`'s namespace.
"""

from __future__ import annotations

import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _build(kind: str, out: Path) -> Path:
    """Build the wheel or the sdist of this checkout into `out` with the PEP 517 backend."""
    script = f"import sys, hatchling.build as b; print(b.build_{kind}(sys.argv[1]))"
    try:
        done = subprocess.run(
            [sys.executable, "-c", script, str(out)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
    except subprocess.CalledProcessError as exc:
        pytest.fail(f"building the {kind} failed: {exc.stderr}")
    return out / done.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def hatchling() -> None:
    pytest.importorskip("hatchling", reason="the build backend is needed to build the wheel")


def test_wheel_ships_the_loaders_inside_skating_db(hatchling: None, tmp_path: Path) -> None:
    wheel = _build("wheel", tmp_path)
    names = zipfile.ZipFile(wheel).namelist()
    tops = {name.split("/")[0] for name in names if not name.split("/")[0].endswith(".dist-info")}
    assert tops == {"skating_db"}
    assert "skating_db/loaders/__init__.py" in names
    assert "skating_db/loaders/data/vocabulary/en.toml" in names


def test_sdist_carries_the_loaders_once_as_files(hatchling: None, tmp_path: Path) -> None:
    sdist = _build("sdist", tmp_path)
    with tarfile.open(sdist) as tar:
        members = tar.getmembers()
    linked = [m.name for m in members if "/skating_db/loaders/" in m.name]
    assert linked and all(not m.issym() for m in members if "/skating_db/loaders" in m.name)
    assert len(linked) == len(set(linked))
