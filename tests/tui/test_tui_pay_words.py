"""The payment's confirmation says what will happen here: the browser opens PayFiP, or — where
no browser can open — the address and a QR code are shown."""

from __future__ import annotations

from dataclasses import dataclass

from tui.test_tui_pay import PAYFIP_URL, FakeOpener, PayApp, PayScreen, screen_text, seed_invoice


@dataclass
class KnowingOpener(FakeOpener):
    """An opener that knows beforehand whether a browser can be shown (as the real one does)."""

    browser: bool = False

    def can_open_url(self) -> bool:
        return self.browser


async def confirmation(browser: bool) -> str:
    app = PayApp(PayScreen(seed_invoice(), PAYFIP_URL, opener=KnowingOpener(browser=browser)))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        return screen_text(app)


async def test_the_confirmation_says_what_confirming_will_do_here() -> None:
    over_ssh = await confirmation(browser=False)
    assert "No browser can open here: the PayFiP address will be shown, with a QR code" in over_ssh
    assert "Your browser will open PayFiP" not in over_ssh
    desktop = await confirmation(browser=True)
    assert "Your browser will open PayFiP" in desktop and "QR code" not in desktop
