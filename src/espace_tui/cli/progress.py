"""A progress line for long commands: on a terminal's stderr only, never on stdout.

`invoices` on a large account reads one detail per invoice and can take tens of seconds; a
person at a terminal is shown that it works. A pipe or a file gets nothing (a script reads
stdout, and its stderr is for errors), and the line is wiped when the work ends.
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from typing import TextIO

SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"
INTERVAL = 0.2
"""Seconds between two drawings of the line."""
CLEAR = "\r\x1b[2K"
"""Back to the start of the line and erase it."""


def wanted(stream: TextIO) -> bool:
    """Whether a progress line may be drawn on `stream`: only a terminal gets one."""
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False


@asynccontextmanager
async def progress_line(
    text: str, *, stream: TextIO | None = None, quiet: bool = False
) -> AsyncIterator[None]:
    """While the block runs, show `text`, a spinner and the seconds spent on `stream` (stderr)
    when it is a terminal; wipe the line at the end. Elsewhere (or `quiet`), do nothing."""
    out = stream or sys.stderr
    if quiet or not wanted(out):
        yield
        return
    started = time.monotonic()

    async def draw() -> None:
        turn = 0
        while True:
            seconds = int(time.monotonic() - started)
            out.write(f"{CLEAR}{SPINNER[turn % len(SPINNER)]} {text} {seconds} s")
            out.flush()
            turn += 1
            await asyncio.sleep(INTERVAL)

    task = asyncio.create_task(draw())
    try:
        yield
    finally:
        task.cancel()
        with suppress(asyncio.CancelledError):
            await task
        out.write(CLEAR)
        out.flush()
