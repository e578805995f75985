"""The headless front: the parser and the one place where errors become exit codes (`main`),
the commands (`commands`), and what they print (`render`).

It may import `espace_tui.account` and `espace_tui.core`, and the mock only to start the demo
(`--demo`, `mock-server`). Never Textual; `tui` only to run the interactive screen.
"""
