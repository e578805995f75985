"""The two portals every user story runs against: the bundled mock and the independent portal
written from SITE.md alone. Each is described from its own data, so a story asserts what that
portal serves, not what the other one does."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from support.other_expected import EXPECTED
from support.other_portal import PASSWORD, USERNAME, OtherPortal

TO_PAY = ("unpaid", "treasury")


@dataclass(frozen=True)
class Truth:
    """One invoice as the portal under test serves it."""

    id: str
    number: str
    amount: Decimal
    remaining: Decimal | None
    status: str
    payable_online: bool


@dataclass
class PortalUnderTest:
    """A running portal, its account and its invoices."""

    name: str
    base_url: str
    username: str
    password: str
    invoices: list[Truth]
    refusal: str
    """The site's words for a wrong password."""
    server: Any

    def owed(self) -> tuple[Decimal, int]:
        """What is still to pay (total, count): what the family must pay, counted once."""
        owing = [
            i.remaining
            for i in self.invoices
            if i.status in TO_PAY and i.remaining is not None and i.remaining > 0
        ]
        return sum(owing, Decimal("0.00")), len(owing)

    def payable(self) -> Truth:
        """An invoice that can be paid online."""
        return next(i for i in self.invoices if i.payable_online)

    def args(self) -> list[str]:
        """The command line's options for this portal and account (the password comes from
        $ESPACE_TUI_PASSWORD)."""
        return ["--portal", self.base_url, "--username", self.username]


def bundled(mock: Any) -> PortalUnderTest:
    from espace_tui.mock import DEMO_PASSWORD, DEMO_USERNAME

    return PortalUnderTest(
        name="bundled",
        base_url=mock.base_url,
        username=DEMO_USERNAME,
        password=DEMO_PASSWORD,
        invoices=[
            Truth(
                id=i.id,
                number=i.number,
                amount=i.total,
                remaining=i.remaining,
                status=i.status.value,
                payable_online=i.payable_online,
            )
            for i in mock.invoices()
        ],
        refusal="Identifiant ou mot de passe incorrect.",
        server=mock,
    )


def independent(other: OtherPortal) -> PortalUnderTest:
    return PortalUnderTest(
        name="independent",
        base_url=other.base_url,
        username=USERNAME,
        password=PASSWORD,
        invoices=[
            Truth(
                id=e["id"],
                number=e["number"],
                amount=Decimal(e["amount"]),
                remaining=Decimal(e["remaining"]) if e["remaining"] is not None else None,
                status=e["status"],
                payable_online=e["payable_online"],
            )
            for e in EXPECTED
        ],
        refusal="Identifiant ou mot de passe incorrect.",
        server=other,
    )


# --- The logins of SITE.md (§1-2, the form; §2b, the AJAX modal) over both portals -------------

LOGIN_VARIANTS = [
    ("bundled", "form"),
    ("bundled", "ajax"),
    ("independent", "form"),
    ("independent", "ajax"),
]
"""(portal, login): each portal serving each login."""


def start_variant(kind: str, login: str, make_mock: Any) -> tuple[PortalUnderTest, Any]:
    """Start the bundled (`make_mock(login=…)`, stopped by its fixture) or the independent
    portal (`OtherPortal(login=…)`) serving this login; returns it and a stop function."""
    if kind == "bundled":
        return bundled(make_mock(login=login)), lambda: None
    other = OtherPortal(login=login)
    other.start()
    return independent(other), other.stop
