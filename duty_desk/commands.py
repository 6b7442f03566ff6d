"""Commands added by later features register here with cli.EXTRA_COMMANDS and
cli.EXTRA_RUNNERS, so cli.py stays the one front. Imported by cli.main."""
