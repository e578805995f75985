"""The portal client layer: addresses (`urls`), HTML to objects (`pages`), the HTTP session
and the site's session rules (`session`), navigation (`browser`), payment address checks
(`payment`), the interface (`base`).

It may import `espace_tui.core`, the standard library, httpx and selectolax; never `local`,
`account`, the fronts, the mock, or Textual.
"""

import sys

if "httpx" not in sys.modules:
    # httpx's package imports its own command line when click, rich and pygments are
    # installed (40 ms, a third of `import httpx`); the client never uses it. A None entry
    # makes that optional import fail the way httpx expects when they are missing.
    sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
