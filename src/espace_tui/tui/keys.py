"""The one table of keys: what the help screen lists and what the README shows.

Plain data, no Textual: the screens bind these keys themselves, and tests check that every
binding of a screen appears here. Texts are marked with `N_` and translated where shown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from espace_tui.core.i18n import N_


class Place(StrEnum):
    """Where a key works."""

    ANY = "any"
    AFTER_LOGIN = "after_login"
    LOGIN = "login"
    DASHBOARD = "dashboard"
    LIST = "list"
    DETAIL = "detail"
    PAYMENT = "payment"
    PLANNING = "planning"
    HELP = "help"
    CHART = "chart"


PLACE_NAMES: dict[Place, str] = {
    Place.ANY: N_("Everywhere"),
    Place.AFTER_LOGIN: N_("After login"),
    Place.LOGIN: N_("Login"),
    Place.DASHBOARD: N_("Dashboard"),
    Place.LIST: N_("Invoices"),
    Place.DETAIL: N_("Invoice"),
    Place.PAYMENT: N_("Payment"),
    Place.PLANNING: N_("Planning"),
    Place.HELP: N_("Help"),
    Place.CHART: N_("Chart"),
}
"""The name of each place, marked for translation."""


@dataclass(frozen=True, slots=True)
class KeyHelp:
    """One row of the table: the keys, where they work, what they do."""

    keys: tuple[str, ...]
    """Textual key names, as the screens bind them (`enter`, `question_mark`, `ctrl+p`)."""
    label: str
    """The keys as the user reads them (`Enter`, `?`, `Ctrl+P`); not translated."""
    places: tuple[Place, ...]
    what: str
    """What the keys do, marked with `N_`."""


KEYS: tuple[KeyHelp, ...] = (
    KeyHelp(("enter",), "Enter", (Place.LOGIN,), N_("Log in")),
    KeyHelp(("f1",), "F1", (Place.LOGIN,), N_("Show this help (? is typed in the fields)")),
    KeyHelp(
        ("enter",), "Enter", (Place.DASHBOARD,), N_("Open the invoices (of the selected régie)")
    ),
    KeyHelp(("f",), "f", (Place.DASHBOARD,), N_("Open the invoices")),
    KeyHelp(("b",), "b", (Place.DASHBOARD,), N_("Open the planning (bookings)")),
    KeyHelp(("c",), "c", (Place.DASHBOARD,), N_("Open the chart of the last twelve months")),
    KeyHelp(("a",), "a", (Place.DASHBOARD,), N_("All profiles: what is owed on each")),
    KeyHelp(("up", "down", "k", "j"), "↑ ↓ k j", (Place.LIST,), N_("Move the cursor")),
    KeyHelp(("enter",), "Enter", (Place.LIST,), N_("Open the selected invoice")),
    KeyHelp(("slash",), "/", (Place.LIST,), N_("Filter the invoices by text")),
    KeyHelp(("0",), "0-9", (Place.LIST,), N_("Filter by a number (typed straight in)")),
    KeyHelp(("u",), "u", (Place.LIST,), N_("Show only the invoices to pay (on/off)")),
    KeyHelp(("g",), "g", (Place.LIST,), N_("Show the next régie only (then all)")),
    KeyHelp(("c",), "c", (Place.LIST,), N_("Show the next child's invoices only (then all)")),
    KeyHelp(("s",), "s", (Place.LIST,), N_("Sort by the next column (or click a heading)")),
    KeyHelp(("S",), "S", (Place.LIST,), N_("Reverse the sort")),
    KeyHelp(("d",), "d", (Place.DETAIL,), N_("Save the invoice's PDF")),
    KeyHelp(("o",), "o", (Place.DETAIL,), N_("Open the saved PDF")),
    KeyHelp(("p",), "p", (Place.DETAIL,), N_("Pay the invoice online (PayFiP)")),
    KeyHelp(("enter", "y"), "Enter, y", (Place.PAYMENT,), N_("Confirm: open PayFiP to pay")),
    KeyHelp(("n",), "n", (Place.PAYMENT,), N_("Cancel the payment")),
    KeyHelp(("c",), "c", (Place.PAYMENT,), N_("Copy the PayFiP address")),
    KeyHelp(("r",), "r", (Place.PAYMENT,), N_("Back from PayFiP: check whether it is now paid")),
    KeyHelp(("left", "right"), "← →", (Place.PLANNING,), N_("The previous or next week")),
    KeyHelp(("t",), "t", (Place.PLANNING,), N_("This week")),
    KeyHelp(("left", "right"), "← →", (Place.CHART,), N_("Show the previous or next month")),
    KeyHelp(("home", "end"), "Home End", (Place.CHART,), N_("Show the first or last month")),
    KeyHelp(
        ("escape",),
        "Escape",
        (Place.ANY,),
        N_("Go back, close (in the list: clear the filter first)"),
    ),
    KeyHelp(("r",), "r", (Place.AFTER_LOGIN,), N_("Refresh")),
    KeyHelp(("question_mark",), "?", (Place.ANY,), N_("Show this help")),
    KeyHelp(("q",), "q", (Place.ANY,), N_("Quit (in the help: close it)")),
    KeyHelp(
        ("ctrl+p",),
        "Ctrl+P",
        (Place.ANY,),
        N_("Commands: refresh, log out, theme, language"),
    ),
)
"""Every key of the TUI, in the order the help screen shows them."""


COLUMNS: tuple[str, str, str] = (N_("Key"), N_("Where"), N_("What it does"))
"""The table's headings, marked for translation."""


def keys_for(place: Place) -> tuple[KeyHelp, ...]:
    """The rows that apply in `place`, the keys that work everywhere included."""
    return tuple(row for row in KEYS if place in row.places or Place.ANY in row.places)


def places_text(row: KeyHelp, translate: Callable[[str], str]) -> str:
    """The row's places, translated and joined (`Invoices`, `Everywhere`)."""
    return ", ".join(translate(PLACE_NAMES[place]) for place in row.places)


def markdown_table(translate: Callable[[str], str] = lambda text: text) -> str:
    """The table as Markdown, for the README (English unless given a translation)."""
    lines = ["| " + " | ".join(translate(name) for name in COLUMNS) + " |", "|---|---|---|"]
    for row in KEYS:
        label = row.label.replace("|", "\\|")
        lines.append(f"| `{label}` | {places_text(row, translate)} | {translate(row.what)} |")
    return "\n".join(lines) + "\n"
