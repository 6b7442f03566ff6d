"""The palette's providers share one shape: a list of (name, callback, help)
offered on discovery and matched on search. Each provider says only which
commands it has (``_commands``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider


class ListedCommands(Provider):
    def _commands(self) -> list[tuple[str, Callable[[], Any], str]]:
        """(name, callback, help) of each command offered now; none here."""
        return []

    async def discover(self) -> Hits:
        for name, callback, help_text in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
