"""Why `pages.py` uses selectolax's lexbor backend: parse a "Mes factures" page of 1 000 rows
(about 200 KB) with each parser that is installed and report the time and the ratio to lexbor.

A script, not a test (timings depend on the machine):

    .venv/bin/python benchmarks/bench_parsers.py [--rows 1000] [--repeat 20]

lxml and BeautifulSoup are not dependencies of espace-tui: they are measured when importable and
skipped otherwise.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

ROW = """
<tr class="compte" id="{id}" data-regie="{regie}">
  <td class="ligneCompte">
    {label}</td>
  <td class="numero_facture">{number}</td>
  <td class="dateFacture">{day:02d}/{month:02d}/2024</td>
  <td class="montantFacture">{euros}&#8239;{cents:03d},{small:02d}&nbsp;€</td>
  <td class="etatFacture">{state}</td>
</tr>"""

STATES = ("Payée", "Non payée", "Transmise au Trésor Public", "Prélèvement automatique")
MONTHS = ("Janvier", "Février", "Mars", "Avril", "Mai", "Juin", "Juillet", "Août")


def make_page(rows: int) -> str:
    """A MonCompte page of `rows` invoices in 4 régies, with the site's noise (line breaks,
    `&nbsp;`, U+202F)."""
    blocks: list[str] = []
    per_block = max(1, rows // 4)
    for block in range(0, rows, per_block):
        body = "".join(
            ROW.format(
                id=100000 + n,
                regie=block // per_block,
                label=f"{MONTHS[n % len(MONTHS)]}&nbsp;2024",
                number=600 + n,
                day=1 + n % 28,
                month=1 + n % 12,
                euros=1 + n % 9,
                cents=n % 1000,
                small=n % 100,
                state=STATES[n % len(STATES)],
            )
            for n in range(block, min(rows, block + per_block))
        )
        blocks.append(
            f"""<div class="regie" id="regie-{block}">
      <h3 class="libelleRegie">POST FACTURATION (RÉGIE {block})</h3>
      <table class="tableCompte"><tbody>{body}
      </tbody></table></div>"""
        )
    return (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Mes factures</title>'
        "</head><body><main>" + "\n".join(blocks) + "</main></body></html>"
    )


def with_lexbor(html: str) -> int:
    from espace_tui.portal.pages import parse_invoice_list

    return len(parse_invoice_list(html))


def with_lexbor_queries(html: str) -> int:
    """selectolax lexbor doing only what the other parsers do below (same queries)."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(html)
    found = 0
    for row in tree.css("tr.compte"):
        for selector in (".ligneCompte", ".numero_facture", ".dateFacture", ".montantFacture"):
            node = row.css_first(selector)
            if node is not None:
                node.text()
        found += 1
    return found


def with_lxml(html: str) -> int:
    import lxml.html  # type: ignore[import-not-found]

    tree = lxml.html.fromstring(html)
    found = 0
    for row in tree.cssselect("tr.compte"):
        for selector in (".ligneCompte", ".numero_facture", ".dateFacture", ".montantFacture"):
            cells = row.cssselect(selector)
            if cells:
                cells[0].text_content()
        found += 1
    return found


def with_bs4(html: str) -> int:
    from bs4 import BeautifulSoup  # type: ignore[import-not-found]

    soup = BeautifulSoup(html, "html.parser")
    found = 0
    for row in soup.select("tr.compte"):
        for selector in (".ligneCompte", ".numero_facture", ".dateFacture", ".montantFacture"):
            cell = row.select_one(selector)
            if cell is not None:
                cell.get_text()
        found += 1
    return found


PARSERS: dict[str, Callable[[str], int]] = {
    "selectolax lexbor": with_lexbor_queries,
    "lxml (cssselect)": with_lxml,
    "BeautifulSoup (html.parser)": with_bs4,
}


def measure(parse: Callable[[str], int], html: str, repeat: int) -> float:
    """Median seconds of `repeat` runs (after one warm-up run)."""
    parse(html)
    times: list[float] = []
    for _ in range(repeat):
        start = time.perf_counter()
        parse(html)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--rows", type=int, default=1000)
    arguments.add_argument("--repeat", type=int, default=20)
    options = arguments.parse_args()
    html = make_page(options.rows)
    print(f"page: {options.rows} rows, {len(html.encode()) / 1024:.0f} KB")
    reference: float | None = None
    for name, parse in PARSERS.items():
        try:
            rows = parse(html)
        except ImportError as missing:
            print(f"  {name:32} skipped ({str(missing).split('.')[0]})")
            continue
        if rows != options.rows:
            raise SystemExit(f"{name} found {rows} rows instead of {options.rows}")
        seconds = measure(parse, html, options.repeat)
        reference = reference or seconds
        print(f"  {name:32} {seconds * 1000:8.1f} ms   x{seconds / reference:5.1f} vs lexbor")
    seconds = measure(with_lexbor, html, options.repeat)
    print(f"  pages.parse_invoice_list (the whole model, for reference): {seconds * 1000:.1f} ms")


if __name__ == "__main__":
    main()
