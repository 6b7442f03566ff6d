"""Report templates: plain text files an office can change, one per report
kind (first_report.txt, followup.txt, daily.txt, final.txt). ``${name}``
takes an element of the report; an element nobody knows yet reads 待核实,
never left out. An element changed since the last report carries the value
it had then, so the reader sees what is new.

Where the files are read, first found per kind: the directory named by
``[reports] templates``, ``$XDG_CONFIG_HOME/duty-desk/reports``, the default
set in the package. Reports go to the level above in Chinese whatever the
desk's own language, so the words put into them here are Chinese."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path
from string import Template

from duty_desk.core.errors import Refused

REPORT_KINDS = ("first_report", "followup", "daily", "final")
UNKNOWN = "待核实"
# The elements a template may name; those from the facts are marked when changed.
ELEMENTS = ("title", "kind_name", "office", "reported_at", "event_type", "level", "occurred_at", "place",
            "summary", "casualties", "cause", "measures", "next_steps", "trend", "in_charge", "source",
            "reliability", "recommendations", "received_at", "approver", "contact", "phone", "changes")
# The name each fact goes by in a report (the "changes" line names them so).
FACT_WORDS = {
    "occurred_at": "事发时间", "place": "事发地点", "summary": "事件概况", "casualties": "人员伤亡和财产损失",
    "cause": "事件原因", "measures": "已采取的处置措施", "next_steps": "下一步工作", "trend": "发展趋势",
    "in_charge": "现场负责人", "reliability": "信息可靠程度", "recommendations": "建议",
}
# Fact field -> the element that shows it.
ELEMENT_OF = {"leaders_on_scene": "in_charge"}


def template_dirs(cfg) -> list[Path]:
    dirs = []
    named = (cfg.raw.get("reports") or {}).get("templates", "")
    if named:
        dirs.append(Path(named).expanduser())
    xdg = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    dirs.append(Path(xdg) / "duty-desk" / "reports")
    return dirs


def template_text(kind: str, cfg) -> tuple[str, str]:
    """(the template's text, where it came from) for a report kind."""
    if kind not in REPORT_KINDS:
        raise Refused("report.bad_kind", kind=kind, choices=" ".join(REPORT_KINDS))
    for folder in template_dirs(cfg):
        path = folder / f"{kind}.txt"
        if path.is_file():
            try:
                return path.read_text(encoding="utf-8"), str(path)
            except (OSError, UnicodeDecodeError) as exc:
                raise Refused("report.template_unreadable", path=str(path), error=str(exc)) from None
    packaged = resources.files("duty_desk.core.reports") / "templates" / f"{kind}.txt"
    return packaged.read_text(encoding="utf-8"), "default"


def render(template: str, values: dict[str, str], before: dict[str, str] | None = None) -> str:
    """The report text: each ``${element}`` filled, an empty one as 待核实,
    one that changed since ``before`` (element -> its earlier value) marked.
    Comment lines (``#`` first) are left out, and so is a line holding only
    an empty ``${changes}``."""
    filled: dict[str, str] = {}
    for name in ELEMENTS:
        value = (values.get(name) or "").strip()
        if name == "changes":
            filled[name] = value
            continue
        if before is not None and name in before:
            old = (before[name] or "").strip()
            if value and old and old != value:
                value = f"{value}（前报：{old}）"
            elif value and not old:
                value = f"{value}（新增）"
            elif not value and old:
                value = f"{UNKNOWN}（前报：{old}）"
        filled[name] = value or UNKNOWN
    lines = []
    for line in template.splitlines():
        if line.startswith("#"):
            continue
        if line.strip() == "${changes}" and not filled["changes"]:
            continue
        lines.append(Template(line).safe_substitute(filled))
    return "\n".join(lines).strip("\n") + "\n"
