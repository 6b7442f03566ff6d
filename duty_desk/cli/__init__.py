"""The command line: ``duty-desk COMMAND``. One module per group of commands;
``run`` builds the parser and dispatches."""

from duty_desk.cli.run import build_parser, main

__all__ = ["build_parser", "main"]
