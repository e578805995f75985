"""Property tests of the payment address check: only https on a PayFiP host, on a PayFiP
payment path, is ever opened; everything else is refused plainly, never with a traceback."""

from __future__ import annotations

import re
import string
from urllib.parse import quote

from hypothesis import given, settings
from hypothesis import strategies as st

from espace_tui.core.errors import UnsafePaymentAddress
from espace_tui.core.formats import has_controls
from espace_tui.portal.payment import check_payment_url

PORTAL = "https://www.espace-citoyens.net/ecouflant/espace-citoyens/"
PAYFIP_HOSTS = ("www.payfip.gouv.fr", "www.tipi.budget.gouv.fr")
PAYFIP_PATHS = ("/tpa/paiement.web", "/tpa/paiementws.web")
TEST_HOST = "www.tipi-client.budget.gouv.fr"
"""The DGFiP's test site: a planned change may accept it (with saisie=T). Not asserted here."""

_SAFE = re.compile(
    r"https://(?P<host>[^/?#:@\[\]\\]+)(?::(?:0*443)?)?(?P<path>/[^?#]*)(?:[?#][!-~]*)?",
    re.IGNORECASE,
)
"""The one shape of an address that may be opened; the host and path are checked after."""


def is_safe(url: str) -> bool:
    """SITE.md §7: https, host exactly a PayFiP host, no user name, the default port, a payment
    path; whatever follows the path is printable ASCII without a backslash."""
    match = _SAFE.fullmatch(url)
    return (
        match is not None
        and "\\" not in url
        and match["host"].lower() in PAYFIP_HOSTS
        and match["path"] in PAYFIP_PATHS
    )


def _is_test_host(url: str) -> bool:
    """An https address on the test host itself (whatever its path): left to the planned change."""
    match = _SAFE.fullmatch(url)
    return match is not None and match["host"].lower() == TEST_HOST


def check(url: str) -> None:
    """The property: the address comes back unchanged exactly when it is safe; else a refusal
    whose message can be printed as it is."""
    try:
        result = check_payment_url(url, portal_base_url=PORTAL)
    except UnsafePaymentAddress as refusal:
        assert not has_controls(refusal.message), repr(refusal.message)
        assert not has_controls(str(refusal)), repr(str(refusal))
        if not _is_test_host(url):
            assert not is_safe(url), f"a PayFiP address was refused: {url!r} ({refusal})"
        return
    assert result == url
    if not _is_test_host(url):
        assert is_safe(url), f"an unsafe address was accepted: {url!r}"


# --- Addresses made of parts -----------------------------------------------------------------

NASTY = st.sampled_from(
    ["\x00", "\t", "\n", "\r", " ", "\x1b", "\x7f", "\x85", "\u202e", "\u200b", "\\", "%00", "%2e"]
)
SCHEMES = st.sampled_from(["https://", "HTTPS://"]) | st.sampled_from(
    [
        "https://",
        "HTTPS://",
        "hTtPs://",
        "http://",
        "https:",
        "https:/",
        "https:///",
        "https:\\\\",
        "//",
        "",
        "javascript:",
        "javascript://",
        "file://",
        "file:///",
        "ftp://",
        "data:text/html,",
        " https://",
        "https ://",
        "ht\ttps://",
        "\x00https://",
        "ｈｔｔｐｓ://",
    ]
)
USERINFO = st.just("") | st.sampled_from(
    ["user@", "user:pass@", ":@", "@", "www.payfip.gouv.fr@", "%40@", "a%40b@"]
)
HOSTS = st.one_of(
    st.sampled_from(PAYFIP_HOSTS),
    st.sampled_from(  # look-alikes
        [
            "WWW.PAYFIP.GOUV.FR",
            "Www.Tipi.Budget.Gouv.Fr",
            "www.payfip.gouv.fr.",
            "www.tipi.budget.gouv.fr.",
            "www.payfip.gouv.fr.evil.com",
            "evil-www.payfip.gouv.fr",
            "x.www.tipi.budget.gouv.fr",
            "wwwpayfip.gouv.fr",
            "payfip.gouv.fr",
            "tipi.budget.gouv.fr",
        ]
    ),
    st.sampled_from(
        [
            *PAYFIP_HOSTS,
            TEST_HOST,
            "evil.com",
            "www.payfip.gouv.fr%2eevil.com",
            "www%2epayfip%2egouv%2efr",
            "xn--www-payfip-gouv-fr",
            "xn--pyfip-5qa.gouv.fr",
            "ｗｗｗ.payfip.gouv.fr",
            "www.payfíp.gouv.fr",
            "www.payfip.gouv.fr\x00.evil.com",
            "www.payfip.gouv.fr\\.evil.com",
            "www.payfip.gouv.fr#.evil.com",
            "evil.com#www.payfip.gouv.fr",
            "www.espace-citoyens.net",
            "127.0.0.1",
            "localhost",
            "[::1]",
            "[::ffff:127.0.0.1]",
            "[zz",
            "[::1",
            "zz]",
            "[www.payfip.gouv.fr]",
            "",
        ]
    ),
    st.tuples(  # a PayFiP host inside another name: `evil-www.payfip.gouv.fr`, `….fr.evil`
        st.text(alphabet=string.ascii_lowercase + ".-", max_size=5),
        st.sampled_from(PAYFIP_HOSTS),
        st.text(alphabet=string.ascii_lowercase + ".-", max_size=5),
    ).map("".join),
    st.text(max_size=20),
    st.text(alphabet=string.ascii_lowercase + ".-[]:%", max_size=25),
)
PORTS = st.sampled_from(["", ":443"]) | st.sampled_from(
    [":0443", ":", ":80", ":8443", ":99999", ":-1", ":abc", ": 443", ":443\x00"]
)
PATHS = st.one_of(
    st.sampled_from(PAYFIP_PATHS),
    st.sampled_from(
        [
            "/TPA/paiement.web",
            "/tpa/paiement.web/",
            "/tpa/paiement.web;x",
            "/tpa/../tpa/paiement.web",
            "/tpa/./paiement.web",
            "/tpa/paiement%2eweb",
            "/tpa//paiement.web",
            "\\tpa\\paiement.web",
            "//evil.com/tpa/paiement.web",
            "/tpa/paiement.web.evil",
            "/",
            "",
            "/ecouflant/espace-citoyens/tpa/paiement.web",
        ]
    ),
    st.text(alphabet=string.ascii_lowercase + "/.%", max_size=20).map(lambda path: "/" + path),
)
QUERIES = st.one_of(
    st.sampled_from(
        [
            "",
            "?numcli=012345&exer=2018&refdet=2018010000651&montant=2320&saisie=X",
            "?idop=0123abcd",
            "?urlcl=https%3A%2F%2Fevil.com",
            "?x=@evil.com",
            "#@evil.com",
            "?a=\\b",
            "?a=[zz",
            "?saisie=T",
        ]
    ),
    st.text(max_size=15).map(lambda text: "?q=" + quote(text, safe="")),
    st.text(max_size=15).map(lambda text: "?q=" + text),
)


GOOD_PARTS = (
    st.sampled_from(["https://", "HTTPS://"]),
    st.just(""),
    st.sampled_from(PAYFIP_HOSTS),
    st.sampled_from(["", ":443"]),
    st.sampled_from(PAYFIP_PATHS),
    st.sampled_from(["", "?idop=0123abcd", "?numcli=012345&montant=2320&saisie=X"]),
)
ANY_PARTS = (SCHEMES, USERINFO, HOSTS, PORTS, PATHS, QUERIES)


@st.composite
def addresses(draw: st.DrawFn) -> str:
    """A PayFiP address with up to three of its parts (scheme, user name, host, port, path,
    query) swapped for others, and maybe a stray character: mostly near misses."""
    swapped = draw(st.sets(st.integers(0, len(ANY_PARTS) - 1), max_size=3))
    url = "".join(
        draw(ANY_PARTS[index] if index in swapped else GOOD_PARTS[index])
        for index in range(len(ANY_PARTS))
    )
    for _ in range(draw(st.just(0) | st.integers(1, 2))):
        place = draw(st.integers(0, len(url)))
        url = url[:place] + draw(NASTY) + url[place:]
    return url


@settings(max_examples=1000, deadline=None)
@given(url=addresses())
def test_an_address_is_opened_only_when_it_is_payfip(url: str) -> None:
    check(url)


@settings(max_examples=400, deadline=None)
@given(url=st.one_of(st.text(), st.text(alphabet=string.printable)))
def test_any_text_is_a_payfip_address_or_a_plain_refusal(url: str) -> None:
    check(url)


@settings(max_examples=300, deadline=None)
@given(
    scheme=st.sampled_from(["https", "HTTPS", "Https"]),
    host=st.sampled_from(PAYFIP_HOSTS).flatmap(
        lambda host: st.lists(st.booleans(), min_size=len(host), max_size=len(host)).map(
            lambda upper: "".join(
                char.upper() if up else char for char, up in zip(host, upper, strict=True)
            )
        )
    ),
    port=st.sampled_from(["", ":443"]),
    path=st.sampled_from(PAYFIP_PATHS),
    query=st.dictionaries(
        st.sampled_from(["numcli", "exer", "refdet", "objet", "montant", "mel", "urlcl", "idop"]),
        st.text(max_size=20),
        max_size=5,
    ),
)
def test_every_payfip_address_is_opened_unchanged(
    scheme: str, host: str, port: str, path: str, query: dict[str, str]
) -> None:
    """What the portal sends (a PayFiP address, its parameters percent-encoded) is never
    refused: the user can pay."""
    encoded = "&".join(f"{key}={quote(value, safe='')}" for key, value in query.items())
    url = f"{scheme}://{host}{port}{path}" + (f"?{encoded}" if encoded else "")
    assert is_safe(url)
    assert check_payment_url(url, portal_base_url=PORTAL) == url
