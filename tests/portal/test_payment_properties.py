"""Property tests of the payment address check: only https on a PayFiP host, on a PayFiP
payment path, with PayFiP's parameters in their form (SITE.md §7), is ever opened; everything
else is refused plainly, never with a traceback."""

from __future__ import annotations

import re
import string
from urllib.parse import parse_qs, quote, urlsplit

from hypothesis import given, settings
from hypothesis import strategies as st

from espace_tui.core.errors import UnsafePaymentAddress
from espace_tui.core.formats import has_controls
from espace_tui.portal.payment import check_payment_url

PORTAL = "https://www.espace-citoyens.net/ecouflant/espace-citoyens/"
PAYFIP_HOSTS = ("www.payfip.gouv.fr", "www.tipi.budget.gouv.fr")
PAYFIP_PATHS = ("/tpa/paiement.web", "/tpa/paiementws.web")
TEST_HOST = "www.tipi-client.budget.gouv.fr"
"""The DGFiP's test site: accepted for a test payment (`saisie=T`) only."""
URL_MODE = "/tpa/paiement.web"

_SAFE = re.compile(
    r"https://(?P<host>[^/?#:@\[\]\\]+)(?::(?:0*443)?)?(?P<path>/[^?#]*)(?:[?#][!-~]*)?",
    re.IGNORECASE,
)
"""The one shape of an address that may be opened; the host and path are checked after."""


def _parameters_ok(url: str, host: str, path: str) -> bool:
    """SITE.md §7's parameters: each given at most once; on the test host `saisie=T`; in URL
    mode a 6-digit `numcli`, a `refdet` of 6 to 30 letters and digits, `montant` in cents."""
    query = parse_qs(urlsplit(url).query, keep_blank_values=True)
    single = ("saisie", *_URL_NAMES) if path == URL_MODE else ("saisie",)
    if any(len(values) > 1 for name, values in query.items() if name in single):
        return False

    def one(name: str) -> str | None:
        return query[name][0] if name in query else None

    if host == TEST_HOST and one("saisie") != "T":
        return False
    if path != URL_MODE:
        return True
    numcli, refdet, montant = one("numcli"), one("refdet"), one("montant")
    return (
        numcli is not None
        and re.fullmatch(r"[0-9]{6}", numcli) is not None
        and refdet is not None
        and re.fullmatch(r"[A-Za-z0-9]{6,30}", refdet) is not None
        and (montant is None or re.fullmatch(r"[0-9]{1,12}", montant) is not None)
    )


_URL_NAMES = ("numcli", "refdet", "montant")


def is_safe(url: str) -> bool:
    """SITE.md §7: https, host exactly a PayFiP host (or the test host for a test payment), no
    user name, the default port, a payment path, PayFiP's parameters in their form; whatever
    follows the path is printable ASCII without a backslash."""
    match = _SAFE.fullmatch(url)
    if match is None or "\\" in url:
        return False
    host = match["host"].lower()
    return (
        (host in PAYFIP_HOSTS or host == TEST_HOST)
        and match["path"] in PAYFIP_PATHS
        and _parameters_ok(url, host, match["path"])
    )


def check(url: str) -> None:
    """The property: the address comes back unchanged exactly when it is safe; else a refusal
    whose message can be printed as it is."""
    try:
        result = check_payment_url(url, portal_base_url=PORTAL)
    except UnsafePaymentAddress as refusal:
        assert not has_controls(refusal.message), repr(refusal.message)
        assert not has_controls(str(refusal)), repr(str(refusal))
        assert not is_safe(url), f"a PayFiP address was refused: {url!r} ({refusal})"
        return
    assert result == url
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
            "?numcli=012345&refdet=2018010000651&saisie=T",
            "?numcli=12345&refdet=2018010000651",
            "?numcli=012345&refdet=2018-651",
            "?numcli=012345&numcli=999999&refdet=2018010000651",
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
    st.sampled_from(
        ["?idop=0123abcd", "?numcli=012345&refdet=2018010000651&montant=2320&saisie=X"]
    ),
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
    numcli=st.from_regex(r"[0-9]{6}", fullmatch=True),
    refdet=st.from_regex(r"[A-Za-z0-9]{6,30}", fullmatch=True),
    montant=st.none() | st.from_regex(r"[0-9]{1,12}", fullmatch=True),
    query=st.dictionaries(
        st.sampled_from(["exer", "objet", "mel", "urlcl", "idop", "saisie"]),
        st.text(max_size=20),
        max_size=5,
    ),
)
def test_every_payfip_address_is_opened_unchanged(
    scheme: str,
    host: str,
    port: str,
    path: str,
    numcli: str,
    refdet: str,
    montant: str | None,
    query: dict[str, str],
) -> None:
    """What the portal sends (a PayFiP address, its parameters percent-encoded, in URL mode
    a well-formed `numcli` and `refdet`) is never refused: the user can pay."""
    if path == URL_MODE:
        query = {"numcli": numcli, "refdet": refdet, **query}
        if montant is not None:
            query["montant"] = montant
    encoded = "&".join(f"{key}={quote(value, safe='')}" for key, value in query.items())
    url = f"{scheme}://{host}{port}{path}" + (f"?{encoded}" if encoded else "")
    assert is_safe(url)
    assert check_payment_url(url, portal_base_url=PORTAL) == url


@settings(max_examples=300, deadline=None)
@given(
    path=st.sampled_from(PAYFIP_PATHS),
    saisie=st.none() | st.sampled_from(["T", "X", "A", "M", "W", "t", ""]),
    repeat=st.sampled_from(["", "numcli", "refdet", "montant", "saisie"]),
)
def test_the_test_host_and_repeated_parameters_follow_the_model(
    path: str, saisie: str | None, repeat: str
) -> None:
    query = {"numcli": "012345", "refdet": "2018010000651", "montant": "2320"}
    if saisie is not None:
        query["saisie"] = saisie
    encoded = "&".join(f"{key}={value}" for key, value in query.items())
    if repeat:
        encoded += f"&{repeat}={query.get(repeat, 'T')}"
    for host in (*PAYFIP_HOSTS, TEST_HOST):
        check(f"https://{host}{path}?{encoded}")
