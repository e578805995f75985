"""The application's policy, the same for both fronts: where the portal, the username and the
password come from (`login`), one logged-in session and what it loaded (`session`), what is owed
(`owed`), finding and filtering invoices (`find`, `query`), what a front is given (`services`,
`options`).

It may import `espace_tui.core`, `espace_tui.portal` and `espace_tui.local`; never a front
(`cli`, `tui`), the mock, or Textual. The fronts ask this package and nothing below it.
"""
