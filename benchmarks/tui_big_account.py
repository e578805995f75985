"""How the TUI copes with a very large account: the mock serving N generated invoices.

Run: `.venv/bin/python benchmarks/tui_big_account.py [N]` (default 5000). It logs in through
the real client against the mock over loopback HTTP, opens the list, and reports:
- how long until the dashboard shows (the first details only) against the time the client
  needs to fetch every detail before showing anything (the ratio is the gain);
- how late the event loop runs while the other details stream in (p50/p95/max lag of a 10 ms
  timer): the keys stay responsive when this stays in the tens of milliseconds;
- what each re-render of the list costs as details arrive.
Numbers depend on the machine (the mock runs in the same process and competes for the GIL).
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from espace_tui.mock import MockOptions, MockPortal
from espace_tui.portal.browser import EspaceCitoyensBrowser
from espace_tui.tui.screens.invoices import InvoicesScreen
from support.tui import make_app, screen_name, until


async def every_detail_first(base_url: str) -> float:
    """The time the client takes to list every invoice with its detail."""
    browser = EspaceCitoyensBrowser(base_url)
    try:
        await browser.login("demo", "demo")
        start = time.perf_counter()
        await browser.invoices(details=True)
        return time.perf_counter() - start
    finally:
        await browser.aclose()


async def main(count: int) -> None:
    portal = MockPortal(MockOptions(invoices=count))
    portal.start()
    renders: list[float] = []
    original = InvoicesScreen.show_snapshot

    def timed(self: InvoicesScreen, snapshot: Any) -> None:
        start = time.perf_counter()
        original(self, snapshot)
        renders.append(time.perf_counter() - start)

    InvoicesScreen.show_snapshot = timed  # type: ignore[method-assign]
    try:
        baseline = await every_detail_first(portal.base_url)
        app = make_app(portal.base_url, Path(tempfile.mkdtemp()))
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            lags: list[float] = []
            done = asyncio.Event()

            async def probe() -> None:
                while not done.is_set():
                    start = time.perf_counter()
                    await asyncio.sleep(0.01)
                    lags.append(time.perf_counter() - start - 0.01)

            prober = asyncio.create_task(probe())
            start = time.perf_counter()
            await pilot.press("enter")
            await until(pilot, lambda: screen_name(pilot) == "DashboardScreen", "the dashboard")
            shown = time.perf_counter() - start
            await pilot.press("f")
            await until(pilot, lambda: app.session.snapshot.complete, "every detail")
            complete = time.perf_counter() - start
            done.set()
            await prober
    finally:
        portal.stop()
    lags.sort()
    print(f"{count} invoices")
    print(f"  every detail before showing anything: {baseline:6.2f} s")
    print(
        f"  the TUI's dashboard shows after:      {shown:6.2f} s  (ratio {baseline / shown:.1f}x)"
    )
    print(f"  every detail loaded after:            {complete:6.2f} s")
    print(
        f"  event loop lag while loading: p50 {lags[len(lags) // 2] * 1000:.0f} ms, "
        f"p95 {lags[int(len(lags) * 0.95)] * 1000:.0f} ms, max {lags[-1] * 1000:.0f} ms"
    )
    if renders:
        print(
            f"  list re-renders: {len(renders)}, mean {sum(renders) / len(renders) * 1000:.0f} ms,"
            f" max {max(renders) * 1000:.0f} ms"
        )


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000))
