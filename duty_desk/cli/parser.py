"""The command line's argparse: usage errors as one line with status 2, and
argparse's own words (headings, errors) in the UI language."""

from __future__ import annotations

import argparse
from typing import Any

from duty_desk.cli.exit_codes import USAGE
from duty_desk.core.i18n import t
from duty_desk.core.sanitize import shown

# argparse's own words (its gettext message ids) -> our catalog keys, so
# `--help` and usage errors speak the UI language from frame to options.
ARGPARSE_WORDS = {
    "usage: ": "cli.argparse.usage",
    "positional arguments": "cli.argparse.positionals",
    "options": "cli.argparse.options",
    "optional arguments": "cli.argparse.options",
    "show this help message and exit": "cli.argparse.help",
    "show program's version number and exit": "cli.argparse.version",
    "the following arguments are required: %s": "cli.argparse.required",
    "unrecognized arguments: %s": "cli.argparse.unrecognized",
    "invalid choice: %(value)r (choose from %(choices)s)": "cli.argparse.choice",
    "argument %(argument_name)s: %(message)s": "cli.argparse.argument",
    "expected one argument": "cli.argparse.one",
    "expected at most one argument": "cli.argparse.at_most_one",
    "expected at least one argument": "cli.argparse.at_least_one",
    "invalid %(type)s value: %(value)r": "cli.argparse.type",
    "ambiguous option: %(option)s could match %(matches)s": "cli.argparse.ambiguous",
    "not allowed with argument %s": "cli.argparse.not_allowed",
    "ignored explicit argument %r": "cli.argparse.ignored",
    "one of the arguments %s is required": "cli.argparse.one_of",
    "unexpected option string: %s": "cli.argparse.unexpected",
}

def _argparse_gettext(message: str) -> str:
    key = ARGPARSE_WORDS.get(message)
    # The catalog keeps argparse's %-placeholders: argparse fills them in.
    return t(key) if key else message

def _argparse_ngettext(singular: str, plural: str, n: int) -> str:
    if singular == "expected %s argument":
        return t("cli.argparse.expected_n")
    return singular if n == 1 else plural

class Parser(argparse.ArgumentParser):
    """argparse that reports a usage error as one line and exit status 2, in
    the UI language."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self._positionals.title = t("cli.argparse.positionals")
        self._optionals.title = t("cli.argparse.options")
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help=t("cli.argparse.help"))

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(USAGE, t("cli.usage_error", prog=self.prog, message=shown(message)) + "\n")

    def format_help(self) -> str:
        with argparse_speaking():
            text = super().format_help()
        # argparse ends a section heading with an ASCII colon; Chinese takes "：".
        colon = t("cli.argparse.colon")
        for key in ("cli.argparse.positionals", "cli.argparse.options", "cli.argparse.commands"):
            text = text.replace(f"\n{t(key)}:\n", f"\n{t(key)}{colon}\n")
        return text

    def format_usage(self) -> str:
        with argparse_speaking():
            return super().format_usage()

    def parse_known_args(self, args: Any = None, namespace: Any = None) -> Any:
        with argparse_speaking():
            return super().parse_known_args(args, namespace)

class argparse_speaking:
    """While argparse runs, its own words come from our catalogs. argparse
    looks its gettext functions up as module globals at call time."""

    def __enter__(self) -> None:
        self._saved = (argparse._, argparse.ngettext)  # type: ignore[attr-defined]
        argparse._ = _argparse_gettext  # type: ignore[attr-defined]
        argparse.ngettext = _argparse_ngettext

    def __exit__(self, *exc: Any) -> None:
        argparse._, argparse.ngettext = self._saved  # type: ignore[attr-defined]

def global_options_everywhere(parser: argparse.ArgumentParser) -> None:
    """``show open --json --db X`` works as well as ``--db X show open``: every
    command also takes the global options; given there, they win."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            action.help = action.help or t("cli.argparse.action")
            for sub in action.choices.values():
                names = {s for a in sub._actions for s in a.option_strings}
                if "--config" not in names:
                    sub.add_argument("--config", metavar="PATH", default=argparse.SUPPRESS, help=t("cli.opt.config"))
                if "--db" not in names:
                    sub.add_argument("--db", metavar="PATH_OR_URL", default=argparse.SUPPRESS, help=t("cli.opt.db"))
                if "--demo" not in names:
                    sub.add_argument("--demo", action="store_true", default=argparse.SUPPRESS, help=t("cli.opt.demo"))
                global_options_everywhere(sub)
