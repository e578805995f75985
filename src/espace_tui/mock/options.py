"""What a mock portal is started with: address, commune, latency, data size and faults."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field, fields
from datetime import date

DEMO_COMMUNE = "ecouflant"
DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo"  # A demo password for a loopback mock; no real account has it.
LOGIN_KINDS = ("form", "ajax")
"""How the mock serves its login: the public home's form (SITE.md §1-2, the default) or a
"Se connecter" button and the site's AJAX modal (§2b)."""
LOCKED_USERNAME = "verrouille"
"""Any password for this username gets the site's "locked account" message."""

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
"""A commune's name in the site's paths (SITE.md, "Addresses")."""


def is_loopback_host(host: str | None) -> bool:
    """127.0.0.0/8, ::1 and localhost: the only hosts the mock may listen on. The mock is an
    independent site, so it keeps its own copy of this rule instead of asking the client's."""
    if not host:
        return False
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True, slots=True)
class Faults:
    """Misbehaviours of the real site the mock can put on, so clients are tested against them."""

    expire_every: int | None = None
    """End the session after every K authenticated requests (the answers rotate through the
    three forms of an ended session: HTTP 500, a redirect to the login page, a 200 login page)."""
    flaky: bool = False
    """Every 4th GET under the portal answers 502, 503 or 504 once; a retry succeeds."""
    pdf_html: bool = False
    """The PDF address answers a 200 HTML page instead of a PDF."""
    maintenance: bool = False
    """Every address answers HTTP 503 with the site's maintenance page."""
    payment_wrong_host: bool = False
    """`PayerFacture` redirects to a host that is not PayFiP."""

    @classmethod
    def parse(cls, text: str | None) -> Faults:
        """`"expire-every=3,flaky,pdf-html,maintenance,payment-wrong-host"` → Faults.

        Raises ValueError with a plain message on an unknown name or a bad number."""
        values: dict[str, object] = {}
        flags = {f.name.replace("_", "-") for f in fields(cls)} - {"expire-every"}
        for raw in (text or "").split(","):
            item = raw.strip().lower()
            if not item:
                continue
            name, _sep, value = item.partition("=")
            name = name.strip()
            if name == "expire-every":
                try:
                    every = int(value)
                except ValueError:
                    raise ValueError(
                        f"expire-every needs a whole number, as in expire-every=3 (got {item!r})"
                    ) from None
                if every < 1:
                    raise ValueError(f"expire-every must be 1 or more (got {every})")
                values["expire_every"] = every
            elif name in flags and not _sep:
                values[name.replace("-", "_")] = True
            else:
                known = ", ".join(["expire-every=K", *sorted(flags)])
                raise ValueError(f"unknown fault {item!r}; known faults: {known}")
        return cls(**values)  # type: ignore[arg-type]

    def describe(self) -> str:
        """The faults in the form `parse` reads (empty when there is none)."""
        parts: list[str] = []
        if self.expire_every is not None:
            parts.append(f"expire-every={self.expire_every}")
        for item in fields(self):
            if item.name != "expire_every" and getattr(self, item.name):
                parts.append(item.name.replace("_", "-"))
        return ",".join(parts)


@dataclass(frozen=True, slots=True)
class MockOptions:
    """How to start a `MockPortal`."""

    host: str = "127.0.0.1"
    """A loopback address only (127.0.0.0/8, ::1, localhost)."""
    port: int = 0
    """0: any free port."""
    commune: str = DEMO_COMMUNE
    latency_ms: int = 0
    """Sleep this long before answering each request."""
    invoices: int | None = None
    """None: the demo family's fixed invoices; N: N generated (seeded, deterministic) invoices."""
    faults: Faults = field(default_factory=Faults)
    log_requests: bool = False
    """Print one line per request on stderr (the command line server does)."""
    today: date | None = None
    """The day the demo invoices are dated from (None: the real today); fixed in snapshots."""
    login: str = "form"
    """`"form"`: the public home holds the login form (SITE.md §1-2); `"ajax"`: it shows a
    "Se connecter" button, and the form comes from `Home/RecupererModaleConnexion` and is
    posted to `Home/LogonAjax` (§2b)."""

    def __post_init__(self) -> None:
        if self.login not in LOGIN_KINDS:
            raise ValueError(f"login must be form or ajax (got {self.login!r})")
