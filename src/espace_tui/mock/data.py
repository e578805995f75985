"""The mock's data: the demo family, its régies and invoices, or a large generated set.

The seed invoice is exactly the one on the commune's help page (651, `Septembre 2018`, 23,20 €).
The other demo invoices are dated relative to today, so some are overdue and some are due later
whenever the demo is run. Generated sets (`--invoices N`) are seeded: the same N gives the same
invoices.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from espace_tui.core.model import Status

MONTHS = (
    "Janvier",
    "Février",
    "Mars",
    "Avril",
    "Mai",
    "Juin",
    "Juillet",
    "Août",
    "Septembre",
    "Octobre",
    "Novembre",
    "Décembre",
)
ONLINE = "Paiement en ligne"
DIRECT_DEBIT = "Prélèvement automatique"
CHEQUE = "Chèque à la trésorerie"
PAID_WORDS = "Payée"
CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class MockRegie:
    """A billing office; `numcli` is its 6-digit PayFiP collectivity number."""

    id: str
    name: str
    numcli: str


@dataclass(frozen=True, slots=True)
class MockMember:
    """A person of the dashboard; `id` is its `idDynamic`, `picture` pere/mere/garcon/fillette
    for the family, `agent_fille`/`agent_homme` for a contact (SITE.md §3)."""

    id: str
    name: str
    picture: str


@dataclass(frozen=True, slots=True)
class MockLine:
    """One line of an invoice."""

    person: str
    service: str
    quantity: Decimal
    unit_price: Decimal

    @property
    def amount(self) -> Decimal:
        return (self.quantity * self.unit_price).quantize(CENT)


@dataclass(frozen=True, slots=True)
class MockInvoice:
    """An invoice as the mock shows it; `status` is what a client must read from the words."""

    id: str
    regie: MockRegie
    number: str
    label: str
    issued: date
    due: date
    remaining: Decimal
    state: str
    """The words in the list (`tr.compte .etatFacture`)."""
    detail_state: str
    """The words in the detail (`#spanDetailFacture_EtatFacture`)."""
    status: Status
    payer: str
    payment_mode: str
    payable_online: bool
    lines: tuple[MockLine, ...]

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal("0.00"))

    @property
    def title(self) -> str:
        """`#hDetailFacture_Facture`: `RÉGIE - NUMBER - LABEL`."""
        return f"{self.regie.name} - {self.number} - {self.label}"

    @property
    def refdet(self) -> str:
        """The PayFiP debt reference: 6 to 30 letters and digits, unique per invoice."""
        return f"{self.issued.year}{self.regie.id.zfill(2)}{self.number.zfill(8)}"


@dataclass(frozen=True, slots=True)
class Family:
    """Everything the mock shows about the logged-in account."""

    greeting: str
    last_connection: str
    email: str
    members: tuple[MockMember, ...]
    regies: tuple[MockRegie, ...]
    invoices: tuple[MockInvoice, ...]
    contacts: tuple[MockMember, ...] = ()
    """People the family gave as contacts (`agent_*` pictures): shown beside the family on
    the dashboard, never one of it."""


REGIES = (
    MockRegie("1", "POST FACTURATION (ECOUFLANT)", "004521"),
    MockRegie("2", "RESTAURATION SCOLAIRE", "004522"),
    MockRegie("3", "ACCUEIL DE LOISIRS", "004523"),
)
MEMBERS = (
    MockMember("1", "ECOUFLANT Jean", "pere"),
    MockMember("2", "ECOUFLANT Marie", "mere"),
    MockMember("3", "ECOUFLANT Lucas", "garcon"),
    MockMember("4", "ECOUFLANT Léa", "fillette"),
)
CONTACTS = (MockMember("9", "MARTIN Sophie", "agent_fille"),)
"""The family's one contact (a grandmother who fetches the children, say)."""
FATHER = "Monsieur ECOUFLANT Jean"
MOTHER = "Madame ECOUFLANT Marie"
BOY, GIRL = MEMBERS[2].name, MEMBERS[3].name


def _d(text: str) -> Decimal:
    return Decimal(text)


def _line(person: str, service: str, quantity: str, unit_price: str) -> MockLine:
    return MockLine(person, service, _d(quantity), _d(unit_price))


def month_label(day: date) -> str:
    """The period an invoice issued on `day` is for: the month before, e.g. `Septembre 2018`."""
    previous = day.replace(day=1) - timedelta(days=1)
    return f"{MONTHS[previous.month - 1]} {previous.year}"


SEED = MockInvoice(
    id="318204",
    regie=REGIES[0],
    number="651",
    label="Septembre 2018",
    issued=date(2018, 10, 4),
    due=date(2018, 11, 5),
    remaining=_d("23.20"),
    state="Transmise au Trésor Public",
    detail_state="Facture transmise au Trésor Public",
    status=Status.TREASURY,
    payer=FATHER,
    payment_mode=ONLINE,
    payable_online=True,
    lines=(
        _line(BOY, "Restaurant scolaire", "5", "3.20"),
        _line(BOY, "Garderie du soir", "4", "1.80"),
    ),
)


def _invoice(
    today: date,
    id: str,
    regie: int,
    number: str,
    days_ago: int,
    state: str,
    status: Status,
    mode: str,
    lines: tuple[MockLine, ...],
    *,
    paid: Decimal | None = None,
    detail_state: str | None = None,
    payer: str = FATHER,
) -> MockInvoice:
    """A demo invoice issued `days_ago` days before today, due 30 days after issue.

    `paid`: what has been paid already (None: all when the state is paid or debited, else nothing).
    """
    issued = today - timedelta(days=days_ago)
    total = sum((line.amount for line in lines), Decimal("0.00"))
    if paid is None:
        paid = total if state in ("Payée", "Soldée", "Réglée", "Prélevée") else Decimal("0.00")
    remaining = total - paid
    return MockInvoice(
        id=id,
        regie=REGIES[regie],
        number=number,
        label=month_label(issued),
        issued=issued,
        due=issued + timedelta(days=30),
        remaining=remaining,
        state=state,
        detail_state=detail_state or state,
        status=status,
        payer=payer,
        payment_mode=mode,
        payable_online=mode == ONLINE
        and remaining > 0
        and status in (Status.UNPAID, Status.TREASURY),
        lines=lines,
    )


def demo_invoices(today: date) -> tuple[MockInvoice, ...]:
    """The demo family's 14 invoices: every state of SITE.md's table and every payment mode."""
    i = _invoice
    treasury = "Facture transmise au Trésor Public"
    return (
        SEED,
        MockInvoice(
            id="311597",
            regie=REGIES[0],
            number="612",
            label="Août 2018",
            issued=date(2018, 9, 4),
            due=date(2018, 10, 5),
            remaining=Decimal("0.00"),
            state="Payée",
            detail_state="Payée",
            status=Status.PAID,
            payer=FATHER,
            payment_mode=ONLINE,
            payable_online=False,
            lines=(
                _line(GIRL, "Restaurant scolaire", "8", "3.20"),
                _line(GIRL, "Garderie du soir", "2", "2.90"),
            ),
        ),
        i(today, "402113", 0, "1187", 70, "Transmise au Trésor Public", Status.TREASURY, ONLINE,
          (_line(BOY, "Garderie du matin", "12", "2.50"),
           _line(GIRL, "Garderie du matin", "12", "1.50")),
          paid=_d("30.00"), detail_state=treasury),
        i(today, "402950", 1, "20871", 190, "Soldée", Status.PAID, CHEQUE,
          (_line(BOY, "Repas", "15", "3.45"),)),
        i(today, "403318", 1, "21544", 160, "Prélevée", Status.DIRECT_DEBIT, DIRECT_DEBIT,
          (_line(BOY, "Repas", "17", "3.45"), _line(GIRL, "Repas", "17", "3.45"))),
        i(today, "403771", 1, "22209", 130, "Prélèvement automatique", Status.DIRECT_DEBIT,
          DIRECT_DEBIT, (_line(BOY, "Repas", "14", "3.45"), _line(GIRL, "Repas", "13", "3.45")),
          paid=Decimal("0.00")),
        i(today, "404260", 1, "22930", 75, "Non payée", Status.UNPAID, ONLINE,
          (_line(BOY, "Repas", "16", "3.45"), _line(GIRL, "Repas sans viande", "16", "3.45"))),
        i(today, "404702", 1, "23618", 45, "À régler", Status.UNPAID, ONLINE,
          (_line(GIRL, "Repas", "19", "3.45"),), payer=MOTHER),
        i(today, "405133", 1, "24301", 6, "En attente de paiement", Status.UNPAID, ONLINE,
          (_line(BOY, "Repas", "18", "3.45"), _line(GIRL, "Repas", "18", "3.45"))),
        i(today, "405134", 1, "24302", 6, "En cours de prélèvement", Status.DIRECT_DEBIT,
          DIRECT_DEBIT, (_line(BOY, "Goûter", "18", "0.85"),), paid=Decimal("0.00")),
        i(today, "406021", 2, "3107", 20, "Non payée", Status.UNPAID, ONLINE,
          (_line(BOY, "Séjour d'été (2 semaines)", "1", "617.28"),
           _line(GIRL, "Séjour d'été (2 semaines)", "1", "617.28")), payer=MOTHER),
        i(today, "406555", 2, "2988", 100, "Réglée", Status.PAID, CHEQUE,
          (_line(GIRL, "Mercredi loisirs (journée)", "4", "11.60"),)),
        i(today, "406890", 2, "3041", 55, "En litige", Status.UNKNOWN, CHEQUE,
          (_line(BOY, "Mercredi loisirs (demi-journée)", "3", "6.40"),)),
        i(today, "407204", 2, "3072", 40, "Non payée", Status.UNPAID, CHEQUE,
          (_line(BOY, "Mercredi loisirs (journée)", "2", "11.60"),
           _line(GIRL, "Mercredi loisirs (journée)", "2", "11.60"))),
    )  # fmt: skip


_SERVICES = (
    (("Restaurant scolaire", "3.20"), ("Garderie du soir", "1.80"), ("Garderie du matin", "2.50")),
    (("Repas", "3.45"), ("Repas sans viande", "3.45"), ("Goûter", "0.85")),
    (("Mercredi loisirs (journée)", "11.60"), ("Mercredi loisirs (demi-journée)", "6.40")),
)
# (list words, detail words, status, payment mode), drawn for generated invoices.
_STATES = (
    ("Payée", "Payée", Status.PAID, ONLINE),
    ("Soldée", "Soldée", Status.PAID, CHEQUE),
    ("Prélevée", "Prélevée", Status.DIRECT_DEBIT, DIRECT_DEBIT),
    ("Non payée", "Non payée", Status.UNPAID, ONLINE),
    ("À régler", "À régler", Status.UNPAID, CHEQUE),
    ("En attente de paiement", "En attente de paiement", Status.UNPAID, ONLINE),
    ("Transmise au Trésor Public", "Facture transmise au Trésor Public", Status.TREASURY, ONLINE),
    ("En cours de prélèvement", "En cours de prélèvement", Status.DIRECT_DEBIT, DIRECT_DEBIT),
    ("En litige", "En litige", Status.UNKNOWN, CHEQUE),
)


def generated_invoices(count: int, today: date) -> tuple[MockInvoice, ...]:
    """`count` invoices drawn from a fixed seed: the help page's invoice first, then about three
    a week going back in time, older ones mostly paid."""
    rng = random.Random(2018)
    result: list[MockInvoice] = [SEED] if count > 0 else []
    for n in range(1, count):
        regie = n % 3
        days_ago = 3 + (n * 7) // 3
        lines = tuple(
            _line(
                rng.choice((BOY, GIRL)),
                service,
                str(rng.randint(1, 20)),
                price,
            )
            for service, price in rng.sample(_SERVICES[regie], rng.randint(1, 2))
        )
        if n % 97 == 0:  # now and then a summer camp above 1 000 €
            lines += (_line(rng.choice((BOY, GIRL)), "Séjour d'été (3 semaines)", "1", "1045.90"),)
        old = days_ago > 120 and rng.random() < 0.85
        state, detail, status, mode = _STATES[rng.randrange(3)] if old else rng.choice(_STATES)
        result.append(
            _invoice(
                today,
                str(500000 + 3 * n),
                regie,
                str(10000 + n),
                days_ago,
                state,
                status,
                mode,
                lines,
                detail_state=detail,
                payer=FATHER if n % 2 else MOTHER,
            )
        )
    return tuple(result)


def make_family(invoices: int | None, today: date | None = None) -> Family:
    """The demo family, with its fixed invoices (None) or `invoices` generated ones."""
    day = today or date.today()
    chosen = demo_invoices(day) if invoices is None else generated_invoices(invoices, day)
    return Family(
        greeting="Bonjour Monsieur Ecouflant",
        last_connection="Dernière connexion le 09/11/2018 à 15:31",
        email="jean.ecouflant@example.org",
        members=MEMBERS,
        regies=REGIES,
        invoices=chosen,
        contacts=CONTACTS,
    )


def as_paid(invoice: MockInvoice) -> MockInvoice:
    """The invoice once paid online: state `Payée`, nothing left to pay, no pay link."""
    return replace(
        invoice,
        remaining=Decimal("0.00"),
        state=PAID_WORDS,
        detail_state=PAID_WORDS,
        status=Status.PAID,
        payable_online=False,
    )
