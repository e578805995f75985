"""A QR code of an address, drawn in the terminal so a phone can scan it.

segno builds the symbol; this module only draws its module matrix with Unicode half blocks, two
modules per character row, black on an explicit white background. The colours are explicit (not
the theme's) because phones read dark modules on a light field: a dark terminal with inverted
colours would give a QR code many readers refuse. The quiet zone is drawn in white too, for the
same reason: the terminal's own background around it is usually dark.
"""

from __future__ import annotations

from collections.abc import Sequence

import segno
from rich.color import Color
from rich.segment import Segment
from rich.style import Style
from textual.geometry import Size
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

QUIET_ZONES = (4, 2)
"""Quiet zones tried, widest first: 4 modules is the standard; 2 still scans with phones and
lets a larger symbol fit a 40-row terminal."""

ERROR_LEVEL = "L"
"""The lowest error correction gives the smallest symbol, the one that fits a terminal best;
segno raises it for free when the chosen version has room to spare (`boost_error`)."""

QR_STYLE = Style(color=Color.from_rgb(0, 0, 0), bgcolor=Color.from_rgb(255, 255, 255))
"""Black modules on white: dark-on-light, whatever the terminal's theme."""

# One character row shows two module rows: (top dark, bottom dark) → character in QR_STYLE.
HALF_BLOCKS: dict[tuple[bool, bool], str] = {
    (False, False): " ",
    (True, False): "▀",
    (False, True): "▄",
    (True, True): "█",
}


def make_symbol(data: str) -> segno.QRCode:
    """The QR code of `data`: a full QR code (never a micro one, which phones rarely read)."""
    return segno.make(data, error=ERROR_LEVEL, micro=False)


def half_block_rows(modules: Sequence[Sequence[int]], quiet_zone: int) -> list[str]:
    """Draw a module matrix (1 = dark) as text rows, two module rows per text row, with a light
    quiet zone of `quiet_zone` modules on every side (an odd last row gets a light lower half)."""
    side = len(modules) + 2 * quiet_zone
    light = [0] * side
    padded = [light] * quiet_zone
    padded += [[0] * quiet_zone + [int(bool(m)) for m in row] + [0] * quiet_zone for row in modules]
    padded += [light] * quiet_zone
    if len(padded) % 2:
        padded.append(light)
    return [
        "".join(
            HALF_BLOCKS[bool(top), bool(bottom)] for top, bottom in zip(upper, lower, strict=True)
        )
        for upper, lower in zip(padded[0::2], padded[1::2], strict=True)
    ]


def cells_needed(module_count: int, quiet_zone: int) -> Size:
    """Terminal cells (columns × rows) taken by a symbol of `module_count` modules a side."""
    side = module_count + 2 * quiet_zone
    return Size(side, (side + 1) // 2)


class QRCode(Widget):
    """A QR code of `data`, sized to its symbol (`width: auto; height: auto`).

    The parent decides whether it fits (`quiet_zone_to_fit`) and hides it when it does not: a
    cropped QR code cannot be scanned, so it is shown whole or not at all.
    """

    DEFAULT_CSS = """
    QRCode {
        width: auto;
        height: auto;
    }
    """

    quiet_zone: reactive[int] = reactive(QUIET_ZONES[0], layout=True)
    """Light modules around the symbol, one of `QUIET_ZONES`."""

    def __init__(
        self,
        data: str,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.data = data
        """The text the symbol encodes (the payment address)."""
        try:
            self.symbol: segno.QRCode | None = make_symbol(data)
        except segno.DataOverflowError:
            # Longer than any QR code can hold: the parent says so and offers the link instead.
            self.symbol = None
        self.modules: tuple[tuple[int, ...], ...] = (
            tuple(tuple(row) for row in self.symbol.matrix) if self.symbol else ()
        )
        """segno's module matrix, 1 for a dark module, without quiet zone."""
        self._rows: dict[int, list[str]] = {}

    @property
    def version(self) -> int | None:
        """The QR version segno chose (1-40), None when the data is too long for any."""
        return int(self.symbol.version) if self.symbol else None

    @property
    def error_level(self) -> str | None:
        """The error correction level actually used (`L`, `M`, `Q`, `H`)."""
        return str(self.symbol.error) if self.symbol else None

    def cells_needed(self, quiet_zone: int | None = None) -> Size:
        """Cells the symbol takes with the given (default: current) quiet zone."""
        zone = self.quiet_zone if quiet_zone is None else quiet_zone
        return cells_needed(len(self.modules), zone)

    def quiet_zone_to_fit(self, available: Size) -> int | None:
        """The widest quiet zone with which the whole symbol fits `available`, or None."""
        if self.symbol is None:
            return None
        for zone in QUIET_ZONES:
            needed = self.cells_needed(zone)
            if needed.width <= available.width and needed.height <= available.height:
                return zone
        return None

    def rows(self) -> list[str]:
        """The text rows drawn, for the current quiet zone."""
        zone = self.quiet_zone
        if zone not in self._rows:
            self._rows[zone] = half_block_rows(self.modules, zone) if self.modules else []
        return self._rows[zone]

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return self.cells_needed().width if self.modules else 0

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return self.cells_needed().height if self.modules else 0

    def render_line(self, y: int) -> Strip:
        rows = self.rows()
        width = self.size.width
        if y >= len(rows):
            return Strip.blank(width, self.rich_style)
        row = rows[y]
        strip = Strip([Segment(row, QR_STYLE)], len(row))
        return strip.extend_cell_length(width, self.rich_style).crop(0, width)
