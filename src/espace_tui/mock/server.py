"""`MockPortal`: the mock site served over real HTTP on loopback, in a background thread.

The standard library's `ThreadingHTTPServer` is enough: one thread per connection, so slow
answers (`latency_ms`) overlap, HTTP/1.1 keep-alive, and nothing to install.
"""

from __future__ import annotations

import contextlib
import socket
import sys
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from socketserver import TCPServer
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

from espace_tui.mock.data import Family, MockInvoice
from espace_tui.mock.options import SLUG, Faults, MockOptions, is_loopback_host
from espace_tui.mock.site import MockSite, Request, Response, Stats, parse_form, parse_query

MAX_BODY = 1 << 20


class _Handler(BaseHTTPRequestHandler):
    """Turns HTTP into `Request`, asks the site, writes its `Response`."""

    protocol_version = "HTTP/1.1"
    server_version = "espace-tui-mock"
    sys_version = ""
    timeout = 30  # idle keep-alive connections end, so their threads do too
    disable_nagle_algorithm = True  # headers and body are two writes: no 40 ms wait between
    server: _Server

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def _serve(self, method: str) -> None:
        site = self.server.site
        parts = urlsplit(self.path)
        site.begin(parts.path)
        status = 500
        try:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(min(length, MAX_BODY)) if length > 0 else b""
            if site.options.latency_ms:
                time.sleep(site.options.latency_ms / 1000)
            request = Request(
                method=method,
                path=parts.path,
                query=parse_query(parts.query),
                headers={k.lower(): v for k, v in self.headers.items()},
                cookies=_cookies(self.headers.get_all("Cookie") or []),
                form=parse_form(body) if method == "POST" else {},
            )
            try:
                response = site.handle(request)
            except Exception:  # a bug of the mock: show it, and still answer the client
                traceback.print_exc()
                response = Response(500, b"mock portal error", "text/plain; charset=utf-8")
            status = response.status
            with contextlib.suppress(ConnectionError):  # the client went away: nothing to say
                self._write(response)
        finally:
            site.end(status)

    def _write(self, response: Response) -> None:
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        self.send_header("Cache-Control", "private, no-store")
        for name, value in response.headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(response.body)

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.site.options.log_requests:
            sys.stderr.write(f"{self.log_date_time_string()} {format % args}\n")


def _cookies(lines: list[str]) -> dict[str, str]:
    """`Cookie:` headers → name: value (tolerant: no quoting rules, last one wins)."""
    cookies: dict[str, str] = {}
    for line in lines:
        for part in line.split(";"):
            name, sep, value = part.strip().partition("=")
            if sep and name:
                cookies[name] = value
    return cookies


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, site: MockSite, host: str, port: int) -> None:
        self.site = site
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        if ":" in host:
            self.address_family = socket.AF_INET6
        super().__init__((host, port), _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind asks DNS for the host's full name: not needed on loopback.
        TCPServer.server_bind(self)
        self.server_name = str(self.server_address[0])
        self.server_port = int(self.server_address[1])

    def process_request(self, request: Any, client_address: Any) -> None:
        with self.connections_lock:
            self.connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self.connections_lock:
            self.connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """End kept-alive connections, so no thread waits on a client after `stop()`."""
        with self.connections_lock:
            open_connections = list(self.connections)
        for connection in open_connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


class MockPortal:
    """The bundled mock portal on loopback.

    >>> with MockPortal(MockOptions()) as portal:
    ...     portal.base_url  # 'http://127.0.0.1:41234/ecouflant/espace-citoyens/'
    """

    def __init__(self, options: MockOptions | None = None) -> None:
        self.options = options or MockOptions()
        if not is_loopback_host(self.options.host):
            raise ValueError(
                f"the mock portal only listens on this machine (127.0.0.1, ::1, localhost), "
                f"not on {self.options.host!r}"
            )
        if not SLUG.match(self.options.commune):
            raise ValueError(
                f"{self.options.commune!r} is not a commune name: "
                "lower-case letters, digits and hyphens only"
            )
        if not 0 <= self.options.port <= 65535:
            raise ValueError(f"{self.options.port} is not a port number (0 to 65535)")
        if self.options.invoices is not None and self.options.invoices < 0:
            raise ValueError("the number of invoices cannot be negative")
        self._site = MockSite(self.options)
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> str:
        """Listen and serve in a background thread; return the base URL."""
        if self._server is not None:
            return self.base_url
        server = _Server(self._site, self.options.host, self.options.port)
        host, port = str(server.server_address[0]), int(server.server_address[1])
        shown = f"[{host}]" if ":" in host else host
        self._site.root_url = f"http://{shown}:{port}/"
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            daemon=True,
            name=f"mock-portal-{port}",
        )
        self._thread.start()
        return self.base_url

    def stop(self) -> None:
        """Stop serving and close the socket (safe to call twice)."""
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.close_connections()
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> MockPortal:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def root_url(self) -> str:
        """`http://127.0.0.1:PORT/` (empty before `start()`)."""
        return self._site.root_url

    @property
    def base_url(self) -> str:
        """`http://127.0.0.1:PORT/{commune}/espace-citoyens/` (only after `start()`)."""
        if not self._site.root_url:
            raise RuntimeError("the mock portal is not started")
        return self._site.base_url

    @property
    def stats(self) -> Stats:
        """Live counters (see `Stats`)."""
        return self._site.stats

    @property
    def faults(self) -> Faults:
        """The faults in force; assign to change them while serving (the site "comes back")."""
        return self._site.faults

    @faults.setter
    def faults(self, faults: Faults) -> None:
        self._site.faults = faults

    @property
    def family(self) -> Family:
        """The account shown: greeting, last connection, members, régies, initial invoices."""
        return self._site.family

    def invoices(self) -> list[MockInvoice]:
        """The invoices as the mock serves them now."""
        return self._site.invoices()

    def invoice(self, invoice_id: str) -> MockInvoice:
        """One invoice as served now; KeyError when there is none with this id."""
        return self._site.invoice(invoice_id)

    def mark_paid(self, invoice_id: str) -> MockInvoice:
        """Mark an invoice paid, as a payment on PayFiP does; returns it."""
        return self._site.mark_paid(invoice_id)
