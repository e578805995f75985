"""The `planning` command's options, kept apart from the command so that building the parser
imports nothing more than argparse (the command itself is `cli.planning`)."""

from __future__ import annotations

import argparse
import re
from datetime import date
from pathlib import Path
from typing import Any

from espace_tui.core.i18n import _

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_FRENCH = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def parse_day(text: str) -> date:
    """`dd/mm/yyyy` or `yyyy-mm-dd` → date (the `type` of `--from` and `--to`)."""
    cleaned = text.strip()
    iso, french = _ISO.match(cleaned), _FRENCH.match(cleaned)
    try:
        if iso:
            year, month, day = (int(part) for part in iso.groups())
            return date(year, month, day)
        if french:
            day, month, year = (int(part) for part in french.groups())
            return date(year, month, day)
    except ValueError:
        pass
    raise argparse.ArgumentTypeError(
        _("'{text}' is not a date: write it as 25/12/2026 or 2026-12-25.").format(text=text)
    )


def add_parser(add: Any) -> None:
    """The `planning` command's parser (`add` is `build_parser`'s own helper)."""
    planning = add(
        "planning",
        _(
            "show the children's bookings (canteen, after school, holiday centre) of a week, "
            "as text, JSON or an iCalendar file"
        ),
    )
    planning.add_argument(
        "--from",
        dest="first",
        metavar="DATE",
        type=parse_day,
        help=_("the first day (25/12/2026 or 2026-12-25; default: this week's Monday)"),
    )
    planning.add_argument(
        "--to",
        dest="last",
        metavar="DATE",
        type=parse_day,
        help=_("the last day (default: this week's Sunday, or six days after --from)"),
    )
    planning.add_argument(
        "--json", action="store_true", help=_("print one JSON array, one object per booking")
    )
    planning.add_argument(
        "--ics",
        metavar="FILE",
        type=Path,
        help=_(
            "write the bookings as an iCalendar file (replaces a planning espace-tui wrote "
            "there before, never another file)"
        ),
    )
