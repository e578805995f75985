"""The bundled mock's planning (SITE.md §8), asked for as a client would (httpx over loopback):
each member's calendar as JSON, after the dashboard, by XHR, with the session rules; and a demo
family's weeks around the mock's `today` that hold what a client must handle."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from espace_tui.mock import Faults, MockPortal
from espace_tui.mock.planning import absence_day, holiday_wednesday

DAY = date(2025, 3, 14)  # a Friday
CALENDAR = "FichePersonne/DetailPersonneGetCalendrier"
XHR = {"X-Requested-With": "XMLHttpRequest"}
MakeMock = Callable[..., MockPortal]


@pytest.fixture
def mock(make_mock: MakeMock) -> MockPortal:
    return make_mock(today=DAY)


@pytest.fixture
def http(mock: MockPortal) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=mock.base_url, follow_redirects=False, timeout=10) as client:
        yield client


def log_in(http: httpx.Client) -> None:
    page = http.get("Home/AccueilPublic")
    token = page.text.split('name="__RequestVerificationToken"', 1)[1].split('value="', 1)[1]
    form = {
        "__RequestVerificationToken": token.split('"', 1)[0],
        "username": "demo",
        "password": "demo",
    }
    assert http.post("Home/Logon", data=form).status_code == 302


def calendar(http: httpx.Client, member: str) -> Any:
    answer = http.get(CALENDAR, params={"idDynamic": member}, headers=XHR)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/json")
    return answer.json()


def events_of(data: Any, day: date) -> list[dict[str, Any]]:
    stamp = day.strftime("%Y%m%d")
    return [e for e in data["EvenementSystemes"] if str(e["DateEvenement"]) == stamp]


def test_a_childs_calendar_is_the_json_of_site_md(http: httpx.Client) -> None:
    log_in(http)
    assert http.get("CompteCitoyen").status_code == 200
    data = calendar(http, "3")
    names = {g["LibNomGroupeEvt"] for g in data["EvenementsGroupes"]}
    assert names == {"Restauration scolaire", "Accueil périscolaire du soir", "ALSH Mercredis"}
    for event in data["EvenementSystemes"]:
        assert set(event) >= {
            "IdGroupeEvt",
            "IdEvenement",
            "DateEvenement",
            "HeureDebutEvenement",
            "HeureFinEvenement",
            "LibEvenement",
            "LibCorpsEvenement",
            "ListeActions",
        }
    days = {str(e["DateEvenement"]) for e in data["EvenementSystemes"]}
    assert min(days) == (DAY - timedelta(days=21)).strftime("%Y%m%d")
    assert calendar(http, "1") == {"EvenementsGroupes": [], "EvenementSystemes": []}


def test_the_demo_weeks_hold_what_a_client_must_handle(http: httpx.Client) -> None:
    log_in(http)
    http.get("CompteCitoyen")
    lucas, lea = calendar(http, "3"), calendar(http, "4")
    # Friday: Lucas's summary beside his timed meal (the same booking twice), Léa's alone.
    friday = events_of(lucas, DAY)
    assert {e["IdEvenement"][:1] for e in friday} == {"P", "R"}
    assert [e["IdEvenement"] for e in events_of(lea, DAY)] == ["P0"]
    # The past attended, one absence, the rest booked with the actions to change them.
    assert all(e["LibEvenement"].endswith("-Prés") for e in events_of(lucas, DAY - timedelta(1)))
    absent = [e for e in events_of(lucas, absence_day(DAY)) if e["IdGroupeEvt"] == "G31"]
    assert absent and all(e["LibEvenement"].endswith("-Abs") for e in absent)
    later = events_of(lucas, DAY + timedelta(days=3))
    assert later and all(e["LibEvenement"].endswith("-Résa") and e["ListeActions"] for e in later)
    # A Wednesday at the holiday centre; placeholders in the last week.
    (wednesday,) = events_of(lucas, holiday_wednesday(DAY))
    assert wednesday["IdGroupeEvt"] == "G33" and wednesday["HeureDebutEvenement"] == "0830"
    assert any(e["LibEvenement"] == "Bientôt disponible" for e in lucas["EvenementSystemes"])
    # Dates as numbers for one child and strings for the other, as the site gives either.
    assert isinstance(friday[0]["DateEvenement"], int)
    assert isinstance(events_of(lea, DAY)[0]["DateEvenement"], str)


def test_before_the_dashboard_the_calendar_sends_to_it(http: httpx.Client) -> None:
    log_in(http)
    answer = http.get(CALENDAR, params={"idDynamic": "3"}, headers=XHR)
    assert answer.status_code == 302
    assert answer.headers["location"].endswith("/CompteCitoyen")


def test_without_xhr_the_calendar_sends_to_the_members_page(http: httpx.Client) -> None:
    log_in(http)
    http.get("CompteCitoyen")
    answer = http.get(CALENDAR, params={"idDynamic": "3"})
    assert answer.status_code == 302
    assert answer.headers["location"].endswith("FichePersonne/DetailPersonne?idDynamic=3")


def test_someone_not_of_the_family_has_no_calendar(http: httpx.Client) -> None:
    log_in(http)
    http.get("CompteCitoyen")
    assert http.get(CALENDAR, params={"idDynamic": "9"}, headers=XHR).status_code == 404


def test_without_a_session_the_calendar_is_the_login_page(http: httpx.Client) -> None:
    answer = http.get(CALENDAR, params={"idDynamic": "3"}, headers=XHR)
    assert answer.status_code == 302
    assert answer.headers["location"].endswith("/Home/AccueilPublic")


def test_an_ended_session_answers_as_site_md_says(make_mock: MakeMock) -> None:
    mock = make_mock(today=DAY, faults=Faults(expire_every=1))
    with httpx.Client(base_url=mock.base_url, follow_redirects=False, timeout=10) as http:
        log_in(http)
        assert http.get("CompteCitoyen").status_code == 200
        ended = http.get(CALENDAR, params={"idDynamic": "3"}, headers=XHR)
        assert ended.status_code == 500  # the first of the three forms of an ended session
