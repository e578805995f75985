"""What every screen is handed: the session, the clock and the opener."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from espace_tui.account.services import Opener
from espace_tui.account.session import AccountSession


@dataclass(frozen=True, slots=True)
class ScreenContext:
    """The app's shared, injected parts (tests pass a fixed clock and a fake opener)."""

    session: AccountSession
    today: Callable[[], date]
    opener: Opener
