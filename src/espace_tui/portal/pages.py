"""The portal's pages, read into model objects: pure functions from HTML to data, no I/O.

Every function takes the page as `str` or `bytes` (UTF-8, as the site serves it) and follows
SITE.md: a missing [seen] element raises `PageChanged` naming the page and the selector; a missing
[adopted] element leaves its field None. Text is read tolerantly (line breaks, runs of spaces,
`&nbsp;`, U+202F) through `formats`.

selectolax's lexbor backend was chosen by measurement (`benchmarks/bench_parsers.py`): on a
200 KB list of 1 000 invoices it is faster than lxml and an order of magnitude faster than
BeautifulSoup.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar
from urllib.parse import unquote_to_bytes, urljoin

from selectolax.lexbor import LexborHTMLParser, LexborNode

from espace_tui.core.errors import ImplausibleValue, PageChanged
from espace_tui.core.formats import (
    OutOfRange,
    clean_text,
    has_controls,
    parse_amount,
    parse_date,
    parse_datetime,
    parse_decimal,
)
from espace_tui.core.model import (
    Account,
    FamilyMember,
    Invoice,
    InvoiceDetail,
    InvoiceLine,
    Regie,
    fold_words,
)
from espace_tui.portal import list_stream
from espace_tui.portal.urls import Page

# The pages' names, as errors show them: the table of `urls.Page`.
PAGE_HOME = Page.HOME
PAGE_LOGON = Page.LOGON
PAGE_LOGIN_MODAL = Page.LOGIN_MODAL
PAGE_LOGON_AJAX = Page.LOGON_AJAX
PAGE_ACCOUNT = Page.ACCOUNT
PAGE_INVOICES = Page.INVOICES
PAGE_DETAIL = Page.DETAIL
PAGE_PDF = Page.PDF
PAGE_PAY = Page.PAY

Html = str | bytes
T = TypeVar("T")

_LOGIN_FORM = "form#idFormConnexion"
_TOKEN = "__RequestVerificationToken"
_MEMBER_LINK = 'a[href*="FichePersonne/DetailPersonne" i]'
_MEMBER_ROLES = frozenset({"pere", "mere", "garcon", "fillette"})
"""The pictures of the family (SITE.md §3)."""
_CONTACT_PICTURE = "agent_"
"""How the pictures of the family's contacts start (`agent_fille`, `agent_homme`): a contact
is never one of the family. A picture SITE.md does not name at all stays a member without a
role (a theme may draw the family otherwise)."""
_NOT_SENT = frozenset({"submit", "button", "image", "reset", "file"})
_ID_DYNAMIC = re.compile(r"idDynamic=([^&#]+)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class LoginForm:
    """The login form of the public home: where to post it and what to send with it."""

    action_url: str
    """Absolute address the form posts to (normally `…/Home/Logon`)."""
    token: str
    """The anti-forgery token `__RequestVerificationToken`."""
    fields: dict[str, str] = field(default_factory=dict)
    """The form's other named inputs (hidden ones mostly), sent back as they are; neither the
    token nor `username`/`password`."""


def _parse(html: Html) -> LexborHTMLParser:
    return LexborHTMLParser(html)


def _text(node: LexborNode | None) -> str | None:
    """The node's text with white space collapsed; None for a missing node or empty text."""
    if node is None:
        return None
    return clean_text(node.text(deep=True))


def _first_text(root: LexborHTMLParser | LexborNode, selector: str) -> str | None:
    return _text(root.css_first(selector))


def _number(parse: Callable[[str | None], T], text: str | None, page: str, element: str) -> T:
    """A number read with `parse`; one no family could owe is the page's error, naming it."""
    try:
        return parse(text)
    except OutOfRange:
        raise ImplausibleValue(page, element, text or "") from None


def _has_class(node: LexborNode, name: str) -> bool:
    return name in (node.attributes.get("class") or "").split()


# --- Login ----------------------------------------------------------------------------------


def _login_form_node(tree: LexborHTMLParser) -> LexborNode | None:
    """`#idFormConnexion`, else the first form holding a password field (what browsers and the
    public clients submit)."""
    return tree.css_first(_LOGIN_FORM) or tree.css_first(
        "form:has(input[type=password i]), form:has(input[name=password i])"
    )


def is_login_page(html: Html) -> bool:
    """Whether the page holds the login form: the public home, a refused login, or any page the
    site answers once the session has ended."""
    # A cheap look at the raw text first: most pages (and every PDF) are not the login page,
    # and this runs on every answer of the site.
    probe = html.lower()
    if isinstance(probe, bytes):
        if b"idformconnexion" not in probe and b"password" not in probe:
            return False
    elif "idformconnexion" not in probe and "password" not in probe:
        return False
    return _login_form_node(_parse(html)) is not None


def has_login_form(html: Html) -> bool:
    """Whether the public home holds the login form (SITE.md §1), rather than a "Se connecter"
    button that asks for it (§2b)."""
    return _login_form_node(_parse(html)) is not None


def parse_login_form(
    html: Html, page_url: str, page: str = PAGE_HOME, *, need_token: bool = True
) -> LoginForm:
    """The login form of the public home or of the login modal (`#idFormConnexion`, or the
    first form with a password field), its address made absolute against `page_url`; `page`
    names the page in errors. Without `need_token`, a form without the anti-forgery token has
    an empty one (`Home/LogonAjax` is not known to ask for it)."""
    tree = _parse(html)
    form = _login_form_node(tree)
    if form is None:
        raise PageChanged(page, _LOGIN_FORM)
    token: str | None = None
    fields: dict[str, str] = {}
    for node in form.css("input[name]"):
        name = node.attributes.get("name") or ""
        kind = (node.attributes.get("type") or "text").lower()
        value = node.attributes.get("value") or ""
        unchecked = kind in ("checkbox", "radio") and "checked" not in node.attributes
        if name == _TOKEN:
            token = value
        elif not (name.lower() in ("username", "password") or kind in _NOT_SENT or unchecked):
            fields[name] = value
    if not token and need_token:
        raise PageChanged(page, f'{_LOGIN_FORM} input[name="{_TOKEN}"]')
    action = (form.attributes.get("action") or "").strip()
    try:
        action_url = urljoin(page_url, action)
    except ValueError:  # broken brackets and the like: no address to post a password to
        raise PageChanged(page, f"{_LOGIN_FORM}[action]") from None
    if has_controls(action_url) or any(c.isspace() for c in action_url):
        raise PageChanged(page, f"{_LOGIN_FORM}[action]")
    return LoginForm(action_url=action_url, token=token or "", fields=fields)


@dataclass(frozen=True, slots=True)
class AjaxLogon:
    """What `Home/LogonAjax` answered (SITE.md §2b)."""

    ok: bool
    """`Status` is `OK`."""
    message: str | None = None
    """The site's words (`Message`) when it refused, white space collapsed."""
    location: str | None = None
    """`locationHref`: where the browser goes next (the dashboard)."""


def _json_field(data: dict[str, object], name: str) -> object:
    """A field of the site's JSON, its name's case ignored (`Status` and `status` both occur)."""
    if name in data:
        return data[name]
    lowered = name.lower()
    return next((value for key, value in data.items() if key.lower() == lowered), None)


def parse_logon_json(body: Html) -> AjaxLogon:
    """`Home/LogonAjax`'s JSON: `{"Status": "OK", "locationHref": …}` on success, any other
    `Status` on refusal, with the site's words in `Message`. Anything else is a changed page."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise PageChanged(PAGE_LOGON_AJAX, "JSON Status") from None
    if not isinstance(data, dict):
        raise PageChanged(PAGE_LOGON_AJAX, "JSON Status")
    status = _json_field(data, "Status")
    if not isinstance(status, str | int | bool) or isinstance(status, bool):
        raise PageChanged(PAGE_LOGON_AJAX, "JSON Status")
    message = _json_field(data, "Message")
    where = _json_field(data, "locationHref")
    return AjaxLogon(
        ok=str(status).strip().upper() == "OK",
        message=clean_text(message) if isinstance(message, str) else None,
        location=clean_text(where) if isinstance(where, str) else None,
    )


def login_error(html: Html) -> str | None:
    """The site's own message for a refused login (`span.erreurLogin`), white space collapsed."""
    return _first_text(_parse(html), "span.erreurLogin, .erreurLogin")


# --- Maintenance ----------------------------------------------------------------------------

_MAINTENANCE_PLACES = "#maintenance, .maintenance, title, h1, h2, h3"


def is_maintenance(html: Html) -> bool:
    """Whether the page says the portal is in maintenance.

    SITE.md does not describe this page, so it is recognised by its words: an element marked
    `maintenance` (id or class), or a title or heading that says "maintenance". The body is not
    searched, so that a news item mentioning a maintenance does not stop the client.
    """
    tree = _parse(html)
    if tree.css_first("#maintenance, .maintenance") is not None:
        return True
    return any(
        "maintenance" in fold_words(node.text(deep=True)) for node in tree.css("title, h1, h2, h3")
    )


def maintenance_message(html: Html) -> str | None:
    """The maintenance page's own sentence, shown to the user beside ours (at most 300 chars)."""
    tree = _parse(html)
    for selector in ("#maintenance p", ".maintenance p", "#maintenance", ".maintenance", "p"):
        text = _first_text(tree, selector)
        if text:
            return text[:300]
    return None


# --- Dashboard ------------------------------------------------------------------------------


def parse_account(html: Html) -> Account:
    """The dashboard (`CompteCitoyen`): greeting and last connection [adopted], family [seen].

    The account holder is always one of the family, so a dashboard without any member link is
    a changed page.
    """
    tree = _parse(html)
    links = tree.css(_MEMBER_LINK)
    if not links:
        raise PageChanged(PAGE_ACCOUNT, _MEMBER_LINK)
    members: dict[str, FamilyMember] = {}
    pictured: set[str] = set()
    contacts: set[str] = set()
    for link in links:
        match = _ID_DYNAMIC.search(link.attributes.get("href") or "")
        if not match:
            continue
        member_id = clean_text(unquote_to_bytes(match.group(1)).decode("utf-8", "replace")) or ""
        image = link.css_first("img")
        # The same person is often linked twice (menu, tile, "Modifier mes coordonnées"): the
        # link wrapping the picture names them; a text-only link is kept only until one comes,
        # and dropped at the end when the page has pictures (SITE.md: members wrap an <img>).
        if member_id in contacts or (
            member_id in members and (image is None or member_id in pictured)
        ):
            continue
        if image is not None:
            pictured.add(member_id)
        name = clean_text(image.attributes.get("alt")) if image else None
        role = None
        stem = ""
        if image is not None:
            stem = (image.attributes.get("src") or "").rsplit("/", 1)[-1].split(".")[0].lower()
            role = stem if stem in _MEMBER_ROLES else None
        if stem.startswith(_CONTACT_PICTURE):
            # A contact of the family: never one of it, nor are their other links.
            contacts.add(member_id)
            members.pop(member_id, None)
            continue
        members[member_id] = FamilyMember(id=member_id, name=name or _text(link) or "", role=role)
    if pictured:
        members = {key: member for key, member in members.items() if key in pictured}
    if not members:
        raise PageChanged(PAGE_ACCOUNT, f"{_MEMBER_LINK} (idDynamic)")
    last_text = _first_text(tree, "#spanDerniereConnexion")
    return Account(
        greeting=_first_text(tree, "#spanBonjour"),
        last_connection=parse_datetime(last_text),
        last_connection_text=last_text,
        members=tuple(members.values()),
    )


# --- Invoice list ---------------------------------------------------------------------------


def _regie_of(row: LexborNode, cache: dict[int, Regie | None]) -> Regie | None:
    """The régie block (`div.regie`) around a row, or None for a row outside any block."""
    node = row.parent
    while node is not None and node.tag not in (None, "html", "body"):
        if node.tag == "div" and _has_class(node, "regie"):
            key = node.mem_id
            if key not in cache:
                name = _first_text(node, "h3.libelleRegie, .libelleRegie")
                raw_id = clean_text((node.attributes.get("id") or "").removeprefix("regie-"))
                cache[key] = Regie(id=raw_id or None, name=name) if name else None
            return cache[key]
        node = node.parent
    return None


class _Cells:
    """A row's cells by class: one pass over the row's own cells, since a CSS query per field
    costs more than the rest of the parsing on a list of a thousand invoices. A class not found
    on a cell is looked for deeper (`.ligneCompte` may be nested on some pages)."""

    def __init__(self, row: LexborNode) -> None:
        self._row = row
        self._by_class: dict[str, LexborNode] = {}
        for cell in row.iter():
            for name in (cell.attributes.get("class") or "").split():
                self._by_class.setdefault(name, cell)

    def get(self, name: str) -> LexborNode | None:
        found = self._by_class.get(name)
        return found if found is not None else self._row.css_first(f".{name}")


def _looks_like_invoice_list(tree: LexborHTMLParser) -> bool:
    """What marks a `MonCompte` page that lists no invoice.

    Rows (`tr.compte`) are the only [seen] mark, and an empty list has none. So the page is
    also recognised by the adopted containers (`div.regie`, `table.tableCompte`,
    `h3.libelleRegie`) or by its title, "Mes factures" [seed], in the `<title>` or a heading,
    and it must not be the login page (that is a session that has ended, not an empty list).
    """
    if _login_form_node(tree) is not None:
        return False
    if tree.css_first("div.regie, table.tableCompte, .libelleRegie") is not None:
        return True
    return any(
        "mes factures" in fold_words(node.text(deep=True))
        for node in tree.css("title, h1, h2, h3, h4")
    )


def parse_invoice_list(html: Html) -> list[Invoice]:
    """ "Mes factures" (`MonCompte`): one `Invoice` per `tr.compte` row, in the site's order.

    An empty list is a list (no error), but a page that is not recognisably `MonCompte` raises
    `PageChanged("MonCompte", "tr.compte")`. A very large page is read as a stream of tags
    (`list_stream`: a tree of it would take 15 times its size), the same rows read the same way.
    """
    if len(html) > list_stream.STREAM_ABOVE:
        streamed = _streamed_list(html)
        if streamed:
            return streamed
    tree = _parse(html)
    rows = tree.css("tr.compte")
    if not rows:
        if _looks_like_invoice_list(tree):
            return []
        raise PageChanged(PAGE_INVOICES, "tr.compte")
    regies: dict[int, Regie | None] = {}
    invoices: dict[str, Invoice] = {}
    for row in rows:
        cells = _Cells(row)
        texts = {name: _text(node) for name in _ROW_CELLS if (node := cells.get(name)) is not None}
        _add_row(invoices, row.attributes.get("id"), texts, _regie_of(row, regies))
    return list(invoices.values())


_ROW_CELLS = ("ligneCompte", "numero_facture", "dateFacture", "montantFacture", "etatFacture")
"""The classes of a row's cells that make an invoice (SITE.md §4)."""


def _add_row(
    invoices: dict[str, Invoice],
    raw_id: str | None,
    texts: Mapping[str, str | None],
    regie: Regie | None,
) -> None:
    """One `tr.compte` row as an invoice, whichever reader read it: `texts` holds the cleaned
    text of each cell the row has, by class (a cell with no text: None; no cell: no key)."""
    invoice_id = clean_text(raw_id) or ""
    if not invoice_id:
        raise PageChanged(PAGE_INVOICES, "tr.compte[id]")
    if "ligneCompte" not in texts:
        raise PageChanged(PAGE_INVOICES, "tr.compte .ligneCompte")
    if "numero_facture" not in texts:
        raise PageChanged(PAGE_INVOICES, "tr.compte .numero_facture")
    if invoice_id in invoices:  # one invoice shown twice is still one invoice
        return
    invoices[invoice_id] = Invoice(
        id=invoice_id,
        number=texts["numero_facture"],
        label=texts["ligneCompte"],
        regie=regie,
        row_issued_on=parse_date(texts.get("dateFacture")),
        row_amount=_number(
            parse_amount, texts.get("montantFacture"), PAGE_INVOICES, "montantFacture"
        ),
        row_status_label=texts.get("etatFacture"),
    )


def _streamed_list(html: Html) -> list[Invoice]:
    """The invoices of a large page, read by `list_stream`; empty when it found no row (the
    tree then says whether the page is an empty list or another page)."""
    regies: dict[int, Regie | None] = {}

    def regie_of(block: list_stream.RegieBlock | None) -> Regie | None:
        if block is None:
            return None
        if id(block) not in regies:
            name = clean_text(block.name) if block.name is not None else None
            raw_id = clean_text(block.raw_id.removeprefix("regie-"))
            regies[id(block)] = Regie(id=raw_id or None, name=name) if name else None
        return regies[id(block)]

    invoices: dict[str, Invoice] = {}
    for row in list_stream.read_rows(html):
        texts = {name: clean_text(row.texts[name]) for name in _ROW_CELLS if name in row.texts}
        _add_row(invoices, row.raw_id, texts, regie_of(row.regie))
    return list(invoices.values())


# --- Invoice detail -------------------------------------------------------------------------


def _number_from_title(title: str | None) -> str | None:
    """`POST FACTURATION (ECOUFLANT) - 651 - Septembre 2018` → `651`.

    The number stands between ` - `; a régie's name may itself hold ` - `, so the first middle
    part with a digit wins, and the last part (the period) is never taken.
    """
    if not title:
        return None
    parts = [part.strip() for part in title.split(" - ")]
    if len(parts) < 2:
        return None
    middle = parts[1:-1] if len(parts) >= 3 else parts[1:]
    for part in middle:
        if any(char.isdigit() for char in part):
            return part
    return middle[0] or None


def _required(tree: LexborHTMLParser, selector: str, page: str) -> LexborNode:
    node = tree.css_first(selector)
    if node is None:
        raise PageChanged(page, selector)
    return node


def _parse_lines(tree: LexborHTMLParser) -> tuple[InvoiceLine, ...]:
    page = PAGE_DETAIL
    lines: list[InvoiceLine] = []
    for row in tree.css("table#tableDetailFacture_Lignes tr"):
        person = row.css_first(".personne")
        service = row.css_first(".prestation")
        quantity = row.css_first(".quantite")
        unit_price = row.css_first(".prixUnitaire")
        amount = row.css_first(".montant")
        cells = (person, service, quantity, unit_price, amount)
        # Header rows (`th`) and rows without any known cell are not invoice lines.
        if all(cell is None or cell.tag == "th" for cell in cells):
            continue
        lines.append(
            InvoiceLine(
                person=_text(person),
                service=_text(service),
                quantity=_number(parse_decimal, _text(quantity), page, ".quantite"),
                unit_price=_number(parse_decimal, _text(unit_price), page, ".prixUnitaire"),
                amount=_number(parse_amount, _text(amount), page, ".montant"),
            )
        )
    return tuple(lines)


def parse_invoice_detail(html: Html, invoice_id: str) -> InvoiceDetail:
    """The detail fragment (`MonCompte/DetailFacture`) of one invoice.

    [seen]: the title, issue date, total and pay-before date. [adopted]: payer, state, amount
    still due, payment mode, pay and PDF links, lines. `payable_online` is the presence of the
    pay link `a#lnkPayerFacture`, nothing else.
    """
    tree = _parse(html)
    title = _text(_required(tree, "#hDetailFacture_Facture", PAGE_DETAIL))
    issued = _text(_required(tree, "#spanDetailFacture_DatEmissionFacture", PAGE_DETAIL))
    total = _text(_required(tree, "#spanDetailFacture_MntTotalFacture", PAGE_DETAIL))
    due = _text(_required(tree, "#spanDetailFacture_DatLimitePaiementFacture", PAGE_DETAIL))
    return InvoiceDetail(
        id=invoice_id,
        title=title,
        number=_number_from_title(title),
        payer=_first_text(tree, "#spanDetailFacture_Payeur"),
        issued_on=parse_date(issued),
        due_on=parse_date(due),
        total=_number(parse_amount, total, PAGE_DETAIL, "#spanDetailFacture_MntTotalFacture"),
        remaining=_number(
            parse_amount,
            _first_text(tree, "#spanDetailFacture_MntResteAPayer"),
            PAGE_DETAIL,
            "#spanDetailFacture_MntResteAPayer",
        ),
        status_label=_first_text(tree, "#spanDetailFacture_EtatFacture"),
        payment_mode_label=_first_text(tree, "#spanDetailFacture_ModePaiement"),
        payable_online=tree.css_first("a#lnkPayerFacture") is not None,
        pdf_available=tree.css_first("a#lnkTelechargerFacture") is not None,
        lines=_parse_lines(tree),
    )


# --- PDF ------------------------------------------------------------------------------------

_PARAM = re.compile(
    r";\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*=\s*(\"(?:[^\"\\]|\\.)*\"|[^;]*)", re.DOTALL
)


def _ext_value(value: str) -> str | None:
    """RFC 5987 `charset'language'percent-encoded` → text; None when it is not that form."""
    charset, quote, rest = value.partition("'")
    if not quote:
        return None
    _language, quote, encoded = rest.partition("'")
    if not quote:
        return None
    try:
        return unquote_to_bytes(encoded).decode(charset.strip() or "utf-8", "replace")
    except LookupError:  # an unknown charset: UTF-8 is what the site uses
        return unquote_to_bytes(encoded).decode("utf-8", "replace")


def pdf_filename(content_disposition: str | None) -> str | None:
    """The file name a `Content-Disposition` header gives (RFC 6266): `filename*` (RFC 5987)
    wins over `filename`; None when there is none.

    The name is returned as the server sent it: making it safe as a path is the job of the
    downloads module, never of this parser.
    """
    if not content_disposition:
        return None
    plain: str | None = None
    extended: str | None = None
    for name, raw in _PARAM.findall(";" + content_disposition.split(";", 1)[-1]):
        value = raw.strip()
        if value.startswith('"') and value.endswith('"') and len(value) >= 2:
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
        key = name.lower()
        if key == "filename*" and extended is None:
            extended = _ext_value(value)
        elif key == "filename" and plain is None:
            plain = value
    chosen = extended if extended is not None else plain
    if chosen is None:
        return None
    return chosen.strip() or None
