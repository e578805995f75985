"""A portal whose every word is hostile, and the means to read what the TUI drew of it.

The site's words are input from a stranger: markup (`[/]`, `[@click=…]`, `[link=…]`) must be
shown as it is, never obeyed, and control characters (ESC, C1, OSC 52, bidi overrides) must never
reach the terminal. `HostilePortal` bypasses the HTML parsers (which clean text as it enters the
model), so the TUI is tested on its own: every field of the account, the invoices, the errors
and the payment address holds `HOSTILE`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from rich.segment import Segment
from textual.app import App
from textual.widget import Widget

from espace_tui.core.errors import LoginRefused, Maintenance, NotAPdf
from espace_tui.core.model import (
    Account,
    FamilyMember,
    Invoice,
    InvoiceDetail,
    InvoiceLine,
    Regie,
)
from espace_tui.portal.payment import check_payment_url
from support.fake_portal import FakePortal

BASE_URL = "http://127.0.0.1:8765/ecouflant/espace-citoyens/"
"""A loopback portal: its own `/tpa/paiement.web` page passes `check_payment_url`."""

DAY = date(2025, 3, 14)

HOSTILE = (
    "\x1b[2J [/] [bold]Y[/] [@click=app.quit]Z[/] [link=https://evil.example]L[/link] "
    "CANTINE [midi] \x9b31m \x1b]52;c;aGk=\x07 \u202eE"
)
"""Everything a page could hold that a terminal or a markup parser would act on: a screen
clear, a stray closing tag (a crash), bold, a click action, a link, ordinary brackets, a C1 CSI,
an OSC 52 clipboard write and a right-to-left override."""

FORBIDDEN = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""What must never reach the terminal: C0 (with line breaks and tabs: a drawn line holds
neither), DEL and C1, and the bidirectional embeddings, overrides and isolates."""

LITERALS = ("[bold]Y[/]", "[@click=app.quit]Z[/]", "[link=https://evil.example]L[/link]")
"""Markup that must be shown as typed."""


def hostile(tag: str) -> str:
    """The hostile words behind a tag naming the field they fill (`greeting:`)."""
    return f"{tag}{HOSTILE}"


def visible(text: str) -> str:
    """What the screen must show of `text`: each control character as U+FFFD, the rest as
    typed (written here independently of `core.formats.printable`)."""
    return re.sub(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", "\ufffd", text)


def words(text: str) -> str:
    """Text with its white space collapsed: lines wrapped on screen read as one."""
    return " ".join(text.split())


def payment_url() -> str:
    """The loopback portal's own PayFiP page, with a hostile reference and object, encoded as
    a real address is (`%1B`, `%C2%9B`, `%E2%80%AE`)."""
    parts = urlsplit(BASE_URL)
    query = urlencode(
        {
            "numcli": "012345",
            "exer": "2025",
            "refdet": hostile("ref:"),
            "objet": hostile("obj:"),
            "montant": "2320",
            "saisie": "T",
        },
        quote_via=quote,
        safe="",
    )
    return f"{parts.scheme}://{parts.netloc}/tpa/paiement.web?{query}"


def hostile_invoices() -> list[Invoice]:
    """Two invoices: one to pay online, one whose state words are hostile (an unknown state)."""
    payable = InvoiceDetail(
        id="10651",
        title=hostile("title:"),
        number=hostile("no:"),
        payer=hostile("payer:"),
        issued_on=date(2025, 3, 1),
        due_on=date(2025, 4, 1),
        total=Decimal("23.20"),
        remaining=Decimal("23.20"),
        status_label="Non payée",
        payment_mode_label=hostile("mode:"),
        payable_online=True,
        pdf_available=True,
        lines=(
            InvoiceLine(
                person=hostile("who:"),
                service=hostile("what:"),
                quantity=Decimal("2"),
                unit_price=Decimal("11.60"),
                amount=Decimal("23.20"),
            ),
        ),
    )
    unknown = InvoiceDetail(
        id="10652",
        number=hostile("nob:"),
        issued_on=date(2025, 2, 1),
        total=Decimal("10.00"),
        status_label=hostile("state:"),
    )
    return [
        Invoice(
            id="10651",
            number=hostile("no:"),
            label=hostile("period:"),
            regie=Regie(id="12", name=hostile("regie:")),
            row_issued_on=date(2025, 3, 1),
            row_amount=Decimal("23.20"),
            row_status_label="Non payée",
            detail=payable,
        ),
        Invoice(
            id="10652",
            number=hostile("nob:"),
            label=hostile("periodb:"),
            regie=Regie(id="13", name=hostile("regieb:")),
            row_issued_on=date(2025, 2, 1),
            row_amount=Decimal("10.00"),
            row_status_label=hostile("state:"),
            detail=unknown,
        ),
    ]


@dataclass
class HostilePortal(FakePortal):
    """The in-memory portal, hostile everywhere: the first login finds the site in maintenance,
    the second is refused, the third works (each with the site's hostile words); the first
    PDF is refused in hostile words, the next ones are saved (under the invoice's hostile
    number)."""

    logins: int = 0
    pdfs: int = 0
    payment_urls: list[str] = field(default_factory=list)

    async def login(self, username: str, password: str) -> None:
        self.requests.append("login")
        self.logins += 1
        if self.logins == 1:
            raise Maintenance("Connexion", hostile("maintenance:"))
        if self.logins == 2:
            raise LoginRefused(hostile("refused:"))

    async def account(self) -> Account:
        return Account(
            greeting=hostile("greeting:"),
            last_connection=datetime(2025, 3, 13, 15, 31),
            last_connection_text=hostile("last:"),
            members=(FamilyMember("1", hostile("member:")), FamilyMember("2", "Léa")),
        )

    async def pdf_into(self, invoice_id: str, sink: Any) -> str | None:
        self.pdfs += 1
        if self.pdfs == 1:
            raise NotAPdf(hostile("pdf:"))
        return await super().pdf_into(invoice_id, sink)

    async def payment_url(self, invoice_id: str) -> str:
        url = check_payment_url(payment_url(), portal_base_url=self.base_url)
        self.payment_urls.append(url)
        return url


def hostile_portal(base_url: str) -> HostilePortal:
    """The portal factory the app is given."""
    return HostilePortal(base_url, hostile_invoices())


def strips(app: App[Any]) -> list[list[Segment]]:
    """The current screen's lines as the compositor hands them to the terminal."""
    return [list(strip) for strip in app.screen._compositor.render_strips()]


def screen_lines(app: App[Any]) -> list[str]:
    """The text of each line the terminal receives."""
    return ["".join(segment.text for segment in line) for line in strips(app)]


def shown(app: App[Any], widget: Widget) -> str:
    """What the terminal shows inside a widget's region, its lines joined as one text (frames
    and white space collapsed), as a reader takes it in."""
    region = widget.region
    lines = app.screen._compositor.render_strips()[region.y : region.bottom]
    cropped = (strip.crop(region.x, region.right).text.strip(" │╭╮╰╯─▔▁▊▎▌▐") for strip in lines)
    return words(" ".join(cropped))


def unsafe_segments(app: App[Any], allowed_links: frozenset[str] = frozenset()) -> list[str]:
    """Every segment on screen that would make the terminal act: a control character in its
    text or its link, a link other than `allowed_links`, or a click action the site wrote."""
    found: list[str] = []
    for y, line in enumerate(strips(app)):
        for segment in line:
            if FORBIDDEN.search(segment.text):
                found.append(f"line {y}: control character in {segment.text!r}")
            style = segment.style
            if style is None:
                continue
            if style.link is not None and (
                style.link not in allowed_links or FORBIDDEN.search(style.link)
            ):
                found.append(f"line {y}: link {style.link!r} on {segment.text!r}")
            click = str(style.meta.get("@click", ""))
            if "app.quit" in click or "evil" in click:
                found.append(f"line {y}: action {click!r} on {segment.text!r}")
    return found
