"""The headless core: one module per record kind. Each validates its input,
writes the record and its audit event in one transaction, and never imports
Textual. The TUI and the command line call the very same functions."""
