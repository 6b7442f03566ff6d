"""来电: a phone call with its caller (log.record_call). The unit and the
caller's name are suggested as they are typed (Chinese, pinyin, initials);
a number that belongs to a known contact says whose it is."""

from __future__ import annotations

from duty_desk.core import dutytime
from duty_desk.core.i18n import t
from duty_desk.core.search.names import is_pinyin_query
from duty_desk.core.services import log
from duty_desk.core.suggest import PERSON, UNIT
from duty_desk.tui.forms.base import DeskForm
from duty_desk.tui.forms.checks import check_time, optional
from duty_desk.tui.forms.suggesting import PHONE
from duty_desk.tui.widgets.fields import Field

# What a chosen caller fills in: (the suggestion's attribute, the form's field).
CALLER_FILLS = (("unit", "unit"), ("name", "name"), ("title", "title"), ("phone", "phone"))
NEEDS = (("", "calls.needs.no"), ("yes", "calls.needs.yes"))


def check_due(form: DeskForm, value: str) -> None:
    """By when: the very parser the service uses (it may lie ahead)."""
    dutytime.parse_due(value, form.desk.now(), form.desk.cfg, "due")


class CallForm(DeskForm):
    """来电登记: who called, what they said, whether it needs action and by
    when, whom they had already told, and the result when known."""

    TITLE_KEY = "calls.form.title"
    CHANGES = frozenset({"log", "shift"})
    ALIASES = {"counterpart_unit": "unit", "counterpart_name": "name", "counterpart_title": "title",
               "counterpart_phone": "phone"}

    def form_fields(self) -> list[Field]:
        return [
            Field("unit", label="calls.field.unit", suggest=UNIT, fills=CALLER_FILLS),
            Field("name", label="calls.field.name", suggest=PERSON, fills=CALLER_FILLS),
            Field("title", label="calls.field.title"),
            Field("phone", label="calls.field.phone", suggest=PHONE, fills=CALLER_FILLS),
            Field("content", label="calls.field.content", required=True),
            Field("needs_action", label="calls.field.needs_action",
                  choices=tuple((v, t(k)) for v, k in NEEDS)),
            Field("due", label="calls.field.due", placeholder="calls.hint.due", check=check_due),
            Field("already_informed", label="calls.field.already_informed"),
            Field("result", label="calls.field.result"),
            Field("occurred_at", label="calls.field.occurred_at", placeholder="tui.form.hint.now",
                  check=check_time),
        ]

    def _focus_first_empty(self) -> None:
        # `/电 sw`: the letters typed for the unit are where the officer goes on.
        unit = self.prefill.get("unit", "")
        if unit and is_pinyin_query(unit) and not self.prefill.get("content"):
            field = self.widget("unit")
            field.focus()
            field.cursor_position = len(unit)
            return
        super()._focus_first_empty()

    def save(self, values: dict[str, str]) -> int:
        v = dict(values)
        needs = True if v.pop("needs_action", "") == "yes" else None
        return log.record_call(self.desk, v.pop("content", ""), needs_action=needs, due=optional(v.pop("due", "")),
                               occurred_at=optional(v.pop("occurred_at", "")), **v).id
