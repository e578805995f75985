"""The Textual TUI: an app that is given its portal, one file per screen, workers for the network.

Only this package imports Textual. `app.run_tui(options)` is the entry point of `espace-tui`
without a command.
"""
