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
    for width in (60, 78, 80, 120, 200):
        shown = layout(width, state_cells=34)
        assert sum(cells for _column, cells in shown.columns) + len(shown.columns) - 1 == width
    wide = layout(120, state_cells=34)
    assert dict((c.key, cells) for c, cells in wide.columns)["state"] == 34
    assert not wide.short_states and len(wide.columns) == len(COLUMNS)


def test_at_80_columns_the_state_is_one_short_word_and_the_regie_is_cut_first() -> None:
    shown = layout(78, state_cells=34, short_cells=8)
    widths = {column.key: cells for column, cells in shown.columns}
    assert shown.short_states and widths["state"] == 8
    assert "issued" not in widths  # the issue date goes before anything else
    assert {"number", "due", "amount", "remaining", "regie"} <= set(widths)
