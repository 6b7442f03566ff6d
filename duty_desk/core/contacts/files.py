"""The contact book as CSV: exported for Excel (with the BOM it needs to read
UTF-8), imported from what Excel or WPS saves (UTF-8 with or without BOM,
GBK/GB18030, UTF-16; Chinese or English headers). An import checks every
row first and names every bad one with its line; then writes all of it in
one transaction, or nothing. A row whose unit and name are already in the
book changes that contact (audited with the old values); any other row is
a new contact."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from duty_desk.core import csvfile
from duty_desk.core.contacts import service
from duty_desk.core.contacts.view import Card, find_contacts
from duty_desk.core.desk import Desk, check_actor
from duty_desk.core.errors import DeskError, InvalidInput
from duty_desk.core.i18n import t
from duty_desk.core.models import Contact
from duty_desk.core.services.common import writing

PREFIX = "contacts.file"
# The columns, in the order an export writes them; an import reads them by
# header, in any order, in either language (and a few other spellings).
COLUMNS = ("unit", "name", "title", "office_phone", "mobile", "duty_phone", "fax", "tags", "notes")
HEADER_WORDS: dict[str, tuple[str, ...]] = {
    "unit": ("单位", "单位名称", "部门", "unit", "organization", "organisation"),
    "name": ("姓名", "联系人", "name", "contact"),
    "title": ("职务", "职位", "title", "position"),
    "office_phone": ("办公电话", "办公室电话", "座机", "电话", "office", "office phone", "office_phone", "phone"),
    "mobile": ("手机", "手机号", "手机号码", "移动电话", "mobile", "mobile phone", "cell"),
    "duty_phone": ("值班电话", "24小时值班电话", "值班室电话", "duty", "duty phone", "duty_phone", "duty line"),
    "fax": ("传真", "fax"),
    "tags": ("标签", "联系事项", "tags", "tag"),
    "notes": ("备注", "说明", "notes", "note"),
}
# A file bigger than this is no contact book; refused before reading.
MAX_IMPORT_BYTES = 5 * 1024 * 1024


def export_csv(include_void: bool = False) -> str:
    """The book as CSV, headers in the UI language, a tag list joined by 、."""
    rows = [[c.unit, c.name, c.title, c.office_phone, c.mobile, c.duty_phone, c.fax, "、".join(c.tags), c.notes]
            for c in find_contacts(include_void=include_void)]
    return csvfile.write_rows([t(f"{PREFIX}.col.{c}") for c in COLUMNS], rows)


def _header_problems(keys: list[str | None], header_line: int) -> list[csvfile.Problem]:
    if "unit" not in keys and "name" not in keys:
        return [(header_line, "", InvalidInput(f"{PREFIX}.column_missing"))]
    return []


@dataclass
class Planned:
    line: int
    values: dict[str, Any]
    existing: int | None  # the contact this row changes; None: a new one


@dataclass
class Imported:
    added: int
    changed: int
    unchanged: int


def read_csv(data: bytes) -> list[Planned]:
    """The rows of an import file, every one checked before anything is
    written. Any bad row: ImportRefused naming every bad row with its line."""
    if len(data) > MAX_IMPORT_BYTES:
        raise csvfile.ImportRefused([(1, "", InvalidInput(f"{PREFIX}.too_big",
                                                          mb=MAX_IMPORT_BYTES // (1024 * 1024)))], PREFIX)
    keys, rows, problems = csvfile.read_rows(csvfile.decode(data, PREFIX), HEADER_WORDS, PREFIX, _header_problems)
    live = {(c.unit, c.name): c.id for c in (Contact.select(Contact.id, Contact.unit, Contact.name)
                                             .where(Contact.voided_at.is_null()))}
    seen: dict[tuple[str, str], int] = {}
    out: list[Planned] = []
    for row in rows:
        values: dict[str, Any] = {}
        bad = False
        for key in COLUMNS:
            if key not in row.cells:
                continue
            try:
                values.update(service.clean_values({key: csvfile.plain_cell(row.cells[key])}))
            except DeskError as err:
                problems.append((row.line, t(f"{PREFIX}.col.{key}"), err))
                bad = True
        if bad:
            continue
        unit, name = values.get("unit", ""), values.get("name", "")
        if not unit and not name:
            problems.append((row.line, "", InvalidInput("contacts.unit_or_name")))
            continue
        if (unit, name) in seen:
            problems.append((row.line, "", InvalidInput(f"{PREFIX}.duplicate", other=seen[(unit, name)],
                                                        who=" ".join(p for p in (unit, name) if p))))
            continue
        seen[(unit, name)] = row.line
        out.append(Planned(row.line, values, live.get((unit, name))))
    if problems:
        raise csvfile.ImportRefused(sorted(problems, key=lambda p: p[0]), PREFIX)
    return out


def import_csv(desk: Desk, data: bytes) -> Imported:
    """Import a CSV into the book (administrators): every row checked first,
    then all written in one transaction, each change audited."""
    with writing(desk, "import", "contact"):
        check_actor(desk, "admin")
        planned = read_csv(data)
        added = changed = 0
        for plan in planned:
            if plan.existing is None:
                service.write_new(desk, plan.values)
                added += 1
            elif service.write_changes(desk, service.live_contact(plan.existing), plan.values):
                changed += 1
    return Imported(added, changed, len(planned) - added - changed)


def card_row(c: Card) -> dict[str, str]:
    """A card as one row of the command line's table."""
    return {"id": str(c.id), "unit": c.unit, "name": c.name, "title": c.title, "duty_phone": c.duty_phone,
            "office_phone": c.office_phone, "mobile": c.mobile, "fax": c.fax, "tags": "、".join(c.tags),
            "notes": c.notes}
