"""A commune that runs the portal on its own host (SITE.md, "Addresses"): an https address of
the `/{commune}/espace-citoyens/` shape on any host is a portal, whose origin is the one every
rule follows; the slug alone still means www.espace-citoyens.net; any other shape is a usage
error that shows a right address."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from conftest import Run
from espace_tui.mock import MockOptions
from espace_tui.mock.site import MockSite, Request, parse_form, parse_query
from espace_tui.portal.browser import EspaceCitoyensBrowser
from espace_tui.portal.urls import base_url_for

OWN = "https://monespace.ivry94.fr/ivry94/espace-citoyens/"


@pytest.mark.parametrize(
    ("text", "base"),
    [
        (OWN, OWN),
        ("https://monespace.ivry94.fr/ivry94/espace-citoyens", OWN),
        ("https://monespace.ivry94.fr/ivry94/espace-citoyens/Home/AccueilPublic", OWN),
        ("monespace.ivry94.fr/ivry94/espace-citoyens/", OWN),
        ("https://MONESPACE.ivry94.fr/IVRY94/espace-citoyens/CompteCitoyen", None),
        ("ivry94", "https://www.espace-citoyens.net/ivry94/espace-citoyens/"),
    ],
)
def test_an_own_host_portal_is_a_portal(text: str, base: str | None) -> None:
    got = base_url_for(text)
    if base is None:  # the host's case is kept as typed; the path is the portal's
        assert urlsplit(got).path == "/ivry94/espace-citoyens/"
        assert urlsplit(got).hostname == "monespace.ivry94.fr"
    else:
        assert got == base


@pytest.mark.parametrize(
    "portal",
    [
        "https://monespace.ivry94.fr/",
        "https://monespace.ivry94.fr/ivry94/",
        "https://monespace.ivry94.fr/espace-citoyens/",
        "https://monespace.ivry94.fr/ivry94/portail/",
    ],
)
def test_another_shape_is_a_usage_error_showing_a_right_address(run: Run, portal: str) -> None:
    code, out, err = run("--portal", portal, "--username", "x", "invoices")
    assert (code, out) == (2, "")
    assert "https://www.espace-citoyens.net/ecouflant/espace-citoyens/" in err
    assert "/COMMUNE/espace-citoyens/" in err


def test_plain_http_off_this_machine_is_still_refused(run: Run) -> None:
    code, _out, err = run("--portal", OWN.replace("https", "http"), "--username", "x", "invoices")
    assert code == 2 and "https://" in err


# --- The bundled mock's site, as if served on the commune's own host ---------------------------


class OwnHost:
    """The mock's site (`MockSite`) answering as `https://monespace.ivry94.fr`, through an
    httpx transport: no socket, no certificate, the same pages."""

    def __init__(self, login: str) -> None:
        self.site = MockSite(MockOptions(commune="ivry94", login=login))
        self.site.root_url = "https://monespace.ivry94.fr/"
        self.hosts: set[str] = set()

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.hosts.add(request.url.host)
        cookies: dict[str, str] = {}
        for part in request.headers.get("cookie", "").split(";"):
            name, eq, value = part.strip().partition("=")
            if eq:
                cookies[name] = value
        answer = self.site.handle(
            Request(
                method=request.method,
                path=request.url.path,
                query=parse_query(request.url.query.decode()),
                headers={k.lower(): v for k, v in request.headers.items()},
                cookies=cookies,
                form=parse_form(request.content) if request.method == "POST" else {},
            )
        )
        return httpx.Response(
            answer.status,
            content=answer.body,
            headers=[("Content-Type", answer.content_type), *answer.headers],
        )

    def factory(self, base_url: str) -> Any:
        return EspaceCitoyensBrowser(base_url, transport=httpx.MockTransport(self.handle))


@pytest.mark.parametrize("login", ["form", "ajax"])
def test_an_own_host_portal_serves_every_invoice(
    run: Run, monkeypatch: pytest.MonkeyPatch, login: str
) -> None:
    own = OwnHost(login)
    monkeypatch.setenv("ESPACE_TUI_PASSWORD", "demo")
    code, out, err = run(
        "--portal", OWN, "--username", "demo", "invoices", "--json", portal_factory=own.factory
    )
    assert (code, err) == (0, "")
    assert sorted(i["id"] for i in json.loads(out)) == sorted(i.id for i in own.site.invoices())
    assert own.hosts == {"monespace.ivry94.fr"}


def test_the_own_hosts_payment_return_address_is_its_own() -> None:
    own = OwnHost("form")
    seed = next(i for i in own.site.invoices() if i.number == "651")
    session = own.site._open_session(
        Request(method="POST", path="/", query={}, headers={}, cookies={})
    )
    cookie = session.split(";", 1)[0].split("=", 1)
    answer = own.site.handle(
        Request(
            method="GET",
            path="/ivry94/espace-citoyens/MonCompte/PayerFacture",
            query={"IdFactureUnique": seed.id},
            headers={},
            cookies={cookie[0]: cookie[1]},
        )
    )
    location = dict(answer.headers)["Location"]
    urlcl = parse_qs(urlsplit(location).query)["urlcl"][0]
    assert urlcl == OWN + "MonCompte"


def test_an_own_host_is_not_the_loopback_demo_its_own_payment_page_is_refused(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The mock sends to its own /tpa/paiement.web: allowed for a loopback mock only.
    own = OwnHost("form")
    monkeypatch.setenv("ESPACE_TUI_PASSWORD", "demo")
    code, out, err = run(
        "--portal", OWN, "--username", "demo", "pay", "651", portal_factory=own.factory
    )
    assert (code, out) == (6, "")
    assert "host monespace.ivry94.fr is not PayFiP" in err


def test_an_own_host_portal_never_posts_the_password_to_the_shared_host(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The portal's origin is its own host: www.espace-citoyens.net is "another site" for it.
    posted: list[str] = []
    form = """<form id="idFormConnexion" method="post"
        action="https://www.espace-citoyens.net/ivry94/espace-citoyens/Home/Logon">
        <input name="__RequestVerificationToken" value="t"><input name="username">
        <input name="password" type="password"></form>"""

    def handle(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            posted.append(str(request.url))
        return httpx.Response(200, html=form)

    def factory(base_url: str) -> Any:
        return EspaceCitoyensBrowser(base_url, transport=httpx.MockTransport(handle))

    monkeypatch.setenv("ESPACE_TUI_PASSWORD", "demo")
    code, _out, err = run("--portal", OWN, "--username", "demo", "invoices", portal_factory=factory)
    assert code == 5 and "posts to another site" in err
    assert posted == []
