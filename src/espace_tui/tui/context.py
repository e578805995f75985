"""What every screen is handed: the session, the clock and the opener."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from espace_tui.tui.services import Opener
from espace_tui.tui.session import Session


@dataclass(frozen=True, slots=True)
class Context:
    """The app's shared, injected parts (tests pass a fixed clock and a fake opener)."""

    session: Session
    today: Callable[[], date]
    opener: Opener
