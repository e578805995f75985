"""`python -m espace_tui.mock`: serve the demo portal (same options as `espace-tui mock-server`)."""

from __future__ import annotations

import argparse
import sys

from espace_tui.i18n import _, set_language
from espace_tui.mock import cli


def main(argv: list[str] | None = None) -> int:
    set_language()
    parser = argparse.ArgumentParser(
        prog="python -m espace_tui.mock",
        description=_(
            "Serve the bundled demo portal on this machine (username demo, password demo)."
        ),
    )
    cli.add_arguments(parser)
    return cli.run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
