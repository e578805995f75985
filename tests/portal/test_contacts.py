"""A contact of the family is not one of it (SITE.md §3): on the dashboard, people pictured
`agent_*` (agent_fille, agent_homme) are the family's contacts; only pere, mere, garcon and
fillette are the family the user is shown."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from espace_tui.core.errors import PageChanged
from espace_tui.core.model import FamilyMember
from espace_tui.portal import pages
from espace_tui.portal.browser import EspaceCitoyensBrowser
from support.other_portal import PASSWORD, USERNAME, OtherPortal

DASHBOARD = (Path(__file__).parents[1] / "support" / "pages" / "compte_citoyen.html").read_text()
FAMILY = ["ECOUFLANT Jean", "ECOUFLANT Marie", "ECOUFLANT Léo", "ECOUFLANT Chloé"]


def with_people(*people: tuple[str, str, str], before: bool = False) -> str:
    links = "".join(
        f'<li><a href="/ville-coueron/espace-citoyens/FichePersonne/DetailPersonne?idDynamic={i}">'
        f'<img alt="{name}" src="/Content/images/{picture}.png"></a></li>'
        for i, name, picture in people
    )
    block = f'<ul class="contacts">{links}</ul>'
    if before:
        return DASHBOARD.replace('<ul class="famille">', block + '<ul class="famille">', 1)
    return DASHBOARD.replace("</main>", block + "</main>", 1)


@pytest.mark.parametrize("before", [False, True])
def test_agent_pictures_are_contacts_not_family(before: bool) -> None:
    html = with_people(
        ("201", "MARTIN Sophie", "agent_fille"),
        ("202", "DURAND Paul", "agent_homme"),
        before=before,
    )
    account = pages.parse_account(html)
    assert [m.name for m in account.members] == FAMILY
    assert {m.role for m in account.members} == {"pere", "mere", "garcon", "fillette"}


def test_a_contacts_other_links_do_not_make_them_family() -> None:
    text_link = (
        '<a href="/ville-coueron/espace-citoyens/FichePersonne/DetailPersonne?idDynamic=201">'
        "Mamie</a>"
    )
    html = with_people(("201", "MARTIN Sophie", "agent_fille")).replace(
        "<main>", "<main>" + text_link, 1
    )
    assert "201" not in [m.id for m in pages.parse_account(html).members]


def test_a_dashboard_with_contacts_only_is_a_changed_page() -> None:
    html = DASHBOARD
    for role in ("pere", "mere", "garcon", "fillette"):
        html = html.replace(f"{role}.png", "agent_homme.png")
    with pytest.raises(PageChanged) as caught:
        pages.parse_account(html)
    assert caught.value.page == "CompteCitoyen"


async def test_the_bundled_mock_serves_a_contact_the_client_leaves_out(mock_portal: Any) -> None:
    contacts = mock_portal.family.contacts
    assert [c.picture for c in contacts] == ["agent_fille"]
    async with EspaceCitoyensBrowser(mock_portal.base_url) as browser:
        await browser.login("demo", "demo")
        account = await browser.account()
    assert [m.name for m in account.members] == [m.name for m in mock_portal.family.members]
    assert contacts[0].name not in [m.name for m in account.members]


async def test_the_independent_portals_contact_is_left_out() -> None:
    other = OtherPortal()
    other.start()
    try:
        async with EspaceCitoyensBrowser(other.base_url) as browser:
            await browser.login(USERNAME, PASSWORD)
            account = await browser.account()
    finally:
        other.stop()
    assert account.members == (
        FamilyMember("501", "DUPRÉ-LE GALL Anne-Sophie", "mere"),
        FamilyMember("502", "DUPRÉ-LE GALL Tom", "garcon"),
        FamilyMember("503", "DUPRÉ-LE GALL Léa", "fillette"),
    )
