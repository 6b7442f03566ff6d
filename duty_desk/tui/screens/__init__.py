"""The desk's modal forms and the detail screen of a record."""

from duty_desk.tui.screens.detail import DetailScreen
from duty_desk.tui.screens.forms import (
    CheckOutForm,
    DocumentForm,
    DocumentStepForm,
    ResultForm,
    UrgentEventForm,
    UrgentForm,
    VisitorForm,
    VoidForm,
    ZeroReportForm,
)

__all__ = [
    "CheckOutForm",
    "DetailScreen",
    "DocumentForm",
    "DocumentStepForm",
    "ResultForm",
    "UrgentEventForm",
    "UrgentForm",
    "VisitorForm",
    "VoidForm",
    "ZeroReportForm",
]
