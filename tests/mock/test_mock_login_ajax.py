"""The bundled mock's AJAX login (`--login ajax`, SITE.md §2b), spoken to over a real loopback
socket as the site's own script would: a public home with a "Se connecter" button, the modal by
XHR, `Home/LogonAjax` answering JSON. The default stays the form of §1-2."""

from __future__ import annotations

import argparse
import re
import signal
import subprocess
import sys
from collections.abc import Callable

import httpx
import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from espace_tui.mock import Faults, MockOptions, MockPortal
from espace_tui.mock.cli import add_arguments

XHR = {"X-Requested-With": "XMLHttpRequest"}
JSON = {**XHR, "Accept": "application/json"}
MakeMock = Callable[..., MockPortal]


def client_for(portal: MockPortal) -> httpx.Client:
    return httpx.Client(base_url=portal.base_url, follow_redirects=False, timeout=10)


def ajax_log_in(http: httpx.Client, password: str = "demo", user: str = "demo") -> httpx.Response:
    http.get("Home/AccueilPublic")
    modal = http.post("Home/RecupererModaleConnexion", headers=XHR)
    assert modal.status_code == 200
    form = HTMLParser(modal.text).css_first("form#idFormConnexion")
    assert form is not None
    token = form.css_first('input[name="__RequestVerificationToken"]')
    assert token is not None and token.attributes["value"]
    data = {"username": user, "password": password, "returnUrl": ""}
    return http.post("Home/LogonAjax", data=data, headers=JSON)


@pytest.mark.parametrize("path", ["", "Home/AccueilPublic"])
def test_the_ajax_home_shows_a_button_not_the_form(make_mock: MakeMock, path: str) -> None:
    with client_for(make_mock(login="ajax")) as http:
        home = http.get(path)
    assert home.status_code == 200
    tree = HTMLParser(home.text)
    assert tree.css_first("form#idFormConnexion") is None
    assert tree.css_first("input[type=password]") is None
    button = tree.css_first("#btnAfficherConnexion")
    assert button is not None and " ".join(button.text().split()) == "Se connecter"


def test_the_ajax_login_answers_json_and_opens_a_session(make_mock: MakeMock) -> None:
    portal = make_mock(login="ajax")
    with client_for(portal) as http:
        answer = ajax_log_in(http)
        assert answer.headers["content-type"].startswith("application/json")
        assert answer.json() == {
            "Status": "OK",
            "locationHref": "/ecouflant/espace-citoyens/CompteCitoyen",
        }
        assert "ASP.NET_SessionIdEC" in http.cookies
        assert http.get("CompteCitoyen").status_code == 200
    assert portal.stats.logins == 1


@pytest.mark.parametrize(
    ("user", "password", "message"),
    [
        ("demo", "wrong", "Identifiant ou mot de passe incorrect."),
        ("verrouille", "demo", "Votre compte est verrouillé. Veuillez contacter votre mairie."),
    ],
)
def test_a_refused_ajax_login_gives_the_sites_words(
    make_mock: MakeMock, user: str, password: str, message: str
) -> None:
    with client_for(make_mock(login="ajax")) as http:
        answer = ajax_log_in(http, password, user)
        assert answer.json() == {"Status": "KO", "Message": message}
        assert http.get("CompteCitoyen").status_code == 302


def test_the_modal_and_logon_ajax_answer_xhr_only(make_mock: MakeMock) -> None:
    with client_for(make_mock(login="ajax")) as http:
        http.get("Home/AccueilPublic")
        for path in ("Home/RecupererModaleConnexion", "Home/LogonAjax"):
            answer = http.post(path, data={"username": "demo", "password": "demo"})
            assert answer.status_code == 302
            assert answer.headers["location"].endswith("/Home/AccueilPublic")


def test_the_ajax_portal_takes_no_form_post(make_mock: MakeMock) -> None:
    with client_for(make_mock(login="ajax")) as http:
        assert http.post("Home/Logon", data={"username": "demo"}).status_code == 404


def test_the_form_portal_serves_no_modal(make_mock: MakeMock) -> None:
    with client_for(make_mock()) as http:
        home = http.get("Home/AccueilPublic")
        assert HTMLParser(home.text).css_first("form#idFormConnexion") is not None
        assert http.post("Home/RecupererModaleConnexion", headers=XHR).status_code == 404
        assert http.post("Home/LogonAjax", headers=JSON).status_code == 404


def test_an_ended_ajax_session_answers_a_page_holding_the_login_form(make_mock: MakeMock) -> None:
    portal = make_mock(login="ajax", faults=Faults(expire_every=1))
    with client_for(portal) as http:
        ajax_log_in(http)
        http.get("CompteCitoyen")
        answers = [http.get("CompteCitoyen") for _ in range(3)]  # 500, redirect, 200 page
    assert [a.status_code for a in answers] == [500, 302, 200]
    assert HTMLParser(answers[2].text).css_first("form#idFormConnexion") is not None


def test_login_is_a_mock_option() -> None:
    assert MockOptions().login == "form"
    assert MockOptions(login="ajax").login == "ajax"
    with pytest.raises(ValueError, match="form or ajax"):
        MockOptions(login="modal")
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    assert parser.parse_args([]).login == "form"
    assert parser.parse_args(["--login", "ajax"]).login == "ajax"


def test_mock_server_login_ajax_serves_the_button() -> None:
    server = subprocess.Popen(
        [sys.executable, "-m", "espace_tui.mock", "--port", "0", "--quiet", "--login", "ajax"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        first = server.stdout.readline()
        url = re.search(r"http://127\.0\.0\.1:\d+/ecouflant/espace-citoyens/", first)
        assert url, first
        home = httpx.get(url.group(0) + "Home/AccueilPublic")
        assert "btnAfficherConnexion" in home.text and "idFormConnexion" not in home.text
    finally:
        server.send_signal(signal.SIGINT)
        _out, err = server.communicate(timeout=10)
    assert server.returncode == 0 and "Traceback" not in err
