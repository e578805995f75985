"""Remembered portal and username: a small JSON file, written whole, read tolerantly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from espace_tui.local import locations
from espace_tui.local.settings import Settings, load_settings, remember, save_settings

PORTAL = "https://www.espace-citoyens.net/ecouflant/espace-citoyens/"


def test_nothing_is_remembered_at_first() -> None:
    assert load_settings() == Settings()


def test_the_portal_and_username_are_remembered_in_the_config_folder(isolated: Path) -> None:
    path = remember(PORTAL, "jean")
    assert path == locations.settings_file()
    assert path.is_relative_to(isolated)  # the test's own home, never the machine's
    assert load_settings() == Settings(portal=PORTAL, username="jean")
    assert json.loads(path.read_text(encoding="utf-8")) == {"portal": PORTAL, "username": "jean"}
    assert [p.name for p in path.parent.iterdir()] == ["settings.json"]  # no temporary file left


def test_saving_again_replaces_the_whole_file() -> None:
    remember(PORTAL, "jean")
    save_settings(Settings(portal=PORTAL, username="marie"))
    assert load_settings().username == "marie"


@pytest.mark.parametrize(
    "content", ["{not json", "[1, 2]", '"text"', "", '{"portal": 3, "username": ["x"]}']
)
def test_a_broken_file_is_ignored_with_a_plain_warning(
    content: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = locations.settings_file()
    path.parent.mkdir(parents=True)
    path.write_text(content, encoding="utf-8")
    assert load_settings() == Settings()
    err = capsys.readouterr().err
    if content.startswith('{"portal"'):
        assert err == ""  # valid JSON of the wrong types: the values are just unknown
    else:
        assert "is not valid; it is ignored" in err and "Traceback" not in err


def test_an_unreadable_file_is_ignored(capsys: pytest.CaptureFixture[str]) -> None:
    path = locations.settings_file()
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\xff\xfe not utf-8")
    warnings: list[str] = []
    assert load_settings(warn=warnings.append) == Settings()
    assert len(warnings) == 1 and "could not be read" in warnings[0]


def test_no_password_is_ever_written() -> None:
    path = remember(PORTAL, "jean")
    assert set(json.loads(path.read_text(encoding="utf-8"))) == {"portal", "username"}
