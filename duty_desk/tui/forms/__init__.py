"""The desk's forms, one module per kind of record (visitor, document,
urgent) and per kind of work (records: void, zero report, result;
followup: chase, transfer, instruct, answer; takeback: undo a step, void a
timeline event). Every form is a DeskForm (base)."""

from duty_desk.tui.forms.document import DocumentForm, DocumentStepForm
from duty_desk.tui.forms.followup import AnswerForm, ChaseForm, InstructionForm, TransferForm
from duty_desk.tui.forms.records import ResultForm, VoidForm, ZeroReportForm
from duty_desk.tui.forms.takeback import UndoStepForm, VoidEventForm
from duty_desk.tui.forms.urgent import UrgentEventForm, UrgentForm
from duty_desk.tui.forms.visitor import CheckOutForm, VisitorForm

__all__ = [
    "AnswerForm", "ChaseForm", "CheckOutForm", "DocumentForm", "DocumentStepForm", "InstructionForm",
    "ResultForm", "TransferForm", "UndoStepForm", "UrgentEventForm", "UrgentForm", "VisitorForm",
    "VoidEventForm", "VoidForm", "ZeroReportForm",
]
