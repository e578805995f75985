"""`python -m espace_tui`: the same as the `espace-tui` command."""

from espace_tui.cli.main import main

raise SystemExit(main())
