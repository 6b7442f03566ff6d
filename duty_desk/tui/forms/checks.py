"""What the forms share: the checks a field runs as it is typed (the very
parsers the core uses) and the options of the choice fields."""

from __future__ import annotations

from duty_desk.core.docnumber import validate_doc_number
from duty_desk.core.dutytime import parse_when
from duty_desk.core.errors import InvalidInput
from duty_desk.core.i18n import t
from duty_desk.core.idcard import RESIDENT_ID, mask_id, validate_resident_id
from duty_desk.core.services import documents
from duty_desk.core.services.common import required_line
from duty_desk.tui.forms.base import DeskForm
from duty_desk.tui.widgets.fields import Check, labelled

# --- checks shared by the forms ------------------------------------------------


def check_time(form: DeskForm, value: str) -> None:
    """A time that happened: HH:MM or YYYY-MM-DD HH:MM, not in the future."""
    parse_when(value, form.desk.now(), form.desk.cfg)


def check_deadline(form: DeskForm, value: str) -> None:
    """A deadline may lie ahead; the very parser the service uses."""
    documents.parse_deadline(form.desk, value)


def check_id_number(form: DeskForm, value: str) -> str:
    if form.raw_value("id_type") == RESIDENT_ID:
        number = validate_resident_id(value)
    else:
        number = required_line(value, "id_number", 30)
    return t("tui.form.id_ok", masked=mask_id(number))


def check_doc_number(form: DeskForm, value: str) -> None:
    validate_doc_number(value)


def count_check(key: str, field: str, top: int) -> Check:
    """A whole number from 1 to ``top``, refused with the service's own message."""

    def check(form: DeskForm, value: str) -> None:
        if not value.isdigit() or not 1 <= int(value) <= top:
            raise InvalidInput(key, field=field)

    return check


def optional(value: str) -> str | None:
    """An empty time field means "now" (or "by the rules") to the service."""
    return value or None


# --- choices --------------------------------------------------------------------

ID_TYPE_KEYS = ("tui.form.id_type.resident", "tui.form.id_type.passport", "tui.form.id_type.hk_macao",
                "tui.form.id_type.taiwan", "tui.form.id_type.other")
URGENCY_KEYS = ("tui.form.urgency.tite", "tui.form.urgency.teji", "tui.form.urgency.jiaji",
                "tui.form.urgency.pingji", "tui.form.urgency.none")
CLASSIFICATION_KEYS = ("tui.form.classification.top_secret", "tui.form.classification.confidential",
                       "tui.form.classification.secret", "tui.form.classification.none")
EVENT_TYPE_KEYS = ("tui.form.event_type.natural", "tui.form.event_type.accident",
                   "tui.form.event_type.health", "tui.form.event_type.security")


def urgency_options() -> tuple[tuple[str, str], ...]:
    # "none" first: most documents carry no urgency marking.
    options = labelled(documents.URGENCIES, URGENCY_KEYS)
    return options[-1:] + options[:-1]


def classification_options() -> tuple[tuple[str, str], ...]:
    options = labelled(documents.CLASSIFICATIONS, CLASSIFICATION_KEYS)
    return options[-1:] + options[:-1]
