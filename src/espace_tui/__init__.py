"""espace-tui: a terminal client for the Espace Citoyens family portal."""

__version__ = "0.1.0"
