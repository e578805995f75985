"""Profiles: several accounts in a TOML file of the config folder, written whole, readable by
hand, never a password."""

from __future__ import annotations

import pytest

from espace_tui.account import profiles as policy
from espace_tui.core.errors import ConfigError, NothingToDo
from espace_tui.local.profiles import load_profiles, profiles_file

ECOUFLANT = "https://www.espace-citoyens.net/ecouflant/espace-citoyens/"


def test_add_choose_and_remove_profiles() -> None:
    profiles = policy.add(load_profiles(), "maison", "ecouflant", "jean.dupont")
    profiles = policy.add(profiles, "centre", "asnieres-sur-seine", "jean.dupont")
    again = load_profiles()
    assert again == profiles and again.default == "maison"  # the first is the default
    assert policy.choose(again, None).portal == ECOUFLANT  # type: ignore[union-attr]
    assert policy.choose(again, "centre").username == "jean.dupont"  # type: ignore[union-attr]
    text = profiles_file().read_text(encoding="utf-8")
    assert 'default = "maison"' in text and "[profiles.centre]" in text
    assert "password" not in text
    profiles = policy.set_default(again, "centre")
    profiles = policy.remove(profiles, "centre")
    assert load_profiles().default == "maison"
    with pytest.raises(NothingToDo):
        policy.remove(profiles, "centre")


def test_an_unknown_profile_is_a_usage_error_naming_the_others() -> None:
    profiles = policy.add(load_profiles(), "maison", "ecouflant", "jean")
    with pytest.raises(ConfigError, match=r"no profile named ecole \(profiles: maison\)"):
        policy.choose(profiles, "ecole")


@pytest.mark.parametrize("name", ["../x", "", "a b", "é" * 3])
def test_a_profile_name_is_a_safe_folder_name(name: str) -> None:
    with pytest.raises(ConfigError):
        policy.add(load_profiles(), name, "ecouflant", "jean")


def test_a_hand_written_file_is_read_and_a_broken_one_said() -> None:
    path = profiles_file()
    path.parent.mkdir(parents=True)
    path.write_text(
        '[profiles.a]\nportal = "x"\nusername = "u"\n[profiles.b]\nportal = "x"\n',
        encoding="utf-8",
    )
    assert list(load_profiles().profiles) == ["a"]  # b has no username: left out
    path.write_text("[[[ not toml", encoding="utf-8")
    said: list[str] = []
    assert load_profiles(warn=said.append).profiles == {}
    assert said and "could not be read" in said[0]
