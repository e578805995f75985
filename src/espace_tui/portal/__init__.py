"""The portal client layer: addresses (`urls`), HTML to objects (`pages`), the HTTP session
and the site's session rules (`session`), navigation (`browser`), payment address checks
(`payment`), the interface (`base`).

It may import `espace_tui.core`, the standard library, httpx and selectolax; never `local`,
`account`, the fronts, the mock, or Textual.
"""
