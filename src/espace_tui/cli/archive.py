"""The commands of what espace-tui keeps on this machine: `profiles`, `sync` (the filed PDF
archive) and `check` (due dates and new invoices, for cron)."""

from __future__ import annotations

from datetime import date, datetime

from espace_tui.account import profiles as policy
from espace_tui.account.check import CheckReport, check
from espace_tui.account.portals import commune_of
from espace_tui.account.services import can_notify, desktop_notify, open_store
from espace_tui.account.stored import StoredAccount
from espace_tui.account.sync import sync
from espace_tui.cli.commands import (
    CommandContext,
    DownloadsFailed,
    _json,
    logged_in,
    note,
    offline,
    out,
    require_portal,
    require_username,
    stored_account,
)
from espace_tui.cli.render import invoice_json
from espace_tui.core.errors import ConfigError, NothingToDo
from espace_tui.core.formats import format_date, format_money
from espace_tui.core.i18n import _, ngettext
from espace_tui.core.model import Invoice

SOMETHING_TO_SEE = 10
"""`check`'s exit code when something is overdue, due soon or new (0: nothing)."""


# --- profiles --------------------------------------------------------------------------------


def profiles_command(context: CommandContext) -> int:
    args = context.args
    profiles = policy.load_profiles(warn=note)
    if args.action == "list":
        if not profiles.profiles:
            note(
                _(
                    "No profiles yet: espace-tui --commune ecouflant --username NAME "
                    "profiles add HOME"
                )
            )
            return 0
        for profile in profiles.profiles.values():
            mark = " " + _("(default)") if profile.name == profiles.default else ""
            out(f"{profile.name}\t{commune_of(profile.portal)}\t{profile.username}{mark}")
        return 0
    if not args.name:
        raise ConfigError(
            _("profiles {action}: give the profile's name.").format(action=args.action)
        )
    if args.action == "add":
        portal = require_portal(context)
        username = require_username(context, portal)
        policy.add(profiles, args.name, portal, username)
        note(
            _("Profile {name}: {username} on {commune}.").format(
                name=args.name, username=username, commune=commune_of(portal)
            )
        )
    elif args.action == "remove":
        policy.remove(profiles, args.name)
        note(_("Profile {name} removed.").format(name=args.name))
    else:
        policy.set_default(profiles, args.name)
        note(_("Profile {name} is the default.").format(name=args.name))
    return 0


# --- sync --------------------------------------------------------------------------------------


async def sync_command(context: CommandContext) -> int:
    args = context.args
    output = args.output.expanduser()
    async with logged_in(context) as session:
        profile = context.profile_name or commune_of(session.base_url)
        report = await sync(session, await session.listed(), output, profile)
    out(
        _("{new} new, {unchanged} unchanged, {failed} failed: {folder}").format(
            new=report.new,
            unchanged=report.unchanged,
            failed=len(report.failed),
            folder=report.folder,
        )
    )
    if report.failed:
        raise DownloadsFailed(report.failed, report.folder)
    return 0


# --- check -------------------------------------------------------------------------------------


def _line(invoice: Invoice) -> str:
    return _("invoice {number} ({regie}, {label}): {amount}, due {due}").format(
        number=invoice.number or invoice.id,
        regie=invoice.regie_name or "—",
        label=invoice.label or "—",
        amount=format_money(invoice.remaining),
        due=format_date(invoice.due_on),
    )


def _report_json(report: CheckReport, today: date) -> dict[str, object]:
    return {
        "overdue": [invoice_json(i, today) for i in report.overdue],
        "due_soon": [invoice_json(i, today) for i in report.due_soon],
        "new": [invoice_json(i, today) for i in report.new],
    }


async def check_command(context: CommandContext) -> int:
    args = context.args
    if args.days < 0:
        raise ConfigError(_("--days takes 0 or more."))
    store = open_store()
    if offline(context):  # what the last run read, said as such
        stored: StoredAccount | None = stored_account(context)
    else:
        async with logged_in(context) as session:
            await session.all_invoices(store=store)
            base_url, username = session.base_url, session.username or ""
        stored = store.load(base_url, username)
    if stored is None:
        raise NothingToDo(_("The invoices could not be kept on this machine."))
    base_url, username = stored.portal, stored.username
    today = date.today()
    report = check(stored, today, args.days)
    store.mark_checked(base_url, username, datetime.now())
    if args.json:
        _json(_report_json(report, today))
    else:
        sections = (
            (_("Overdue:"), report.overdue),
            (
                ngettext("Due within {days} day:", "Due within {days} days:", args.days).format(
                    days=args.days
                ),
                report.due_soon,
            ),
            (_("New since the last check:"), report.new),
        )
        for title, invoices in sections:
            if invoices:
                out(title)
                for invoice in invoices:
                    out("  " + _line(invoice))
        if not report.anything:
            out(_("Nothing overdue, nothing due soon, nothing new."))
    if args.notify:
        _notify(report, args.days)
    return SOMETHING_TO_SEE if report.anything else 0


def _notify(report: CheckReport, days: int) -> None:
    if not report.anything:
        return
    if not can_notify():
        note(_("No desktop notification can be shown here (no desktop session or notify-send)."))
        return
    body = _("{overdue} overdue, {soon} due within {days} days, {new} new.").format(
        overdue=len(report.overdue), soon=len(report.due_soon), days=days, new=len(report.new)
    )
    if not desktop_notify(_("Espace Citoyens invoices"), body):
        note(_("The desktop notification could not be shown."))
