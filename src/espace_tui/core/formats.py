"""French formats, read and written in one place: amounts, dates, white space.

Reading is tolerant (the site's text carries line breaks, `&nbsp;`, U+202F); writing gives what
the screens show: `1 234,56 €`, `04/10/2018`.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

_SPACES = re.compile(r"[\s\u00a0\u202f\u2007\u2009]+")
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""C0 and C1 control characters (ESC, CSI, OSC…) and the bidirectional marks and overrides:
text from the portal never reaches a terminal with them."""
REPLACEMENT = "\ufffd"
_AMOUNT = re.compile(r"(-?)\s*(\d{1,3}(?:[ \u00a0\u202f\u2007\u2009.]\d{3})+|\d+)(?:,(\d{1,2}))?")
_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_TIME = re.compile(r"(\d{1,2})[:h](\d{2})")


def clean_text(text: str | None) -> str | None:
    """The site's words as they may be shown: every kind of white space collapsed to one space
    and stripped, each control character or bidirectional override replaced by U+FFFD (so
    `ESC [2J` is shown as `\ufffd[2J` and does nothing); empty text is None."""
    if text is None:
        return None
    cleaned = _CONTROLS.sub(REPLACEMENT, _SPACES.sub(" ", text)).strip()
    return cleaned or None


def printable(text: str) -> str:
    """Any text made safe for a terminal, line breaks and tabs kept: each other control
    character or bidirectional override replaced by U+FFFD. The last guard of every line the
    command line prints and of every text the screens show."""
    return _CONTROLS.sub(lambda m: m.group(0) if m.group(0) in "\n\t" else REPLACEMENT, text)


def has_controls(text: str) -> bool:
    """Whether the text holds a control character (other than a line break or a tab) or a
    bidirectional override."""
    return any(m.group(0) not in "\n\t" for m in _CONTROLS.finditer(text))


MAX_DIGITS = 12
"""The most integer digits an amount or a quantity may have (a thousand billion euros): more
is not a bill a family gets, but a page that is wrong."""


class OutOfRange(ValueError):
    """A number with more integer digits than `MAX_DIGITS`."""


def _bounded(digits: str, text: str) -> None:
    if len(digits.lstrip("0")) > MAX_DIGITS:
        raise OutOfRange(text)


def parse_amount(text: str | None) -> Decimal | None:
    """`1 234,56 €` → Decimal('1234.56'); None when there is no amount in the text.

    Raises `OutOfRange` for more than `MAX_DIGITS` integer digits."""
    if not text:
        return None
    match = _AMOUNT.search(text.replace("\u2212", "-"))
    if not match:
        return None
    sign, whole, cents = match.groups()
    digits = re.sub(r"\D", "", whole)
    _bounded(digits, text)
    try:
        value = Decimal(f"{sign}{digits}.{(cents or '0').ljust(2, '0')}")
        return value.quantize(Decimal("0.01"))
    except InvalidOperation:
        return None


def parse_decimal(text: str | None) -> Decimal | None:
    """A quantity or price in French form (`2`, `1,5`, `3,20 €`); None when absent.

    Raises `OutOfRange` for more than `MAX_DIGITS` integer digits (or decimals)."""
    if not text:
        return None
    match = re.search(r"-?\d+(?:[ \u00a0\u202f]\d{3})*(?:,\d+)?", text)
    if not match:
        return None
    whole, _, decimals = _SPACES.sub("", match.group(0)).partition(",")
    _bounded(re.sub(r"\D", "", whole), text)
    if len(decimals) > MAX_DIGITS:
        raise OutOfRange(text)
    try:
        return Decimal(f"{whole}.{decimals}" if decimals else whole)
    except InvalidOperation:
        return None


def parse_date(text: str | None) -> date | None:
    """The first `dd/mm/yyyy` in the text, as a date; None when there is none or it is invalid."""
    if not text:
        return None
    match = _DATE.search(text)
    if not match:
        return None
    day, month, year = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_datetime(text: str | None) -> datetime | None:
    """`09/11/2018 à 15:31` → datetime; a date alone gives midnight; None when there is no date."""
    day = parse_date(text)
    if day is None or text is None:
        return None
    after = text[_DATE.search(text).end() :]  # type: ignore[union-attr]
    time_match = _TIME.search(after)
    if time_match:
        hour, minute = int(time_match.group(1)), int(time_match.group(2))
        if hour < 24 and minute < 60:
            return datetime(day.year, day.month, day.day, hour, minute)
    return datetime(day.year, day.month, day.day)


NO_BREAK_SPACE = "\u00a0"


def format_money(amount: Decimal | None, *, unknown: str = "—", no_break: bool = False) -> str:
    """Decimal('1234.5') → `1 234,50 €` (French grouping, comma, euro sign after).

    `no_break`: the spaces are no-break spaces (U+00A0), so a screen that wraps a sentence never
    parts an amount from its `€` nor cuts it between its thousands."""
    if amount is None:
        return unknown
    quantized = amount.quantize(Decimal("0.01"))
    sign = "-" if quantized < 0 else ""
    whole, _, cents = f"{abs(quantized):.2f}".partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    space = NO_BREAK_SPACE if no_break else " "
    return f"{sign}{space.join(groups)},{cents}{space}€"


def format_date(day: date | None, *, unknown: str = "—") -> str:
    """date(2018, 10, 4) → `04/10/2018`."""
    return day.strftime("%d/%m/%Y") if day else unknown


def format_datetime(moment: datetime | None, *, unknown: str = "—") -> str:
    """datetime(2018, 11, 9, 15, 31) → `09/11/2018 à 15:31`."""
    return moment.strftime("%d/%m/%Y à %H:%M") if moment else unknown


def amount_for_json(amount: Decimal | None) -> str | None:
    """Decimal('1234.5') → "1234.50": a string with two decimals, never a float."""
    return None if amount is None else f"{amount.quantize(Decimal('0.01')):f}"
