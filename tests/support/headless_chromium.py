"""A headless Chromium driven by its DevTools protocol (over aiohttp's websocket client, which
textual-serve brings): open a page, type keys, read the terminal's text, take PNG
screenshots, and receive downloads into a folder. Loopback only: every other host is made
unresolvable, and Chromium's own traffic (updates, sync, metrics) is switched off."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import aiohttp

FLAGS = (
    "--headless",
    "--no-sandbox",  # as root
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-extensions",
    "--metrics-recording-only",
    "--disable-popup-blocking",  # the app opens PayFiP with window.open, from no click
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    "--window-size=1280,900",
)

KEYS = {
    "Enter": ("Enter", "Enter", 13, "\r"),
    "Tab": ("Tab", "Tab", 9, "\t"),
    "Escape": ("Escape", "Escape", 27, ""),
}

LISTEN = """
(() => {
  // What the page's websockets receive: the terminal's output, as the browser got it.
  window.__received = [];
  const decoder = new TextDecoder();
  const Original = window.WebSocket;
  window.WebSocket = function (...args) {
    const socket = new Original(...args);
    socket.addEventListener('message', (event) => {
      const data = event.data;
      if (typeof data === 'string') window.__received.push(data);
      else if (data instanceof ArrayBuffer)
        window.__received.push(decoder.decode(data, {stream: true}));
    });
    return socket;
  };
  window.WebSocket.prototype = Original.prototype;
  Object.assign(window.WebSocket, Original);
  // The words of what came from message `start` on, without escape sequences.
  window.__read = (start) => window.__received.slice(start).join('')
    .replace(/\\x1b\\][^\\x07\\x1b]*(\\x07|\\x1b\\\\)/g, '')
    .replace(/\\x1b\\[[0-9;?<>=]*[ -\\/]*[@-~]/g, '');
})();
"""
"""Run before the page's own scripts: keeps what the terminal is sent, to read its words (the
terminal itself draws on a canvas)."""


def chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


class Chromium:
    """One Chromium of its own (fresh profile), one page."""

    def __init__(self, program: str, profile: Path, downloads: Path) -> None:
        self.profile = profile
        self.downloads = downloads
        self._process = subprocess.Popen(
            [program, *FLAGS, f"--user-data-dir={profile}", "--remote-debugging-port=0"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: closed as one, helpers included
        )
        self._ids = itertools.count(1)
        self._session: aiohttp.ClientSession | None = None
        self._page: aiohttp.ClientWebSocketResponse | None = None
        self._browser: aiohttp.ClientWebSocketResponse | None = None

    async def start(self, timeout: float = 30.0) -> None:
        active = self.profile / "DevToolsActivePort"
        deadline = time.monotonic() + timeout
        while not active.exists() or len(active.read_text().splitlines()) < 2:
            if time.monotonic() > deadline or self._process.poll() is not None:
                raise RuntimeError("Chromium did not start its DevTools endpoint")
            await asyncio.sleep(0.1)
        port, browser_path = active.read_text().splitlines()[:2]
        self._session = aiohttp.ClientSession()
        self._browser = await self._session.ws_connect(
            f"ws://127.0.0.1:{port}{browser_path}", max_msg_size=0
        )
        async with self._session.get(f"http://127.0.0.1:{port}/json/list") as answer:
            targets = await answer.json(content_type=None)
        page = next(target for target in targets if target["type"] == "page")
        self._page = await self._session.ws_connect(page["webSocketDebuggerUrl"], max_msg_size=0)
        await self.page("Page.enable")
        await self.page("Page.addScriptToEvaluateOnNewDocument", source=LISTEN)
        self.downloads.mkdir(parents=True, exist_ok=True)
        await self._call(
            self._browser,
            "Browser.setDownloadBehavior",
            behavior="allow",
            downloadPath=str(self.downloads),
        )

    async def _call(
        self, socket: aiohttp.ClientWebSocketResponse | None, method: str, **params: Any
    ) -> dict[str, Any]:
        assert socket is not None
        number = next(self._ids)
        await socket.send_str(json.dumps({"id": number, "method": method, "params": params}))
        while True:
            message = json.loads((await socket.receive(timeout=30)).data)
            if message.get("id") == number:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                result: dict[str, Any] = message.get("result", {})
                return result

    async def page(self, method: str, **params: Any) -> dict[str, Any]:
        return await self._call(self._page, method, **params)

    async def open(self, url: str) -> None:
        await self.page("Page.navigate", url=url)

    async def evaluate(self, expression: str) -> Any:
        answer = await self.page("Runtime.evaluate", expression=expression, returnByValue=True)
        return answer.get("result", {}).get("value")

    async def text(self, since: int = 0) -> str:
        """The words the terminal was sent (from message `since`), escape sequences removed."""
        return str(await self.evaluate(f"window.__read({int(since)})") or "")

    async def mark(self) -> int:
        """Where the terminal's output is now: `wait_for_text(..., since=mark)` looks after."""
        return int(await self.evaluate("window.__received.length") or 0)

    async def wait_for_text(self, what: str, timeout: float = 30.0, since: int = 0) -> str:
        """The terminal's output (from `since`) once `what` is in it."""
        deadline = time.monotonic() + timeout
        shown = ""
        while time.monotonic() < deadline:
            shown = await self.text(since)
            if what in shown:
                return shown
            await asyncio.sleep(0.25)
        raise AssertionError(f"never saw {what!r}; the page showed:\n{shown}")

    async def focus_terminal(self) -> None:
        """Give the terminal the keyboard, as a click on it would."""
        await self.evaluate("document.querySelector('.xterm-helper-textarea').focus()")

    async def key(self, name: str) -> None:
        """Press a key: a named one (Enter, Tab, Escape) or a character."""
        # A character's key code is its capital's (a-z) or digit's; others have none here
        # (ord("p") is F1's code, which the terminal would take for F1).
        number = ord(name.upper()) if len(name) == 1 and name.isascii() and name.isalnum() else 0
        key, code, number, text = KEYS.get(name, (name, "", number, name))
        common = {"key": key, "code": code, "windowsVirtualKeyCode": number}
        await self.page("Input.dispatchKeyEvent", type="keyDown", text=text, **common)
        await self.page("Input.dispatchKeyEvent", type="keyUp", **common)
        await asyncio.sleep(0.1)

    async def type(self, text: str) -> None:
        for character in text:
            await self.key(character)

    async def screenshot(self, path: Path) -> Path:
        shot = await self.page("Page.captureScreenshot", format="png")
        path.write_bytes(base64.b64decode(shot["data"]))
        return path

    async def wait_for_download(self, name: str, timeout: float = 30.0) -> Path:
        target = self.downloads / name
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if target.is_file() and not list(self.downloads.glob("*.crdownload")):
                return target
            await asyncio.sleep(0.25)
        present = sorted(path.name for path in self.downloads.iterdir())
        raise AssertionError(f"{name} never arrived in the downloads; there were {present}")

    async def page_urls(self) -> list[str]:
        """The addresses of the browser's open pages (tabs)."""
        targets = await self._call(self._browser, "Target.getTargets")
        return [t["url"] for t in targets.get("targetInfos", []) if t["type"] == "page"]

    async def wait_for_new_page(self, before: set[str], timeout: float = 30.0) -> str:
        """The address of a tab opened after `before` was taken."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            fresh = [url for url in await self.page_urls() if url not in before]
            if fresh and fresh[0] not in ("", "about:blank"):
                return fresh[0]
            await asyncio.sleep(0.25)
        raise AssertionError(f"no new tab was opened; the tabs were {await self.page_urls()}")

    async def close(self) -> None:
        for socket in (self._page, self._browser):
            if socket is not None:
                with contextlib.suppress(Exception):
                    await socket.close()
        if self._session is not None:
            await self._session.close()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self._process.pid, signal.SIGTERM)
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self._process.pid, signal.SIGKILL)
            self._process.wait(timeout=10)
