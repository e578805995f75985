"""Write espace-tui's man page from its argparse parser: `make man` (build/man/espace-tui.1).

The options and commands come from `espace_tui.cli.main.build_parser`, so the page cannot
drift from `--help`; the exit codes from `EXIT_CODES`, which `--help` ends with. The page is in
English (`man ./build/man/espace-tui.1`, or copy it into a `man1` folder of your MANPATH).

    python scripts/make_man.py [OUTPUT]
"""

from __future__ import annotations

import sys
from importlib import metadata
from pathlib import Path

from argparse_manpage.manpage import Manpage

from espace_tui import __version__
from espace_tui.cli import main as cli
from espace_tui.core import i18n

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "build" / "man" / "espace-tui.1"

EXAMPLES = (
    ("espace-tui --demo", "the screens, on the bundled demo portal (demo / demo)"),
    (
        "espace-tui --commune ecouflant --username jean.dupont login",
        "check the password once and keep it in the system keyring",
    ),
    ("espace-tui invoices", "a table by régie, and what is still to pay"),
    ("espace-tui invoices --json | jq '.[0]'", "the invoices as JSON, for a script"),
    ("espace-tui show 651", "one invoice: detail, lines, what to do"),
    ("espace-tui download --all -o ~/Factures", "save every PDF into a folder"),
    ("espace-tui pay 651 --open", "check the PayFiP address and open it in the browser"),
    ("espace-tui -v invoices", "show the portal's requests on stderr"),
    (
        "espace-tui invoices | head -1",
        "the first line; espace-tui ends quietly with status 141 if head left before the end",
    ),
    (
        "espace-tui completion bash > ~/.local/share/bash-completion/completions/espace-tui",
        "shell completion",
    ),
)

ENVIRONMENT = (
    ("ESPACE_TUI_PORTAL", "the portal's address, as --portal"),
    ("ESPACE_TUI_USERNAME", "the username, as --username"),
    ("ESPACE_TUI_PASSWORD", "the password (never stored in the keyring)"),
)


def _roff(text: str) -> str:
    """Text safe in a roff line: backslashes doubled, a leading dot or quote escaped."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return "\\&" + text if text[:1] in (".", "'") else text


def _entries(pairs: tuple[tuple[str, str], ...], bold: bool = True) -> str:
    marker = ".B " if bold else ""
    return "\n".join(f".TP\n{marker}{_roff(term)}\n{_roff(meaning)}" for term, meaning in pairs)


def _homepage() -> str:
    """The project's address, from the package's metadata (pyproject's [project.urls])."""
    for entry in metadata.metadata("espace-tui").get_all("Project-URL") or []:
        label, _, address = entry.partition(", ")
        if label.lower() == "homepage":
            return address
    return ""


def manpage() -> str:
    """The man page, as roff text."""
    i18n.set_language("en")
    parser = cli.build_parser()
    # The exit codes get their own section; the rest of the epilog stays in COMMENTS.
    parser.epilog = (parser.epilog or "").split("\n\n")[0]
    page = Manpage(
        parser,
        _data={
            "project_name": "espace-tui",
            "version": __version__,
            "manual_title": "espace-tui manual",
            "description": "a terminal client for the Espace Citoyens family portal",
            "url": _homepage(),
        },
    )
    codes = tuple((str(code), meaning) for code, meaning in cli.EXIT_CODES)
    page.add_section("EXIT STATUS", "=", _entries(codes))
    page.add_section("EXAMPLES", "=", _entries(EXAMPLES))
    page.add_section("ENVIRONMENT", "=", _entries(ENVIRONMENT))
    page.add_section(
        "FILES",
        "=",
        _entries(
            (
                ("~/.config/espace-tui/settings.json", "the remembered portal and username"),
                (
                    "~/.local/state/espace-tui/espace-tui.log",
                    "the log (0600, rotated, passwords blanked)",
                ),
            )
        ),
    )
    return str(page)


def main(argv: list[str]) -> int:
    output = Path(argv[0]) if argv else DEFAULT_OUTPUT
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(manpage(), encoding="utf-8")
    print(output)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
