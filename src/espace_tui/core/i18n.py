"""The one translation layer: every user-facing string goes through `_` or `ngettext`.

Source strings are English; the French catalog (`locale/fr/LC_MESSAGES/espace_tui.mo`, compiled
from the `.po` beside it) is the default, since French is the portal's language. English is used
with `--lang en`, or when no language is given and the locale is English.
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path

DOMAIN = "espace_tui"
LOCALE_DIR = Path(__file__).parent.parent / "locale"
LANGUAGES = ("fr", "en")

_translations: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def language_from_environment() -> str:
    """`en` when the first locale variable set (LANGUAGE, LC_ALL, LC_MESSAGES, LANG) is English,
    else `fr`."""
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable)
        if value:
            first = value.split(":")[0].lower()
            if first in ("c", "posix") or first.startswith("c."):
                continue
            return "en" if first.startswith("en") else "fr"
    return "fr"


def set_language(language: str | None = None) -> str:
    """Switch every later `_` call to `language` (`fr` or `en`; None: from the environment)."""
    global _translations, _language
    chosen = (language or language_from_environment()).lower()[:2]
    if chosen not in LANGUAGES:
        chosen = "fr"
    if chosen == "en":
        _translations = gettext.NullTranslations()
    else:
        _translations = gettext.translation(
            DOMAIN, localedir=LOCALE_DIR, languages=[chosen], fallback=True
        )
    _language = chosen
    return chosen


def current_language() -> str:
    return _language


def _(message: str) -> str:
    """Translate a message into the current language."""
    return _translations.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """Translate a message that depends on a count."""
    return _translations.ngettext(singular, plural, count)


def N_(message: str) -> str:
    """Mark a string for extraction without translating it now (translate it where shown)."""
    return message
