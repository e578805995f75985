"""Reading a family member's planning (SITE.md §8): each of the site's rules a case, the
tolerance the [seen]-by-one-client JSON asks for, and the browser's way to it (the dashboard
first, XHR, a session that ends on the way renewed with the dashboard visited again)."""

from __future__ import annotations

import json
from datetime import date, time
from typing import Any

import pytest

from espace_tui.core.errors import ImplausibleValue, PageChanged
from espace_tui.core.model import FamilyMember
from espace_tui.core.planning import Booking, Kind, Service
from espace_tui.mock import Faults
from espace_tui.portal import planning as parser
from espace_tui.portal.browser import EspaceCitoyensBrowser
from espace_tui.portal.planning import parse_calendar
from support.other_portal import PASSWORD as OTHER_PASSWORD
from support.other_portal import USERNAME as OTHER_USERNAME
from support.other_portal import OtherPortal

LUCAS = FamilyMember("3", "ECOUFLANT Lucas", "garcon")
GROUP = {
    "IdGroupeEvt": "G12",
    "LibNomGroupeEvt": "Restauration scolaire",
    "LibComplementGroupeEvt": "École Jean Moulin",
}


def event(**changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "IdGroupeEvt": "G12",
        "IdEvenement": "E1",
        "DateEvenement": 20261203,
        "HeureDebutEvenement": "1145",
        "HeureFinEvenement": "1330",
        "LibEvenement": "Repas-Résa",
        "LibCorpsEvenement": "",
        "ListeActions": [],
    }
    values.update(changes)
    return values


def read(*events: dict[str, Any], groups: list[Any] | None = None) -> list[Booking]:
    body = {"EvenementsGroupes": [GROUP] if groups is None else groups, "EvenementSystemes": events}
    return parse_calendar(json.dumps(body).encode("utf-8"), LUCAS)


def test_an_event_is_a_booking_of_the_member_with_its_group_as_activity_and_place() -> None:
    (booking,) = read(event())
    assert booking == Booking(
        member_id="3",
        member="ECOUFLANT Lucas",
        day=date(2026, 12, 3),
        start=time(11, 45),
        end=time(13, 30),
        activity="Restauration scolaire",
        place="École Jean Moulin",
        kind=Kind.BOOKED,
        service=Service.CANTEEN,
        label="Repas-Résa",
        group_id="G12",
        event_id="E1",
    )


@pytest.mark.parametrize("written", [20261203, "20261203", " 20261203 "])
def test_the_date_is_yyyymmdd_as_a_number_or_a_string(written: object) -> None:
    assert read(event(DateEvenement=written))[0].day == date(2026, 12, 3)


@pytest.mark.parametrize("written", [None, "", "2026-12-03", "20261332", 3, True, [20261203]])
def test_an_event_without_a_day_that_can_be_read_is_skipped(written: object) -> None:
    assert read(event(DateEvenement=written), event(IdEvenement="E2")) == read(
        event(IdEvenement="E2")
    )


@pytest.mark.parametrize(
    ("start", "end", "hours"),
    [
        ("0830", "1145", (time(8, 30), time(11, 45))),
        ("830", "1145", (time(8, 30), time(11, 45))),
        ("08:30", "11:45", (time(8, 30), time(11, 45))),
        (830, 1145, (time(8, 30), time(11, 45))),
        ("", "", (None, None)),  # an all-day event
        (None, None, (None, None)),
        ("2500", "", (None, None)),  # no hour at all: unknown, not an error
        ("", "1145", (None, None)),  # an end without a start is no hours
    ],
)
def test_hours_are_hhmm_or_empty(start: object, end: object, hours: tuple[Any, Any]) -> None:
    (booking,) = read(event(HeureDebutEvenement=start, HeureFinEvenement=end))
    assert (booking.start, booking.end) == hours


@pytest.mark.parametrize(
    ("label", "kind"),
    [("Repas-Résa", Kind.BOOKED), ("Repas-Prés", Kind.ATTENDED), ("Repas-Abs", Kind.ABSENT)],
)
def test_the_kind_comes_after_the_last_dash(label: str, kind: Kind) -> None:
    assert read(event(LibEvenement=label))[0].kind is kind


@pytest.mark.parametrize("label", ["Bientôt disponible", "Bientot disponible - Résa"])
def test_placeholders_are_skipped(label: str) -> None:
    assert read(event(LibEvenement=label), event(IdEvenement="E2"))[0].event_id == "E2"
    assert read(event(LibEvenement=label)) == []


def test_the_summary_is_dropped_where_a_timed_event_of_its_group_exists_that_day() -> None:
    summary = event(IdEvenement="P0", HeureDebutEvenement="", HeureFinEvenement="")
    shown = read(summary, event())
    assert [b.event_id for b in shown] == ["E1"]


def test_a_summary_alone_is_kept_as_a_whole_day() -> None:
    summary = event(IdEvenement="P0", HeureDebutEvenement="", HeureFinEvenement="")
    elsewhere = event(DateEvenement=20261204)
    shown = read(summary, elsewhere)
    assert [(b.event_id, b.day.day, b.whole_day) for b in shown] == [
        ("P0", 3, True),
        ("E1", 4, False),
    ]


def test_the_body_is_html_made_text_with_its_line_breaks() -> None:
    body = "Repas<br/>Menu&nbsp;: <b>poisson</b>  pané<BR>Dessert : cr&egrave;me<br />\n<p>Fin</p>"
    (booking,) = read(event(LibCorpsEvenement=body))
    assert booking.body == "Repas\nMenu : poisson pané\nDessert : crème\nFin"


def test_every_string_is_cleaned_of_controls_and_white_space() -> None:
    group = {
        **GROUP,
        "LibNomGroupeEvt": "Cantine\x1b[2J  du\u00a0midi",
        "LibComplementGroupeEvt": "\u202eÉcole",
    }
    actions = [{"LibAction": " Signaler\nune absence ", "UrlAction": "x"}, {"UrlAction": "y"}, "z"]
    (booking,) = read(event(ListeActions=actions, LibCorpsEvenement="a\x07b"), groups=[group])
    assert booking.activity == "Cantine\ufffd[2J du midi"
    assert booking.place == "\ufffdÉcole"
    assert booking.actions == ("Signaler une absence",)
    assert booking.body == "a\ufffdb"


def test_missing_fields_are_unknown_not_errors() -> None:
    bare = {"DateEvenement": "20261203"}
    (booking,) = read(bare, groups=[])
    assert booking.day == date(2026, 12, 3)
    assert (booking.activity, booking.place, booking.start, booking.label) == (None,) * 4
    assert (booking.kind, booking.service, booking.actions) == (Kind.UNKNOWN, Service.OTHER, ())


def test_field_names_in_another_case_and_numeric_ids_are_read() -> None:
    groups = [{"idGroupeEvt": 7, "libNomGroupeEvt": "Garderie", "libComplementGroupeEvt": "École"}]
    events = [{"idgroupeevt": 7, "dateevenement": "20261203", "libevenement": "Matin-Prés"}]
    (booking,) = read(*events, groups=groups)
    assert (booking.activity, booking.kind, booking.group_id) == ("Garderie", Kind.ATTENDED, "7")


def test_an_empty_calendar_has_no_bookings() -> None:
    assert parse_calendar(b'{"EvenementsGroupes": null, "EvenementSystemes": []}', LUCAS) == []
    assert parse_calendar(b'{"EvenementsGroupes": [], "EvenementSystemes": null}', LUCAS) == []


@pytest.mark.parametrize(
    "body",
    [
        b"<html><body>Erreur</body></html>",
        b"",
        b"\xff\xfe",
        b"[]",
        b'{"Status": "KO"}',
        b'{"EvenementSystemes": {"a": 1}}',
    ],
)
def test_what_is_not_the_calendars_json_is_a_changed_page_naming_it(body: bytes) -> None:
    with pytest.raises(PageChanged) as raised:
        parse_calendar(body, LUCAS)
    assert raised.value.page == "FichePersonne/DetailPersonneGetCalendrier"
    assert "FichePersonne/DetailPersonneGetCalendrier" in raised.value.message


def test_sizes_are_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    long = "x" * 10_000
    (booking,) = read(event(LibEvenement=long + "-Résa", LibCorpsEvenement=long))
    assert len(booking.label or "") == parser.MAX_TEXT
    assert len(booking.body or "") == parser.MAX_BODY
    monkeypatch.setattr(parser, "MAX_EVENTS", 3)
    with pytest.raises(ImplausibleValue):
        read(*(event(IdEvenement=f"E{n}") for n in range(4)))


# --- the browser, over the bundled mock --------------------------------------------------------


async def planning_of(mock: Any) -> list[Booking]:
    async with EspaceCitoyensBrowser(mock.base_url) as browser:
        await browser.login("demo", "demo")
        return await browser.planning()


async def test_the_browser_visits_the_dashboard_then_asks_every_members_calendar(
    mock_portal: Any,
) -> None:
    bookings = await planning_of(mock_portal)
    asked = mock_portal.stats.requests_by_path
    assert asked["CompteCitoyen"] == 1 and asked["FichePersonne/DetailPersonneGetCalendrier"] == 4
    assert mock_portal.stats.calendar_requests == 4  # each one served: XHR, after the dashboard
    assert {b.member for b in bookings} == {"ECOUFLANT Lucas", "ECOUFLANT Léa"}
    assert not any(b.label and "disponible" in b.label for b in bookings)
    meals = [(b.member_id, b.day) for b in bookings if b.is_summary]
    assert meals and all(member == "4" for member, _day in meals)  # Lucas's summaries dropped


async def test_the_dashboard_read_in_the_session_is_not_asked_for_again(mock_portal: Any) -> None:
    async with EspaceCitoyensBrowser(mock_portal.base_url) as browser:
        await browser.login("demo", "demo")
        await browser.account()  # what the app reads first
        await browser.planning()
        await browser.planning()
    asked = mock_portal.stats.requests_by_path
    assert asked["CompteCitoyen"] == 1 and asked["FichePersonne/DetailPersonneGetCalendrier"] == 8


@pytest.mark.parametrize("every", [2, 3, 4])
async def test_a_session_ending_among_the_calendars_is_renewed_and_the_dashboard_seen_again(
    make_mock: Any, every: int
) -> None:
    expected = await planning_of(make_mock())
    mock = make_mock(faults=Faults(expire_every=every))
    assert await planning_of(mock) == expected
    assert mock.stats.logins >= 2
    assert mock.stats.calendar_requests == 4


@pytest.mark.parametrize("form", ["500", "redirect", "redirect_home", "login_page"])
async def test_the_independent_portal_ending_the_session_among_the_calendars(form: str) -> None:
    def read(portal: OtherPortal) -> Any:
        async def run() -> list[Booking]:
            async with EspaceCitoyensBrowser(portal.base_url) as browser:
                await browser.login(OTHER_USERNAME, OTHER_PASSWORD)
                return await browser.planning()

        return run()

    calm = OtherPortal()
    calm.start()
    try:
        expected = await read(calm)
    finally:
        calm.stop()
    ending = OtherPortal(expire_after=2, expiry_form=form)
    ending.start()
    try:
        assert await read(ending) == expected
        assert ending.logins == 2 and ending.expired >= 1
    finally:
        ending.stop()
    assert {b.member for b in expected} == {"DUPRÉ-LE GALL Tom", "DUPRÉ-LE GALL Léa"}
    assert len(expected) == 8
