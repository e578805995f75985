"""Paying an invoice from the TUI: confirm first, then PayFiP opens in the browser, or — where
no browser can open — the address is shown as a link, copied on `c`, and drawn as a QR code
that a phone can scan."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import segno
from rich.color import Color
from textual.app import App
from textual.geometry import Size
from textual.pilot import Pilot
from textual.screen import Screen
from textual.strip import Strip

from espace_tui.core.model import Invoice, InvoiceDetail, Regie
from espace_tui.tui.keys import Place, keys_for
from espace_tui.tui.screens.pay import PayScreen
from espace_tui.tui.widgets.qr import QRCode, half_block_rows

PAYFIP_URL = (
    "https://www.payfip.gouv.fr/tpa/paiement.web?numcli=012345&exer=2018"
    "&refdet=2018000651ECOU&objet=Facture+651&montant=2320&mel=jean%40example.org"
    "&urlcl=https%3A%2F%2Fwww.espace-citoyens.net%2Fecouflant%2Fespace-citoyens%2FMonCompte"
    "&saisie=X"
)

HALF_BLOCK_MODULES = {" ": (0, 0), "▀": (1, 0), "▄": (0, 1), "█": (1, 1)}


def seed_invoice() -> Invoice:
    """The seed family's September 2018 invoice, sent to the Trésor Public, payable online."""
    return Invoice(
        id="10651",
        number="651",
        label="Septembre 2018",
        regie=Regie(id="12", name="POST FACTURATION (ECOUFLANT)"),
        row_amount=Decimal("23.20"),
        row_status_label="Facture transmise au Trésor Public",
        detail=InvoiceDetail(
            id="10651",
            number="651",
            total=Decimal("23.20"),
            status_label="Facture transmise au Trésor Public",
            payable_online=True,
        ),
    )


@dataclass
class FakeOpener:
    """Records what it was asked to open; answers like a machine with or without a browser."""

    answer: bool = False
    fails: bool = False
    urls: list[str] = field(default_factory=list)

    def open_url(self, url: str) -> bool:
        self.urls.append(url)
        if self.fails:
            raise OSError("the browser could not start")
        return self.answer

    def open_file(self, path: Path) -> bool:
        raise AssertionError("the payment screen never opens a file")


class PayApp(App[None]):
    """A bare app that shows one screen and keeps what it was dismissed with."""

    def __init__(self, screen: Screen[bool]) -> None:
        super().__init__()
        self.shown = screen
        self.results: list[bool | None] = []

    def on_mount(self) -> None:
        self.push_screen(self.shown, callback=self.results.append)


def pay_app(opener: FakeOpener, url: str = PAYFIP_URL) -> PayApp:
    return PayApp(PayScreen(seed_invoice(), url, opener=opener))


def screen_strips(app: App[Any]) -> list[Strip]:
    """The lines of the current screen as the terminal receives them."""
    return app.screen._compositor.render_strips()


def screen_text(app: App[Any]) -> str:
    """The current screen's words, frames removed and lines joined, as a reader takes them in."""
    lines = (strip.text.strip(" │╭╮╰╯─▔▁▊▎") for strip in screen_strips(app))
    return " ".join(" ".join(lines).split())


async def confirm(pilot: Pilot[None]) -> None:
    await pilot.press("enter")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_the_confirmation_shows_amount_reference_and_payfip_before_anything_opens() -> None:
    opener = FakeOpener()
    app = pay_app(opener)
    async with app.run_test(size=(120, 40)):
        text = screen_text(app)
        assert "Invoice 651 · Septembre 2018" in text
        assert "Amount due 23,20 €" in text
        assert "PayFiP will ask for 23,20 €" in text
        assert "Reference 2018000651ECOU" in text
        assert "Régie POST FACTURATION (ECOUFLANT)" in text
        assert "www.payfip.gouv.fr (PayFiP)" in text
        assert "Pay on PayFiP" in text and "Cancel" in text
        assert "another amount" not in text
    assert opener.urls == []


@pytest.mark.parametrize("key", ["escape", "n"])
async def test_cancelling_never_opens_the_browser(key: str) -> None:
    opener = FakeOpener(answer=True)
    app = pay_app(opener)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(key)
        await pilot.pause()
        assert app.results == [False]
        assert not isinstance(app.screen, PayScreen)
    assert opener.urls == []


async def test_the_cancel_button_never_opens_the_browser() -> None:
    opener = FakeOpener(answer=True)
    app = pay_app(opener)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.click("#pay-cancel-button")
        await pilot.pause()
        assert app.results == [False]
    assert opener.urls == []


@pytest.mark.parametrize("key", ["enter", "y"])
async def test_confirming_opens_payfip_in_the_browser_once(key: str) -> None:
    opener = FakeOpener(answer=True)
    app = pay_app(opener)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press(key)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.results == [True]
        assert "The PayFiP page is open in your browser." in screen_text(app)
    assert opener.urls == [PAYFIP_URL]


async def test_a_different_amount_on_payfip_is_pointed_out() -> None:
    app = pay_app(FakeOpener(), PAYFIP_URL.replace("montant=2320", "montant=2000"))
    async with app.run_test(size=(120, 40)):
        text = screen_text(app)
        assert "PayFiP will ask for 20,00 €" in text
        assert "PayFiP asks for another amount than the invoice shows" in text


def qr_modules_on_screen(app: App[Any]) -> list[list[int]]:
    """Read the QR code back from the screen's characters: two module rows per text row.
    Every cell must be black on white, or a phone in a dark terminal could not read it."""
    qr = app.screen.query_one(QRCode)
    region = qr.content_region
    modules: list[list[int]] = []
    for strip in screen_strips(app)[region.y : region.bottom]:
        cells = strip.crop(region.x, region.right)
        top: list[int] = []
        bottom: list[int] = []
        for segment in cells:
            assert segment.style is not None
            assert segment.style.color == Color.from_rgb(0, 0, 0)
            assert segment.style.bgcolor == Color.from_rgb(255, 255, 255)
            for char in segment.text:
                upper, lower = HALF_BLOCK_MODULES[char]
                top.append(upper)
                bottom.append(lower)
        modules += [top, bottom]
    return modules


def with_quiet_zone(matrix: list[list[int]], zone: int) -> list[list[int]]:
    side = len(matrix) + 2 * zone
    light = [0] * side
    return [light] * zone + [[0] * zone + row + [0] * zone for row in matrix] + [light] * (zone + 1)


async def test_without_a_browser_the_address_is_a_link_a_copy_and_a_qr_code() -> None:
    opener = FakeOpener(answer=False)
    app = pay_app(opener)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await confirm(pilot)
        assert opener.urls == [PAYFIP_URL]
        assert app.results == []  # still open: the parent pays from here
        text = screen_text(app)
        assert "No browser could be opened here." in text
        assert "23,20 € · reference 2018000651ECOU" in text
        assert "too small" not in text

        # The address is a terminal hyperlink (OSC 8) whose text, once unfolded, is the address.
        linked = "".join(
            segment.text
            for strip in screen_strips(app)
            for segment in strip
            if segment.style is not None and segment.style.link == PAYFIP_URL
        )
        assert linked == PAYFIP_URL

        await pilot.press("c")
        await pilot.pause()
        assert app.clipboard == PAYFIP_URL
        assert "The address was copied to the clipboard." in screen_text(app)

        # What a phone sees is the QR code of exactly this address.
        expected = segno.make(PAYFIP_URL, error="L", micro=False)
        assert expected.designator == "10-L"
        matrix = [list(row) for row in expected.matrix]
        assert qr_modules_on_screen(app) == with_quiet_zone(matrix, 4)

        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [False]
    assert opener.urls == [PAYFIP_URL]


async def test_a_browser_that_fails_to_start_gives_the_fallback_too() -> None:
    app = pay_app(FakeOpener(fails=True))
    async with app.run_test(size=(120, 40)) as pilot:
        await confirm(pilot)
        assert "No browser could be opened here." in screen_text(app)
        assert app.screen.query_one(QRCode).display


async def test_a_small_window_says_so_and_the_qr_code_comes_back_when_enlarged() -> None:
    app = pay_app(FakeOpener())
    async with app.run_test(size=(60, 20)) as pilot:
        await confirm(pilot)
        qr = app.screen.query_one(QRCode)
        assert not qr.display
        text = screen_text(app)
        assert (
            "The window is too small for the QR code: it needs 102×33 characters, "
            "this one has 60×20. Enlarge the window, or open or copy (c) the address above."
        ) in text
        assert "█" not in text  # no cropped, unreadable QR code

        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert qr.display
        assert "too small" not in screen_text(app)


def test_a_long_payfip_address_still_fits_a_120x40_terminal() -> None:
    """A PayFiP address of 400 characters (a long `objet` and return address) gives a version-13
    symbol: 69 modules, too big for the standard quiet zone in 40 rows, fine with 2 modules."""
    padding = "+" + "x" * (400 - len(PAYFIP_URL) - 1)
    qr = QRCode(PAYFIP_URL.replace("objet=Facture+651", "objet=Facture+651" + padding))
    assert len(qr.data) == 400
    assert (qr.version, qr.error_level) == (13, "L")
    # What the screen leaves it at 120x40: 120 - frame 4 - text 36 - gap 1, 40 - frame 2.
    beside_the_text = Size(79, 38)
    assert qr.cells_needed(4) == Size(77, 39)
    assert qr.quiet_zone_to_fit(beside_the_text) == 2
    assert qr.quiet_zone_to_fit(Size(72, 38)) is None


def test_half_blocks_draw_two_module_rows_per_line_with_a_light_quiet_zone() -> None:
    rows = half_block_rows([[1, 0, 1], [0, 1, 1], [1, 1, 0]], quiet_zone=1)
    assert rows == [" ▄ ▄ ", " ▄█▀ ", "     "]


def test_every_key_of_the_payment_screen_is_in_the_keys_table() -> None:
    documented = {key for row in keys_for(Place.PAYMENT) for key in row.keys}
    bound = {binding.key for binding in PayScreen.BINDINGS if not isinstance(binding, tuple)}
    assert bound and bound <= documented


def test_the_fallback_screen(snap_compare: object) -> None:
    async def no_browser(pilot: Pilot[None]) -> None:
        await confirm(pilot)

    app = pay_app(FakeOpener())
    assert snap_compare(app, terminal_size=(120, 40), run_before=no_browser)  # type: ignore[operator]
