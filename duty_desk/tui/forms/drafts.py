"""A form's draft: what is typed is written within a second, so a dropped
connection or a crash loses nothing; the desk that opens next puts it back.
A mixin of DeskForm."""

from __future__ import annotations

import json
from functools import partial
from typing import Any

from textual import work

from duty_desk.core.i18n import t
from duty_desk.tui.safe import store_failure
from duty_desk.tui.workers import in_thread

# A form's draft is written at most this long after the first unsaved change.
FORM_DRAFT_DELAY = 0.5


class FormDrafts:
    """DeskForm's draft (see the module's docstring)."""

    # --- the form's draft ---------------------------------------------------------
    def draft_state(self) -> str | None:
        """The form as a draft: which form, about what, and every field that
        holds something (JSON); None for a form that cannot be opened again."""
        module = type(self).__module__
        if not module.startswith("duty_desk.tui.forms.") or not all(
                isinstance(a, (str, int)) for a in self.made_with):
            return None
        try:
            values = {name: self.raw_value(name) for name in self.specs}
        except Exception:
            return None  # not composed
        values = {k: v for k, v in values.items() if v}
        # An ID number is never stored in full, not even in a draft: it is
        # left out, and the restored form asks for it again.
        withheld = [name for name, spec in self.specs.items() if spec.id_number and values.pop(name, None)]
        return json.dumps({"module": module.rsplit(".", 1)[1], "name": type(self).__name__,
                           "args": list(self.made_with), "values": values, "withheld": withheld},
                          ensure_ascii=False)

    def typed(self) -> None:
        """Something changed: the form's draft is written within a second."""
        self._draft_version += 1
        if self._draft_timer is None and getattr(self.app, "session", None) is not None:
            self._draft_timer = self.set_timer(FORM_DRAFT_DELAY, self._draft_due)

    def _draft_due(self) -> None:
        self._draft_timer = None
        if self._dismissed:
            return
        state = self.draft_state()
        if state is not None:
            self._keep_draft(state, self._draft_version)

    @work(thread=True, group="form-draft", exit_on_error=False)
    def _keep_draft(self, state: str, version: int) -> None:
        from duty_desk.core.services import drafts

        with self._draft_lock:
            if version != self._draft_version:
                return  # newer typing, or the form closed
            try:
                in_thread(self.desk, drafts.save_draft, self.desk, state, self.app.session, drafts.FORM)
            except Exception as exc:
                self.app.call_from_thread(self.app.notify, store_failure(exc, self.desk.db, "tui.draft.not_kept"), title=t("tui.draft.failed"),
                                          severity="warning", markup=False)

    def _drop_draft(self, session: Any) -> None:
        """Clear the form's draft on a worker of the app: a worker of the
        form would be cancelled with the closing form before it ran, and a
        saved form left as a draft would be offered (and saved) again."""
        from duty_desk.core.services import drafts

        self.app.run_worker(partial(self._clear_draft, session, drafts.FORM), thread=True,
                            group="form-draft", exit_on_error=False)

    def _clear_draft(self, session: Any, slot: str) -> None:
        from duty_desk.core.services import drafts

        with self._draft_lock:
            self._draft_version += 1
            try:
                in_thread(self.desk, drafts.clear_draft, self.desk, session, slot)
            except Exception:
                pass  # a stale form draft is restored once more, never lost

    def dismiss(self, result: Any = None) -> Any:
        # Saved or given up on purpose: the form's draft goes with it.
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None
        self._draft_version += 1
        self._dismissed = True
        session = getattr(self.app, "session", None)
        if session is not None:
            self._drop_draft(session)
        return super().dismiss(result)
