"""The names suggested under a field as it is typed (core.suggest): a few
lines, the highlighted one marked, chosen with Tab or Enter."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.widget import Widget

from duty_desk.core.i18n import t
from duty_desk.core.suggest import Suggestion


class SuggestList(Widget):
    """The suggestions of one field; the form moves the highlight and takes the pick."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"suggest--highlight", "suggest--hint"}
    DEFAULT_CSS = """
    SuggestList { height: auto; display: none; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.items: list[Suggestion] = []
        self.index = 0
        self.typed = ""  # what the field held when these were found

    def show(self, items: list[Suggestion]) -> None:
        self.items = list(items)
        self.index = 0
        self.display = bool(self.items)
        self.refresh(layout=True)

    def hide(self) -> None:
        self.show([])

    def move(self, step: int) -> None:
        if self.items:
            self.index = (self.index + step) % len(self.items)
            self.refresh()

    @property
    def picked(self) -> Suggestion | None:
        return self.items[self.index] if self.items else None

    def render(self) -> Text:
        lines = []
        width = max(self.content_size.width, 1)
        for i, item in enumerate(self.items):
            mark = "›" if i == self.index else " "
            line = Text(f"{mark} {item.label()}", no_wrap=True, overflow="ellipsis")
            if i == self.index:
                line.stylize(self.get_component_rich_style("suggest--highlight"))
            line.truncate(width, overflow="ellipsis")
            lines.append(line)
        hint = Text(t("calls.suggest.keys"), self.get_component_rich_style("suggest--hint"), no_wrap=True)
        hint.truncate(width, overflow="ellipsis")
        lines.append(hint)
        return Text("\n").join(lines)

    def get_content_height(self, container, viewport, width: int) -> int:
        return len(self.items) + 1 if self.items else 0
