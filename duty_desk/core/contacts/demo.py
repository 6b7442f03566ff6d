"""The demo's contact book: the units a district duty office calls, with
their 24-hour duty lines and the people it knows there, tagged by what
they are called about. Written as the system (as the demo's roster is),
each contact with its audit event."""

from __future__ import annotations

from typing import Any

from duty_desk.core import audit
from duty_desk.core.desk import Desk
from duty_desk.core.models import Contact

# unit, name, title, office, mobile, duty line, fax, tags, notes
DEMO_CONTACTS: tuple[tuple[str, ...], ...] = (
    ("区防汛抗旱指挥部办公室", "", "", "0571-86010001", "", "0571-86010000", "0571-86010009",
     "防汛、抗旱、防汛抗旱、自然灾害", "汛期（6月1日至9月30日）24小时值守"),
    ("区水务局", "", "", "0571-86020001", "", "0571-86020000", "0571-86020009", "防汛、水库、供水", ""),
    ("区水务局", "王科长", "科长", "0571-86020101", "13800001111", "", "", "防汛、水库",
     "水库水位、河道汛情"),
    ("区应急管理局", "", "", "0571-86030001", "", "0571-86030000", "0571-86030009",
     "安全生产、应急、自然灾害、事故灾难", ""),
    ("区应急管理局", "刘局长", "副局长", "0571-86030102", "13900002222", "", "", "安全生产、危化品", ""),
    ("市气象台", "", "", "0571-85010001", "", "0571-85010000", "", "气象、防汛",
     "预警信息发布；每日16时前后发布天气预报"),
    ("市地震局", "", "", "0571-85020001", "", "0571-85020000", "", "地震", ""),
    ("区公安分局指挥中心", "", "", "0571-86040001", "", "0571-86040110", "", "公安、维稳、交通、社会安全", ""),
    ("区消防救援大队", "", "", "0571-86050001", "", "0571-86050119", "", "消防、事故灾难", ""),
    ("区卫健委", "", "", "0571-86060001", "", "0571-86060000", "0571-86060009", "卫生、疫情、公共卫生", ""),
    ("区卫健委", "赵主任", "应急办主任", "0571-86060105", "13700003333", "", "", "卫生、疫情", ""),
    ("区疾控中心", "", "", "0571-86070001", "", "0571-86070000", "", "疾控、疫情、公共卫生", ""),
    ("区信访局", "", "", "0571-86080001", "", "0571-86080000", "", "信访、维稳", "接访时间 工作日 9:00-17:00"),
    ("区交通运输局", "", "", "0571-86090001", "", "0571-86090000", "", "交通、安全生产", ""),
    ("区市场监管局", "", "", "0571-86100001", "", "0571-86100000", "", "食品安全、安全生产", ""),
    ("东城街道办事处", "", "", "0571-86110001", "", "0571-86110000", "", "防汛、信访、街道", ""),
    ("东城街道办事处", "孙主任", "党政办主任", "0571-86110102", "13600004444", "", "", "街道、信访", ""),
    ("西湖街道办事处", "", "", "0571-86120001", "", "0571-86120000", "", "防汛、街道", ""),
    ("市政府总值班室", "", "", "0571-87000001", "", "0571-87000000", "0571-87000009", "上级、信息报送",
     "重大、较大突发事件30分钟内电话报告，1小时内书面报告"),
    ("区供电公司", "", "", "0571-86130001", "", "0571-86130095", "", "供电、抢修", ""),
    ("省政府总值班室", "", "", "0571-87050001", "", "0571-87050000", "0571-87050009", "上级、信息报送",
     "书面报告经值班信息专网报送，同时传真"),
    ("市应急管理局", "", "", "0571-87060001", "", "0571-87060000", "0571-87060009", "应急、信息报送、自然灾害、事故灾难",
     ""),
)
FIELDS = ("unit", "name", "title", "office_phone", "mobile", "duty_phone", "fax", "tags", "notes")


def fill_demo_contacts(desk: Desk, actor: str = "system") -> int:
    """The demo's contact book, once (a store that has contacts is left
    alone). Returns how many contacts were written."""
    if Contact.select().exists():
        return 0
    now = desk.now()
    with desk.db.atomic():
        for entry in DEMO_CONTACTS:
            values: dict[str, Any] = dict(zip(FIELDS, entry, strict=True))
            values["tags"] = values["tags"].split("、") if values["tags"] else []
            row = Contact.create(**values, recorded_at=now, recorded_by=actor)
            audit.append(now, actor, "create", "contact", row.id, None, audit.snapshot(row))
    return len(DEMO_CONTACTS)
