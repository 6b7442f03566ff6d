"""A store of N years, written through the project's own schema and audit chain.

The store is opened with ``open_desk`` (real migrations, guards, officers);
the past duty days are then written in bulk (``insert_many`` inside large
transactions), each record with the audit events the services would have
written for it, chained with ``audit.event_digest`` so `duty-desk audit
verify` passes. Today's duty day is written through the services themselves:
a few closed entries and the handful of items open now.

The rows go in past the search index, so it is built afterwards
(``search_probes.index_store``, as migration 5 builds it for a store from
before search); ``python -m benchmarks.tenyear.generate`` and the benchmark
both do.

Per year: 100,000 log entries, 10,000 visitors, 5,000 documents, 1,000
urgent items (four timeline events each), about 190,000 audit events.
"""

from __future__ import annotations

import getpass
import heapq
import random
import sys
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from duty_desk.core import audit, clock
from duty_desk.core.config import Config, load_config
from duty_desk.core.deadlines import TimelineFact, document_due, next_due, ordinary_due
from duty_desk.core.dutytime import duty_date_of, shift_slots
from duty_desk.core.models import (
    AuditEvent,
    Document,
    DocumentStep,
    JSONField,
    LogEntry,
    Shift,
    UrgentEvent,
    UrgentItem,
    Visitor,
)
from duty_desk.core.opening import open_desk

PER_YEAR = {"log": 100_000, "visitor": 10_000, "document": 5_000, "urgent": 1_000}
DAYS_PER_YEAR = 365


def officers_toml(login: str) -> str:
    """The officers of the store: the OS login (so the command line may act),
    two colleagues, a leader and an administrator."""
    specs = [(login, "李明", "officer", "13800000001"), ("chenjing", "陈静", "officer", "13800000002"),
             ("zhaolei", "赵磊", "officer", "13800000003"), ("wangjun", "王军", "leader", "13800000004"),
             ("zhouhong", "周红", "admin", "13800000005")]
    out = []
    for lg, name, role, phone in specs:
        out.append(f'[[officers]]\nlogin = "{lg}"\nname = "{name}"\nrole = "{role}"\nphone = "{phone}"\n')
    return "\n".join(out)


def write_config(folder: Path, login: str | None = None) -> Path:
    path = folder / "config.toml"
    path.write_text(officers_toml(login or getpass.getuser()), encoding="utf-8")
    return path


# --- realistic text ------------------------------------------------------------

UNITS = ["市应急管理局", "市公安局指挥中心", "东城街道办事处", "西湖区人民政府", "市水务局", "市交通运输局",
         "市卫生健康委", "市生态环境局", "市气象局", "市住建局", "市消防救援支队", "市信访局", "省政府总值班室",
         "市委办公室", "城西区人民政府", "高新区管委会", "市自然资源和规划局", "市市场监管局", "国网市供电公司"]
PEOPLE = ["刘洋", "张伟", "王芳", "李娜", "陈刚", "杨帆", "黄磊", "周敏", "吴强", "徐静", "孙涛", "马丽", "朱军"]
TITLES = ["值班员", "科长", "副主任", "值班长", "办公室主任", "副局长"]
CALLS = [
    "{unit}来电报告：{place}发生积水，深约三十厘米，已设置警示，请求协调排水。",
    "{unit}来电询问明日防汛会商会议时间及参会范围，已告知。",
    "{unit}来电报告：{place}一处路灯杆倾斜，存在安全隐患，已通知属地处置。",
    "{unit}来电反映{place}供水管道爆裂，约两百户停水，抢修队伍已出发。",
    "{unit}来电报送今日值班情况：辖区平稳，无重要情况。",
    "{unit}来电核实{place}群众聚集情况，经了解已疏散。",
    "{unit}来电通报：受强降雨影响，{place}部分路段临时交通管制。",
]
NOTES = [
    "按领导要求，将{unit}报送的情况整理后报带班领导阅。",
    "检查值班电话、传真、视频会议系统，运行正常。",
    "接{unit}通知，明日上午九时召开全市安全生产视频会议。",
    "{place}停电情况已恢复，供电公司报告抢修完毕。",
    "整理本班来电来文情况，更新值班日志。",
]
PLACES = ["人民路与解放路交叉口", "滨江大道隧道", "城南新区安置小区", "火车站广场", "西溪路地下通道",
          "东湖公园", "经济开发区三号路", "老城区胜利街", "北山水库下游", "市第一人民医院门口"]
RESULTS = ["已转告相关部门，处置完毕，对方回复已解决。", "经协调，属地已派员处置，现场恢复正常。",
           "已报带班领导，按领导指示答复来电人。", "已电话回复，对方表示满意。"]
DOC_TITLES = ["关于做好近期防汛防台工作的通知", "关于进一步加强值班值守工作的通知", "关于开展安全生产大检查的通知",
              "关于做好节假日期间值班工作的通知", "关于报送突发事件信息的通知", "关于做好高温天气防范工作的通知",
              "关于印发应急预案的通知", "关于开展消防安全专项整治的通知"]
SENDERS = [("省政府办公厅", "浙政办发"), ("市委办公室", "市委办"), ("市政府办公室", "市政办发"),
           ("市应急管理局", "市应急发"), ("省应急管理厅", "浙应急")]
URGENT_TITLES = ["{place}发生道路塌陷", "{place}一居民楼起火", "{place}发生交通事故致多人受伤",
                 "{place}燃气管道泄漏", "{place}因暴雨内涝", "{place}发生山体滑坡"]
EVENT_TYPES = ["自然灾害", "事故灾难", "公共卫生事件", "社会安全事件"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
# Given names with s/sh initials (张帅 is zs) and rarer characters (堃, 喆) for search.
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂帅松淑喆堃"
PURPOSES = ["反映小区物业问题", "咨询拆迁补偿政策", "沟通防汛排涝联动事宜", "递交材料", "参加会议", "反映噪声扰民"]
HOSTS = ["综合处", "督查室", "信访接待室", "秘书一处", "应急办"]


class Chain:
    """Audit events, chained exactly as audit.append chains them."""

    def __init__(self, last_id: int, last_hash: str):
        self.id, self.hash = last_id, last_hash
        self.rows: list[tuple] = []

    def add(self, at: str, actor: str, action: str, kind: str, record_id: int | None,
            old=None, new=None, outcome: str = "success") -> None:
        old_s, new_s = audit._dump(old), audit._dump(new)
        digest = audit.event_digest(self.hash, at, actor, action, kind, record_id, old_s, new_s, outcome)
        self.id += 1
        self.rows.append((self.id, at, actor, action, kind, record_id, old_s, new_s, outcome, self.hash, digest))
        self.hash = digest


AUDIT_FIELDS = ["id", "at", "actor", "action", "kind", "record_id", "old", "new", "outcome", "prev_hash", "hash"]


def _ts(moment: datetime) -> str:
    """UTC text as UTCDateTimeField stores it (moments here are UTC, whole seconds)."""
    return moment.isoformat(" ")[:19]


def _fields(model) -> list[str]:
    return list(model._meta.fields)


class Generator:
    def __init__(self, desk, years: float, seed: int = 11):
        self.desk, self.cfg = desk, desk.cfg
        self.rng = random.Random(seed)
        self.years = years
        self.login = desk.actor
        self.officers = [self.login, "chenjing", "zhaolei"]
        self.leader = "王军"
        last = AuditEvent.select(AuditEvent.id, AuditEvent.hash).order_by(AuditEvent.id.desc()).first()
        self.chain = Chain(last.id if last else 0, last.hash if last else audit.GENESIS)
        self.next_id = {m: (m.select(m.id).order_by(m.id.desc()).scalar() or 0) + 1
                        for m in (Shift, LogEntry, Visitor, Document, DocumentStep, UrgentItem, UrgentEvent)}
        self.rows: dict = {m: [] for m in self.next_id}
        self.pending: list[tuple] = []  # heap of later events: (at, seq, args)
        self.seq = 0
        self.serials: dict[int, int] = {}
        self.counts = dict.fromkeys(["shift", "log", "visitor", "document", "document_step", "urgent",
                                     "urgent_event", "audit"], 0)

    # -- helpers ------------------------------------------------------------

    def take_id(self, model) -> int:
        n = self.next_id[model]
        self.next_id[model] = n + 1
        return n

    def later(self, at: str, *args, **kwargs) -> None:
        """An audit event at ``at`` (later than now in the day being written)."""
        self.seq += 1
        heapq.heappush(self.pending, (at, self.seq, args, kwargs))

    def flush_events(self, until: str | None) -> None:
        while self.pending and (until is None or self.pending[0][0] < until):
            at, _, args, kwargs = heapq.heappop(self.pending)
            self.chain.add(at, *args, **kwargs)

    def person(self) -> str:
        r = self.rng
        return r.choice(SURNAMES) + r.choice(GIVEN) + (r.choice(GIVEN) if r.random() < 0.6 else "")

    def write(self) -> None:
        """Insert what was gathered, parents first, then the audit events.

        Each table's statement is Peewee's own ``insert_many`` SQL for one row,
        run with the driver's executemany over every row: building the SQL of
        big multi-row inserts in Peewee cost four times the writing itself."""
        for model in (Shift, LogEntry, Visitor, Document, DocumentStep, UrgentItem, UrgentEvent):
            rows = self.rows[model]
            if not rows:
                continue
            names = list(rows[0])
            json_cols = [i for i, n in enumerate(names) if isinstance(model._meta.fields[n], JSONField)]
            values = [tuple(r[n] for n in names) for r in rows]
            if json_cols:
                values = [tuple(audit._dump(v) if i in json_cols else v for i, v in enumerate(row)) for row in values]
            self._insert(model, names, values)
            self.rows[model] = []
        self._insert(AuditEvent, AUDIT_FIELDS, self.chain.rows)
        self.counts["audit"] += len(self.chain.rows)
        self.chain.rows = []

    def _insert(self, model, names: list[str], values: list[tuple]) -> None:
        if not values:
            return
        fields = [model._meta.fields[n] for n in names]
        sql, _ = model.insert_many([values[0]], fields=fields).sql()
        self.desk.db.cursor().executemany(sql, values)

    # -- one duty day -------------------------------------------------------

    def day(self, day: date, per_day: dict[str, float]) -> None:
        r = self.rng
        slot = shift_slots(day, self.cfg)[0]
        start, end = slot.starts_at, slot.ends_at
        officer = self.officers[day.toordinal() % len(self.officers)]
        sid = self.take_id(Shift)
        shift = {"id": sid, "duty_date": day.isoformat(), "index": 0, "name": slot.name,
                 "starts_at": _ts(start), "ends_at": _ts(end), "officers": [officer], "leaders": [self.leader],
                 "state": "open", "started_at": _ts(start + timedelta(minutes=2)), "started_by": officer, "part": 0}
        self.chain.add(shift["started_at"], officer, "create", "shift", sid, None, dict(shift))
        handed = _ts(end - timedelta(minutes=10))
        accepted = _ts(end + timedelta(minutes=5))
        shift["state"] = "accepted"
        self.later(handed, officer, "hand_over", "shift", sid, {"state": "open"}, {"state": "handed_over"})
        nxt = self.officers[(day.toordinal() + 1) % len(self.officers)]
        self.later(accepted, nxt, "accept", "shift", sid, {"state": "handed_over"}, {"state": "accepted"})
        self.rows[Shift].append(shift)
        self.counts["shift"] += 1

        span = (end - start).total_seconds() - 900
        todo = []
        for kind, rate in per_day.items():
            n = int(rate) + (1 if r.random() < rate - int(rate) else 0)
            todo += [kind] * n
        moments = sorted(start + timedelta(seconds=300 + r.random() * span) for _ in todo)
        r.shuffle(todo)
        for kind, moment in zip(todo, moments, strict=True):
            moment = moment.replace(microsecond=0)
            self.flush_events(_ts(moment))
            getattr(self, "make_" + kind)(sid, day, moment, officer)
        self.flush_events(_ts(end))

    def base(self, model, sid: int, day: date, recorded: datetime, officer: str) -> dict:
        return {"id": self.take_id(model), "shift": sid, "duty_date": day.isoformat(), "recorded_at": _ts(recorded),
                "recorded_by": officer, "voided_at": None, "voided_by": None, "void_reason": None}

    def make_log(self, sid: int, day: date, moment: datetime, officer: str) -> None:
        r = self.rng
        occurred = moment - timedelta(minutes=r.randint(0, 10))
        x = r.random()
        unit, place = r.choice(UNITS), r.choice(PLACES)
        if x < 0.5:
            category, content = "来电", r.choice(CALLS).format(unit=unit, place=place)
            needs = r.random() < 0.5
        elif x < 0.6:
            category, content, needs = "来文", f"收到{unit}传真《{r.choice(DOC_TITLES)}》，已登记并呈领导阅示。", False
        elif x < 0.68:
            category, content, needs = "来访", f"{self.person()}等{r.randint(1, 5)}人来访，{r.choice(PURPOSES)}。", False
        elif x < 0.73:
            category, needs = "交办", True
            content = f"带班领导交办：督促{unit}于今日内报送{place}隐患排查情况。"
        elif x < 0.78:
            category, content, needs = "事件", f"{place}发生轻微险情，{unit}已到场处置，无人员伤亡。", False
        else:
            category, content, needs = "记事", r.choice(NOTES).format(unit=unit, place=place), False
        row = self.base(LogEntry, sid, day, moment, officer)
        row.update(occurred_at=_ts(occurred), category=category, content=content,
                   counterpart_unit=unit if category in ("来电", "来文", "交办") else "",
                   counterpart_name=r.choice(PEOPLE) if category == "来电" else "",
                   counterpart_title=r.choice(TITLES) if category == "来电" else "",
                   counterpart_phone=f"0571-8{r.randint(1000000, 9999999)}" if category == "来电" else "",
                   already_informed="", handling="", result="", needs_action=needs,
                   owner=officer if needs else None,
                   due_at=_ts(ordinary_due(occurred, self.cfg)) if needs else None,
                   due_explicit=False, closed_at=None, amends=None)
        self.chain.add(row["recorded_at"], officer, "create", "log", row["id"], None, dict(row))
        if needs:
            closed = _ts(moment + timedelta(minutes=r.randint(10, 110)))
            result = r.choice(RESULTS)
            self.later(closed, officer, "result", "log", row["id"], {"closed_at": None, "result": ""},
                       {"closed_at": closed, "result": result})
            row.update(result=result, closed_at=closed)
        self.rows[LogEntry].append(row)
        self.counts["log"] += 1

    def make_visitor(self, sid: int, day: date, moment: datetime, officer: str) -> None:
        r = self.rng
        row = self.base(Visitor, sid, day, moment, officer)
        row.update(name=self.person(), unit=r.choice(UNITS) if r.random() < 0.5 else "",
                   phone=f"13{r.randint(100000000, 999999999)}", id_type="居民身份证",
                   id_masked=f"33010{r.randint(1, 9)}********{r.randint(1000, 9999)}",
                   purpose=r.choice(PURPOSES), host=r.choice(HOSTS), party_size=r.randint(1, 4),
                   arrived_at=row["recorded_at"], reception_at=None, left_at=None, state="waiting",
                   received_by="", result="", owner=officer, amends=None)
        self.chain.add(row["recorded_at"], officer, "create", "visitor", row["id"], None, dict(row))
        received = _ts(moment + timedelta(minutes=r.randint(3, 20)))
        left = _ts(moment + timedelta(minutes=r.randint(30, 120)))
        self.later(received, officer, "receive", "visitor", row["id"],
                   {"reception_at": None, "received_by": "", "state": "waiting"},
                   {"reception_at": received, "received_by": row["host"], "state": "receiving"})
        self.later(left, officer, "check_out", "visitor", row["id"], {"left_at": None, "state": "receiving"},
                   {"left_at": left, "state": "left"})
        row.update(reception_at=received, received_by=row["host"], left_at=left, state="left")
        self.rows[Visitor].append(row)
        self.counts["visitor"] += 1

    def step(self, doc_id: int, step: str, at: str, officer: str, party: str = "", text: str = "") -> dict:
        row = {"id": self.take_id(DocumentStep), "document": doc_id, "step": step, "at": at, "by": officer,
               "party": party, "text": text, "deadline": None, "recorded_at": at,
               "voided_at": None, "voided_by": None, "void_reason": None}
        self.rows[DocumentStep].append(row)
        self.counts["document_step"] += 1
        return {k: row[k] for k in ("id", "step", "at", "by", "party", "text", "deadline", "recorded_at")}

    def make_document(self, sid: int, day: date, moment: datetime, officer: str) -> None:
        r = self.rng
        row = self.base(Document, sid, day, moment, officer)
        year = moment.astimezone(self.cfg.timezone).year
        n = self.serials[year] = self.serials.get(year, 0) + 1
        sender, prefix = r.choice(SENDERS)
        classified = r.random() < 0.1
        urgency = r.choice(["", "", "平急", "加急", "特急"])
        received = _ts(moment)
        due = document_due(urgency, moment, self.cfg)
        row.update(serial=f"{year}-{n:04d}", received_at=received, sender=sender,
                   doc_number=f"{prefix}〔{year}〕{r.randint(1, 300)}号",
                   title="" if classified else r.choice(DOC_TITLES),
                   classification=r.choice(["秘密", "机密"]) if classified else "",
                   secrecy_period="十年" if classified else "",
                   copy_number=f"{r.randint(1, 999):06d}" if classified else "", copies=1, urgency=urgency,
                   attachments="", summary="", deadline=_ts(due) if due else None, deadline_explicit=False,
                   state="registered", custody=officer, proposal="", handling_units="", reply="", owner=officer,
                   closed_at=None, filed_at=None, file_number="", amends=None)
        steps = [self.step(row["id"], "sign", received, officer, text="1"),
                 self.step(row["id"], "register", received, officer, text=row["serial"])]
        self.chain.add(received, officer, "create", "document", row["id"], None, {**row, "steps": steps})
        t = moment
        unit = r.choice(UNITS)
        plan = [("check", "", "", {"state": "checked"}),
                ("assign", unit, "", {"handling_units": unit, "custody": unit, "state": "assigned"})]
        if not classified:
            reply = "已按要求落实，情况已报。"
            plan.append(("reply", unit, reply, {"reply": reply, "state": "replied"}))
        plan.append(("close", "", "", {"closed_at": None, "state": "closed"}))
        plan.append(("file", "", f"{year}-永久-{n:04d}", {"file_number": None, "filed_at": None, "state": "filed"}))
        for name, party, text, changes in plan:
            t = t + timedelta(minutes=r.randint(10, 90))
            at = _ts(t)
            if "closed_at" in changes:
                changes["closed_at"] = at
            if "filed_at" in changes:
                changes.update(filed_at=at, file_number=text)
            old = {k: row[k] for k in changes}
            row.update(changes)
            step = self.step(row["id"], name, at, officer, party, text)
            self.later(at, officer, name, "document", row["id"], old,
                       {**changes, "step": name, "party": party, "text": text, "steps": [step]})
        self.rows[Document].append(row)
        self.counts["document"] += 1

    def make_urgent(self, sid: int, day: date, moment: datetime, officer: str) -> None:
        r = self.rng
        row = self.base(UrgentItem, sid, day, moment, officer)
        level = r.choice(["IV", "IV", "IV", "III", "III", "II"])
        received = moment - timedelta(minutes=r.randint(0, 5))
        place = r.choice(PLACES)
        due = next_due(level, received, [], self.cfg)
        row.update(title=r.choice(URGENT_TITLES).format(place=place), event_type=r.choice(EVENT_TYPES), level=level,
                   occurred_at=_ts(received - timedelta(minutes=r.randint(5, 30))), place=place,
                   received_at=_ts(received), source_unit=r.choice(UNITS), source_name=r.choice(PEOPLE),
                   source_phone=f"0571-8{r.randint(1000000, 9999999)}", first_responder=officer,
                   casualties="无人员伤亡" if r.random() < 0.7 else f"{r.randint(1, 3)}人轻伤，已送医",
                   measures="属地已组织力量处置，现场已控制。", leaders_on_scene="", trend="态势平稳",
                   recommendations="", summary="", cause="", next_steps="", reliability="",
                   owner=officer, next_due_kind=due.kind if due else None,
                   next_due_at=_ts(due.at) if due else None, state="open", closed_at=None, amends=None)
        self.chain.add(row["recorded_at"], officer, "create", "urgent", row["id"], None, dict(row))
        facts: list[TimelineFact] = []
        t = moment
        unit = "市政府总值班室"
        for kind, party, text in (("leader_informed", self.leader, ""), ("phone_report", unit, ""),
                                  ("first_report", unit, "首报：事件基本情况及处置措施。"),
                                  ("final", unit, "终报：处置完毕，现场恢复正常。")):
            t = t + timedelta(minutes=r.randint(5, 25))
            at = _ts(t)
            event = {"id": self.take_id(UrgentEvent), "kind": kind, "seq": 0, "at": at, "by": officer,
                     "party": party, "means": "电话" if kind != "final" else "系统", "text": text,
                     "recorded_at": at, "voided_at": None, "voided_by": None, "void_reason": None}
            self.rows[UrgentEvent].append({**event, "item": row["id"]})
            self.counts["urgent_event"] += 1
            facts.append(TimelineFact(kind, t))
            before = dict(row)
            if kind == "final":
                row.update(state="closed", closed_at=at)
            due = next_due(level, received, facts, self.cfg, closed=row["state"] == "closed")
            row.update(next_due_kind=due.kind if due else None, next_due_at=_ts(due.at) if due else None)
            old, new = audit.changes(before, row)
            self.later(at, officer, kind, "urgent", row["id"], old or None, {**new, "event": event})
        self.rows[UrgentItem].append(row)
        self.counts["urgent"] += 1


def fill_today(desk, login: str, now: datetime) -> dict[str, int]:
    """Today's duty day through the services: closed entries, then the items
    open now (calls awaiting results, 2 visitors on the premises, 3 open
    documents, 1 open urgent item, 1 open instruction)."""
    from duty_desk.core.dutytime import duty_day_bounds
    from duty_desk.core.services import documents, instructions, log, urgent, visitors

    start, _ = duty_day_bounds(duty_date_of(now, desk.cfg), desk.cfg)
    steps = 30
    span = max((now - start).total_seconds() - 120, steps)
    moments = [start + timedelta(seconds=60 + span * i / steps) for i in range(steps)]
    moments = [m.replace(microsecond=0) for m in moments]
    rng = random.Random(7)
    try:
        for i, m in enumerate(moments[:20]):
            clock.set_now(m)
            unit, place = rng.choice(UNITS), rng.choice(PLACES)
            if i % 3 == 0:
                e = log.record_entry(desk, rng.choice(CALLS).format(unit=unit, place=place), "来电",
                                     counterpart_unit=unit, counterpart_name=rng.choice(PEOPLE), needs_action=True)
                log.record_result(desk, e.id, rng.choice(RESULTS))
            else:
                log.record_entry(desk, rng.choice(NOTES).format(unit=unit, place=place), "记事")
        rest = iter(moments[20:])
        for i in range(4):
            clock.set_now(next(rest))
            unit, place = UNITS[i], PLACES[i]
            log.record_entry(desk, CALLS[0].format(unit=unit, place=place), "来电", counterpart_unit=unit,
                             counterpart_name=PEOPLE[i], needs_action=True)
        for i in range(2):
            clock.set_now(next(rest))
            visitors.register_visitor(desk, ["赵建国", "钱秀兰"][i], unit="市水务局", purpose=PURPOSES[i], host="综合处")
        docs = []
        for i in range(3):
            clock.set_now(next(rest))
            docs.append(documents.receive_document(desk, "省政府办公厅", title=DOC_TITLES[i],
                                                   doc_number=f"浙政办发〔{now.year}〕{90 + i}号", urgency="加急"))
        clock.set_now(next(rest))
        item = urgent.open_urgent(desk, "城西区暴雨致道路塌陷", "自然灾害", "IV", place="城西区文二路")
        urgent.add_event(desk, item.id, "leader_informed", party="王军")
        instructions.record_instruction(desk, "document", docs[0].id, "王军", "请应急办牵头落实，今日内报结果。")
    finally:
        clock.set_now(None)
    return {"today": 1}


def plan_rosters(desk, first: date, today: date, login: str) -> int:
    """A published roster for every month of the store and the next, planned
    as an administrator plans it (the services, with their audit events);
    today's slot names the login, so the desk opens as the officer on duty."""
    from duty_desk.core.desk import Desk
    from duty_desk.core.roster.service import plan_month, publish_month, set_duty

    admin = Desk(desk.cfg, desk.db, "zhouhong")
    month, count = first.replace(day=1), 0
    until = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    while month <= until:
        key = f"{month:%Y-%m}"
        plan_month(admin, key)
        publish_month(admin, key)
        count += 1
        month = (month + timedelta(days=32)).replace(day=1)
    for slot in range(len(desk.cfg.shifts)):
        set_duty(admin, today, slot, officers=[login], reason="值班员调整")
    return count


def build_store(folder: Path, years: float, cfg_path: Path, login: str | None = None,
                progress=print) -> Path:
    """Build ``folder/desk.db`` holding ``years`` years up to today."""
    login = login or getpass.getuser()
    cfg: Config = load_config(str(cfg_path))
    path = folder / "desk.db"
    t0 = time.perf_counter()
    desk = open_desk(cfg, f"sqlite:///{path}", login=login)
    try:
        db = desk.db
        db.execute_sql("PRAGMA synchronous = OFF")  # this connection only: the generator's own speed
        db.execute_sql("PRAGMA cache_size = -200000")
        now = datetime.now(timezone.utc).replace(microsecond=0)
        today = duty_date_of(now, cfg)
        days = round(years * DAYS_PER_YEAR)
        per_day = {k: v / DAYS_PER_YEAR for k, v in PER_YEAR.items()}
        gen = Generator(desk, years)
        last_report = t0
        first = today - timedelta(days=days)
        batch_days = 30
        d = first
        while d < today:
            with db.atomic():
                for _ in range(batch_days):
                    if d >= today:
                        break
                    gen.day(d, per_day)
                    d += timedelta(days=1)
                if d >= today:
                    gen.flush_events(None)
                gen.write()
            if time.perf_counter() - last_report > 5 or d >= today:
                last_report = time.perf_counter()
                done = (d - first).days
                progress(f"  {done}/{days} days  " + "  ".join(f"{k} {v:,}" for k, v in gen.counts.items())
                         + f"  {time.perf_counter() - t0:.0f} s")
        db.execute_sql("PRAGMA synchronous = FULL")
        months = plan_rosters(desk, first, today, login)
        progress(f"  roster: {months} months planned and published  {time.perf_counter() - t0:.0f} s")
        fill_today(desk, login, now)
        counts = gen.counts
    finally:
        desk.close()
    progress(f"store written in {time.perf_counter() - t0:.1f} s: {path} "
             f"({path.stat().st_size / 1e6:.0f} MB)")
    return path, counts


if __name__ == "__main__":  # a quick look: python -m benchmarks.tenyear.generate DIR YEARS
    folder = Path(sys.argv[1])
    folder.mkdir(parents=True, exist_ok=True)
    from benchmarks.tenyear.search_probes import index_store

    def told(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    config = write_config(folder)
    path, _ = build_store(folder, float(sys.argv[2]), config, progress=told)
    index_store(path, config, progress=told)


def empty_store(folder: Path, cfg_path: Path, login: str | None = None) -> Path:
    """A new store: opened once (migrations, guards, officers), nothing recorded."""
    path = folder / "desk.db"
    desk = open_desk(load_config(str(cfg_path)), f"sqlite:///{path}", login=login or getpass.getuser())
    desk.close()
    return path
