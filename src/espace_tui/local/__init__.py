"""This machine: the OS keyring (`credentials`), the remembered settings (`settings`), the
folders (`locations`), opening a browser or a viewer (`launch`), saving PDFs (`downloads`).

It may import `espace_tui.core` and the standard library, keyring and platformdirs; never
`portal`, `account`, the fronts, the mock, httpx or Textual.
"""
