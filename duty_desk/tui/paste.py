"""Pasted text reaches the desk whole, in order and without control sequences.

Textual's input parser cuts a bracketed paste at the first escape sequence
inside it: what follows the ESC is sent as key presses (a BEL becomes
Ctrl+G, an action) ahead of the part before it, which arrives last as the
paste. ``PasteParser`` takes everything between the paste brackets as one
paste; ``clean_paste`` then removes the control sequences, and the widget
that takes the paste tells the officer when something was removed.
"""

from __future__ import annotations

import signal
from collections.abc import Iterable
from typing import Any

from textual import events
from textual._xterm_parser import XTermParser
from textual.driver import Driver
from textual.message import Message

from duty_desk.core.sanitize import clean_text

PASTE_START = "\x1b[200~"
PASTE_END = "\x1b[201~"


def clean_paste(text: str) -> tuple[str, bool]:
    """The pasted text with escape sequences and control characters removed,
    line breaks and tabs kept; and whether anything was removed."""
    unified = text.replace("\r\n", "\n").replace("\r", "\n")
    removed = False
    cells = []
    for cell in unified.split("\t"):
        lines = []
        for line in cell.split("\n"):
            cleaned = clean_text(line)
            removed = removed or cleaned != line.strip()
            lines.append(cleaned)
        cells.append("\n".join(lines))
    return "\t".join(cells), removed


def notes_line(notes: list[str]) -> str:
    """Sentences from the catalogs on one line: Chinese ones (ending in 。)
    follow each other directly, others with a space."""
    line = ""
    for note in notes:
        line += note if not line or line.endswith("。") else " " + note
    return line


class PasteParser(XTermParser):
    """XTermParser that hands over a bracketed paste as one Paste event, with
    whatever it holds, escape sequences included."""

    def __init__(self, debug: bool = False) -> None:
        super().__init__(debug)
        self._pasting: list[str] | None = None
        self._held = ""  # the start of a paste bracket split across two reads

    def feed(self, data: str) -> Iterable[Message]:
        if not data:
            if self._pasting is not None:  # the input ended inside a paste
                yield events.Paste("".join(self._pasting) + self._held)
                self._pasting, self._held = None, ""
            yield from super().feed(data)
            return
        data, self._held = self._held + data, ""
        while data:
            if self._pasting is not None:
                end = data.find(PASTE_END)
                if end < 0:
                    keep = _partial_tail(data, PASTE_END)
                    self._pasting.append(data[:len(data) - keep])
                    self._held = data[len(data) - keep:]
                    return
                self._pasting.append(data[:end])
                yield events.Paste("".join(self._pasting))
                self._pasting = None
                data = data[end + len(PASTE_END):]
                continue
            start = data.find(PASTE_START)
            if start < 0:
                # Hold back a paste bracket cut off at the end of this read;
                # a lone ESC (the Escape key) is never held.
                keep = _partial_tail(data, PASTE_START)
                if keep >= 2:
                    self._held = data[len(data) - keep:]
                    data = data[:len(data) - keep]
                yield from super().feed(data) if data else ()
                return
            if start:
                yield from super().feed(data[:start])
            self._pasting = []
            data = data[start + len(PASTE_START):]


def _partial_tail(data: str, marker: str) -> int:
    """How many characters at the end of ``data`` begin ``marker``."""
    for n in range(min(len(marker) - 1, len(data)), 0, -1):
        if data.endswith(marker[:n]):
            return n
    return 0


class TerminalGone(Exception):
    """Reading the terminal failed: its connection is gone."""


class TerminalFile:
    """The terminal as the driver writes to it. Once the terminal is gone (a
    dropped connection), writes are dropped instead of raising: otherwise
    Textual's writer thread dies on the first failed write and the desk,
    closing, waits for it forever."""

    def __init__(self, file: Any) -> None:
        self._file = file
        self.gone = False

    def write(self, text: str) -> int:
        if not self.gone:
            try:
                return self._file.write(text)
            except (OSError, ValueError):
                self.gone = True
        return len(text)

    def flush(self) -> None:
        if not self.gone:
            try:
                self._file.flush()
            except (OSError, ValueError):
                self.gone = True

    def __getattr__(self, name: str) -> Any:
        return getattr(self._file, name)


def desk_driver(base: type[Driver]) -> type[Driver]:
    """The terminal driver the desk runs on: Textual's own driver for this
    system, reading keys with PasteParser. Other drivers (the test and web
    ones) are returned as they are."""
    try:
        from textual.drivers.linux_driver import LinuxDriver
    except ImportError:  # no termios: not a system the desk is run on
        return base
    if base is not LinuxDriver:
        return base

    class DeskDriver(LinuxDriver):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._file = TerminalFile(self._file)

        def terminal_gone(self) -> None:
            """The terminal went away (a dropped SSH connection): the desk
            closes as on SIGHUP, keeping what is typed."""
            hang_up = getattr(self._app, "hang_up", None)
            if callable(hang_up):
                self._app.call_later(hang_up, signal.SIGHUP)
            else:
                self._app.call_later(self._app.exit)

        def run_input_thread(self) -> None:
            # LinuxDriver.run_input_thread with PasteParser for XTermParser.
            import os
            import selectors
            from codecs import getincrementaldecoder

            from textual._loop import loop_last
            from textual._parser import ParseError

            selector = selectors.SelectSelector()
            selector.register(self.fileno, selectors.EVENT_READ)
            fileno = self.fileno
            parser = PasteParser(self._debug)
            decode = getincrementaldecoder("utf-8")().decode

            def process(selector_events: list, final: bool = False) -> None:
                for last, (_key, mask) in loop_last(selector_events):
                    if mask & selectors.EVENT_READ:
                        try:
                            raw = os.read(fileno, 1024 * 4)
                        except OSError:
                            raise TerminalGone from None
                        data = decode(raw, final=final and last)
                        if not data:
                            break
                        for event in parser.feed(data):
                            self.process_message(event)
                for event in parser.tick():
                    self.process_message(event)

            try:
                while not self.exit_event.is_set():
                    process(selector.select(0.1))
                selector.unregister(self.fileno)
                process(selector.select(0.1), final=True)
            except TerminalGone:
                self.terminal_gone()
            finally:
                selector.close()
                try:
                    for _event in parser.feed(""):
                        pass
                except (EOFError, ParseError):
                    pass

    return DeskDriver
