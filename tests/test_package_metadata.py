"""What a package index or `pipx install .` sees: the MIT LICENSE in the sdist and the wheel,
the project's addresses, classifiers and keywords."""

from __future__ import annotations

import subprocess
import sys
import tarfile
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-d", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return out


def test_the_wheel_carries_the_license_and_the_metadata(built: Path) -> None:
    (wheel,) = built.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        info = next(name for name in names if name.endswith(".dist-info/METADATA"))
        metadata = Parser().parsestr(archive.read(info).decode())
        license_text = archive.read(next(n for n in names if n.endswith("licenses/LICENSE")))
    assert license_text.decode().startswith("MIT License")
    assert metadata["License-Expression"] == "MIT"
    urls = dict(entry.split(", ", 1) for entry in metadata.get_all("Project-URL") or [])
    assert {"Homepage", "Source", "Issues"} <= set(urls)
    assert all(url.startswith("https://") for url in urls.values())
    classifiers = metadata.get_all("Classifier") or []
    assert "Environment :: Console" in classifiers
    assert "Natural Language :: French" in classifiers
    assert "payfip" in (metadata["Keywords"] or "")
    assert any(name.endswith("locale/fr/LC_MESSAGES/espace_tui.mo") for name in names)


def test_the_sdist_carries_the_license(built: Path) -> None:
    (sdist,) = built.glob("*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = archive.getnames()
    assert any(name.count("/") == 1 and name.endswith("/LICENSE") for name in names)
