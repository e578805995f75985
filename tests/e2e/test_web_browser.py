"""`espace-tui web` in a real headless Chromium, as a parent would use it from a browser: log
in on the demo, see the dashboard, open an invoice, ask for its PDF and find it in the
browser's downloads, then pay: PayFiP opens in a new tab of that browser. PNG screenshots of
each step are left in the test's folder.

Chromium comes from Debian's package, installed where missing (as root); elsewhere the test is
skipped with the reason. Loopback only: Chromium resolves no other host."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from support.debian_packages import ensure
from support.headless_chromium import Chromium, chromium

pytestmark = pytest.mark.e2e

PROGRAM = Path(sys.executable).with_name("espace-tui")
WAIT = 30.0


@pytest.fixture(scope="session")
def chromium_program() -> str:
    reason = ensure(("chromium",), ("chromium",))
    program = chromium()
    if reason or program is None:
        pytest.skip(f"no Chromium to test the web mode with: {reason}")
    pytest.importorskip("textual_serve", reason="textual-serve (espace-tui[web]) is missing")
    if not PROGRAM.exists():
        pytest.skip(f"espace-tui is not installed beside {sys.executable}")
    return program


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def web_server(tmp_path: Path) -> Iterator[str]:
    """`espace-tui --demo web --port P`, answering on 127.0.0.1."""
    port = free_port()
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen(
        [str(PROGRAM), "--demo", "--lang", "en", "web", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, with the apps it starts
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + WAIT
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    break
        except OSError:
            pass
        if time.monotonic() > deadline or server.poll() is not None:
            pytest.fail(f"espace-tui web did not start: {(tmp_path / 'server.log').read_text()}")
        time.sleep(0.2)
    yield url
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=WAIT)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=WAIT)
    log.close()


def test_the_screens_in_a_browser_deliver_the_pdf_and_open_payfip_there(
    chromium_program: str, web_server: str, tmp_path: Path
) -> None:
    downloads = tmp_path / "downloads"
    shots = tmp_path / "screenshots"
    shots.mkdir()

    async def story() -> None:
        browser = Chromium(chromium_program, tmp_path / "profile", downloads)
        await browser.start()
        try:
            await browser.open(web_server)
            await browser.wait_for_text("Log in to your Espace Citoyens")
            await browser.screenshot(shots / "1-login.png")
            await browser.focus_terminal()
            await browser.key("Enter")
            dashboard = await browser.wait_for_text("To pay now")
            assert "Bonjour Monsieur Ecouflant" in dashboard
            await browser.screenshot(shots / "2-dashboard.png")
            await browser.key("f")
            await browser.wait_for_text("Septembre 2018")
            for key in ("/", "6", "5", "1", "Enter", "Enter"):
                await browser.key(key)
            detail = await browser.wait_for_text("Pay before")
            assert "POST FACTURATION (ECOUFLANT) - 651 - Septembre 2018" in detail
            await browser.screenshot(shots / "3-invoice.png")

            await browser.key("d")
            pdf = await browser.wait_for_download("Facture_651.pdf")
            assert pdf.read_bytes().startswith(b"%PDF-")
            await browser.screenshot(shots / "4-pdf-delivered.png")

            before = set(await browser.page_urls())
            since = await browser.mark()
            await browser.focus_terminal()  # the download took the page's focus
            await browser.key("p")
            pay = await browser.wait_for_text("Pay an invoice", since=since)
            assert "Pay on PayFiP" in pay
            await browser.screenshot(shots / "5-pay.png")
            await browser.key("Enter")
            opened = await browser.wait_for_new_page(before)
            # The demo portal's PayFiP page, for this invoice, in the person's browser.
            assert opened.startswith("http://127.0.0.1:") and "/tpa/paiement.web?" in opened
            assert "refdet=20180100000651" in opened
        finally:
            await browser.close()

    asyncio.run(story())
    assert all(path.stat().st_size > 1000 for path in shots.iterdir())
    assert len(list(shots.iterdir())) == 5
