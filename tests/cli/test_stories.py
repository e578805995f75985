"""A parent's story on the command line, over both portals (the bundled mock and the
independent one): list what is owed, read one invoice, save its PDF, get the payment address,
and be told the site's words when the password is wrong."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from conftest import Run
from espace_tui.core.formats import format_money
from support.portals import PortalUnderTest


def test_invoices_json_lists_every_invoice_of_the_portal(run: Run, portal: PortalUnderTest) -> None:
    code, out, _err = run(*portal.args(), "invoices", "--json")
    assert code == 0
    listed = {i["id"]: i for i in json.loads(out)}
    assert sorted(listed) == sorted(t.id for t in portal.invoices)
    for truth in portal.invoices:
        shown = listed[truth.id]
        assert shown["number"] == truth.number
        assert Decimal(shown["amount"]) == truth.amount
        assert shown["status"] == truth.status
        assert shown["payable_online"] == truth.payable_online


def test_the_table_ends_with_what_is_still_owed(run: Run, portal: PortalUnderTest) -> None:
    code, out, _err = run(*portal.args(), "invoices")
    total, count = portal.owed()
    assert code == 0 and count > 0
    noun = "invoice" if count == 1 else "invoices"
    assert out.rstrip().endswith(f"Still to pay: {format_money(total)} on {count} {noun}.")


def test_show_by_number_gives_the_invoice_and_what_to_do(run: Run, portal: PortalUnderTest) -> None:
    truth = portal.payable()
    code, out, _err = run(*portal.args(), "show", truth.number, "--json")
    shown = json.loads(out)
    assert code == 0
    assert (shown["id"], shown["number"]) == (truth.id, truth.number)
    assert Decimal(shown["amount"]) == truth.amount
    assert "espace-tui pay" in shown["advice"]


def test_download_saves_the_invoices_pdf(run: Run, portal: PortalUnderTest, tmp_path: Path) -> None:
    truth = portal.invoices[0]
    code, out, _err = run(*portal.args(), "download", truth.id, "-o", str(tmp_path / "pdf"))
    saved = Path(out.strip())
    assert code == 0 and saved.parent == (tmp_path / "pdf").resolve()
    assert saved.read_bytes().startswith(b"%PDF-")


def test_pay_prints_the_checked_payfip_address(run: Run, portal: PortalUnderTest) -> None:
    truth = portal.payable()
    code, out, err = run(*portal.args(), "pay", truth.id)
    assert code == 0
    assert "/tpa/paiement" in out
    assert f"Invoice {truth.number}" in err


def test_a_wrong_password_gets_the_sites_words_and_exit_3(
    run: Run, portal: PortalUnderTest
) -> None:
    code, out, err = run(*portal.args(), "--password-stdin", "invoices", stdin="wrong\n")
    assert (code, out) == (3, "")
    assert portal.refusal in err
