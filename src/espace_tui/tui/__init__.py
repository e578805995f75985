"""The Textual front: the app (`app`), what every screen is handed (`context`), the keys
(`keys`), the one place where errors become words (`problems`), the one way text reaches a
widget (`safe`: the portal's words shown as written, never as markup, never a control
character); a folder per kind:
`screens/` (login, dashboard, invoices, detail, pay, help) and `widgets/` (the invoice table,
the problem bar, the QR code).

Only this package imports Textual. It may import `espace_tui.account` and `espace_tui.core`;
never `portal` or `local` directly, nor the mock (the command line starts the demo).
`app.run_tui(options)` is the entry point of `espace-tui` without a command.
"""
