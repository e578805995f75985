"""Another Espace Citoyens, written from SITE.md alone, to try the client against markup it was
not written with: commune `ville-coueron`, other data, and the noise of a real ASP.NET site
(ASP.NET cookies, a load-balancer cookie, single-quoted and upper-case markup, comments,
scripts, extra columns and links, white space and `&nbsp;` everywhere, gzip), and its own
family's planning (SITE.md §8, `calendar_json`).

It follows SITE.md where it says [seen] or [adopted] and makes every choice SITE.md leaves open
in its own way. It never imports the client nor the bundled mock.

    portal = OtherPortal(); portal.start(); ...; portal.stop()

Knobs: `expire_after` (end the session once, after that many logged-in requests),
`expiry_form` (`"500"`, `"redirect"` or `"login_page"`: how an ended session is answered),
`login` (`"form"`: the public home holds the form, SITE.md §1-2; `"ajax"`: a "Se connecter"
button, the modal and `Home/LogonAjax`, §2b) and `home_at_base_only` (`Home/AccueilPublic` is
not found: the public home is only at the base URL).
"""

from __future__ import annotations

import gzip
import hashlib
import html
import json
import secrets
import threading
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, quote, urlencode, urlsplit

COMMUNE = "ville-coueron"
ROOT = f"/{COMMUNE}/espace-citoyens/"
USERNAME = "anne-sophie.dupre+ec@example.fr"
PASSWORD = "Couëron 2026 &=+%!"  # spaces, an accent and form-encoding characters on purpose
LOCKED_USERNAME = "compte.bloque@example.fr"

SESSION_COOKIE = "ASP.NET_SessionIdEC"
AUTH_COOKIE = ".ASPXAUTH"
BALANCER_COOKIE = "BIGipServer~EC~pool_ec_https"
TOKEN_COOKIE = "__RequestVerificationToken_L3ZpbGxlLWNvdWVyb24vZXNwYWNlLWNpdG95ZW5z"

NNBSP, NBSP = "\u202f", "\u00a0"


# --- The family's data -------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One line of a detail, as the cells show it (site text) and as the client should read it."""

    person: str
    service: str
    quantity: str
    unit_price: str
    amount: str


@dataclass(frozen=True)
class Bill:
    """One invoice: the row's text, the detail's text (None = element absent) and the truth."""

    id: str
    number: str
    label: str
    regie: str
    issued: date
    due: date
    """Shown in `#spanDetailFacture_DatLimitePaiementFacture` unless `due_shown` is False."""
    total: Decimal
    row_amount: str
    row_state: str
    detail_state: str
    detail_total: str
    remaining: str | None
    mode: str | None
    payer: str | None
    payable: bool
    lines: tuple[Line, ...] | None
    disposition: str
    refdet: str = ""
    due_shown: bool = True
    row_issued_suffix: str = ""
    """Text after the row's date (.NET's default DateTime text carries ` 00:00:00`)."""


REGIES: dict[str, str] = {
    # id → the h3's inner HTML (entities, line breaks and runs of spaces on purpose)
    "12": "\n        PÉRISCOLAIRE &amp;   CANTINE\n      ",
    "7": "ÉCOLE DE MUSIQUE - CONSERVATOIRE (COUËRON)",
    "3": "ACCUEIL DE LOISIRS",  # no invoice: its block says so
}
REGIE_NAMES = {"12": "PÉRISCOLAIRE & CANTINE", "7": "ÉCOLE DE MUSIQUE - CONSERVATOIRE (COUËRON)"}
PAYER = "Madame DUPRÉ-LE GALL Anne-Sophie"

BILLS: tuple[Bill, ...] = (
    Bill(
        id="9104217",
        number="1042",
        label="Novembre 2026",
        regie="12",
        issued=date(2026, 11, 25),
        due=date(2026, 12, 31),
        total=Decimal("12345.60"),
        row_amount=f"12{NNBSP}345,60&nbsp;€",
        row_state="A régler",
        detail_state="À régler",
        detail_total="12&#8239;345,60&nbsp;€",
        remaining=f"\n   12{NBSP}345,60 €\n",
        mode="Paiement en ligne (PayFiP)",
        payer=PAYER,
        payable=True,
        lines=(
            Line("DUPRÉ-LE GALL Léa", "Restaurant scolaire", "12", "4,30 €", "51,60 €"),
            Line("DUPRÉ-LE GALL Tom", "Accueil périscolaire - matin", "1,5", "2,00 €", "3,00 €"),
            Line("", "Régularisation", "1", f"12{NNBSP}291,00 €", f"12{NBSP}291,00&nbsp;€"),
        ),
        disposition="attachment; filename*=UTF-8''Facture%20n%C2%B01042.pdf",
        refdet="2026001042000912",
    ),
    Bill(
        id="9104218",
        number="1043",
        label="Octobre 2026",
        regie="12",
        issued=date(2026, 10, 31),
        due=date(2026, 11, 30),
        total=Decimal("87.15"),
        row_amount="87,15 €",
        row_state="PAYÉE",
        detail_state="Payée",
        detail_total="87,15&nbsp;€",
        remaining="0,00 €",
        mode="Chèque à la trésorerie",
        payer=PAYER,
        payable=False,
        lines=(
            Line("DUPRÉ-LE GALL Léa", "Restaurant scolaire", "19", "4,30 €", "81,70 €"),
            Line("", "Frais de dossier", "", "", "5,45 €"),
        ),
        disposition='attachment; filename="../../evil.pdf"',
    ),
    Bill(
        id="9104219",
        number="1044",
        label="Septembre 2026",
        regie="12",
        issued=date(2026, 9, 30),
        due=date(2026, 10, 31),
        total=Decimal("64.50"),
        row_amount="64,50 €",
        row_state="Transmise au  Trésor public",
        detail_state="Facture transmise\n au Trésor Public",
        detail_total="64,50 €",
        remaining=None,  # no #spanDetailFacture_MntResteAPayer
        mode=None,  # no #spanDetailFacture_ModePaiement
        payer=PAYER,
        payable=True,
        lines=None,  # no lines table
        disposition='attachment; filename="Facture_1044.pdf"',
        refdet="2026001044000912",
    ),
    Bill(
        id="9104220",
        number="1045",
        label="Août 2026",
        regie="12",
        issued=date(2026, 8, 31),
        due=date(2026, 9, 30),
        total=Decimal("1234.00"),
        row_amount="1 234,00 €",
        row_state="Prélevée",
        detail_state="Prélevée",
        detail_total=f"1{NBSP}234,00 €",
        remaining="0,00&nbsp;€",
        mode="Prélèvement automatique",
        payer=PAYER,
        payable=False,
        lines=(Line("DUPRÉ-LE GALL Tom", "Séjour été", "1", "1 234,00 €", "1 234,00 €"),),
        disposition=(
            "attachment; filename=\"Facture_1045.pdf\"; filename*=UTF-8''Facture_1045_ao%C3%BBt.pdf"
        ),
    ),
    Bill(
        id="9104221",
        number="1046",
        label="Juillet 2026",
        regie="12",
        issued=date(2026, 7, 31),
        due=date(2026, 8, 31),
        total=Decimal("48.00"),
        row_amount="48,00 €",
        row_state="En contentieux",
        detail_state="En contentieux",
        detail_total="48,00 €",
        remaining="48,00 €",
        mode="Titre exécutoire",
        payer=PAYER,
        payable=False,
        lines=(Line("DUPRÉ-LE GALL Léa", "Restaurant scolaire", "12", "4,00 €", "48,00 €"),),
        disposition='attachment; filename="Facture_1046.pdf"',
    ),
    Bill(
        id="880031",
        number="77",
        label="3e trimestre 2026",
        regie="7",
        issued=date(2026, 10, 15),
        due=date(2026, 11, 15),
        total=Decimal("1234.50"),
        row_amount=f"1{NBSP}234,50&nbsp;€",
        row_state="non payée",
        detail_state="Non   payée",
        detail_total="1&nbsp;234,50 €",
        remaining="1 234,50 €",
        mode="Paiement en ligne",
        payer="Monsieur DUPRÉ-LE GALL Yann",
        payable=True,
        lines=(Line("DUPRÉ-LE GALL Tom", "Piano - 1er cycle", "1", "1 234,50 €", "1 234,50 €"),),
        disposition="attachment; filename=Facture.pdf",
        refdet="2026000077000007",
    ),
    Bill(
        id="880032",
        number="78",
        label="2e trimestre 2026",
        regie="7",
        issued=date(2026, 7, 15),
        due=date(2026, 8, 15),
        total=Decimal("210.00"),
        row_amount="",  # an empty amount cell in the list
        row_state="  payée ",
        detail_state="Soldée",
        detail_total="210,00 €",
        remaining="0,00 €",
        mode=None,
        payer=None,  # no #spanDetailFacture_Payeur
        payable=False,
        lines=(Line("DUPRÉ-LE GALL Tom", "Formation musicale", "1", "210,00 €", "210,00 €"),),
        disposition="attachment; filename=Facture.pdf",
        due_shown=False,
        row_issued_suffix=" 00:00:00",
    ),
)

MEMBERS = (
    ("501", "DUPRÉ-LE GALL Anne-Sophie", "mere"),
    ("502", "DUPRÉ-LE GALL Tom", "garcon"),
    ("503", "DUPRÉ-LE GALL Léa", "fillette"),
)

CONTACTS = (("590", "MOREAU Bernard", "agent_homme"),)
"""A contact of the family (SITE.md §3: an `agent_*` picture): listed before the family."""

# --- The family's planning (SITE.md §8), in this portal's own way ------------------------------
# The children's bookings of the weeks of 16/11/2026 and 23/11/2026: dates as strings, empty
# hours as null, entities and upper-case <BR> in the bodies, fields SITE.md does not name, a
# placeholder, a day's billing summary beside its timed event (to drop) and one alone (to keep).

PLANNING_GROUPS = {
    "502": [
        {
            "IdGroupeEvt": 7001,
            "LibNomGroupeEvt": "CANTINE  Élémentaire",
            "LibComplementGroupeEvt": "Groupe scolaire  Paul\u00a0Bert",
            "Couleur": "#ffcc00",
        },
        {
            "IdGroupeEvt": 7002,
            "LibNomGroupeEvt": "Périscolaire soir",
            "LibComplementGroupeEvt": "Groupe scolaire Paul Bert",
            "Couleur": "#00ccff",
        },
    ],
    "503": [
        {
            "IdGroupeEvt": 7101,
            "LibNomGroupeEvt": "Accueil de loisirs - vacances",
            "LibComplementGroupeEvt": "ALSH La Métairie",
            "Couleur": "#66ff66",
        },
        {
            "IdGroupeEvt": 7102,
            "LibNomGroupeEvt": "Garderie matin",
            "LibComplementGroupeEvt": "École maternelle Jules Verne",
            "Couleur": "#ff66ff",
        },
    ],
}


def _evt(
    group: int,
    event: str,
    day: str,
    start: str | None,
    end: str | None,
    label: str,
    body: str = "",
    actions: tuple[str, ...] = (),
) -> dict[str, object]:
    return {
        "IdGroupeEvt": group,
        "IdEvenement": event,
        "DateEvenement": day,
        "HeureDebutEvenement": start,
        "HeureFinEvenement": end,
        "LibEvenement": label,
        "LibCorpsEvenement": body,
        "ListeActions": [{"LibAction": a, "UrlAction": "#"} for a in actions],
        "EstModifiable": bool(actions),
    }


PLANNING_EVENTS = {
    "502": [
        # Monday: the summary and the timed meal say the same booking: the summary goes.
        _evt(7001, "P0", "20261116", None, None, "Journée-Prés", "Repas&nbsp;: <b>hachis</b>"),
        _evt(
            7001,
            "E11",
            "20261116",
            "1200",
            "1330",
            "Repas - Prés",
            "Repas&nbsp;: <b>hachis</b><BR>Dessert&nbsp;: cr&egrave;me",
        ),
        _evt(7002, "E12", "20261116", "1630", "1800", "Soirée-Prés"),
        # Tuesday: absent at the canteen.
        _evt(7001, "E13", "20261117", "1200", "1330", "Repas-Abs"),
        # Thursday: the summary alone is the day's booking.
        _evt(7001, "P0", "20261119", "", "", "Journée-Résa", "", ("Signaler une absence",)),
        _evt(
            7002,
            "E14",
            "20261119",
            "1630",
            "1800",
            "Soirée-Résa",
            "",
            ("Modifier la réservation", "Signaler une absence"),
        ),
        _evt(7002, "E15", "20261126", None, None, "Bientôt disponible"),
        _evt(7001, "E16", "20261124", "1200", "1330", "Repas-Résa"),
    ],
    "503": [
        _evt(7102, "E21", "20261118", "0715", "0845", "Matin-Résa"),
        # A day of the holiday centre, all day long.
        _evt(
            7101,
            "E22",
            "20261125",
            None,
            None,
            "Journée - Résa",
            "Sortie au zoo<br>Pique-nique fourni",
            ("Effectuer une réservation",),
        ),
        _evt(7101, "E23", "20261127", "", "", "Bientôt disponible - Résa"),
    ],
}


def calendar_json(member: str) -> str:
    """One member's calendar, as this portal spells it (the mother's is empty)."""
    return json.dumps(
        {
            "EvenementsGroupes": PLANNING_GROUPS.get(member),
            "EvenementSystemes": PLANNING_EVENTS.get(member, []),
            "DateDebut": "20261101",
        }
    )


PAYFIP_NUMCLI = "004512"
PAYFIP_MEL = "anne-sophie.dupre+ec@example.fr"


URL_MODE_MAX = Decimal("9999.99")
"""PayFiP's URL mode takes at most this (SITE.md §7): larger invoices go in web-service mode."""


def payfip_url(
    bill: Bill,
    *,
    host: str = "www.payfip.gouv.fr",
    url_mode_only: bool = False,
    overrides: dict[str, str] | None = None,
) -> str:
    """Where `PayerFacture` sends a payable invoice: URL mode, production (`saisie=X`); an
    amount above URL mode's limit in web-service mode (`idop` only), unless `url_mode_only`.
    `overrides` replaces URL mode's parameters (a test payment, a malformed `numcli`…)."""
    if bill.total > URL_MODE_MAX and not url_mode_only:
        idop = hashlib.sha256(bill.id.encode()).hexdigest()[:32]
        return f"https://{host}/tpa/paiementws.web?idop={idop}"
    cents = int((bill.total * 100).to_integral_value())
    params = {
        "numcli": PAYFIP_NUMCLI,
        "exer": str(bill.issued.year),
        "refdet": bill.refdet,
        "objet": f"Facture {bill.number} {REGIE_NAMES[bill.regie][:12]}",
        "montant": str(cents),
        "mel": PAYFIP_MEL,
        "urlcl": f"https://www.espace-citoyens.net{ROOT}MonCompte/RetourPayFiP",
        "saisie": "X",
        **(overrides or {}),
    }
    return f"https://{host}/tpa/paiement.web?{urlencode(params)}"


def pdf_bytes(bill: Bill) -> bytes:
    """A tiny, valid one-page PDF naming the invoice (offsets of the xref table computed)."""
    text = f"BT /F1 18 Tf 72 770 Td (Facture {bill.number} - {bill.id}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(text) + text + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


# --- Markup -------------------------------------------------------------------------------------


def _page(title: str, body: str) -> str:
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"
  "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<!-- Espace Citoyens Premium 5.12.3 - {COMMUNE} -->
<HTML xmlns="http://www.w3.org/1999/xhtml" lang='fr'>
<HEAD>
  <META http-equiv='Content-Type' content='text/html; charset=utf-8' />
  <TITLE>{title} - Ville de Couëron</TITLE>
  <link rel="stylesheet" href='{ROOT}Content/site.css?v=5123' />
  <script type="text/javascript">
    //<![CDATA[
    var appRoot = '{ROOT}', seuil = 3;
    if (seuil < 5 && appRoot.length > 0) {{ window.ecReady = true; }}
    //]]>
  </script>
</HEAD>
<BODY class='ec-body'>
  <div id="bandeau"><A href='{ROOT}'><img src='{ROOT}Content/logo.png' alt='Couëron'></A>
  <!-- <form id="ancienFormulaire" action="/old"></form> -->
  </div>
{body}
  <div id='pied'>Ville de Couëron &copy; 2026 &ndash; <a href="{ROOT}Home/MentionsLegales">Mentions
  légales</a></div>
  <SCRIPT src='{ROOT}Scripts/jquery.min.js'></SCRIPT>
</BODY>
</HTML>
"""


def login_page(token: str, message: str | None = None, *, notice: str | None = None) -> str:
    """The public home: the login form first, a search form after it."""
    error = f'\n    <span class="erreurLogin">{message}</span>' if message is not None else ""
    banner = f"\n  <p class='information'>{notice}</p>" if notice else ""
    return _page(
        "Accueil",
        f"""  <div id='contenu'>{banner}
  <h2>Connexion à mon espace</h2>
  <FORM method='post' class="form-horizontal"
        action='{ROOT}Home/Logon' autocomplete="off" id="idFormConnexion" >
    <!-- jeton anti-contrefaçon -->
    <input value='{token}' type='hidden' name='__RequestVerificationToken' />
    <input name="ReturnUrl" type="hidden" value="" />{error}
    <label for="username">Identifiant (adresse e-mail)</label>
    <INPUT TYPE="text" NAME="username" ID="username" value="" maxlength="150" />
    <label for='password'>Mot de passe</label>
    <input autocomplete='off' id='password' type='password' name='password'>
    <input type="checkbox" name="RememberMe" id="RememberMe" value="true">
    <input type="hidden" name="RememberMe" value="false">
    <button type="submit" class="btn">Se connecter</button>
    <a href="{ROOT}Home/MotDePasseOublie">Mot de passe oublié ?</a>
  </FORM>
  <form id="formRecherche" method="get" action="{ROOT}Recherche/Index">
    <input type="search" name="q" placeholder="Rechercher une démarche">
    <input type="hidden" name="__RequestVerificationToken" value="autre-jeton">
  </form>
  </div>""",
    )


def login_button_page(modal: str = "") -> str:
    """The public home of a commune on the AJAX login (SITE.md §2b): no form, a button."""
    return _page(
        "Accueil",
        f"""  <div id='contenu'>
  <h2>Bienvenue sur votre Espace Citoyens</h2>
  <A href="javascript:void(0)" class='btn btn-connexion' ONCLICK="ouvrirModaleConnexion()"
     >Se connecter</A>{modal}
  <form id="formRecherche" method="get" action="{ROOT}Recherche/Index">
    <input type="search" name="q" placeholder="Rechercher une démarche">
  </form>
  <script>
    function ouvrirModaleConnexion() {{
      $.post('{ROOT}Home/RecupererModaleConnexion', function (html) {{ $('#modale').html(html); }});
    }}
  </script>
  </div>""",
    )


def login_modal(token: str, notice: str | None = None) -> str:
    """`Home/RecupererModaleConnexion`: the same `#idFormConnexion` form, in a modal."""
    banner = f"\n    <p class='information'>{notice}</p>" if notice else ""
    return f"""<DIV class='modal-dialog' role="document">
  <div class="modal-content">{banner}
  <FORM id='idFormConnexion' method="post" action='{ROOT}Home/Logon' onsubmit="return false;">
    <input type='hidden' name='__RequestVerificationToken' value='{token}' />
    <label for="username">Identifiant (adresse e-mail)</label>
    <INPUT TYPE="text" NAME="username" ID="username" value="" />
    <input id='password' type='password' name='password'>
    <input type="hidden" name="returnUrl" value="" />
    <BUTTON type="button" id="btnSeConnecter">Se connecter</BUTTON>
  </FORM>
  </div>
</DIV>"""


def _person_link(pid: str, name: str, role: str) -> str:
    return f"""    <li class='membre'>
      <a class="lienPersonne" title="Voir la fiche"
         href='{ROOT}FichePersonne/DetailPersonne?idDynamic={pid}&amp;mode=consultation'>
        <IMG SRC='{ROOT}Content/images/famille/{role}.png' ALT="
          {name.replace(" ", "&nbsp; ", 1)} " class="avatar" />
      </a>
      <span class="nomPersonne">{name}</span>
    </li>"""


def dashboard_page() -> str:
    people = "\n".join(_person_link(*member) for member in MEMBERS)
    contacts = "\n".join(_person_link(*contact) for contact in CONTACTS)
    return _page(
        "Mon espace",
        f"""  <div id='contenu' class="espace">
  <p>
    <span id="spanBonjour">Bonjour&nbsp;Madame
       DUPRÉ-LE GALL</span><br/>
    <span id='spanDerniereConnexion'>Dernière connexion le&nbsp;14/11/2026
       à&nbsp;08:05</span>
  </p>
  <a href="{ROOT}FichePersonne/DetailPersonne?idDynamic=501&amp;onglet=coordonnees">Modifier mes
  coordonnées</a>
  <h3>Personnes à prévenir</h3>
  <ul class="contacts">
{contacts}
  </ul>
  <h3>Ma famille</h3>
  <ul class="famille">
{people}
  </ul>
  <div class="tuiles">
    <a class='tuile' href='{ROOT}MonCompte'><span>Mes factures</span></a>
    <a class='tuile' href='{ROOT}Reservation/Planning'><span>Mes réservations</span></a>
    <a class='tuile' href='{ROOT}Home/LogOff'><span>Se déconnecter</span></a>
  </div>
  </div>""",
    )


def invoices_page() -> str:
    blocks = []
    for regie_id, regie_html in REGIES.items():
        rows = []
        for n, bill in enumerate(b for b in BILLS if b.regie == regie_id):
            parity = "pair" if n % 2 else "impair"
            rows.append(
                f"""        <tr id="{bill.id}" class="compte {parity}" data-regie='{regie_id}'>
          <TD class="selection"><input type="checkbox" name="sel" value="{bill.id}"></TD>
          <td class="ligneCompte libelle">
            {html.escape(bill.label)}
          </td>
          <td class='numero_facture'> {bill.number} </td>
          <td class="dateFacture">{bill.issued:%d/%m/%Y}{bill.row_issued_suffix}</td>
          <td class="montantFacture">{bill.row_amount}</td>
          <td class="etatFacture">
            {bill.row_state}
          </td>
          <td class="ligneCompte actions"><a href="#" class="voirDetail"
             data-id="{bill.id}">Voir</a></td>
        </tr>"""
            )
        if not rows:
            blocks.append(
                f"""    <div id="regie-{regie_id}" class='regie'>
      <h3 class="libelleRegie">{regie_html}</h3>
      <p class="aucuneFacture">Aucune facture pour cette régie.</p>
    </div>"""
            )
            continue
        body = "\n".join(rows)
        blocks.append(
            f"""    <!-- régie {regie_id} -->
    <div id="regie-{regie_id}" class='regie ouverte'>
      <h3 class="libelleRegie titre">{regie_html}</h3>
      <table class="tableCompte table" summary="Factures">
        <thead><tr><th></th><th>Période</th><th>N°</th><th>Date</th><th>Montant</th>
          <th>État</th><th></th></tr></thead>
        <tbody>
{body}
        </tbody>
      </table>
    </div>"""
        )
    joined = "\n".join(blocks)
    return _page(
        "Mes factures",
        f"""  <div id='contenu'>
  <h2>Mes factures</h2>
  <p class="aide">Cliquez sur une facture pour en voir le détail.</p>
{joined}
  <div id="modalDetail" style="display:none"></div>
  </div>""",
    )


def detail_fragment(bill: Bill) -> str:
    title = f"{REGIES[bill.regie].strip()} - {bill.number} - {html.escape(bill.label)}"
    due = f"{bill.due:%d/%m/%Y}" if bill.due_shown else "\n    "
    parts = [
        f"""<div class="detailFacture" data-id='{bill.id}'>
  <!-- détail de la facture -->
  <h4 id="hDetailFacture_Facture" class="titre">
    {title}
  </h4>
  <div class="row"><label>Date d'émission&nbsp;:</label>
    <span id="spanDetailFacture_DatEmissionFacture">
      {bill.issued:%d/%m/%Y}
    </span></div>
  <div class="row"><label>Montant total&nbsp;:</label>
    <span id='spanDetailFacture_MntTotalFacture'>{bill.detail_total}</span></div>
  <div class="row"><label>À payer avant le&nbsp;:</label>
    <SPAN ID="spanDetailFacture_DatLimitePaiementFacture">{due}</SPAN></div>"""
    ]
    if bill.payer is not None:
        parts.append(
            f"""  <div class="row"><label>Payeur :</label>
    <span id="spanDetailFacture_Payeur">
      {bill.payer.replace(" ", "&nbsp;", 1)}
    </span></div>"""
        )
    parts.append(
        f"""  <div class="row"><label>État :</label>
    <span class="etat" id="spanDetailFacture_EtatFacture">{bill.detail_state}</span></div>"""
    )
    if bill.remaining is not None:
        parts.append(
            f"""  <div class="row"><label>Reste à payer :</label>
    <span id="spanDetailFacture_MntResteAPayer">{bill.remaining}</span></div>"""
        )
    if bill.mode is not None:
        parts.append(
            f"""  <div class="row"><label>Mode de paiement :</label>
    <span id="spanDetailFacture_ModePaiement">{bill.mode}</span></div>"""
        )
    if bill.lines is not None:
        rows = "\n".join(
            f"""      <tr class="ligne">
        <td class="personne">{line.person}</td>
        <td class="prestation">{line.service}</td>
        <td class="quantite">{line.quantity}</td>
        <td class="prixUnitaire">{line.unit_price}</td>
        <td class="montant">{line.amount}</td>
      </tr>"""
            for line in bill.lines
        )
        parts.append(
            f"""  <table id="tableDetailFacture_Lignes" class="table">
    <thead>
      <tr><th>Personne</th><th>Prestation</th><th>Quantité</th><th>Prix unitaire</th>
        <th>Montant</th></tr>
    </thead>
    <tbody>
{rows}
    </tbody>
  </table>"""
        )
    buttons = []
    if bill.payable:
        buttons.append(
            f"""    <a class="btn btn-primary" id="lnkPayerFacture" target="_blank"
       href="{ROOT}MonCompte/PayerFacture?IdFactureUnique={bill.id}&amp;idRegie={bill.regie}"
       >PAYER LA FACTURE</a>"""
        )
    buttons.append(
        f"""    <a href='{ROOT}MonCompte/TelechargerPdfFacture?IdFactureUnique={bill.id}'
       id='lnkTelechargerFacture' class='btn'>TÉLÉCHARGER MA FACTURE</a>"""
    )
    parts.append('  <div class="boutons">\n' + "\n".join(buttons) + "\n  </div>\n</div>\n")
    return "\n".join(parts)


SERVER_ERROR = """<!DOCTYPE html>
<html><head><title>Erreur d'exécution</title></head>
<body><h1>Erreur du serveur dans l'application '/ville-coueron/espace-citoyens'.</h1>
<h2><i>Erreur d'exécution</i></h2></body></html>
"""


# --- The server ---------------------------------------------------------------------------------


@dataclass
class Session:
    """One ASP.NET session."""

    id: str
    user: str | None = None
    auth: str | None = None
    visited_list: bool = False
    visited_dashboard: bool = False


@dataclass
class Seen:
    """A request as the portal received it (for tests to check how the client behaves)."""

    method: str
    path: str
    headers: dict[str, str]
    body: str = ""


@dataclass
class OtherPortal:
    """The independent portal, served by a thread on 127.0.0.1 (a free port)."""

    expire_after: int | None = None
    """End the session once, after this many logged-in requests (then answer `expiry_form`)."""
    expire_again_after: int | None = None
    """Once the session has ended, end the next one too after this many logged-in requests."""
    expiry_form: str = "redirect"
    """How an ended session is answered: `"500"`, `"redirect"` (to `Home/Logon`),
    `"redirect_home"` (to `Home/AccueilPublic`, an absolute address) or `"login_page"`."""
    fail_once_after: int | None = None
    """Answer one HTTP 500 after this many logged-in requests, the session staying alive."""
    login: str = "form"
    """`"form"` (SITE.md §1-2) or `"ajax"` (§2b: a button, the modal, `Home/LogonAjax`)."""
    home_at_base_only: bool = False
    """`Home/AccueilPublic` answers 404: the public home is at the base URL only."""
    payfip_host: str = "www.payfip.gouv.fr"
    """The host `PayerFacture` sends to (`www.tipi-client.budget.gouv.fr`: PayFiP's test)."""
    payfip_overrides: dict[str, str] = field(default_factory=dict)
    """Parameters of URL mode replaced in every payment address (`saisie`, `numcli`…)."""
    payfip_url_mode_only: bool = False
    """Every payment in URL mode, even above its limit (9 999,99 €)."""
    seen: list[Seen] = field(default_factory=list)
    logins: int = 0
    """Successful logins."""
    expired: int = 0
    """Requests answered as "session ended"."""
    _sessions: dict[str, Session] = field(default_factory=dict)
    _token_secret: bytes = field(default_factory=lambda: secrets.token_bytes(16))
    _served: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None
    _thread: threading.Thread | None = None

    # -- life ------------------------------------------------------------------------------------

    def start(self) -> str:
        portal = self

        class Handler(_Handler):
            owner = portal

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self.base_url

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def origin(self) -> str:
        assert self._server is not None, "start() first"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def base_url(self) -> str:
        return self.origin + ROOT

    def bill(self, bill_id: str) -> Bill:
        return next(b for b in BILLS if b.id == bill_id)

    # -- tokens ----------------------------------------------------------------------------------

    def form_token(self, cookie_token: str) -> str:
        """A fresh form token paired with the cookie token (each page gets another one)."""
        salt = secrets.token_hex(6)
        return f"{salt}:{self._sign(salt, cookie_token)}"

    def token_matches(self, form_token: str, cookie_token: str | None) -> bool:
        salt, _, signature = form_token.partition(":")
        return bool(cookie_token) and signature == self._sign(salt, cookie_token or "")

    def _sign(self, salt: str, cookie_token: str) -> str:
        return hashlib.sha256(
            self._token_secret + salt.encode() + cookie_token.encode()
        ).hexdigest()[:40]

    # -- sessions --------------------------------------------------------------------------------

    def new_session(self, user: str | None = None) -> Session:
        session = Session(id=secrets.token_hex(12), user=user)
        if user is not None:
            session.auth = secrets.token_hex(20).upper()
        self._sessions[session.id] = session
        return session

    def logged_in_session(self, cookies: dict[str, str]) -> Session | None:
        """The session these cookies carry, when it is alive and logged in; counts the request
        towards `expire_after` (and ends the session when the count is reached)."""
        with self._lock:
            if BALANCER_COOKIE not in cookies:
                return None
            session = self._sessions.get(cookies.get(SESSION_COOKIE, ""))
            if session is None or session.user is None:
                return None
            if cookies.get(AUTH_COOKIE) != session.auth:
                return None
            if self.expire_after is not None:
                if self._served >= self.expire_after:
                    self.expire_after, self.expire_again_after = self.expire_again_after, None
                    self._served = 0
                    del self._sessions[session.id]
                    return None
                self._served += 1
            return session

    def transient_failure(self) -> bool:
        """Whether this logged-in request gets the one transient 500 (`fail_once_after`)."""
        with self._lock:
            if self.fail_once_after is None:
                return False
            if self.fail_once_after <= 0:
                self.fail_once_after = None
                return True
            self.fail_once_after -= 1
            return False


class _Handler(BaseHTTPRequestHandler):
    owner: OtherPortal
    protocol_version = "HTTP/1.1"
    server_version = "Microsoft-IIS/10.0"
    sys_version = ""

    def log_message(self, format: str, *args: object) -> None:
        pass  # quiet in tests

    # -- helpers ---------------------------------------------------------------------------------

    def cookies(self) -> dict[str, str]:
        jar: dict[str, str] = {}
        for header in self.headers.get_all("Cookie") or []:
            for part in header.split(";"):
                name, eq, value = part.strip().partition("=")
                if eq:
                    jar[name] = value
        return jar

    def reply(
        self,
        status: int,
        body: bytes | str = b"",
        *,
        content_type: str = "text/html; charset=utf-8",
        headers: list[tuple[str, str]] | None = None,
    ) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        extra = list(headers or [])
        if (
            data
            and content_type.startswith("text/html")
            and "gzip" in self.headers.get("Accept-Encoding", "")
        ):
            data = gzip.compress(data)
            extra.append(("Content-Encoding", "gzip"))
        self.send_response(status)
        self.send_header("Cache-Control", "private, no-cache")
        self.send_header("X-AspNet-Version", "4.0.30319")
        self.send_header("X-Powered-By", "ASP.NET")
        if data or status == 200:
            self.send_header("Content-Type", content_type)
        for name, value in extra:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def redirect(self, location: str, headers: list[tuple[str, str]] | None = None) -> None:
        self.reply(
            302,
            f'<html><head><title>Object moved</title></head><body><h2>Object moved to <a href="'
            f'{html.escape(location)}">here</a>.</h2></body></html>',
            headers=[("Location", location), *(headers or [])],
        )

    def route(self) -> tuple[str, dict[str, list[str]]] | None:
        """The path below the base URL (lower-case, as ASP.NET routes ignore case) and the query;
        None for an address outside this commune."""
        parts = urlsplit(self.path)
        if not parts.path.lower().startswith(ROOT.rstrip("/")):
            return None
        rest = parts.path[len(ROOT) - 1 :].strip("/").lower()
        return rest, parse_qs(parts.query)

    def remember(self, body: str = "") -> None:
        wanted = ("Cookie", "X-Requested-With", "Referer", "Origin", "Content-Type", "User-Agent")
        headers = {name: self.headers.get(name, "") for name in wanted if name in self.headers}
        with self.owner._lock:
            self.owner.seen.append(Seen(self.command, self.path, headers, body))

    def session_ended(self) -> None:
        """One of SITE.md's three answers to a page asked for after the session has ended."""
        with self.owner._lock:
            self.owner.expired += 1
        form = self.owner.expiry_form
        if form == "500":
            self.reply(500, SERVER_ERROR)
        elif form == "redirect_home":
            self.redirect(f"{self.owner.origin}{ROOT}Home/AccueilPublic")
        elif form == "login_page":
            self.public_home(notice="Votre session a expiré, veuillez vous reconnecter.")
        else:
            back = quote(urlsplit(self.path).path, safe="").replace("%2F", "%2f")
            self.redirect(f"{ROOT}Home/Logon?ReturnUrl={back}")

    def public_home(self, *, message: str | None = None, notice: str | None = None) -> None:
        set_cookies, token = self.visitor()
        if self.owner.login == "ajax":
            modal = login_modal(token, notice) if notice else ""
            self.reply(200, login_button_page(modal), headers=set_cookies)
            return
        self.reply(200, login_page(token, message, notice=notice), headers=set_cookies)

    def visitor(self) -> tuple[list[tuple[str, str]], str]:
        """The cookies a visitor without them is given, and a fresh form token."""
        cookies = self.cookies()
        set_cookies: list[tuple[str, str]] = []
        if BALANCER_COOKIE not in cookies:
            set_cookies.append(
                ("Set-Cookie", f"{BALANCER_COOKIE}=rd5o0000ffff0a0b0c0d.20480; path=/; Httponly")
            )
        with self.owner._lock:
            if cookies.get(SESSION_COOKIE) not in self.owner._sessions:
                session = self.owner.new_session()
                set_cookies.append(
                    ("Set-Cookie", f"{SESSION_COOKIE}={session.id}; path=/; HttpOnly; SameSite=Lax")
                )
        cookie_token = cookies.get(TOKEN_COOKIE)
        if not cookie_token:
            cookie_token = secrets.token_urlsafe(24)
            # On the application's path, without its trailing slash (as ASP.NET writes it).
            path = ROOT.rstrip("/")
            set_cookies.append(
                ("Set-Cookie", f"{TOKEN_COOKIE}={cookie_token}; path={path}; HttpOnly")
            )
        return set_cookies, self.owner.form_token(cookie_token)

    # -- verbs -----------------------------------------------------------------------------------

    def do_GET(self) -> None:
        self.remember()
        routed = self.route()
        if routed is None:
            self.reply(404, "<html><body>Not Found</body></html>")
            return
        path, query = routed
        if path == "home/accueilpublic" and self.owner.home_at_base_only:
            self.reply(404, "<html><body>La ressource est introuvable.</body></html>")
            return
        if path in ("", "home/accueilpublic", "home/logon", "home"):
            self.public_home()
            return
        if path == "home/logoff":
            self.log_off()
            return
        session = self.owner.logged_in_session(self.cookies())
        if session is None:
            self.session_ended()
            return
        if self.owner.transient_failure():
            self.reply(500, SERVER_ERROR)
            return
        bill_id = (query.get("IdFactureUnique") or query.get("idFactureUnique") or [""])[0]
        if path == "comptecitoyen":
            session.visited_dashboard = True
            self.reply(200, dashboard_page())
        elif path == "fichepersonne/detailpersonnegetcalendrier":
            self.calendar(session, (query.get("idDynamic") or query.get("iddynamic") or [""])[0])
        elif path == "moncompte":
            session.visited_list = True
            self.reply(200, invoices_page())
        elif path == "moncompte/detailfacture":
            self.detail(session, bill_id)
        elif path == "moncompte/telechargerpdffacture":
            self.pdf(session, bill_id)
        elif path == "moncompte/payerfacture":
            self.pay(session, bill_id)
        else:
            self.reply(404, "<html><body>La ressource est introuvable.</body></html>")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode("utf-8", "replace")
        self.remember(raw)
        routed = self.route()
        ajax = self.owner.login == "ajax"
        wanted = ("home/recuperermodaleconnexion", "home/logonajax") if ajax else ("home/logon",)
        if routed is None or routed[0] not in wanted:
            self.reply(404, "<html><body>Not Found</body></html>")
            return
        if ajax and self.headers.get("X-Requested-With") != "XMLHttpRequest":
            self.reply(500, SERVER_ERROR)
            return
        if routed[0] == "home/recuperermodaleconnexion":
            set_cookies, token = self.visitor()
            self.reply(200, login_modal(token), headers=set_cookies)
            return
        form = parse_qs(raw, keep_blank_values=True)
        cookies = self.cookies()
        token = (form.get("__RequestVerificationToken") or [""])[0]
        if BALANCER_COOKIE not in cookies or not self.owner.token_matches(
            token, cookies.get(TOKEN_COOKIE)
        ):
            self.reply(500, SERVER_ERROR)
            return
        username = (form.get("username") or [""])[0]
        password = (form.get("password") or [""])[0]
        if ajax:
            self.logon_ajax(username, password)
            return
        if username.strip().lower() == LOCKED_USERNAME:
            self.public_home(
                message="Votre compte est verrouillé suite à 5 tentatives infructueuses.<br />\n"
                "      Veuillez contacter la mairie."
            )
            return
        if username.strip().lower() != USERNAME or password != PASSWORD:
            self.public_home(message="\n      Identifiant ou mot de passe<br> incorrect.\n    ")
            return
        self.redirect(f"{self.owner.origin}{ROOT}CompteCitoyen", headers=self.log_in())

    def log_in(self) -> list[tuple[str, str]]:
        """A new logged-in session for this visitor: the cookies that carry it."""
        with self.owner._lock:
            old = self.cookies().get(SESSION_COOKIE, "")
            self.owner._sessions.pop(old, None)
            session = self.owner.new_session(USERNAME)
            self.owner.logins += 1
        return [
            ("Set-Cookie", f"{SESSION_COOKIE}={session.id}; path=/; HttpOnly; SameSite=Lax"),
            (
                "Set-Cookie",
                f"{AUTH_COOKIE}={session.auth}; expires=Fri, 01-Jan-2038 00:00:00 GMT; "
                "path=/; HttpOnly",
            ),
        ]

    def logon_ajax(self, username: str, password: str) -> None:
        """`Home/LogonAjax`'s JSON (SITE.md §2b), in this portal's own spelling: `status`,
        `LocationHref`, and `Message` (null on success)."""
        headers: list[tuple[str, str]] = []
        if username.strip().lower() == LOCKED_USERNAME:
            answer = {
                "status": "ERREUR",
                "Message": "Votre compte est verrouillé suite à 5 tentatives infructueuses. "
                "Veuillez contacter la mairie.",
            }
        elif username.strip().lower() != USERNAME or password != PASSWORD:
            answer = {"status": "ERREUR", "Message": " Identifiant ou mot de passe\n incorrect."}
        else:
            headers = self.log_in()
            answer = {"status": "OK", "LocationHref": f"{ROOT}CompteCitoyen", "Message": None}
        self.reply(
            200,
            json.dumps(answer),
            content_type="application/json; charset=utf-8",
            headers=headers,
        )

    # -- pages -----------------------------------------------------------------------------------

    def log_off(self) -> None:
        with self.owner._lock:
            self.owner._sessions.pop(self.cookies().get(SESSION_COOKIE, ""), None)
        self.redirect(
            ROOT,
            headers=[
                ("Set-Cookie", f"{AUTH_COOKIE}=; expires=Thu, 01-Jan-1970 00:00:00 GMT; path=/"),
            ],
        )

    def _bill(self, bill_id: str) -> Bill | None:
        return next((b for b in BILLS if b.id == bill_id), None)

    def detail(self, session: Session, bill_id: str) -> None:
        if self.headers.get("X-Requested-With") != "XMLHttpRequest" or not session.visited_list:
            self.redirect(f"{ROOT}MonCompte")
            return
        bill = self._bill(bill_id)
        if bill is None:
            self.reply(500, SERVER_ERROR)
            return
        # No charset on the fragment: pages are UTF-8 all the same (SITE.md, Formats).
        self.reply(200, detail_fragment(bill), content_type="text/html")

    def calendar(self, session: Session, member: str) -> None:
        """SITE.md §8, with this portal's choices: without XHR, the member's page; before the
        dashboard was seen in this session, back to it; someone not of the family, a 500."""
        if self.headers.get("X-Requested-With") != "XMLHttpRequest":
            self.redirect(f"{ROOT}FichePersonne/DetailPersonne?idDynamic={quote(member)}")
            return
        if not session.visited_dashboard:
            self.redirect(f"{self.owner.origin}{ROOT}CompteCitoyen")
            return
        if member not in {pid for pid, _name, _role in MEMBERS}:
            self.reply(500, SERVER_ERROR)
            return
        self.reply(200, calendar_json(member), content_type="application/json; charset=utf-8")

    def pdf(self, session: Session, bill_id: str) -> None:
        if not session.visited_list:
            self.redirect(f"{ROOT}MonCompte")
            return
        bill = self._bill(bill_id)
        if bill is None:
            self.reply(500, SERVER_ERROR)
            return
        self.reply(
            200,
            pdf_bytes(bill),
            content_type="application/pdf",
            headers=[("Content-Disposition", bill.disposition)],
        )

    def pay(self, session: Session, bill_id: str) -> None:
        bill = self._bill(bill_id)
        if not session.visited_list or bill is None or not bill.payable:
            self.redirect(f"{ROOT}MonCompte")
            return
        self.redirect(
            payfip_url(
                bill,
                host=self.owner.payfip_host,
                url_mode_only=self.owner.payfip_url_mode_only,
                overrides=self.owner.payfip_overrides,
            )
        )
