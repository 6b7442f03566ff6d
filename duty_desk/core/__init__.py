"""The headless core: records, rules, store and services. Nothing here imports
Textual, the TUI or the command line (import-linter holds this in CI)."""
