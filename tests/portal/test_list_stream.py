"""A very large "Mes factures" page is read as a stream of tags (a tree of it would take 15
times its size): the two readers give the same invoices, on the portals' own pages, on pages
with any text in their cells, and a damaged page is still a safe list or a page error."""

from __future__ import annotations

import html as html_escape
import re
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_page_properties import PAGE_FILES, TEXTS, URLISH, assert_safe_result, mutated

from espace_tui.core.errors import PageError
from espace_tui.mock import pages as mock_pages
from espace_tui.mock.data import make_family
from espace_tui.portal import list_stream, pages
from support import other_portal

TODAY = date(2026, 12, 2)


def both(html: str | bytes) -> tuple[list[object], list[object]]:
    """What the tree reads, and what the stream reads, of the same page."""
    return list(pages.parse_invoice_list(html)), list(pages._streamed_list(html))


def mock_list(count: int | None) -> str:
    family = make_family(count, TODAY)
    return mock_pages.invoice_list(
        "/ecouflant/espace-citoyens/", family, list(family.invoices), None
    )


@pytest.mark.parametrize("count", [None, 0, 1, 300])  # None: the demo family's 14
def test_the_mocks_list_reads_the_same_both_ways(count: int | None) -> None:
    tree, stream = both(mock_list(count).encode("utf-8"))
    assert tree == stream and len(tree) == (14 if count is None else count)


def test_the_independent_portals_list_and_the_page_file_read_the_same_both_ways() -> None:
    for page in (other_portal.invoices_page(), PAGE_FILES["mon_compte.html"]):
        tree, stream = both(page)
        assert tree == stream and tree
        assert {i.regie for i in tree} == {i.regie for i in stream}  # names and ids


def test_a_page_above_the_size_is_read_as_a_stream_and_gives_every_invoice(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    page = mock_list(300).encode("utf-8")
    tree = pages.parse_invoice_list(page)
    read: list[int] = []
    real = list_stream.read_rows

    def counted(html: str | bytes) -> list[list_stream.RawRow]:
        rows = real(html)
        read.append(len(rows))
        return rows

    monkeypatch.setattr(list_stream, "read_rows", counted)
    monkeypatch.setattr(list_stream, "STREAM_ABOVE", len(page) - 1)
    assert pages.parse_invoice_list(page) == tree
    assert read == [300]


def test_markup_the_stream_must_read_like_a_tree() -> None:
    page = """<html><body><div class="regie" id="regie-7"><div class="entete">
      <h3 class="libelleRegie">ÉCOLE <b>DE</b> MUSIQUE</h3></div>
      <table class="tableCompte"><tbody>
      <tr class="compte impaire" id="11"><td class="ligneCompte"><span>Mars</span> 2026
        <td class="numero_facture">12<td class="dateFacture">04/03/2026
        <td class="montantFacture">1&nbsp;234,50&#8239;€<td class="etatFacture">Payée<br>
      <tr class="compte" id="12"><td><span class="ligneCompte">Avril</span></td>
        <td class="numero_facture"></td><td class="montantFacture"><img class="x">3,00 €</td>
      <tr class="compte" id="11"><td class="ligneCompte">again</td><td class="numero_facture">
    </tbody></table></div>
    <table><tr class="compte" id="13"><td class="ligneCompte">Hors régie</td>
      <td class="numero_facture">9</td></tr></table></body></html>"""
    tree, stream = both(page)
    assert tree == stream
    assert [(i.id, i.label, i.number) for i in tree] == [  # type: ignore[attr-defined]
        ("11", "Mars 2026", "12"),
        ("12", "Avril", None),
        ("13", "Hors régie", "9"),
    ]


_CELLS = "ligneCompte|numero_facture|montantFacture|etatFacture|dateFacture"
_CELL = re.compile(rf'(<td class="(?:{_CELLS})">)([^<]*)(<)')


@settings(max_examples=80, deadline=None)
@given(texts=st.lists(st.one_of(TEXTS, URLISH), min_size=1, max_size=6), data=st.data())
def test_any_text_in_the_cells_reads_the_same_both_ways(
    texts: list[str], data: st.DataObject
) -> None:
    page = PAGE_FILES["mon_compte.html"].decode("utf-8")
    spans = [m.span(2) for m in _CELL.finditer(page)]
    for text in texts:  # escaped, as a site writes text: what differs is what it says
        first, last = data.draw(st.sampled_from(spans))
        page = page[:first] + html_escape.escape(text) + page[last:]
        spans = [m.span(2) for m in _CELL.finditer(page)]
    try:
        tree = pages.parse_invoice_list(page)
    except PageError as error:
        with pytest.raises(PageError) as caught:
            pages._streamed_list(page)
        assert str(caught.value) == str(error)
        return
    assert pages._streamed_list(page) == tree


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_damaged_page_read_as_a_stream_is_a_safe_list_or_a_page_error(
    data: st.DataObject,
) -> None:
    page = data.draw(mutated(PAGE_FILES["mon_compte.html"]))
    try:
        result = pages._streamed_list(page)
    except PageError:
        return
    assert_safe_result(result)
