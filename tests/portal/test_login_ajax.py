"""The AJAX login (SITE.md §2b) against a scripted portal: what the client posts, how it reads
the JSON in each of its spellings, and what the user is told when it is not as described."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest

from espace_tui.core.errors import LoginRefused, Maintenance, PageChanged, PortalUnreachable
from espace_tui.portal import pages
from espace_tui.portal.browser import EspaceCitoyensBrowser

ROOT = "/ivry94/espace-citoyens/"
BASE = f"https://monespace.ivry94.fr{ROOT}"
PASSWORD = "p@ss w0rd&="
HOME = f"""<html><body><a class="btn" href="#" data-url="{ROOT}Home/RecupererModaleConnexion">
    Se connecter</a></body></html>"""
MODAL = f"""<div class="modal"><form id="idFormConnexion" action="{ROOT}Home/Logon" method="post">
    <input name="__RequestVerificationToken" type="hidden" value="tok">
    <input name="username"><input name="password" type="password"></form></div>"""


class AjaxSite:
    """A portal on its own host whose public home shows a "Se connecter" button."""

    def __init__(self, answer: Any = None, *, modal: httpx.Response | None = None) -> None:
        self.answer = answer if answer is not None else {"Status": "OK", "locationHref": "x"}
        self.modal = modal
        self.requests: list[httpx.Request] = []
        self.session = False

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        path = request.url.path.removeprefix(ROOT)
        if path == "Home/AccueilPublic":
            return httpx.Response(200, html=HOME)
        if path == "Home/RecupererModaleConnexion" and request.method == "POST":
            return self.modal or httpx.Response(200, html=MODAL)
        if path == "Home/LogonAjax" and request.method == "POST":
            if isinstance(self.answer, httpx.Response):
                return self.answer
            if json.dumps(self.answer).upper().find('"OK"') >= 0:
                self.session = True
                return httpx.Response(
                    200, json=self.answer, headers={"Set-Cookie": "ASP.NET_SessionIdEC=s; path=/"}
                )
            return httpx.Response(200, json=self.answer)
        return httpx.Response(404)

    def browser(self) -> EspaceCitoyensBrowser:
        return EspaceCitoyensBrowser(BASE, transport=httpx.MockTransport(self.handle), retries=0)

    def posted(self, path: str) -> list[httpx.Request]:
        return [r for r in self.requests if r.method == "POST" and r.url.path == ROOT + path]


@pytest.mark.parametrize(
    "answer",
    [
        {"Status": "OK", "locationHref": f"{ROOT}CompteCitoyen"},
        {"status": "OK", "LocationHref": f"{ROOT}CompteCitoyen"},
        {"status": "ok", "Message": None},
    ],
)
async def test_an_ok_status_logs_in_whatever_its_spelling(answer: dict[str, Any]) -> None:
    site = AjaxSite(answer)
    async with site.browser() as browser:
        await browser.login("jean", PASSWORD)
        assert browser.login_kind == "ajax" and browser.logins == 1


async def test_the_modal_is_asked_by_xhr_and_the_form_posted_to_logon_ajax() -> None:
    site = AjaxSite()
    async with site.browser() as browser:
        await browser.login("jean", PASSWORD)
    (modal,) = site.posted("Home/RecupererModaleConnexion")
    assert modal.headers["x-requested-with"] == "XMLHttpRequest"
    (logon,) = site.posted("Home/LogonAjax")
    assert logon.headers["x-requested-with"] == "XMLHttpRequest"
    assert logon.headers["accept"] == "application/json"
    assert logon.headers["origin"] == "https://monespace.ivry94.fr"
    form = parse_qs(logon.content.decode(), keep_blank_values=True)
    assert form["username"] == ["jean"] and form["password"] == [PASSWORD]
    assert form["returnUrl"] == [""]
    assert site.posted("Home/Logon") == []  # never the modal form's own action


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        ({"Status": "KO", "Message": "Identifiant ou mot de passe incorrect."}, None),
        ({"status": "ERREUR", "message": "  Votre compte est\n verrouillé. "}, None),
        ({"Status": "KO"}, "The portal refused the login without saying why."),
        ({"Status": "KO", "Message": "X\x1b[2J"}, "X�[2J"),
    ],
)
async def test_a_refusal_gives_the_sites_message(answer: dict[str, Any], words: str | None) -> None:
    site = AjaxSite(answer)
    browser = site.browser()
    with pytest.raises(LoginRefused) as caught:
        await browser.login("jean", PASSWORD)
    expected = words or " ".join(str(answer.get("Message") or answer.get("message")).split())
    assert str(caught.value) == expected
    assert caught.value.exit_code == 3
    await browser.aclose()


@pytest.mark.parametrize(
    "answer",
    [
        httpx.Response(200, html="<html><body>Erreur</body></html>"),
        httpx.Response(200, json=["OK"]),
        httpx.Response(200, json={"locationHref": "x"}),
    ],
)
async def test_an_answer_that_is_not_the_json_is_a_changed_page(answer: httpx.Response) -> None:
    browser = AjaxSite(answer).browser()
    with pytest.raises(PageChanged) as caught:
        await browser.login("jean", PASSWORD)
    assert caught.value.page == "Home/LogonAjax"
    await browser.aclose()


async def test_a_server_error_at_logon_ajax_says_try_again() -> None:
    browser = AjaxSite(httpx.Response(500)).browser()
    with pytest.raises(PortalUnreachable) as caught:
        await browser.login("jean", PASSWORD)
    assert "HTTP 500" in str(caught.value) and PASSWORD not in str(caught.value)
    await browser.aclose()


async def test_a_home_without_form_nor_modal_names_the_missing_form() -> None:
    browser = AjaxSite(modal=httpx.Response(404)).browser()
    with pytest.raises(PageChanged) as caught:
        await browser.login("jean", PASSWORD)
    assert (caught.value.page, caught.value.element) == (
        "Home/AccueilPublic",
        "form#idFormConnexion",
    )
    await browser.aclose()


async def test_a_modal_without_the_form_names_the_modal() -> None:
    browser = AjaxSite(modal=httpx.Response(200, html="<div>Bientôt</div>")).browser()
    with pytest.raises(PageChanged) as caught:
        await browser.login("jean", PASSWORD)
    assert caught.value.page == "Home/RecupererModaleConnexion"
    await browser.aclose()


@pytest.mark.parametrize(
    ("body", "ok", "message", "where"),
    [
        (
            '{"Status": "OK", "locationHref": "/a/espace-citoyens/CompteCitoyen"}',
            True,
            None,
            "/a/espace-citoyens/CompteCitoyen",
        ),
        ('{"status": "OK", "LocationHref": "/b"}', True, None, "/b"),
        ('{"Status": "KO", "Message": "Non."}', False, "Non.", None),
        ('{"Status": 0, "Message": 3}', False, None, None),
    ],
)
def test_parse_logon_json(body: str, ok: bool, message: str | None, where: str | None) -> None:
    result = pages.parse_logon_json(body.encode())
    assert (result.ok, result.message, result.location) == (ok, message, where)


@pytest.mark.parametrize("body", [b"", b"<html>", b"[]", b'{"Status": null}', b"\xff"])
def test_parse_logon_json_refuses_what_is_not_its_json(body: bytes) -> None:
    with pytest.raises(PageChanged):
        pages.parse_logon_json(body)


async def test_a_modal_without_a_token_still_logs_in() -> None:
    bare = MODAL.replace('<input name="__RequestVerificationToken" type="hidden" value="tok">', "")
    site = AjaxSite(modal=httpx.Response(200, html=bare))
    async with site.browser() as browser:
        await browser.login("jean", PASSWORD)
    (logon,) = site.posted("Home/LogonAjax")
    form = parse_qs(logon.content.decode(), keep_blank_values=True)
    assert sorted(form) == ["password", "returnUrl", "username"]


async def test_a_public_home_in_maintenance_says_so() -> None:
    site = AjaxSite(modal=httpx.Response(404))
    home = "<html><head><title>Site en maintenance</title></head><body><p>Revenez</p></body></html>"

    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("Home/AccueilPublic"):
            return httpx.Response(200, html=home)
        return site.handle(request)

    browser = EspaceCitoyensBrowser(BASE, transport=httpx.MockTransport(handle), retries=0)
    with pytest.raises(Maintenance) as caught:
        await browser.login("jean", PASSWORD)
    assert caught.value.page == "Home/AccueilPublic"
    await browser.aclose()
