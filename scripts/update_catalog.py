"""Refresh the French catalog from the source, then compile it: `make i18n`.

Extracts every `_()`, `ngettext()` and `N_()` string of src/espace_tui with Babel, merges them
into `locale/fr/LC_MESSAGES/espace_tui.po` (keeping existing translations, marking new strings
untranslated), and compiles the `.mo` that ships in the package. Run it after adding strings,
translate the new entries in the `.po`, and run it again.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "espace_tui"
PO = PACKAGE / "locale" / "fr" / "LC_MESSAGES" / "espace_tui.po"
MO = PO.with_suffix(".mo")
SKIP = ("mock",)  # the bundled mock portal speaks the site's French, it is not the UI...
KEEP = ("mock/cli.py", "mock/__main__.py")  # ...but its command line (`mock-server`) speaks ours
PLURAL_FORMS = "nplurals=2; plural=(n > 1);"
"""French plurals as gettext knows them (0 and 1 singular). Babel's CLDR data would give three
forms (a separate one for millions), which no translation here needs."""


def extract() -> Catalog:
    """The template: every translatable string of the package, with where it stands."""
    template = Catalog(project="espace-tui", fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
        str(PACKAGE), method_map=[("**.py", "python")], keywords=DEFAULT_KEYWORDS
    ):
        if filename.split("/")[0] in SKIP and filename not in KEEP:
            continue
        template.add(
            message,
            None,
            [(f"src/espace_tui/{filename}", lineno)],
            auto_comments=comments,
            context=context,
        )
    return template


def untranslated(catalog: Catalog) -> list[object]:
    """The ids of the messages that have no French text yet (or only a fuzzy guess)."""
    missing = []
    for message in catalog:
        if not message.id:
            continue  # the header
        texts = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(texts):
            missing.append(message.id)
    return missing


def main() -> int:
    template = extract()
    if PO.exists():
        with PO.open("rb") as handle:
            catalog = read_po(handle, locale="fr")
        catalog.update(template, update_header_comment=False)
    else:
        catalog = Catalog(locale="fr", project="espace-tui", fuzzy=False)
        catalog.update(template)
    catalog.mime_headers = [("Plural-Forms", PLURAL_FORMS)]  # sets only this header
    PO.parent.mkdir(parents=True, exist_ok=True)
    with PO.open("wb") as handle:
        write_po(
            handle,
            catalog,
            width=100,
            omit_header=False,
            ignore_obsolete=True,
            include_previous=False,
        )
    with MO.open("wb") as handle:
        write_mo(handle, catalog, use_fuzzy=False)
    missing = untranslated(catalog)
    print(f"{len(catalog)} messages, {len(missing)} without a French translation")
    for message_id in missing:
        print(f"  untranslated: {message_id!r}")
    return 1 if missing and "--check" in sys.argv else 0


if __name__ == "__main__":
    raise SystemExit(main())
