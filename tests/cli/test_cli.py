"""The headless commands, end to end against the bundled mock portal: what a user or a script
reads on stdout and stderr, the files they get, and the exit codes."""

from __future__ import annotations

import io
import json
import os
import socket
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import keyring
import pytest

from conftest import Run
from espace_tui.core.formats import format_money
from espace_tui.core.model import Status
from espace_tui.local import launch, locations
from espace_tui.local.settings import Settings, load_settings

SEED_ID = "318204"  # invoice number 651, the commune's help page's own example


@pytest.fixture
def demo(mock_portal: Any, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Options naming the running mock and its demo user; the password in the environment."""
    monkeypatch.setenv("ESPACE_TUI_PASSWORD", "demo")
    return ["--portal", mock_portal.base_url, "--username", "demo"]


def free_loopback_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# --- invoices ---------------------------------------------------------------------------------


def test_invoices_json_is_one_indented_array_written_as_it_goes(run: Run, demo: list[str]) -> None:
    # Written invoice by invoice (10 000 of them are never one string in memory), the text is
    # the same as the whole array encoded at once: scripts and diffs see no difference.
    code, out, _err = run(*demo, "invoices", "--json")
    assert code == 0
    assert out == json.dumps(json.loads(out), ensure_ascii=False, indent=2) + "\n"
    assert out.startswith('[\n  {\n    "id": ')


def test_invoices_json_has_every_invoice_with_the_sites_values(
    run: Run, demo: list[str], mock_portal: Any
) -> None:
    code, out, err = run(*demo, "invoices", "--json")
    assert code == 0 and err == ""
    data = json.loads(out)
    served = {invoice.id: invoice for invoice in mock_portal.invoices()}
    assert sorted(item["id"] for item in data) == sorted(served)
    today = date.today()
    for item in data:
        invoice = served[item["id"]]
        assert item["number"] == invoice.number
        assert item["label"] == invoice.label
        assert item["regie"] == invoice.regie.name
        assert item["payer"] == invoice.payer
        assert item["issued_on"] == invoice.issued.isoformat()
        assert item["due_on"] == invoice.due.isoformat()
        assert item["amount"] == f"{invoice.total:.2f}"
        assert item["remaining"] == f"{invoice.remaining:.2f}"
        assert item["status"] == invoice.status.value
        assert item["status_label"] == invoice.detail_state
        assert item["payment_mode_label"] == invoice.payment_mode
        assert item["payable_online"] is invoice.payable_online
        assert item["overdue"] is (invoice.status.to_pay and invoice.due < today)
    seed = next(item for item in data if item["number"] == "651")
    assert seed == seed | {
        "id": SEED_ID,
        "amount": "23.20",
        "status": "treasury",
        "label": "Septembre 2018",
        "issued_on": "2018-10-04",
        "due_on": "2018-11-05",
        "payable_online": True,
    }
    assert {item["status"] for item in data} == {s.value for s in Status}


def test_invoices_table_in_french_formats_grouped_by_regie(
    run: Run, demo: list[str], mock_portal: Any
) -> None:
    code, out, _err = run(*demo, "invoices")
    assert code == 0
    lines = out.splitlines()
    regies = [invoice.regie.name for invoice in mock_portal.invoices()]
    assert [line for line in lines if line in set(regies)] == list(dict.fromkeys(regies))
    seed = next(line for line in lines if line.split()[:1] == ["651"])
    assert "Septembre 2018" in seed and "04/10/2018" in seed and "05/11/2018" in seed
    assert "23,20 €" in seed and "Trésor Public" in seed
    assert "1 234,56 €" in out
    owed = sum(
        (i.remaining for i in mock_portal.invoices() if i.status.to_pay and i.remaining > 0),
        Decimal("0.00"),
    )
    assert lines[-1].startswith(f"Still to pay: {format_money(owed)} on ")


def test_global_options_go_before_or_after_the_command(
    run: Run, demo: list[str], mock_portal: Any
) -> None:
    before = run(*demo, "--lang", "en", "invoices", "--json")
    after = run("invoices", "--json", *demo, "--lang", "en")
    assert before[0] == after[0] == 0
    assert json.loads(before[1]) == json.loads(after[1])


def test_the_password_from_stdin(run: Run, mock_portal: Any) -> None:
    code, out, _err = run(
        "invoices",
        "--json",
        "--portal",
        mock_portal.base_url,
        "--username",
        "demo",
        "--password-stdin",
        stdin="demo\n",
    )
    assert code == 0 and json.loads(out)


def test_the_portal_and_username_from_the_environment(
    run: Run, mock_portal: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ESPACE_TUI_PORTAL", mock_portal.base_url)
    monkeypatch.setenv("ESPACE_TUI_USERNAME", "demo")
    monkeypatch.setenv("ESPACE_TUI_PASSWORD", "demo")
    assert run("invoices", "--json")[0] == 0


def test_demo_mode_needs_nothing_else(run: Run) -> None:
    code, out, _err = run("--demo", "show", "651", "--json")
    assert code == 0
    assert json.loads(out)["id"] == SEED_ID


# --- show -------------------------------------------------------------------------------------


def test_show_gives_the_detail_its_lines_and_what_to_do(run: Run, demo: list[str]) -> None:
    code, out, _err = run(*demo, "show", SEED_ID)
    assert code == 0
    assert "POST FACTURATION (ECOUFLANT) - 651 - Septembre 2018" in out
    assert "Monsieur ECOUFLANT Jean" in out
    assert "Restaurant scolaire" in out and "16,00 €" in out and "3,20 €" in out
    assert f"espace-tui pay {SEED_ID} --open" in out.splitlines()[-1]


def test_show_json_by_invoice_number(run: Run, demo: list[str], mock_portal: Any) -> None:
    code, out, _err = run(*demo, "show", "651", "--json")
    assert code == 0
    data = json.loads(out)
    seed = mock_portal.invoice(SEED_ID)
    assert data["id"] == SEED_ID and data["title"] == seed.title
    assert data["lines"] == [
        {
            "person": line.person,
            "service": line.service,
            "quantity": f"{line.quantity.normalize():f}",
            "unit_price": f"{line.unit_price:.2f}",
            "amount": f"{line.amount:.2f}",
        }
        for line in seed.lines
    ]
    assert data["advice"] == (
        "Transmitted to the Trésor Public. The due date (05/11/2018) has passed: pay it now. "
        f"Pay it on PayFiP with `espace-tui pay {seed.id} --open`, or by cheque at the trésorerie."
    )


def test_show_says_a_paid_invoice_needs_nothing(run: Run, demo: list[str]) -> None:
    code, out, _err = run(*demo, "show", "612")
    assert code == 0 and out.splitlines()[-1] == "Already paid: nothing to do."


def test_an_unknown_invoice_is_exit_1(run: Run, demo: list[str]) -> None:
    code, out, err = run(*demo, "show", "999999")
    assert code == 1 and out == ""
    assert err == "espace-tui: There is no invoice with ID 999999 (see 'espace-tui invoices').\n"


# --- download ---------------------------------------------------------------------------------


def test_download_prints_each_path_and_saves_pdfs(
    run: Run, demo: list[str], tmp_path: Path
) -> None:
    folder = tmp_path / "factures"
    code, out, err = run(*demo, "download", SEED_ID, "612", "--output", str(folder))
    assert code == 0 and err == ""
    paths = [Path(line) for line in out.splitlines()]
    # Each is printed as soon as it is saved, in the order they arrive.
    assert sorted(p.name for p in paths) == ["Facture_612.pdf", "Facture_651.pdf"]
    assert all(p.parent == folder.resolve() and p.read_bytes().startswith(b"%PDF-") for p in paths)


def test_downloading_again_says_already_saved(run: Run, demo: list[str], tmp_path: Path) -> None:
    folder = tmp_path / "factures"
    first = run(*demo, "download", SEED_ID, "-o", str(folder))
    second = run(*demo, "download", SEED_ID, "-o", str(folder))
    assert first[0] == second[0] == 0
    assert first[1] == second[1]  # the same path is printed
    assert "already saved" in second[2]
    assert sorted(p.name for p in folder.iterdir()) == ["Facture_651.pdf"]


def test_other_bytes_under_the_same_name_are_kept_apart(
    run: Run, demo: list[str], tmp_path: Path
) -> None:
    folder = tmp_path / "factures"
    folder.mkdir()
    (folder / "Facture_651.pdf").write_bytes(b"%PDF-1.4 someone else's file")
    code, out, _err = run(*demo, "download", SEED_ID, "-o", str(folder))
    assert code == 0 and Path(out.strip()).name == "Facture_651 (1).pdf"
    assert (folder / "Facture_651.pdf").read_bytes() == b"%PDF-1.4 someone else's file"


def test_download_all_into_the_download_dir(
    run: Run, demo: list[str], mock_portal: Any, tmp_path: Path
) -> None:
    folder = tmp_path / "all"
    code, out, _err = run(*demo, "--download-dir", str(folder), "download", "--all")
    assert code == 0
    names = [Path(line).name for line in out.splitlines()]
    assert sorted(names) == sorted(f"Facture_{i.number}.pdf" for i in mock_portal.invoices())
    assert len(list(folder.iterdir())) == len(names)


def test_download_defaults_to_the_users_downloads_folder(run: Run, demo: list[str]) -> None:
    code, out, _err = run(*demo, "download", SEED_ID)
    assert code == 0
    assert Path(out.strip()).parent == locations.default_download_dir().resolve()


@pytest.mark.parametrize("hostile", ["../../etc/passwd", "a/b.pdf", "..pdf"])
def test_a_hostile_server_filename_stays_in_the_folder(
    run: Run, demo: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, hostile: str
) -> None:
    from espace_tui.account.portals import real_portal as real

    def renaming_portal(base_url: str) -> Any:
        portal = real(base_url)
        original = portal.pdf

        async def pdf(invoice_id: str) -> Any:
            from dataclasses import replace

            return replace(await original(invoice_id), server_filename=hostile)

        portal.pdf = pdf  # type: ignore[method-assign]
        return portal

    folder = tmp_path / "factures"
    code, out, _err = run(
        *demo, "download", SEED_ID, "-o", str(folder), portal_factory=renaming_portal
    )
    assert code == 0
    saved = Path(out.strip())
    assert saved.parent == folder.resolve() and saved.name.endswith(".pdf")
    assert sorted(tmp_path.iterdir()) == sorted([tmp_path / "home", folder])


def test_a_body_that_is_not_a_pdf_is_exit_6_and_nothing_saved(
    run: Run, make_mock: Callable[..., Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from espace_tui.mock import Faults

    mock = make_mock(faults=Faults(pdf_html=True))
    monkeypatch.setenv("ESPACE_TUI_PASSWORD", "demo")
    folder = tmp_path / "factures"
    code, out, err = run(
        "--portal", mock.base_url, "--username", "demo", "download", SEED_ID, "-o", str(folder)
    )
    assert code == 6 and out == ""
    assert "not send a PDF" in err or "not a PDF" in err
    assert not folder.exists() or list(folder.iterdir()) == []


def test_download_needs_ids_or_all(run: Run) -> None:
    code, _out, err = run("download")
    assert code == 2 and "give at least one ID, or --all" in err


# --- pay --------------------------------------------------------------------------------------


def test_pay_prints_the_checked_address_alone_on_stdout(
    run: Run, demo: list[str], mock_portal: Any
) -> None:
    code, out, err = run(*demo, "pay", "651")
    assert code == 0
    assert out.count("\n") == 1
    url = out.strip()
    assert url.startswith(mock_portal.root_url + "tpa/paiement.web?")
    assert "montant=2320" in url and f"refdet={mock_portal.invoice(SEED_ID).refdet}" in url
    assert "23,20 €" in err and mock_portal.invoice(SEED_ID).refdet in err


def test_pay_open_says_plainly_when_no_browser_can_open(run: Run, demo: list[str]) -> None:
    code, out, err = run(*demo, "pay", SEED_ID, "--open")
    assert code == 0 and out.startswith("http://127.0.0.1")
    assert "No graphical web browser can be opened from here" in err


def test_pay_open_opens_the_address(
    run: Run, demo: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    monkeypatch.setattr(launch, "open_url", lambda url: opened.append(url) or True)
    code, out, err = run(*demo, "pay", SEED_ID, "--open")
    assert code == 0 and opened == [out.strip()]
    assert "opening in your web browser" in err


def test_paying_a_paid_invoice_is_exit_1_with_the_reason(run: Run, demo: list[str]) -> None:
    code, out, err = run(*demo, "pay", "612")
    assert code == 1 and out == ""
    assert err == "espace-tui: Invoice 612 is already paid.\n"


def test_an_invoice_not_payable_online_is_exit_1(run: Run, demo: list[str]) -> None:
    code, _out, err = run(*demo, "pay", "3072")
    assert code == 1 and "cannot be paid online" in err


def test_a_payment_address_off_payfip_is_exit_6(
    run: Run, make_mock: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from espace_tui.mock import Faults

    mock = make_mock(faults=Faults(payment_wrong_host=True))
    monkeypatch.setenv("ESPACE_TUI_PASSWORD", "demo")
    code, out, err = run("--portal", mock.base_url, "--username", "demo", "pay", SEED_ID)
    assert code == 6 and out == ""
    assert "The payment address was refused" in err


# --- login, logout, passwords -----------------------------------------------------------------


def test_login_keeps_the_password_in_the_keyring_and_remembers_the_portal(
    run: Run, mock_portal: Any
) -> None:
    base = mock_portal.base_url
    code, _out, err = run("login", "--portal", base, "--username", "demo", "--password-stdin",
                          stdin="demo\n")  # fmt: skip
    assert code == 0
    assert "Logged in as demo on ecouflant" in err and "kept in the system keyring" in err
    assert keyring.get_keyring().store == {("espace-tui", f"demo@{base}"): "demo"}
    assert load_settings() == Settings(portal=base, username="demo")
    assert "demo" not in locations.settings_file().read_text(encoding="utf-8").replace(
        '"username": "demo"', ""
    )
    # Later runs need nothing else: remembered portal and username, the keyring's password.
    code, out, _err = run("invoices", "--json")
    assert code == 0 and json.loads(out)
    code, _out, err = run("logout")
    assert code == 0 and err == "The password of demo on ecouflant is forgotten.\n"
    assert keyring.get_keyring().store == {}
    code, _out, err = run("logout")
    assert code == 0 and err == "No password is stored for demo on ecouflant.\n"


def test_a_refused_login_is_exit_3_with_the_sites_message_and_nothing_kept(
    run: Run, mock_portal: Any
) -> None:
    code, out, err = run("login", "--portal", mock_portal.base_url, "--username", "demo",
                         "--password-stdin", stdin="wrong\n")  # fmt: skip
    assert code == 3 and out == ""
    assert err == "espace-tui: Identifiant ou mot de passe incorrect.\n"
    assert keyring.get_keyring().store == {}
    assert not locations.settings_file().exists()


def test_a_stale_keyring_password_says_where_it_came_from(run: Run, mock_portal: Any) -> None:
    keyring.set_password("espace-tui", f"demo@{mock_portal.base_url}", "old")
    code, _out, err = run("--portal", mock_portal.base_url, "--username", "demo", "invoices")
    assert code == 3
    assert "Identifiant ou mot de passe incorrect." in err and "espace-tui login" in err


def test_no_password_anywhere_is_exit_3(
    run: Run, mock_portal: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))  # not a terminal: no prompt
    code, _out, err = run("--portal", mock_portal.base_url, "--username", "demo", "invoices")
    assert code == 3 and err.startswith("espace-tui: No password:")


# --- configuration and failures ---------------------------------------------------------------


def test_an_http_portal_off_this_machine_is_exit_2(run: Run) -> None:
    code, _out, err = run("--portal", "http://www.espace-citoyens.net/x/espace-citoyens/",
                          "invoices")  # fmt: skip
    assert code == 2 and "Plain http:// is refused" in err


def test_no_portal_is_exit_2(run: Run) -> None:
    code, _out, err = run("invoices")
    assert code == 2 and "No portal given" in err


def test_usage_errors_are_exit_2(run: Run) -> None:
    assert run("invoices", "--nonsense")[0] == 2
    assert run("frobnicate")[0] == 2
    assert run("--commune", "Not A Slug!", "invoices")[0] == 2


def test_version_and_help(run: Run) -> None:
    code, out, _err = run("--version")
    assert code == 0 and out.startswith("espace-tui ")
    code, out, _err = run("--help")
    assert code == 0
    for command in ("invoices", "show", "download", "pay", "login", "logout", "mock-server"):
        assert command in out


def test_an_unreachable_portal_is_exit_4(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ESPACE_TUI_PASSWORD", "demo")
    portal = f"http://127.0.0.1:{free_loopback_port()}/ecouflant/espace-citoyens/"
    code, _out, err = run("--portal", portal, "--username", "demo", "invoices")
    assert code == 4 and err.startswith("espace-tui: ") and "Traceback" not in err


def test_a_portal_in_maintenance_is_exit_5(
    run: Run, make_mock: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from espace_tui.mock import Faults

    mock = make_mock(faults=Faults(maintenance=True))
    monkeypatch.setenv("ESPACE_TUI_PASSWORD", "demo")
    code, _out, err = run("--portal", mock.base_url, "--username", "demo", "invoices")
    assert code == 5 and "maintenance" in err


def test_an_unexpected_error_is_one_line_without_the_password(
    run: Run, demo: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(base_url: str) -> Any:
        raise RuntimeError("boom with demo inside")

    code, _out, err = run(*demo, "invoices", portal_factory=broken)
    assert code == 1
    assert err.count("\n") == 1 and "RuntimeError" in err and "Traceback" not in err
    assert "demo inside" not in err and "********" in err
    log = locations.log_file().read_text(encoding="utf-8")
    assert "Traceback" in log and "demo inside" not in log


def test_ctrl_c_is_exit_130_quietly(
    run: Run, demo: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(base_url: str) -> Any:
        raise KeyboardInterrupt

    assert run(*demo, "invoices", portal_factory=interrupted) == (130, "", "")


def test_no_command_without_a_terminal_says_what_to_do(run: Run) -> None:
    code, _out, err = run()
    assert code == 2 and "needs a terminal" in err


# --- as a separate process: what really reaches the user ----------------------------------------


def espace_tui(*argv: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "espace_tui", *argv],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        env=os.environ.copy(),
    )


def test_process_invoices_json(mock_portal: Any) -> None:
    done = espace_tui("invoices", "--json", "--portal", mock_portal.base_url,
                      "--username", "demo", "--password-stdin", stdin="demo\n")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)) == len(mock_portal.invoices())


def test_process_refused_login_has_no_traceback(mock_portal: Any) -> None:
    done = espace_tui("invoices", "--portal", mock_portal.base_url, "--username", "demo",
                      "--password-stdin", stdin="wrong\n")  # fmt: skip
    assert done.returncode == 3
    assert done.stderr == "espace-tui: Identifiant ou mot de passe incorrect.\n"


def test_process_without_a_keyring_login_says_so_plainly(mock_portal: Any) -> None:
    # conftest gives subprocesses keyring's "fail" backend, as on a headless Linux box.
    done = espace_tui("login", "--portal", mock_portal.base_url, "--username", "demo",
                      "--password-stdin", stdin="demo\n")  # fmt: skip
    assert done.returncode == 0
    assert "No system keyring is available on this machine: the password was not stored" in (
        done.stderr
    )
    assert "Traceback" not in done.stderr and "keyrings.alt" not in done.stderr
    assert load_settings().portal == mock_portal.base_url


@pytest.mark.parametrize(
    ("argv", "code"),
    [
        (["--portal", "http://example.org/x/espace-citoyens/", "invoices"], 2),
        (["show"], 2),
        (["pay", "1", "--portal", "ecouflant", "--username", "u", "--password-stdin"], 3),
    ],
)
def test_process_failures_are_plain(argv: list[str], code: int) -> None:
    done = espace_tui(*argv)
    assert done.returncode == code
    assert "Traceback" not in done.stderr and done.stdout == ""


def test_password_stdin_is_for_commands_only(run: Run) -> None:
    code, _out, err = run("--password-stdin", stdin="demo\n")
    assert code == 2 and "--password-stdin works with a command only" in err


def test_mock_server_has_its_own_help(run: Run) -> None:
    code, out, _err = run("mock-server", "--help")
    assert code == 0
    assert "espace-tui mock-server" in out and "--faults" in out and "--latency-ms" in out


def test_demo_login_remembers_nothing(run: Run) -> None:
    code, _out, err = run("--demo", "login")
    assert code == 0 and "Demo portal: nothing is remembered." in err
    assert keyring.get_keyring().store == {} and not locations.settings_file().exists()
