"""A commune slug or a pasted address gives the portal; plain http only on this machine."""

from __future__ import annotations

import pytest

from espace_tui.core.errors import ConfigError
from espace_tui.portal.urls import base_url_for, commune_of, is_loopback_host


@pytest.mark.parametrize(
    ("typed", "base"),
    [
        ("ecouflant", "https://www.espace-citoyens.net/ecouflant/espace-citoyens/"),
        (
            "asnieres-sur-seine",
            "https://www.espace-citoyens.net/asnieres-sur-seine/espace-citoyens/",
        ),
        (
            "https://www.espace-citoyens.net/ville-coueron/espace-citoyens/Home/AccueilPublic",
            "https://www.espace-citoyens.net/ville-coueron/espace-citoyens/",
        ),
        (
            "www.espace-citoyens.net/maisons-alfort/espace-citoyens",
            "https://www.espace-citoyens.net/maisons-alfort/espace-citoyens/",
        ),
        (
            "http://127.0.0.1:8080/ecouflant/espace-citoyens/",
            "http://127.0.0.1:8080/ecouflant/espace-citoyens/",
        ),
        ("http://localhost:9/x-y/espace-citoyens/", "http://localhost:9/x-y/espace-citoyens/"),
        ("http://[::1]:9/x/espace-citoyens/", "http://[::1]:9/x/espace-citoyens/"),
    ],
)
def test_slug_or_address_gives_the_base_url(typed: str, base: str) -> None:
    assert base_url_for(typed) == base


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "Ecouflant!",
        "http://www.espace-citoyens.net/ecouflant/espace-citoyens/",
        "http://10.0.0.1/ecouflant/espace-citoyens/",
        "ftp://www.espace-citoyens.net/ecouflant/espace-citoyens/",
        "https://www.espace-citoyens.net/ecouflant/",
    ],
)
def test_bad_portals_are_refused_with_a_message(typed: str) -> None:
    with pytest.raises(ConfigError) as refused:
        base_url_for(typed)
    assert str(refused.value)


def test_loopback_and_commune() -> None:
    assert is_loopback_host("127.8.9.10") and is_loopback_host("::1")
    assert not is_loopback_host("127.0.0.1.example.com")
    assert commune_of("https://www.espace-citoyens.net/ville-coueron/espace-citoyens/") == (
        "ville-coueron"
    )
