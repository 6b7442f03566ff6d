"""交接班, in one package: the sheet as data (``sheet``), its renderers
(``render``), the give / read back / accept flow (``flow``) and what the
desk's handover screen shows (``view``).

The sheet's data and renderers are re-exported here; import ``flow`` and
``view`` by name."""

from duty_desk.core.handover.render import (
    RENDERERS,
    counts_line,
    due_text,
    event_text,
    full_time,
    header_fields,
    kind_label,
    readback_mark,
    render_json,
    render_markdown,
    render_text,
    short_time,
    urgent_facts,
    wrap_cells,
    zero_text,
)
from duty_desk.core.handover.sheet import (
    SHEET_VERSION,
    WIDTH,
    AmendmentLine,
    CarriedItem,
    CustodyLine,
    Sheet,
    TimelineLine,
    UrgentLine,
    build_sheet,
    frozen_digest,
    sheet_of,
)

__all__ = [
    "RENDERERS", "SHEET_VERSION", "WIDTH", "AmendmentLine", "CarriedItem", "CustodyLine", "Sheet", "TimelineLine",
    "UrgentLine", "build_sheet", "counts_line", "due_text", "event_text", "frozen_digest", "full_time", "header_fields",
    "kind_label", "readback_mark", "render_json", "render_markdown", "render_text", "sheet_of", "short_time",
    "urgent_facts", "wrap_cells", "zero_text",
]
