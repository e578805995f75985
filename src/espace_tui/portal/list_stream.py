"""The rows of a very large "Mes factures" page, read as a stream of tags.

A tree of the whole page costs about 15 times the page: 70 MB for the 4.8 MB list of 10 000
invoices. Above `STREAM_ABOVE`, `pages.parse_invoice_list` reads the rows with the standard
library's HTML tokenizer instead, keeping only what each row says, in a few MB. It reads the
markup SITE.md describes (§4) and what the tree reader reads of it: `tr.compte` rows with their
`id`, each row's cells by class (the first element of the row with that class, its text
whole), and the régie block (`div.regie`, its `id`, the text of its `.libelleRegie`) around
them. Tests check that both readers give the same invoices, on the portals' pages and on
generated ones. Values are raw text here: `pages` cleans and parses them as for the tree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

STREAM_ABOVE = 3_000_000
"""Bytes of list page above which the rows are read as a stream (about 6 000 invoices)."""

_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)
"""Elements that have no end tag: never waited for."""
_CELLS = frozenset({"td", "th"})


@dataclass(slots=True)
class RegieBlock:
    """A `div.regie`: its raw id (`regie-12`) and the text of its first `.libelleRegie`."""

    raw_id: str
    name: str | None = None


@dataclass(slots=True)
class RawRow:
    """One `tr.compte`: its raw id, the raw text of each class's first element, its régie."""

    raw_id: str | None
    regie: RegieBlock | None
    texts: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class _Open:
    """An element being read: its tag and the classes whose text it collects."""

    tag: str
    classes: tuple[str, ...]
    parts: list[str] = field(default_factory=list)


class _ListReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[RawRow] = []
        self._divs = 0
        self._regie: RegieBlock | None = None
        self._regie_depth = 0
        self._name: list[str] | None = None
        """The text of the régie's `.libelleRegie` while it is read."""
        self._name_tag = ""
        self._row: RawRow | None = None
        self._open: list[_Open] = []

    # -- tags ------------------------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = tuple(_classes(attrs))
        if tag == "div":
            self._divs += 1
            if "regie" in classes:
                self._end_row()
                self._regie = RegieBlock(raw_id=_attr(attrs, "id") or "")
                self._regie_depth = self._divs
        if tag == "tr":
            self._end_row()
            if "compte" in classes:
                self._row = RawRow(_attr(attrs, "id"), self._regie)
                return
        elif tag in _CELLS and self._row is not None:
            self._close_cells()  # a cell's end tag may be left out: the next cell ends it
        if (
            "libelleRegie" in classes
            and self._regie is not None
            and self._regie.name is None
            and self._name is None
            and tag not in _VOID
        ):
            self._name, self._name_tag = [], tag
        if self._row is not None and tag not in _VOID:
            wanted = tuple(name for name in classes if name not in self._row.texts)
            for name in wanted:
                self._row.texts[name] = ""  # the first element of the class is the one read
            self._open.append(_Open(tag, wanted))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID or self._row is None:
            if self._row is not None:
                for name in _classes(attrs):
                    self._row.texts.setdefault(name, "")
            return
        self.handle_starttag(tag, attrs)
        self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._name is not None and tag == self._name_tag and self._regie is not None:
            self._regie.name = "".join(self._name)
            self._name = None
        if self._row is not None:
            if tag in ("tr", "tbody", "thead", "tfoot", "table"):
                self._end_row()
            else:
                self._close(tag)
        if tag == "div" and self._divs:
            if self._regie is not None and self._divs == self._regie_depth:
                self._end_row()
                self._regie = None
            self._divs -= 1

    def handle_data(self, data: str) -> None:
        data = data.replace("\0", "")  # as HTML's tree builders do with a NUL in the text
        if self._name is not None:
            self._name.append(data)
        if self._open:  # an element's text reaches its parents when it ends (`_keep`)
            self._open[-1].parts.append(data)

    # -- rows ------------------------------------------------------------------------------

    def _close(self, tag: str) -> None:
        """End the innermost open element `tag` (and what was left open inside it)."""
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index].tag == tag:
                while len(self._open) > index:
                    self._keep(self._open.pop())
                return

    def _close_cells(self) -> None:
        for index, element in enumerate(self._open):
            if element.tag in _CELLS:
                while len(self._open) > index:
                    self._keep(self._open.pop())
                return

    def _keep(self, element: _Open) -> None:
        if self._row is not None and element.classes:
            text = "".join(element.parts)
            for name in element.classes:
                self._row.texts[name] = text
        # What an inner element read is its parent's text too.
        if self._open:
            self._open[-1].parts.extend(element.parts)

    def _end_row(self) -> None:
        if self._row is None:
            return
        while self._open:
            self._keep(self._open.pop())
        self.rows.append(self._row)
        self._row = None


def _classes(attrs: list[tuple[str, str | None]]) -> list[str]:
    return (_attr(attrs, "class") or "").split()


def _attr(attrs: list[tuple[str, str | None]], name: str) -> str | None:
    for key, value in attrs:
        if key == name:
            return value if value is not None else ""
    return None


def read_rows(html: str | bytes) -> list[RawRow]:
    """Every `tr.compte` row of the page, in the page's order (see the module's docstring)."""
    text = html.decode("utf-8", errors="replace") if isinstance(html, bytes) else html
    reader = _ListReader()
    reader.feed(text)
    reader.close()
    reader._end_row()
    return reader.rows
