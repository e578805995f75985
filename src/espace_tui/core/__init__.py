"""The core: the model (`model`), French formats (`formats`), the typed errors (`errors`),
translation (`i18n`) and what to do for an invoice's state (`advice`).

Pure: no I/O, no network, no terminal. It may import only the standard library and
`espace_tui.core` itself; every other layer may import it.
"""
