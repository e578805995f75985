"""`python -m espace_tui.mock`: serve the demo portal (same options as `espace-tui mock-server`)."""

from __future__ import annotations

import sys

from espace_tui.core.i18n import set_language
from espace_tui.mock import cli


def main(argv: list[str] | None = None) -> int:
    set_language()
    return cli.main(sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    sys.exit(main())
