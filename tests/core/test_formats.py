"""French formats, as the site writes them and as the screens show them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from espace_tui.core.formats import (
    amount_for_json,
    clean_text,
    format_date,
    format_datetime,
    format_money,
    parse_amount,
    parse_date,
    parse_datetime,
    parse_decimal,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("23,20 €", "23.20"),
        ("1 234,56 €", "1234.56"),
        ("1\u00a0234,56\u00a0€", "1234.56"),
        ("1\u202f234,56 €", "1234.56"),
        ("\n   12 345 678,9 €  ", "12345678.90"),
        ("0,00 €", "0.00"),
        ("-5,10 €", "-5.10"),
        ("45 €", "45.00"),
    ],
)
def test_amounts_in_french_form_are_exact_decimals(text: str, expected: str) -> None:
    amount = parse_amount(text)
    assert isinstance(amount, Decimal)
    assert amount == Decimal(expected)


@pytest.mark.parametrize("text", [None, "", "—", "non communiqué"])
def test_missing_amounts_are_unknown(text: str | None) -> None:
    assert parse_amount(text) is None


def test_money_is_shown_in_french_form() -> None:
    assert format_money(Decimal("1234.56")) == "1 234,56 €"
    assert format_money(Decimal("23.2")) == "23,20 €"
    assert format_money(Decimal("1234567")) == "1 234 567,00 €"
    assert format_money(Decimal("-0.5")) == "-0,50 €"
    assert format_money(None) == "—"
    assert amount_for_json(Decimal("1234.5")) == "1234.50"
    assert amount_for_json(None) is None


def test_quantities_and_prices() -> None:
    assert parse_decimal("2") == Decimal("2")
    assert parse_decimal("1,5") == Decimal("1.5")
    assert parse_decimal("3,20 €") == Decimal("3.20")
    assert parse_decimal("") is None


def test_dates_read_and_written_in_french_form() -> None:
    assert parse_date("04/10/2018") == date(2018, 10, 4)
    assert parse_date("A régler avant le 05/11/2018") == date(2018, 11, 5)
    assert parse_date("31/02/2018") is None
    assert parse_date(None) is None
    assert format_date(date(2018, 10, 4)) == "04/10/2018"
    assert parse_datetime("Dernière connexion le 09/11/2018 à 15:31") == datetime(
        2018, 11, 9, 15, 31
    )
    assert parse_datetime("09/11/2018") == datetime(2018, 11, 9)
    assert format_datetime(datetime(2018, 11, 9, 15, 31)) == "09/11/2018 à 15:31"


def test_white_space_is_normalised() -> None:
    assert clean_text("  POST\n   FACTURATION\u00a0(ECOUFLANT) ") == "POST FACTURATION (ECOUFLANT)"
    assert clean_text(" \n ") is None
