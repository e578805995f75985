"""`espace-tui planning`, over both portals: the children's week as text, as JSON read back, as
an iCalendar file read back by the icalendar library (its UIDs the same from one export to the
next), and offline from what the last run kept."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar

from conftest import Run
from support.portals import PortalUnderTest

Row = tuple[str, str, str | None, str | None, str, str, str]
"""(member, date, start, end, activity, place, kind), as `--json` gives them."""

LUCAS, LEA = "ECOUFLANT Lucas", "ECOUFLANT Léa"
JM, TILLEULS = "École élémentaire Jean Moulin", "École maternelle Les Tilleuls"
CANTEEN = "Restauration scolaire"
TOM, LEA_D = "DUPRÉ-LE GALL Tom", "DUPRÉ-LE GALL Léa"
BERT = "Groupe scolaire Paul Bert"


def bundled_week() -> tuple[date, date, list[Row]]:
    """Last week on the bundled mock (every day of it is past, so attended): what its demo
    family's calendars hold, the billing summaries beside a timed meal dropped, Léa's alone kept
    as a whole day, Thursday's absence."""
    monday = date.today() - timedelta(days=date.today().weekday()) - timedelta(days=7)
    d = [(monday + timedelta(days=n)).isoformat() for n in range(7)]
    rows: list[Row] = [
        (LEA, d[0], None, None, CANTEEN, TILLEULS, "attended"),
        (LUCAS, d[0], "11:45", "13:30", CANTEEN, JM, "attended"),
        (LUCAS, d[0], "16:30", "18:30", "Accueil périscolaire du soir", JM, "attended"),
        (LEA, d[1], None, None, CANTEEN, TILLEULS, "attended"),
        (LEA, d[1], "07:30", "08:30", "Garderie du matin", TILLEULS, "attended"),
        (LUCAS, d[1], "11:45", "13:30", CANTEEN, JM, "attended"),
        (LEA, d[2], "08:30", "12:00", "ALSH Mercredis", "Centre de loisirs La Prairie", "attended"),
        (LEA, d[3], None, None, CANTEEN, TILLEULS, "attended"),
        (LUCAS, d[3], "11:45", "13:30", CANTEEN, JM, "absent"),
        (LUCAS, d[3], "16:30", "18:30", "Accueil périscolaire du soir", JM, "attended"),
        (LEA, d[4], None, None, CANTEEN, TILLEULS, "attended"),
        (LUCAS, d[4], "11:45", "13:30", CANTEEN, JM, "attended"),
    ]
    return monday, monday + timedelta(days=6), rows


def independent_fortnight() -> tuple[date, date, list[Row]]:
    """The independent portal's two weeks (support/other_portal.py), read by hand: placeholders
    skipped, Monday's summary dropped beside its meal, Thursday's kept alone."""
    canteen = "CANTINE Élémentaire"
    evening = "Périscolaire soir"
    rows: list[Row] = [
        (TOM, "2026-11-16", "12:00", "13:30", canteen, BERT, "attended"),
        (TOM, "2026-11-16", "16:30", "18:00", evening, BERT, "attended"),
        (TOM, "2026-11-17", "12:00", "13:30", canteen, BERT, "absent"),
        (
            LEA_D,
            "2026-11-18",
            "07:15",
            "08:45",
            "Garderie matin",
            "École maternelle Jules Verne",
            "booked",
        ),
        (TOM, "2026-11-19", None, None, canteen, BERT, "booked"),
        (TOM, "2026-11-19", "16:30", "18:00", evening, BERT, "booked"),
        (TOM, "2026-11-24", "12:00", "13:30", canteen, BERT, "booked"),
        (
            LEA_D,
            "2026-11-25",
            None,
            None,
            "Accueil de loisirs - vacances",
            "ALSH La Métairie",
            "booked",
        ),
    ]
    return date(2026, 11, 16), date(2026, 11, 29), rows


def truth(portal: PortalUnderTest) -> tuple[date, date, list[Row]]:
    return bundled_week() if portal.name == "bundled" else independent_fortnight()


def rows_of(printed: str) -> list[Row]:
    return [
        (b["member"], b["date"], b["start"], b["end"], b["activity"], b["place"], b["kind"])
        for b in json.loads(printed)
    ]


def span(first: date, last: date) -> list[str]:
    # One in French form, one in ISO form: both are accepted.
    return ["--from", first.strftime("%d/%m/%Y"), "--to", last.isoformat()]


def test_the_json_lists_every_booking_sorted_by_date_start_member(
    run: Run, portal: PortalUnderTest
) -> None:
    first, last, expected = truth(portal)
    code, out, err = run(*portal.args(), "planning", *span(first, last), "--json")
    assert (code, err) == (0, "")
    assert rows_of(out) == expected
    assert all(b["service"] != "other" for b in json.loads(out))


def test_the_text_is_the_week_grouped_by_day(run: Run, portal: PortalUnderTest) -> None:
    first, _last, expected = truth(portal)
    code, out, _err = run(*portal.args(), "planning", "--from", first.isoformat())
    assert code == 0
    lines = out.splitlines()
    days = [line for line in lines if not line.startswith(" ")]
    assert len(days) == 7 and days[0] == f"Monday {first:%d/%m/%Y}"
    assert days[6] == f"Sunday {first + timedelta(days=6):%d/%m/%Y}"
    sunday = lines.index(days[6])
    assert lines[sunday + 1].strip() == "nothing booked"
    absent = next(line for line in lines if "(ABSENT)" in line)
    member, _day, start, end, activity, _place, _kind = next(
        r for r in expected if r[6] == "absent"
    )
    assert member in absent and f"{start}–{end}" in absent and activity in absent


def test_the_ics_file_is_read_back_and_its_uids_stay_the_same(
    run: Run, portal: PortalUnderTest, tmp_path: Path
) -> None:
    first, last, expected = truth(portal)
    path = tmp_path / "planning.ics"
    code, out, _err = run(*portal.args(), "planning", *span(first, last), "--ics", str(path))
    assert (code, out.strip()) == (0, str(path))
    calendar = Calendar.from_ical(path.read_bytes())
    events = calendar.walk("VEVENT")
    assert len(events) == len(expected)
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Europe/Paris"
    for event, (member, day, start, end, activity, place, kind) in zip(
        events, expected, strict=True
    ):
        begins, ends = event.decoded("DTSTART"), event.decoded("DTEND")
        if start is None:  # a whole day: DATE values, the end the next day
            assert begins == date.fromisoformat(day)
            assert ends == date.fromisoformat(day) + timedelta(days=1)
        else:
            assert begins.strftime("%Y-%m-%d %H:%M") == f"{day} {start}"
            assert ends.strftime("%H:%M") == end
            assert str(begins.tzinfo) == "Europe/Paris"
        assert activity in str(event["SUMMARY"]) and member.split()[-1] in str(event["SUMMARY"])
        assert str(event["LOCATION"]) == place
        assert str(event["STATUS"]) == ("CANCELLED" if kind == "absent" else "CONFIRMED")
    uids = [str(event["UID"]) for event in events]
    assert len(set(uids)) == len(uids)

    # The same export again, into the same file: the same UIDs (a calendar that imports it
    # again updates its events instead of doubling them), the file replaced whole.
    code, _out, err = run(*portal.args(), "planning", *span(first, last), "--ics", str(path))
    assert code == 0 and "replaced" in err
    again = [str(e["UID"]) for e in Calendar.from_ical(path.read_bytes()).walk("VEVENT")]
    assert again == uids


def test_an_ics_file_never_overwrites_a_file_it_did_not_write(
    run: Run, portal: PortalUnderTest, tmp_path: Path
) -> None:
    first, last, _expected = truth(portal)
    mine = tmp_path / "agenda.ics"
    mine.write_text("BEGIN:VCALENDAR\nPRODID:-//Someone else//EN\nEND:VCALENDAR\n")
    code, out, err = run(*portal.args(), "planning", *span(first, last), "--ics", str(mine))
    assert (code, out) == (2, "")
    assert "not overwritten" in err
    assert mine.read_text().startswith("BEGIN:VCALENDAR\nPRODID:-//Someone else")


def test_offline_shows_what_the_last_run_read_and_when(run: Run, portal: PortalUnderTest) -> None:
    first, last, expected = truth(portal)
    code, online, _err = run(*portal.args(), "planning", *span(first, last), "--json")
    assert code == 0
    portal.server.stop()  # the portal is gone
    code, offline, err = run(*portal.args(), "planning", *span(first, last), "--json", "--offline")
    assert (code, offline) == (0, online)
    assert rows_of(offline) == expected
    assert "Offline: as read on" in err
    # A week never read is not shown as an empty one.
    later = ["--from", (last + timedelta(days=30)).isoformat()]
    code, out, err = run(*portal.args(), "planning", *later, "--offline")
    assert (code, out) == (1, "")
    assert "run once without --offline" in err


@pytest.mark.parametrize("wrong", ["2026-13-01", "31/02/2026", "tomorrow"])
def test_a_date_that_is_no_date_is_a_usage_error(run: Run, wrong: str) -> None:
    code, out, err = run("--demo", "planning", "--from", wrong)
    assert (code, out) == (2, "")
    assert "is not a date: write it as 25/12/2026 or 2026-12-25" in err


def test_a_range_that_ends_before_it_starts_says_so(run: Run) -> None:
    code, _out, err = run("--demo", "planning", "--from", "2026-12-10", "--to", "2026-12-01")
    assert code == 2
    assert "ends (01/12/2026) before it starts (10/12/2026)" in err


def test_the_default_is_this_week_monday_to_sunday(run: Run) -> None:
    code, out, _err = run("--demo", "planning", "--json")
    assert code == 0
    monday = date.today() - timedelta(days=date.today().weekday())
    days = {b["date"] for b in json.loads(out)}
    assert days and all(
        monday.isoformat() <= d <= (monday + timedelta(6)).isoformat() for d in days
    )
    assert monday.isoformat() in days  # the demo's children go to school on Mondays
