"""The TUI's pure parts: the one mapping from errors to messages, and the list's columns."""

from __future__ import annotations

from espace_tui.core.errors import (
    ConfigError,
    LoginRefused,
    Maintenance,
    NothingToDo,
    PageChanged,
    PortalUnreachable,
    UnsafePaymentAddress,
)
from espace_tui.tui.problems import problem_for
from espace_tui.tui.widgets.invoice_table import COLUMNS, layout


def test_errors_map_to_their_message_and_a_retry_only_where_it_can_help() -> None:
    assert problem_for(LoginRefused("Identifiant ou mot de passe incorrect.")).message == (
        "Identifiant ou mot de passe incorrect."
    )
    assert not problem_for(LoginRefused("x")).retry
    assert not problem_for(ConfigError("bad portal")).retry
    assert problem_for(PortalUnreachable("down")).retry
    assert problem_for(Maintenance("MonCompte")).retry
    assert problem_for(PageChanged("MonCompte", "tr.compte")).retry
    assert problem_for(NothingToDo("paid")).severity == "warning"
    assert problem_for(UnsafePaymentAddress("refused")).message == "refused"
    unexpected = problem_for(ZeroDivisionError("secret detail"))
    assert "ZeroDivisionError" in unexpected.message and "secret" not in unexpected.message


def test_the_columns_fill_the_width_and_the_state_gets_its_words() -> None:
    for width in (80, 120, 200):
        widths = layout(width, state_cells=34)
        assert sum(widths) + len(COLUMNS) - 1 == width
    assert layout(120, state_cells=34)[-1] == 34
