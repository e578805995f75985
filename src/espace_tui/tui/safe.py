"""The one way text reaches a widget: shown literally, never read as markup, never a control
character.

The portal's words are a stranger's input. Textual reads a `str` given to `Static`, `Label`,
`Button`, an `Option`, a border title or a notification as markup, and Rich reads a `str` cell
of a `DataTable` as markup too: `[/]` in a name crashes the app, `[@click=app.quit]…[/]` becomes
an action, `[link=…]` a hyperlink, `CANTINE [midi]` loses its brackets. Neither strips ESC, C1
or bidirectional overrides, which would reach the terminal as they are. So every text the
screens show goes through here: `literal` (a Textual `Content`), `literal_markup` (our own
markup, the site's words as its variables), `literal_text` (a Rich `Text`, for Rich tables and
`DataTable` cells), `plain` (for the sinks that take a `str` and never parse it: screen titles,
the invoice table's segments) and `notify`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.content import Content
from textual.notifications import SeverityLevel
from textual.style import Style

from espace_tui.core.formats import printable

if TYPE_CHECKING:
    from rich.console import JustifyMethod
    from rich.style import Style as RichStyle
    from textual.dom import DOMNode

__all__ = ["literal", "literal_markup", "literal_text", "notify", "plain"]


def plain(text: str) -> str:
    """`text` with each control character and bidirectional override replaced by U+FFFD
    (line breaks and tabs kept), for a sink that shows a `str` as it is."""
    return printable(text)


def literal(text: str, style: Style | str = "") -> Content:
    """`text` shown exactly as written (brackets and all), in `style` (our own, e.g. a state's
    colour): never parsed as markup, its control characters made visible as U+FFFD."""
    return Content.styled(plain(text), style)


def literal_markup(template: str, **variables: str) -> Content:
    """Our own markup `template` (`"[b]$title[/b]"`), its `$variables` filled with the site's
    words as literal text: Textual inserts variables as text, never as markup, and their control
    characters are replaced here (Textual would keep ESC)."""
    return Content.from_markup(
        template, **{name: plain(value) for name, value in variables.items()}
    )


def literal_text(
    text: str, style: RichStyle | str = "", *, justify: JustifyMethod | None = None
) -> Text:
    """`text` as a Rich `Text` shown exactly as written: for Rich renderables (the payment
    dialog's table) and `DataTable` cells, which read a plain `str` as markup."""
    return Text(plain(text), style=style, justify=justify)


def notify(
    node: DOMNode,
    message: str,
    *,
    severity: SeverityLevel = "information",
    timeout: float | None = None,
) -> None:
    """Show a notification whose words are shown as they are: messages carry the site's words
    (a refusal, a maintenance text, a file name), and Textual reads notifications as markup
    unless told otherwise."""
    node.app.notify(plain(message), severity=severity, timeout=timeout, markup=False)
