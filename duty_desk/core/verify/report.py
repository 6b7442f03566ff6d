"""What `audit verify` found: each problem, and the report of one run."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from duty_desk.core import audit
from duty_desk.core.i18n import t


@dataclass
class Problem:
    code: str  # integrity guard chain handover anchor record unaudited missing_row
    key: str
    params: dict[str, Any]
    place: str

    @property
    def message(self) -> str:
        params = dict(self.params)
        if "kind" in params:
            label = t(f"kind.{params['kind']}")
            params["kind"] = label if label != f"kind.{params['kind']}" else params["kind"]
        if "field" in params:  # the column's name stays: it is what the sqlite3 shell shows
            label = t(f"field.{params['field']}")
            if label != f"field.{params['field']}":
                params["field"] = t("verify.field_label", label=label, name=params["field"])
        return t(self.key, **params)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "place": self.place, "message": self.message, **self.params}


@dataclass
class Report:
    count: int = 0
    head: str = audit.GENESIS
    problems: list[Problem] = field(default_factory=list)
    anchors: int = 0
    total: int = 0  # problems found, of which the first MAX_KEPT of each code are kept

    @property
    def intact(self) -> bool:
        return not self.problems

    def add(self, problem: Problem) -> None:
        """Keep the first few of each code: a store rewritten wholesale would
        otherwise fill memory with one problem per record."""
        self.total += 1
        if sum(1 for p in self.problems if p.code == problem.code) < MAX_KEPT:
            self.problems.append(problem)

    def as_dict(self) -> dict[str, Any]:
        return {"intact": self.intact, "count": self.count, "head": self.head, "anchors": self.anchors,
                "problem_count": self.total, "problems": [p.as_dict() for p in self.problems]}


MAX_KEPT = 50


# The most telling problem comes first (the one-line answer names it).
RANK = {code: i for i, code in enumerate(
    ("integrity", "chain", "anchor", "handover", "record", "missing_row", "unaudited", "guard"))}
