"""The demo family's planning, as `FichePersonne/DetailPersonneGetCalendrier` answers it
(SITE.md §8): standard library only, like the rest of the mock.

Around the mock's `today` (three weeks before, four after): the canteen on school days (Lucas:
a timed meal and the day's `P0` billing summary, which a client must drop; Léa: the summary
alone, a whole day), the after-school club on some evenings, a holiday-centre Wednesday for
Lucas and every Wednesday morning for Léa. Past days are attended (`Prés`), one is an absence
(`Abs`), later ones booked (`Résa`); the last week's after-school club is still a placeholder
(`Bientôt disponible`), which a client must skip. Dates are numbers for Lucas and strings for
Léa, as the site gives either. The parents' calendars are empty.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

BEFORE_DAYS = 21
AFTER_DAYS = 28
LUCAS, LEA = "3", "4"

GROUPS: dict[str, list[dict[str, str]]] = {
    LUCAS: [
        {
            "IdGroupeEvt": "G31",
            "LibNomGroupeEvt": "Restauration scolaire",
            "LibComplementGroupeEvt": "École élémentaire Jean Moulin",
        },
        {
            "IdGroupeEvt": "G32",
            "LibNomGroupeEvt": "Accueil périscolaire du soir",
            "LibComplementGroupeEvt": "École élémentaire Jean Moulin",
        },
        {
            "IdGroupeEvt": "G33",
            "LibNomGroupeEvt": "ALSH Mercredis",
            "LibComplementGroupeEvt": "Centre de loisirs La Prairie",
        },
    ],
    LEA: [
        {
            "IdGroupeEvt": "G41",
            "LibNomGroupeEvt": "Restauration scolaire",
            "LibComplementGroupeEvt": "École maternelle Les Tilleuls",
        },
        {
            "IdGroupeEvt": "G42",
            "LibNomGroupeEvt": "Garderie du matin",
            "LibComplementGroupeEvt": "École maternelle Les Tilleuls",
        },
        {
            "IdGroupeEvt": "G43",
            "LibNomGroupeEvt": "ALSH Mercredis",
            "LibComplementGroupeEvt": "Centre de loisirs La Prairie",
        },
    ],
}

MENUS = (
    "Carottes râpées<br/>Poisson pané, riz<br/>Yaourt",
    "Potage de légumes<br>Poulet rôti, haricots verts<br>Fruit de saison",
    "Salade de tomates<br />Lasagnes<br />Compote",
    "Concombre à la crème<br/>Omelette, pommes de terre<br/>Fromage &amp; pain",
)
FUTURE_ACTIONS = [
    {"LibAction": "Signaler une absence", "UrlAction": "/Reservation/SignalerAbsence"},
    {"LibAction": "Modifier la réservation", "UrlAction": "/Reservation/Modifier"},
]


def _when(day: date, as_text: bool) -> int | str:
    stamp = day.strftime("%Y%m%d")
    return stamp if as_text else int(stamp)


def _suffix(day: date, today: date, absent: bool = False) -> str:
    if absent:
        return "Abs"
    return "Prés" if day < today else "Résa"


def _event(
    group: str,
    event_id: str,
    day: date,
    today: date,
    label: str,
    *,
    hours: tuple[str, str] = ("", ""),
    body: str = "",
    as_text: bool = False,
    absent: bool = False,
) -> dict[str, Any]:
    suffix = _suffix(day, today, absent)
    return {
        "IdGroupeEvt": group,
        "IdEvenement": event_id,
        "DateEvenement": _when(day, as_text),
        "HeureDebutEvenement": hours[0],
        "HeureFinEvenement": hours[1],
        "LibEvenement": f"{label}-{suffix}",
        "LibCorpsEvenement": body,
        "ListeActions": FUTURE_ACTIONS if day >= today and not absent else [],
    }


def absence_day(today: date) -> date:
    """The past school day Lucas was absent at the canteen (the Thursday of last week)."""
    monday = today - timedelta(days=today.weekday())
    return monday - timedelta(days=4)


def holiday_wednesday(today: date) -> date:
    """The Wednesday of next week: Lucas's day at the holiday centre."""
    monday = today - timedelta(days=today.weekday())
    return monday + timedelta(days=9)


def _lucas(day: date, today: date, number: int) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    weekday = day.weekday()
    if weekday in (0, 1, 3, 4):
        absent = day == absence_day(today)
        menu = MENUS[number % len(MENUS)]
        events.append(_event("G31", "P0", day, today, "Journée", body=menu, absent=absent))
        events.append(
            _event(
                "G31",
                f"R{number}",
                day,
                today,
                "Repas",
                hours=("1145", "1330"),
                body=menu,
                absent=absent,
            )
        )
        if weekday in (0, 3):
            if day > today + timedelta(days=AFTER_DAYS - 7):
                events.append(
                    {
                        "IdGroupeEvt": "G32",
                        "IdEvenement": f"S{number}",
                        "DateEvenement": _when(day, False),
                        "HeureDebutEvenement": "",
                        "HeureFinEvenement": "",
                        "LibEvenement": "Bientôt disponible",
                        "LibCorpsEvenement": "",
                        "ListeActions": [],
                    }
                )
            else:
                events.append(
                    _event("G32", f"S{number}", day, today, "Soir", hours=("1630", "1830"))
                )
    elif weekday == 2 and day == holiday_wednesday(today):
        events.append(
            _event(
                "G33",
                f"W{number}",
                day,
                today,
                "Journée",
                hours=("0830", "1730"),
                body="Sortie à la ferme pédagogique<br/>Prévoir des bottes",
            )
        )
    return events


def _lea(day: date, today: date, number: int) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    weekday = day.weekday()
    if weekday in (0, 1, 3, 4):
        menu = MENUS[(number + 1) % len(MENUS)]
        events.append(_event("G41", "P0", day, today, "Journée", body=menu, as_text=True))
        if weekday == 1:
            events.append(
                _event(
                    "G42", f"M{number}", day, today, "Matin", hours=("0730", "0830"), as_text=True
                )
            )
    elif weekday == 2:
        events.append(
            _event(
                "G43",
                f"W{number}",
                day,
                today,
                "Matinée",
                hours=("0830", "1200"),
                as_text=True,
            )
        )
    return events


def calendar(member_id: str, today: date) -> dict[str, Any]:
    """The calendar's JSON for one member (empty for the parents)."""
    groups = GROUPS.get(member_id, [])
    events: list[dict[str, Any]] = []
    make = {LUCAS: _lucas, LEA: _lea}.get(member_id)
    if make is not None:
        first = today - timedelta(days=BEFORE_DAYS)
        for number in range(BEFORE_DAYS + AFTER_DAYS + 1):
            events.extend(make(first + timedelta(days=number), today, number))
    return {"EvenementsGroupes": groups, "EvenementSystemes": events}
