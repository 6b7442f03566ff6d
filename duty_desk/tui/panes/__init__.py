"""The four panes of the main screen, one widget each."""

from duty_desk.tui.panes.documents import DocumentsPane
from duty_desk.tui.panes.log import LogPane
from duty_desk.tui.panes.urgent import UrgentPane
from duty_desk.tui.panes.visitors import VisitorsPane

__all__ = ["DocumentsPane", "LogPane", "UrgentPane", "VisitorsPane"]
