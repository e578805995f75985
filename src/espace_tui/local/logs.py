"""The log: standard `logging` under the `espace_tui` logger, written to a rotating file of the
state folder (readable by you only) and, for the headless commands, to stderr.

Passwords never reach either: a filter on each handler blanks every password met during the
run (and anything written as `password=…`, `cookie: …`, `token=…`) out of each record, its
traceback included, whoever logged it. Only `espace_tui`'s own loggers are handled: httpx's log
(which holds whole addresses, queries included) is not.

Levels: the file keeps INFO and above (DEBUG with `-v`); stderr shows warnings and errors, the
portal's requests too with `-v` (method, path, status, time), errors only with `-q`. A traceback
goes to the file only: the terminal gets one line (`cli.main.run_guarded`).
"""

from __future__ import annotations

import io
import logging
import logging.handlers
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from espace_tui.local import locations

LOGGER = "espace_tui"
MAX_BYTES = 1_000_000
"""Size of the log file before it is rotated (`espace-tui.log.1`, …)."""
BACKUPS = 3
BLANK = "********"

_FILE_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_CONSOLE_FORMAT = "espace-tui: %(message)s"
_NAMED_SECRET = re.compile(
    r"(?i)\b(password|passwd|mot_?de_?passe|pwd|token|cookie|set-cookie|authorization)"
    r"(\s*[=:]\s*)([^\s&;,]+)"
)


class RedactingFilter(logging.Filter):
    """Blanks the run's passwords (a live list: it grows as they are met) and named secrets
    out of a record's message and traceback."""

    def __init__(self, secrets: Sequence[str]) -> None:
        super().__init__()
        self.secrets = secrets

    def redact(self, text: str) -> str:
        # Each password where it stands as a value of its own, as `cli.main._redact` does: a
        # two-letter password (`on`) leaves "connexion" whole; the longest first.
        for secret in sorted({secret for secret in self.secrets if secret}, key=len, reverse=True):
            text = re.sub(rf"(?<![^\W_]){re.escape(secret)}(?![^\W_])", BLANK, text)
        return _NAMED_SECRET.sub(lambda found: found[1] + found[2] + BLANK, text)

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = self.redact(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


class _NoTraceback(logging.Filter):
    """The terminal never shows a traceback: those are for the file."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.exc_info and not record.exc_text


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating file created readable by its owner only (0600), rotated copies included:
    a log may name the portal, the username and invoices."""

    def _open(self) -> io.TextIOWrapper:
        path = Path(self.baseFilename)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.chmod(path, 0o600)  # a file left by an older version may be wider
        stream = open(descriptor, "a", encoding=self.encoding, errors=self.errors)  # noqa: SIM115
        return stream


def _ours(handler: logging.Handler) -> bool:
    return getattr(handler, "espace_tui", False) is True


def start(
    secrets: Sequence[str], *, verbosity: int = 0, console: IO[str] | None = None
) -> Path | None:
    """Send `espace_tui`'s records to the log file and, when `console` is given, to it
    (`verbosity`: -1 errors only, 0 warnings, 1 the requests too). Replaces what an earlier
    call set up. The log file's path, or None when it cannot be written (then nothing is)."""
    stop()
    logger = logging.getLogger(LOGGER)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False  # the application's log is ours alone, not the root logger's
    redacting = RedactingFilter(secrets)
    handlers: list[logging.Handler] = []
    path: Path | None = locations.log_file()
    try:
        assert path is not None
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        to_file = PrivateRotatingFileHandler(
            path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
        )
    except OSError:  # an unwritable state folder: no log file, nothing else changes
        path = None
    else:
        to_file.setLevel(logging.DEBUG if verbosity > 0 else logging.INFO)
        to_file.setFormatter(logging.Formatter(_FILE_FORMAT))
        handlers.append(to_file)
    if console is not None:
        to_console = logging.StreamHandler(console)
        level = {-1: logging.ERROR, 0: logging.WARNING}.get(max(verbosity, -1), logging.DEBUG)
        to_console.setLevel(level)
        to_console.setFormatter(logging.Formatter(_CONSOLE_FORMAT))
        to_console.addFilter(_NoTraceback())
        handlers.append(to_console)
    for handler in handlers:
        handler.addFilter(redacting)
        handler.espace_tui = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
    return path


def stop() -> None:
    """Remove and close what `start` set up (the logger propagates again, as by default)."""
    logger = logging.getLogger(LOGGER)
    for handler in [h for h in logger.handlers if _ours(h)]:
        logger.removeHandler(handler)
        handler.close()
    logger.propagate = True
    logger.setLevel(logging.NOTSET)
