"""Property tests of the French formats: reading any text never fails (but for an amount no
family could owe, which is a ValueError), and what is written is read back the same."""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from espace_tui.core.formats import (
    REPLACEMENT,
    clean_text,
    format_date,
    format_datetime,
    format_money,
    has_controls,
    parse_amount,
    parse_date,
    parse_datetime,
    parse_decimal,
    printable,
)
from espace_tui.core.model import (
    PaymentMode,
    Status,
    fold_words,
    payment_mode_from_words,
    status_from_words,
)

MAX_INTEGER_DIGITS = 12
LARGEST = Decimal(10) ** MAX_INTEGER_DIGITS - Decimal("0.01")
SEPARATORS = " \u00a0\u202f\u2007\u2009"
_LONG_RUN = re.compile(rf"\d(?:[{SEPARATORS}.]?\d){{{MAX_INTEGER_DIGITS},}}")
"""More than 12 digits in a row, thousands separators allowed between them."""

# --- Texts -----------------------------------------------------------------------------------

_NUMBERISH = st.lists(
    st.one_of(
        st.sampled_from(["-", "\u2212", ",", ".", "€", " ", "\u00a0", "\u202f", "\u2009"]),
        st.text(alphabet=string.digits, min_size=1, max_size=40),
        st.integers(0, 999).map(lambda n: f"{n:03d}"),
        st.sampled_from(["١٢٣", "１２３", "à", "h", ":", "/", "e5", "E+99", "NaN", "Infinity"]),
    ),
    max_size=12,
).map("".join)
ANY_TEXT = st.one_of(st.text(), st.text(alphabet=string.printable), _NUMBERISH)


def _has_long_run(text: str) -> bool:
    return _LONG_RUN.search(text) is not None


def _integer_digits(value: Decimal) -> int:
    return len(str(int(abs(value)))) if abs(value) >= 1 else 0


def _check_number(parse: Callable[[str], Decimal | None], text: str, *, cents: bool) -> None:
    """None, a bounded Decimal, or a ValueError for a run of more than 12 digits."""
    try:
        value = parse(text)
    except ValueError:
        assert _has_long_run(text), f"{parse.__name__}({text!r}) raised for a plausible number"
        return
    if value is None:
        return
    assert isinstance(value, Decimal), repr(value)
    assert value.is_finite(), repr(value)
    assert _integer_digits(value) <= MAX_INTEGER_DIGITS, (
        f"{parse.__name__}({text!r}) = {value}: more than {MAX_INTEGER_DIGITS} integer digits"
    )
    if cents:
        assert value.as_tuple().exponent == -2, f"parse_amount({text!r}) = {value!r}"


@settings(max_examples=400, deadline=None)
@given(text=ANY_TEXT)
def test_an_amount_is_none_a_bounded_decimal_or_a_value_error(text: str) -> None:
    _check_number(parse_amount, text, cents=True)


@settings(max_examples=300, deadline=None)
@given(text=ANY_TEXT)
def test_a_quantity_is_none_a_bounded_decimal_or_a_value_error(text: str) -> None:
    _check_number(parse_decimal, text, cents=False)


def test_a_27_digit_amount_is_not_read_as_an_amount() -> None:
    """The documented refusal: a ValueError (never decimal.InvalidOperation, never returned)."""
    _check_number(parse_amount, "123456789012345678901234567,00 €", cents=True)
    try:
        value = parse_amount("123456789012345678901234567,00 €")
    except ValueError:
        return
    raise AssertionError(f"a 27-digit amount was read as {value!r}")


AMOUNTS = st.decimals(
    min_value=-LARGEST, max_value=LARGEST, places=2, allow_nan=False, allow_infinity=False
)


@settings(max_examples=300, deadline=None)
@given(amount=AMOUNTS)
def test_money_written_is_read_back_the_same(amount: Decimal) -> None:
    written = format_money(amount)
    read = parse_amount(written)
    assert read == amount
    assert format_money(read) == written


@settings(max_examples=200, deadline=None)
@given(amount=AMOUNTS, separator=st.sampled_from(SEPARATORS), around=st.sampled_from(["", "\n  "]))
def test_money_with_any_thousands_separator_is_read_exactly(
    amount: Decimal, separator: str, around: str
) -> None:
    """SITE.md: the thousands separator is a space, U+00A0 or U+202F."""
    written = around + format_money(amount).replace(" ", separator) + around
    assert parse_amount(written) == amount


@settings(max_examples=200, deadline=None)
@given(
    value=st.decimals(
        min_value=-LARGEST, max_value=LARGEST, places=3, allow_nan=False, allow_infinity=False
    )
)
def test_a_french_decimal_is_read_exactly(value: Decimal) -> None:
    written = f"{value:f}".replace(".", ",")
    assert parse_decimal(written) == value
    assert parse_decimal(written + "\u00a0€") == value


# --- Dates -----------------------------------------------------------------------------------

DATES = st.dates(min_value=date(1000, 1, 1))  # the site writes four-digit years
MOMENTS = st.datetimes(min_value=datetime(1000, 1, 1)).map(
    lambda moment: moment.replace(second=0, microsecond=0)
)


@settings(max_examples=300, deadline=None)
@given(text=ANY_TEXT)
def test_reading_a_date_never_fails(text: str) -> None:
    day = parse_date(text)
    assert day is None or isinstance(day, date)
    moment = parse_datetime(text)
    assert moment is None or isinstance(moment, datetime)
    assert (moment is None) == (day is None)
    if moment is not None:
        assert moment.date() == day


@settings(max_examples=200, deadline=None)
@given(day=DATES, before=st.sampled_from(["", "Facture du ", "le\u00a0"]))
def test_a_date_written_is_read_back_the_same(day: date, before: str) -> None:
    written = format_date(day)
    assert parse_date(before + written) == day
    assert format_date(parse_date(written)) == written


@settings(max_examples=200, deadline=None)
@given(moment=MOMENTS, space=st.sampled_from([" ", "\u00a0", "\n   "]))
def test_a_date_and_time_written_are_read_back_the_same(moment: datetime, space: str) -> None:
    written = format_datetime(moment).replace(" ", space)
    assert parse_datetime(f"Dernière connexion le {written}") == moment


# --- Text made safe --------------------------------------------------------------------------

CONTROLISH = st.text(
    alphabet=st.one_of(
        st.characters(),
        st.sampled_from(
            "\x00\x07\x1b\x7f\x85\x9b\n\t\r\x0b\x0c\u061c\u200e\u200f\u202a\u202e\u2066\u2069"
            "\u00a0\u202f\u2028\ufeff"
        ),
    )
)


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(CONTROLISH, st.none()))
def test_clean_text_holds_no_control_and_no_stray_space(text: str | None) -> None:
    cleaned = clean_text(text)
    if cleaned is None:
        assert text is None or text.strip() == ""
        return
    assert not has_controls(cleaned), repr(cleaned)
    assert "\n" not in cleaned and "\t" not in cleaned
    assert cleaned == cleaned.strip() and "  " not in cleaned
    assert clean_text(cleaned) == cleaned


@settings(max_examples=200, deadline=None)
@given(
    words=st.lists(
        st.text(
            alphabet=st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Zs", "Zl", "Zp")),
            min_size=1,
        ),
        min_size=1,
        max_size=5,
    )
)
def test_clean_words_are_shown_as_the_site_wrote_them(words: list[str]) -> None:
    text = " ".join(words)
    assert clean_text(f"\n   {text.replace(' ', chr(0xA0) + '  ')}  ") == text


@settings(max_examples=300, deadline=None)
@given(text=CONTROLISH)
def test_printable_replaces_each_control_and_keeps_line_breaks_and_tabs(text: str) -> None:
    shown = printable(text)
    assert not has_controls(shown), repr(shown)
    assert len(shown) == len(text)
    for before, after in zip(text, shown, strict=True):
        if before in "\n\t":
            assert after == before
        elif before != after:
            assert after == REPLACEMENT and has_controls(before)
    if not has_controls(text):
        assert shown == text


# --- The site's words for states and payment modes -------------------------------------------

SITE_STATES = {  # SITE.md, "States of an invoice"
    "Payée": Status.PAID,
    "Soldée": Status.PAID,
    "Réglée": Status.PAID,
    "Non payée": Status.UNPAID,
    "À régler": Status.UNPAID,
    "En attente de paiement": Status.UNPAID,
    "Transmise au Trésor Public": Status.TREASURY,
    "Facture transmise au Trésor Public": Status.TREASURY,
    "Prélèvement automatique": Status.DIRECT_DEBIT,
    "Prélevée": Status.DIRECT_DEBIT,
    "En cours de prélèvement": Status.DIRECT_DEBIT,
}
SITE_MODES = {
    "Prélèvement automatique": PaymentMode.DIRECT_DEBIT,
    "Chèque à la trésorerie": PaymentMode.CHEQUE,
    "Paiement en ligne": PaymentMode.ONLINE,
}
_FOLDED_STATES = {fold_words(words): status for words, status in SITE_STATES.items()}


@st.composite
def as_the_site_may_write(draw: st.DrawFn, words: str) -> str:
    """The same words with case, accents (composed or not) and spacing varied."""
    text = "".join(
        char.upper() if draw(st.booleans()) else char.lower()
        for char in unicodedata.normalize(draw(st.sampled_from(["NFC", "NFD"])), words)
    )
    spaces = st.sampled_from([" ", "  ", "\u00a0", "\u202f", "\n      ", "\t"])
    text = re.sub(" ", lambda _: draw(spaces), text)
    return draw(st.sampled_from(["", " ", "\n  "])) + text + draw(st.sampled_from(["", ".", " "]))


@settings(max_examples=200, deadline=None)
@given(data=st.data(), words=st.sampled_from(sorted(SITE_STATES)))
def test_the_sites_state_words_map_to_their_state(data: st.DataObject, words: str) -> None:
    assert status_from_words(data.draw(as_the_site_may_write(words))) is SITE_STATES[words]


@settings(max_examples=100, deadline=None)
@given(data=st.data(), words=st.sampled_from(sorted(SITE_MODES)))
def test_the_sites_payment_mode_words_map_to_their_mode(data: st.DataObject, words: str) -> None:
    assert payment_mode_from_words(data.draw(as_the_site_may_write(words))) is SITE_MODES[words]


STATE_TEXT = st.one_of(
    st.none(),
    ANY_TEXT,
    st.tuples(st.text(max_size=8), st.sampled_from(sorted(SITE_STATES)), st.text(max_size=8)).map(
        "".join
    ),
)


@settings(max_examples=300, deadline=None)
@given(text=STATE_TEXT)
def test_a_state_is_never_guessed_and_reading_words_never_fails(text: str | None) -> None:
    """Words not in SITE.md's table (`Non payée` is not `Payée`) are an unknown state."""
    status = status_from_words(text)
    assert isinstance(status, Status)
    assert status is _FOLDED_STATES.get(fold_words(text or ""), Status.UNKNOWN)
    assert isinstance(payment_mode_from_words(text), PaymentMode)
