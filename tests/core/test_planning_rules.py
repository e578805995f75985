"""The planning's own rules, as SITE.md §8 states them: the kind after the last `-`, the
service from the group's name, placeholders, the day's billing summary, the order, the week,
and calendar UIDs that stay the same."""

from __future__ import annotations

from datetime import date, time

import pytest

from espace_tui.core.planning import (
    Booking,
    Kind,
    Service,
    booking_data,
    booking_from_data,
    drop_summaries,
    is_placeholder,
    kind_from_label,
    ordered,
    service_from_group,
    uid,
    week_of,
    within,
)

DAY = date(2026, 12, 3)


def booking(**changes: object) -> Booking:
    values: dict[str, object] = {
        "member_id": "3",
        "member": "ECOUFLANT Lucas",
        "day": DAY,
        "group_id": "G12",
        "event_id": "E1",
        "activity": "Restauration scolaire",
    }
    values.update(changes)
    return Booking(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("label", "kind"),
    [
        ("Journée-Résa", Kind.BOOKED),
        ("Repas - Prés", Kind.ATTENDED),
        ("Matin-Abs", Kind.ABSENT),
        ("JOURNÉE-RESA", Kind.BOOKED),
        ("Après-midi-Prés", Kind.ATTENDED),  # the last `-` counts, not the first
        ("Repas", Kind.UNKNOWN),
        ("Repas-Annulé", Kind.UNKNOWN),  # words SITE.md does not name are never guessed
        (None, Kind.UNKNOWN),
    ],
)
def test_the_kind_is_the_word_after_the_last_dash(label: str | None, kind: Kind) -> None:
    assert kind_from_label(label) is kind


@pytest.mark.parametrize(
    ("group", "service"),
    [
        ("Restauration scolaire", Service.CANTEEN),
        ("CANTINE Élémentaire", Service.CANTEEN),
        ("Repas du midi", Service.CANTEEN),
        ("Accueil périscolaire du soir", Service.PERISCOLAIRE),
        ("Garderie du matin", Service.PERISCOLAIRE),
        ("ALSH Mercredis", Service.HOLIDAY_CENTRE),
        ("Accueil de loisirs - vacances", Service.HOLIDAY_CENTRE),
        ("Les mercredis récréatifs", Service.HOLIDAY_CENTRE),
        ("École de musique", Service.OTHER),
        (None, Service.OTHER),
    ],
)
def test_the_service_is_known_from_the_groups_name(group: str | None, service: Service) -> None:
    assert service_from_group(group) is service


def test_placeholders_are_recognised_whatever_their_case_and_accents() -> None:
    assert is_placeholder("Bientôt disponible")
    assert is_placeholder("BIENTOT DISPONIBLE - Résa")
    assert not is_placeholder("Journée-Résa")
    assert not is_placeholder(None)


def test_the_days_summary_goes_where_a_timed_event_of_its_group_says_the_same() -> None:
    summary = booking(event_id="P0")
    meal = booking(event_id="E7", start=time(11, 45), end=time(13, 30))
    evening = booking(group_id="G13", event_id="E8", start=time(16, 30), end=time(18, 30))
    assert drop_summaries([summary, meal, evening]) == [meal, evening]


def test_a_summary_alone_on_its_day_is_the_booking() -> None:
    summary = booking(event_id="P0")
    other_group = booking(group_id="G13", event_id="E8", start=time(16, 30))
    other_child = booking(member_id="4", member="ECOUFLANT Léa", event_id="E9", start=time(12))
    other_day = booking(day=date(2026, 12, 4), event_id="E10", start=time(12))
    kept = [summary, other_group, other_child, other_day]
    assert drop_summaries(kept) == kept


def test_bookings_are_sorted_by_date_then_start_then_member() -> None:
    late = booking(day=date(2026, 12, 4))
    lea_noon = booking(member_id="4", member="ECOUFLANT Léa", start=time(12))
    lucas_noon = booking(start=time(12))
    whole_day = booking(member_id="4", member="ECOUFLANT Léa")
    morning = booking(start=time(7, 30))
    assert ordered([late, lea_noon, lucas_noon, whole_day, morning]) == [
        whole_day,
        morning,
        lea_noon,
        lucas_noon,
        late,
    ]


def test_a_week_runs_from_monday_to_sunday_and_a_range_keeps_both_ends() -> None:
    assert week_of(date(2026, 12, 3)) == (date(2026, 11, 30), date(2026, 12, 6))
    assert week_of(date(2026, 11, 30)) == (date(2026, 11, 30), date(2026, 12, 6))
    assert week_of(date(2026, 12, 6)) == (date(2026, 11, 30), date(2026, 12, 6))
    first, last = booking(day=date(2026, 11, 30)), booking(day=date(2026, 12, 6))
    outside = booking(day=date(2026, 12, 7))
    assert within([outside, last, first], date(2026, 11, 30), date(2026, 12, 6)) == [first, last]


def test_a_uid_is_the_same_for_the_same_event_and_differs_for_another() -> None:
    one = booking(kind=Kind.BOOKED)
    assert uid(one, "ecouflant") == uid(booking(kind=Kind.ATTENDED, body="Menu"), "ecouflant")
    others = [
        booking(member_id="4"),
        booking(day=date(2026, 12, 4)),
        booking(group_id="G13"),
        booking(event_id="E2"),
    ]
    uids = {uid(one, "ecouflant"), *(uid(b, "ecouflant") for b in others), uid(one, "ivry94")}
    assert len(uids) == 6
    assert uid(one, "ecouflant").endswith("@espace-tui")


def test_hours_read_as_the_screens_show_them() -> None:
    assert booking(start=time(8, 30), end=time(11, 45)).hours() == "08:30–11:45"
    assert booking(start=time(8, 30)).hours() == "08:30"
    assert booking().hours() == "" and booking().whole_day


def test_a_booking_comes_back_the_same_from_plain_data() -> None:
    full = booking(
        start=time(11, 45),
        end=time(13, 30),
        place="École Jean Moulin",
        kind=Kind.ABSENT,
        service=Service.CANTEEN,
        label="Repas-Abs",
        body="Repas\nMenu",
        actions=("Signaler une absence",),
    )
    assert booking_from_data(booking_data(full)) == full
    assert booking_from_data(booking_data(booking())) == booking()
    with pytest.raises(ValueError):
        booking_from_data({"member": "x"})
    with pytest.raises(ValueError):
        booking_from_data({**booking_data(full), "start": 1145})
