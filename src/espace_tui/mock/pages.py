"""The portal's pages as HTML text, following SITE.md's markup ([seen] and [adopted]).

Noise is put in on purpose, as on the real site: line breaks and runs of spaces inside text,
`&nbsp;`, U+202F and U+00A0 as thousands separators, extra attributes and an extra column.
"""

from __future__ import annotations

from decimal import Decimal
from html import escape

from espace_tui.mock.data import Family, MockInvoice

NNBSP = "\u202f"
NBSP = "\u00a0"


def money(amount: Decimal, thousands: str = NNBSP) -> str:
    """Decimal('1234.56') → `1 234,56&nbsp;€` with the given thousands separator."""
    whole, _, cents = f"{abs(amount.quantize(Decimal('0.01'))):.2f}".partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    sign = "-" if amount < 0 else ""
    return f"{sign}{thousands.join(groups)},{cents}&nbsp;€"


def quantity(value: Decimal) -> str:
    """Decimal('1.5') → `1,5`; Decimal('4') → `4`."""
    text = f"{value.normalize():f}"
    return text.replace(".", ",")


def _t(text: str) -> str:
    """Escaped text wrapped in the line breaks and indentation the site's templates leave."""
    return f"\n                {escape(text)}\n            "


def layout(base: str, title: str, body: str, family: Family | None = None) -> str:
    """A whole page: header (greeting when logged in), body, footer with a second form."""
    if family is not None:
        account = f"""
      <div class="infosConnexion">
        <span id="spanBonjour">{escape(family.greeting)}</span>.
        <span id="spanDerniereConnexion">
            {escape(family.last_connection)}
        </span>
        <a id="lnkDeconnexion" href="{base}Home/LogOff" title="Se déconnecter">Déconnexion</a>
      </div>"""
        nav = f"""
        <li><a href="{base}CompteCitoyen">MON ESPACE</a></li>
        <li><a href="{base}MonCompte">MES FACTURES</a></li>"""
    else:
        account = ""
        nav = f"""
        <li><a href="{base}Home/AccueilPublic">MON ACCUEIL</a></li>"""
    return f"""<!DOCTYPE html>
<html lang="fr">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{escape(title)} - Espace Citoyens</title>
</head>
<body class="espace-citoyens">
  <header id="header" data-theme="ecouflant">
    <div class="logo"><a href="{base}">Écouflant&nbsp;&nbsp;TERRE DE CONFLUENCES</a></div>
    <nav><ul class="menu">{nav}
        <li><a href="{base}Home/AccueilPublic#actualites">ACTUALITÉS</a></li>
        <li><a href="{base}Home/AccueilPublic#presentation">PRÉSENTATION DE L'ESPACE</a></li>
    </ul></nav>{account}
  </header>
  <main id="contenu">
{body}
  </main>
  <footer id="footer">
    <p>© 2018 Ecouflant | <a href="#">Retour au site de la mairie</a> |
       <a href="#">Mentions légales</a> | <a href="#">Conditions générales d'utilisation</a> |
       <a href="#">Contacts</a></p>
    <form id="formRecherche" action="{base}Home/Recherche" method="get" role="search">
      <input type="search" name="q" placeholder="Rechercher"><button type="submit">OK</button>
    </form>
  </footer>
</body>
</html>
"""


def login_page(base: str, token: str, error: str | None = None) -> str:
    """The public home: `form#idFormConnexion` is the page's first form (SITE.md §1, §2)."""
    message = f'\n      <span class="erreurLogin">{escape(error)}</span>' if error else ""
    body = f"""    <section id="connexion">
    <h2>Connexion à mon espace</h2>
    <form id="idFormConnexion" action="{base}Home/Logon" method="post" class="formConnexion"
          autocomplete="off" novalidate>
      <input name="__RequestVerificationToken" type="hidden" value="{escape(token)}">{message}
      <label for="username">Identifiant</label>
      <input id="username" name="username" type="text" value="" maxlength="100">
      <label for="password">Mot de passe</label>
      <input id="password" name="password" type="password" maxlength="100">
      <a href="#" class="motDePasseOublie">Mot de passe oublié&nbsp;?</a>
      <button type="submit" id="btnConnexion" class="btn">Se connecter</button>
    </form>
    </section>
    <section id="actualites"><h2>Actualités</h2>
      <p>Les inscriptions   aux accueils de loisirs
         de l'été sont ouvertes.</p></section>"""
    return layout(base, "Accueil", body)


def _login_form(base: str, token: str, action: str) -> str:
    return f"""    <form id="idFormConnexion" action="{base}{action}" method="post"
          class="formConnexion" autocomplete="off" novalidate>
      <input name="__RequestVerificationToken" type="hidden" value="{escape(token)}">
      <label for="username">Identifiant</label>
      <input id="username" name="username" type="text" value="" maxlength="100">
      <label for="password">Mot de passe</label>
      <input id="password" name="password" type="password" maxlength="100">
      <input name="returnUrl" type="hidden" value="">
      <button type="submit" id="btnConnexion" class="btn">Se connecter</button>
    </form>"""


def public_home_ajax(base: str, token: str | None = None) -> str:
    """The public home of a commune on the AJAX login (SITE.md §2b): a "Se connecter" button
    whose script asks for the modal. With `token`, the modal is open (an ended session)."""
    modal = ""
    if token is not None:
        modal = f"""
    <div id="modaleConnexion" class="modal" role="dialog">
      <p class="information">Votre session a expiré, veuillez vous reconnecter.</p>
{_login_form(base, token, "Home/LogonAjax")}
    </div>"""
    body = f"""    <section id="connexion">
    <h2>Mon espace</h2>
    <button type="button" id="btnAfficherConnexion" class="btn"
            data-url="{base}Home/RecupererModaleConnexion">Se connecter</button>{modal}
    </section>
    <section id="actualites"><h2>Actualités</h2>
      <p>Les inscriptions   aux accueils de loisirs
         de l'été sont ouvertes.</p></section>
    <script>
      document.getElementById("btnAfficherConnexion").addEventListener("click", function () {{
        /* POST Home/RecupererModaleConnexion, then POST Home/LogonAjax (JSON) */
      }});
    </script>"""
    return layout(base, "Accueil", body)


def login_modal(base: str, token: str) -> str:
    """`Home/RecupererModaleConnexion`: the modal's HTML fragment, the same form (SITE.md §2b),
    which the site's script posts to `Home/LogonAjax`."""
    return f"""<div class="modal-content" id="modaleConnexion">
  <div class="modal-header"><h4 class="modal-title">Connexion à mon espace</h4></div>
  <div class="modal-body">
{_login_form(base, token, "Home/LogonAjax")}
    <a href="#" class="motDePasseOublie">Mot de passe oublié&nbsp;?</a>
  </div>
</div>
"""


def dashboard(base: str, family: Family) -> str:
    """`CompteCitoyen` (SITE.md §3): family members and the "Mes factures" tile."""
    members = "".join(
        f"""
        <li class="membre">
          <a href="{base}FichePersonne/DetailPersonne?idDynamic={m.id}" class="lienPersonne"
             data-toggle="tooltip">
            <img alt="{escape(m.name)}" src="{base}Content/images/{m.picture}.png" width="64">
            <span class="nomPersonne">{_t(m.name)}</span>
          </a>
        </li>"""
        for m in (*family.members, *family.contacts)
    )
    body = f"""    <h2>MON ESPACE</h2>
    <section id="maFamille"><h3>Ma famille</h3><ul class="famille">{members}
    </ul></section>
    <section id="tableauDeBord"><h3>MON TABLEAU DE BORD</h3>
      <a class="tuile" id="tuileMesFactures" href="{base}MonCompte">
        <span class="icone icone-factures"></span><span class="libelleTuile">Mes factures</span>
      </a>
      <a class="tuile" href="#"><span class="libelleTuile">Mes demandes</span></a>
    </section>"""
    return layout(base, "Mon espace", body, family)


def person_page(base: str, family: Family, member_id: str) -> str | None:
    """`FichePersonne/DetailPersonne?idDynamic=N` (linked from the dashboard; woob reads its
    `#hMonEspaceIdentite`). Not described by SITE.md, kept minimal."""
    for member in (*family.members, *family.contacts):
        if member.id == member_id:
            body = f"""    <h2 id="hMonEspaceIdentite">{_t(member.name)}</h2>
    <p><a href="{base}CompteCitoyen">Retour à mon espace</a></p>"""
            return layout(base, member.name, body, family)
    return None


def _row(base: str, invoice: MockInvoice) -> str:
    return f"""
        <tr class="compte" id="{invoice.id}" data-regie="{invoice.regie.id}" role="row">
          <td class="ligneCompte">
                {escape(invoice.label).replace(" ", "&nbsp;", 1)}
          </td>
          <td class="numero_facture">{invoice.number}</td>
          <td class="dateFacture">{invoice.issued:%d/%m/%Y}</td>
          <td class="montantFacture">{money(invoice.total, NNBSP)}</td>
          <td class="etatFacture">{_t(invoice.state)}</td>
          <td class="actionFacture"><a href="#" data-id="{invoice.id}" title="Voir">Voir</a></td>
        </tr>"""


def invoice_list(base: str, family: Family, invoices: list[MockInvoice], result: str | None) -> str:
    """`MonCompte` (SITE.md §4): one `div.regie` block per régie that has invoices."""
    blocks = []
    for regie in family.regies:
        rows = "".join(_row(base, inv) for inv in invoices if inv.regie.id == regie.id)
        if not rows:
            continue
        blocks.append(
            f"""    <div class="regie" id="regie-{regie.id}">
      <h3 class="libelleRegie">{escape(regie.name)}</h3>
      <table class="tableCompte"><tbody>{rows}
      </tbody></table>
    </div>"""
        )
    notice = {
        "P": '<p class="alert alert-success">Votre paiement a été accepté.</p>',
        "A": '<p class="alert alert-info">Le paiement a été annulé.</p>',
        "R": '<p class="alert alert-danger">Le paiement a été refusé.</p>',
    }.get(result or "", "")
    content = "\n".join(blocks) or '    <p class="aucuneFacture">Aucune facture.</p>'
    body = f"""    <h2>MES FACTURES</h2>
    {notice}
{content}
    <div id="divDetailFacture"></div>"""
    return layout(base, "Mes factures", body, family)


def invoice_detail(base: str, invoice: MockInvoice) -> str:
    """`MonCompte/DetailFacture` (SITE.md §5): an HTML fragment, not a whole page."""
    lines = "".join(
        f"""
      <tr>
        <td class="personne">{_t(line.person)}</td>
        <td class="prestation">{escape(line.service)}</td>
        <td class="quantite">{quantity(line.quantity)}</td>
        <td class="prixUnitaire">{money(line.unit_price, NBSP)}</td>
        <td class="montant">{money(line.amount, NBSP)}</td>
      </tr>"""
        for line in invoice.lines
    )
    pay = ""
    if invoice.payable_online:
        pay = f"""
  <div class="payerEnLigne">
    <h5>PAYER MA FACTURE EN LIGNE</h5>
    <p>Le paiement en ligne est disponible   jusqu'à la date limite de paiement.</p>
    <a id="lnkPayerFacture" class="btn btn-primary" target="_blank" rel="noopener"
       href="{base}MonCompte/PayerFacture?IdFactureUnique={invoice.id}">PAYER LA FACTURE</a>
  </div>"""
    remaining = money(invoice.remaining, " ")
    state = _t(invoice.detail_state)
    mode = escape(invoice.payment_mode)
    return f"""<div id="divDetailFactureContenu" class="detailFacture" data-id="{invoice.id}">
  <h4 id="hDetailFacture_Facture" class="titreFacture">
      {escape(invoice.title)}
  </h4>
  <p>Payeur&nbsp;: <span id="spanDetailFacture_Payeur">{_t(invoice.payer)}</span></p>
  <p>Facture du <span id="spanDetailFacture_DatEmissionFacture">{invoice.issued:%d/%m/%Y}</span></p>
  <p>A régler avant le
     <span id="spanDetailFacture_DatLimitePaiementFacture">{invoice.due:%d/%m/%Y}</span></p>
  <p>Montant total <span id="spanDetailFacture_MntTotalFacture">
      {money(invoice.total, NBSP)}</span></p>
  <p>Reste à payer <span id="spanDetailFacture_MntResteAPayer">{remaining}</span></p>
  <p class="etat"><span id="spanDetailFacture_EtatFacture" class="badge">{state}</span></p>
  <p>Mode de paiement&nbsp;: <span id="spanDetailFacture_ModePaiement">{mode}</span></p>
  <table id="tableDetailFacture_Lignes" class="table">
    <caption>Détail de la facture</caption>
    <tbody>{lines}
    </tbody>
  </table>{pay}
  <div class="telechargerFacture">
    <h5>TÉLÉCHARGER MA FACTURE</h5>
    <a id="lnkTelechargerFacture" class="btn" title="Télécharger la facture {invoice.number}"
       href="{base}MonCompte/TelechargerPdfFacture?IdFactureUnique={invoice.id}">PDF</a>
  </div>
</div>
"""


def simple_page(base: str, title: str, message: str, family: Family | None = None) -> str:
    """A page with a title and one paragraph (errors, maintenance, a document not available)."""
    body = f"""    <h2>{escape(title)}</h2>
    <p class="message">{escape(message)}</p>"""
    return layout(base, title, body, family)


def maintenance_page(base: str) -> str:
    return simple_page(
        base,
        "Site en maintenance",
        "Le site est actuellement en maintenance. Merci de réessayer plus tard.",
    )


def payfip_page(params: dict[str, str], amount: Decimal | None, problem: str | None) -> str:
    """The loopback stand-in for PayFiP's `/tpa/paiement.web` (demo mode only)."""
    hidden = "".join(
        f'\n      <input type="hidden" name="{escape(k)}" value="{escape(v)}">'
        for k, v in params.items()
    )
    shown = money(amount) if amount is not None else "?"
    if problem:
        actions = f'<p class="erreur">{escape(problem)}</p>'
    else:
        actions = f"""<form method="post" action="/tpa/paiement.web" id="formPayer">{hidden}
      <input type="hidden" name="choix" value="payer">
      <button type="submit">Payer</button>
    </form>
    <form method="post" action="/tpa/paiement.web" id="formAnnuler">{hidden}
      <input type="hidden" name="choix" value="annuler">
      <button type="submit">Annuler</button>
    </form>"""
    return f"""<!DOCTYPE html>
<html lang="fr">
<head><meta charset="utf-8"><title>PayFiP - paiement (démonstration)</title></head>
<body>
  <h1>PayFiP (démonstration)</h1>
  <p><strong>Page de démonstration du portail simulé d'espace-tui : aucun paiement réel
     n'a lieu.</strong> Le vrai site est https://www.payfip.gouv.fr/tpa/paiement.web.</p>
  <dl>
    <dt>Montant</dt><dd id="montant">{shown}</dd>
    <dt>Référence</dt><dd id="refdet">{escape(params.get("refdet", ""))}</dd>
    <dt>Objet</dt><dd id="objet">{escape(params.get("objet", ""))}</dd>
    <dt>Collectivité</dt><dd id="numcli">{escape(params.get("numcli", ""))}</dd>
  </dl>
  {actions}
</body>
</html>
"""
