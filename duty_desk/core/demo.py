"""One realistic duty day of Chinese office content, for trying the desk.

It is written into a separate demo database, never into the office's real one,
through the same services an officer uses, so it is audited like real work.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

from duty_desk.core import audit
from duty_desk.core.desk import Desk
from duty_desk.core.dutytime import duty_day_bounds
from duty_desk.core.models import Officer
from duty_desk.core.reports import facts
from duty_desk.core.services import documents, log, urgent, visitors
from duty_desk.core.services.common import start_shift

DEMO_OFFICERS = (
    # login, name, role, phone
    ("zhangwei", "张伟", "officer", "13800000001"),
    ("chenjing", "陈静", "officer", "13800000002"),
    ("wangjun", "王军", "leader", "13800000003"),
)
CURRENT_NAME = "李明"


def retire_stale_demo(path: Path, today: date) -> Path | None:
    """A demo filled on an earlier duty day shows an empty log with every item
    overdue: move it aside (demo-YYYY-MM-DD.db, kept, never deleted) so the
    next start fills a demo day for today. Returns where it went, or None when
    it is today's, missing, or in use (its write-ahead log is open)."""
    if not path.is_file() or Path(f"{path}-wal").exists():
        return None
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = con.execute("SELECT MAX(duty_date) FROM log_entry").fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        return None  # not a demo this version wrote: leave it to open_database to explain
    if not row or not row[0] or row[0] >= today.isoformat():
        return None
    target = path.with_name(f"{path.stem}-{row[0]}{path.suffix}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.stem}-{row[0]}-{n}{path.suffix}")
    path.rename(target)
    return target


def ensure_demo_officers(desk: Desk) -> None:
    """The demo's officers, with the current login among those on duty."""
    with desk.db.atomic():
        wanted = [(desk.actor, CURRENT_NAME, "officer", "13800000000")]
        wanted += [o for o in DEMO_OFFICERS if o[0] != desk.actor]
        for login, name, role, phone in wanted:
            row = Officer.get_or_none(Officer.login == login)
            if row is None:
                row = Officer.create(login=login, name=name, role=role, phone=phone, created_at=desk.now())
                audit.append(desk.now(), "system", "create", "officer", row.id, None, audit.snapshot(row))
            elif row.name == row.login:
                # open_desk registered the current login under its bare login name
                # (a new store, no officers): give it the demo's officer name.
                before = audit.snapshot(row)
                row.name, row.phone = name, row.phone or phone
                row.save(only=[Officer.name, Officer.phone])
                old, new = audit.changes(before, audit.snapshot(row))
                audit.append(desk.now(), "system", "update", "officer", row.id, old, new)


def fill_demo_day(desk: Desk, progress: Callable[[str], None] | None = None) -> int:
    """Write the demo day. Returns how many records were written."""
    say = progress or (lambda _msg: None)
    ensure_demo_officers(desk)
    now = desk.now()
    day_start, _ = duty_day_bounds(desk.today(), desk.cfg)
    # The day's events lie between its start and now; in the first hour of a
    # duty day they reach back into the night before, so they never crowd
    # into a few minutes or fall after now.
    origin = min(day_start, now - timedelta(hours=1))
    span = (now - origin).total_seconds()

    def at(fraction: float) -> datetime:
        """A moment ``fraction`` of the way from the origin to now."""
        return origin + timedelta(seconds=int(span * fraction))

    year = now.astimezone(desk.cfg.timezone).year
    c = season_content(now.astimezone(desk.cfg.timezone).month, year)
    start_shift(desk, leaders=["王军"])
    count = 0
    say("log")
    log.record_entry(desk, "接班。检查值班电话、传真、值班系统运行正常。", "记事", at(0.01))
    log.record_entry(
        desk, c["duty_call"], "来电", at(0.08),
        counterpart_unit="市应急管理局", counterpart_name="刘洋", counterpart_title="值班员",
        counterpart_phone="0571-87000001",
    )
    log.record_entry(
        desk, c["weather"], "来电", at(0.18),
        counterpart_unit="市气象台", counterpart_name="周敏", counterpart_phone="0571-87000002",
        already_informed=c["weather_informed"], handling=c["weather_handling"],
    )
    log.record_entry(
        desk, "反映城东路段窨井盖缺失，请求协调处置，需回复处置结果。", "来电", at(0.35),
        counterpart_unit="东城街道办事处", counterpart_name="孙立", counterpart_phone="13900000011",
        handling="已转市城管局值班室。", needs_action=True,
    )
    log.record_entry(desk, c["task"], "交办", at(0.5), counterpart_name="王军", counterpart_title="副秘书长")
    count += 5
    say("visitors")
    v1 = visitors.register_visitor(
        desk, "赵建国", unit="东城街道办事处", phone="13900000021", id_number="11010519491231002X",
        purpose=c["visit1"], host="应急协调处", party_size=2, arrived_at=at(0.3),
    )
    visitors.start_reception(desk, v1.id, "应急协调处 钱处长", at(0.33))
    visitors.check_out(desk, v1.id, "材料已转应急协调处", at(0.42))
    visitors.register_visitor(
        desk, "钱秀英", unit=c["visit2_unit"], phone="13900000022", purpose=c["visit2"],
        host="综合处", party_size=1, arrived_at=at(0.8),
    )
    count += 2
    say("documents")
    # Due today: before this duty day ends, and not too soon to be worked on.
    _, day_end = duty_day_bounds(desk.today(), desk.cfg)
    deadline = max(min(now + timedelta(hours=4), day_end - timedelta(minutes=30)), now + timedelta(minutes=45))
    doc1 = documents.receive_document(
        desk, "省政府办公厅", title=c["notice"], doc_number=f"浙政办发〔{year}〕38号", urgency="特急", copies=2,
        received_at=at(0.12), deadline=deadline, summary=c["notice_summary"],
    )
    documents.advance_document(desk, doc1.id, "check")
    documents.advance_document(desk, doc1.id, "propose", text=c["proposal"])
    documents.receive_document(
        desk, "市委办公室", doc_number=f"市委办〔{year}〕12号", classification="机密", secrecy_period="10年",
        copy_number="000123", copies=1, received_at=at(0.25),
    )
    doc3 = documents.receive_document(
        desk, c["letter_sender"], title=c["letter"], doc_number=c["letter_number"], received_at=at(0.4),
    )
    documents.advance_document(desk, doc3.id, "check")
    documents.advance_document(desk, doc3.id, "assign", party=c["letter_unit"])
    count += 3
    say("urgent")
    received = at(0.55)
    item = urgent.open_urgent(
        desk, c["urgent"], c["urgent_type"], "III", received_at=received,
        occurred_at=received - timedelta(minutes=15), place=c["place"],
        source_unit="城西区政府总值班室", source_name="吴刚", source_phone="0571-87000003",
        casualties=c["casualties"], measures=c["measures"],
        leaders_on_scene="城西区副区长郑涛", trend=c["trend"], recommendations=c["recommendations"],
        summary=c["urgent_summary"], reliability="已电话核实",
    )
    step = (now - received) / 6
    urgent.add_event(desk, item.id, "leader_informed", party="王军", means="电话", at=received + step,
                     text=c["instruction"])
    urgent.record_phone_report(desk, item.id, party="省政府总值班室", at=received + step * 2)
    # The written reports go through sign-off by the leader on duty and to every
    # recipient alike; the 续报一 was approved by phone, the officer recording it.
    leader = Desk(desk.cfg, desk.db, "wangjun")
    send_report(desk, leader, item.id, received + step * 2.5, received + step * 2.8, received + step * 3,
                (("省政府总值班室", "专网"), ("市应急管理局", "传真")), reason=c["delay_reason"])
    facts.update_facts(desk, item.id, {"measures": c["measures_later"], "next_steps": c["next_steps"]},
                       at=received + step * 4)
    send_report(desk, leader, item.id, received + step * 4.5, received + step * 4.8, received + step * 5,
                (("省政府总值班室", "专网"),), reason=c["delay_reason"], phoned=True)
    count += 1
    return count


def send_report(officer: Desk, leader: Desk, item_id: int, drafted: datetime, approved: datetime, sent: datetime,
                recipients: tuple[tuple[str, str], ...], reason: str = "", phoned: bool = False,
                kind: str | None = None) -> int:
    """An urgent item's next written report from the template: drafted,
    signed off by the leader (at the desk, or by phone as the officer records
    it), sent to each recipient; ``reason`` is kept only if it went late."""
    from duty_desk.core.reports import service as reports

    report = reports.draft(officer, item_id, kind, at=drafted)
    if phoned:
        reports.approve(officer, report.id, leader=leader.actor, at=approved)
    else:
        reports.approve(leader, report.id, at=approved)
    for recipient, means in recipients:
        reports.send(officer, report.id, recipient, means, at=sent, delay_reason=reason)
    return report.id


# The demo's past: a few records a day, written through the services with
# the clock standing in each past duty day, each day handed over and accepted,
# so history, the handover sheets and search have something to show.
HISTORY_DAYS = 90
_CALLERS = (  # unit, name, title, phone
    ("区水务局", "王科长", "科长", "13800001111"), ("东城街道办事处", "张三", "主任", "13900001234"),
    ("市气象台", "周敏", "预报员", "0571-87000002"), ("市应急管理局", "刘洋", "值班员", "0571-87000001"),
    ("城西区政府总值班室", "吴刚", "值班员", "0571-87000003"), ("市城管局", "曾晓燕", "副科长", "13900005678"),
)
_VISITORS = (  # name, unit, phone, purpose
    ("张三", "东城街道办事处", "13900001234", "反映辖区积水点整治情况"), ("单田芳", "市曲艺家协会", "13900002345", "送交活动方案"),
    ("解晓东", "城南社区", "13900003456", "咨询困难群众救助政策"), ("李四", "市水务局", "13900004567", "报送水库巡查材料"),
)
_DOC_SENDERS = (("市应急管理局", "市应急"), ("市水务局", "市水"), ("市政府办公室", "市政办"), ("市民政局", "市民函"))
_TOPICS = {
    "flood": ("防汛", "水库水位接近汛限，已按预案加密巡查", "暴雨蓝色预警", "防汛物资调拨"),
    "fire": ("森林防灭火", "林区巡护力量已全部到岗", "森林火险黄色预警", "防火物资检查"),
    "winter": ("寒潮防范", "供水管网防冻措施已落实", "寒潮蓝色预警", "防寒物资储备"),
}


def fill_demo_roster(desk: Desk) -> int:
    """The roster of this month and the next, published: the demo's officers
    take turns a day each, as the history has them sit (the officer opening
    the demo sits today), with 王军 leading. Returns how many slots."""
    from duty_desk.core.models import RosterEntry, RosterMonth
    from duty_desk.core.roster.view import month_key, parse_month

    ensure_demo_officers(desk)
    turns = [desk.actor, "chenjing", "zhangwei"]
    today = desk.today()
    now = desk.now()
    count = 0
    with desk.db.atomic():
        first = today.replace(day=1)
        following = (first + timedelta(days=32)).replace(day=1)
        for month_first in (first, following):
            key = month_key(month_first)
            if RosterMonth.get_or_none(RosterMonth.month == key) is not None:
                continue
            month = RosterMonth.create(month=key, state="published", planned_at=now, planned_by="system",
                                       published_at=now, published_by="system")
            audit.append(now, "system", "create", "roster_month", month.id, None, audit.snapshot(month))
            _, last = parse_month(key)
            day = month_first
            while day <= last:
                back = (today - day).days
                for slot in range(len(desk.cfg.shifts)):
                    row = RosterEntry.create(duty_date=day, slot=slot, officers=[turns[back % 3]],
                                             leaders=["wangjun"], recorded_at=now, recorded_by="system")
                    audit.append(now, "system", "create", "roster", row.id, None, audit.snapshot(row))
                    count += 1
                day += timedelta(days=1)
    return count


def fill_demo_history(desk: Desk, days: int | None = None, progress: Callable[[str], None] | None = None) -> int:
    """Write ``days`` (HISTORY_DAYS) past duty days before today. Returns how many records."""
    from duty_desk.core import clock
    from duty_desk.core.desk import Desk as DeskOf
    from duty_desk.core.desk import together
    from duty_desk.core.dutytime import local_at
    from duty_desk.core.handover import flow

    days = HISTORY_DAYS if days is None else days
    say = progress or (lambda _msg: None)
    ensure_demo_officers(desk)
    say("history")
    # Officers take turns, a day each; the day before today is handed over
    # to the officer opening the demo, who sits today.
    turns = [desk, DeskOf(desk.cfg, desk.db, "chenjing"), DeskOf(desk.cfg, desk.db, "zhangwei")]
    today = desk.today()
    start = desk.cfg.day_start
    count = 0
    for back in range(days, 0, -1):
        with together(desk):  # a day is one transaction (one wait for the disk, not fifteen)
            day = today - timedelta(days=back)
            officer, incoming = turns[back % 3], turns[(back - 1) % 3]
            i = days - back
            season = season_of(day.month)
            topic, fact, warning, stock = _TOPICS[season]
            moment = local_at(day, start, desk.cfg)

            def at(hours: float, moment: datetime = moment) -> datetime:
                return moment + timedelta(hours=hours)

            with clock.fixed_at(at(1)):
                start_shift(officer, leaders=["王军"])
                log.record_entry(officer, "接班。检查值班电话、传真、值班系统运行正常。", "记事")
            unit, name, title, phone = _CALLERS[i % len(_CALLERS)]
            with clock.fixed_at(at(3)):
                log.record_entry(officer, f"{fact}。", "来电", counterpart_unit=unit, counterpart_name=name,
                                 counterpart_title=title, counterpart_phone=phone)
                count += 2
            with clock.fixed_at(at(6)):
                log.record_entry(officer, f"市气象台发布{warning}，已报告带班领导王军并转告相关单位{topic}值班室。", "来电",
                                 counterpart_unit="市气象台", counterpart_name="周敏", counterpart_phone="0571-87000002")
                count += 1
            if i % 3 == 0:
                vname, vunit, vphone, purpose = _VISITORS[(i // 3) % len(_VISITORS)]
                with clock.fixed_at(at(4)):
                    v = visitors.register_visitor(officer, vname, unit=vunit, phone=vphone, purpose=purpose, host="综合处")
                with clock.fixed_at(at(5)):
                    visitors.check_out(officer, v.id, "材料已转综合处")
                count += 1
            if i % 2 == 0:
                sender, prefix = _DOC_SENDERS[(i // 2) % len(_DOC_SENDERS)]
                with clock.fixed_at(at(7)):
                    doc = documents.receive_document(officer, sender, title=f"关于做好{stock}工作的通知",
                                                     doc_number=f"{prefix}〔{day.year}〕{i // 2 + 1}号")
                    documents.advance_document(officer, doc.id, "assign", party="综合处")
                with clock.fixed_at(at(10)):
                    documents.advance_document(officer, doc.id, "reply", text="已按要求落实")
                    documents.advance_document(officer, doc.id, "close")
                count += 1
            if i % 15 == 7:
                with clock.fixed_at(at(8)):
                    item = urgent.open_urgent(officer, f"城西区{topic}险情一处", "自然灾害", "IV", place="城西区",
                                              source_unit="城西区政府总值班室", source_name="吴刚",
                                              source_phone="0571-87000003", measures="区应急部门已到场处置")
                with clock.fixed_at(at(8.5)):
                    urgent.record_phone_report(officer, item.id, party="省政府总值班室")
                # Every other one went late (the 首报 after its four hours), with its reason.
                sent = at(13) if i % 30 == 22 else at(9)
                with clock.fixed_at(sent):
                    send_report(officer, DeskOf(desk.cfg, desk.db, "wangjun"), item.id, sent - timedelta(minutes=20),
                                sent - timedelta(minutes=10), sent, (("省政府总值班室", "专网"),),
                                reason="现场通信中断，伤亡情况核实耗时")
                    facts.update_facts(officer, item.id, {"measures": "险情已排除，处置完毕。"})
                    send_report(officer, DeskOf(desk.cfg, desk.db, "wangjun"), item.id, sent, sent, sent,
                                (("省政府总值班室", "专网"),), kind="final")
                count += 1
            with clock.fixed_at(at(23.5)):
                handover = flow.hand_over(officer, f"{topic}值守正常，无遗留事项。")
                for carried in flow.items_of(handover.id):
                    flow.read_back(incoming, carried.id)
                flow.accept(incoming, handover.id)
    return count


# What the demo day is about follows the season it is shown in: flood season
# (汛期) in summer, forest fires in spring and autumn, cold waves in winter.
_COMMON = {
    "visit2_unit": "市水务局",
    "letter_sender": "市民政局",
    "letter_unit": "社会事务处",
    "place": "城西区西湖街道古荡社区",
    "urgent_type": "自然灾害",
    "next_steps": "继续做好伤员救治和现场处置，密切关注事态发展，及时续报。",
    "delay_reason": "现场通信中断，伤亡情况核实耗时",
}
_SEASONS: dict[str, dict[str, str]] = {
    "flood": {
        "duty_call": "询问今日防汛值守安排及夜间值班人员名单，已告知按预案执行。",
        "weather": "气象台发布暴雨黄色预警：今夜至明晨我市大部地区有大到暴雨，局部大暴雨。",
        "weather_informed": "市防指办",
        "weather_handling": "已报告带班领导王军，并转告市防指办。",
        "task": "汇总各区防汛值守情况，本班结束前报其审阅。",
        "visit1": "报送防汛物资储备情况材料",
        "visit2": "沟通防汛排涝联动事宜",
        "notice": "关于切实做好当前防汛防台风工作的紧急通知",
        "notice_summary": "要求各地立即启动防汛应急响应，加强值班值守，落实24小时领导带班制度。",
        "proposal": "拟请王军副秘书长阅示，转市防指办、市应急管理局办理。",
        "letter": "关于报送{year}年度汛期受灾群众救助情况的函",
        "letter_number": "市民函〔{year}〕105号",
        "urgent": "城西区暴雨致一处老旧民房倒塌",
        "casualties": "初步核实2人受轻伤，已送医救治，无人员死亡。",
        "measures": "区应急、住建、消防已到场，疏散周边群众36人。",
        "trend": "降雨仍在持续，周边另有两处危房需排查。",
        "recommendations": "建议市住建局派员指导危房排查。",
        "instruction": "王军批示：全力救治伤员，排查周边危房，及时续报。",
        "urgent_summary": "城西区暴雨致一处老旧民房倒塌，2人轻伤，已妥善处置。",
        "measures_later": "伤员情况稳定，周边两处危房已完成排查，无新增险情。",
    },
    "fire": {
        "duty_call": "询问今日森林防灭火值守安排及夜间值班人员名单，已告知按预案执行。",
        "weather": "气象台发布森林火险橙色预警：未来三天我市晴燥少雨，风力较大，森林火险等级高。",
        "weather_informed": "市林业局",
        "weather_handling": "已报告带班领导王军，并转告市林业局、市应急管理局。",
        "task": "汇总各区森林防灭火值守情况，本班结束前报其审阅。",
        "visit1": "报送森林防灭火物资储备情况材料",
        "visit2": "沟通林区取水点保障事宜",
        "notice": "关于切实做好当前森林防灭火工作的紧急通知",
        "notice_summary": "要求各地严格野外火源管控，加强值班值守，落实24小时领导带班制度。",
        "proposal": "拟请王军副秘书长阅示，转市林业局、市应急管理局办理。",
        "letter_sender": "市林业局",
        "letter": "关于报送{year}年度护林员队伍建设情况的函",
        "letter_number": "市林函〔{year}〕46号",
        "letter_unit": "农业农村处",
        "urgent": "城西区西山林场发生一起森林火情",
        "place": "城西区西山林场三号林班",
        "casualties": "无人员伤亡，过火面积约2亩。",
        "measures": "区应急、林业、消防已到场扑救，明火已扑灭。",
        "trend": "风力仍较大，正在清理余火、看守火场。",
        "recommendations": "建议市林业局派员指导火场清理和看守。",
        "instruction": "王军批示：全力扑救，严防复燃，及时续报。",
        "urgent_summary": "城西区西山林场发生森林火情，过火约2亩，无人员伤亡，明火已扑灭。",
        "measures_later": "余火已清理完毕，火场留人看守，未发生复燃。",
    },
    "winter": {
        "duty_call": "询问今日寒潮防范值守安排及夜间值班人员名单，已告知按预案执行。",
        "weather": "气象台发布寒潮蓝色预警：受强冷空气影响，未来48小时我市气温下降8至10℃，山区有道路结冰。",
        "weather_informed": "市应急管理局",
        "weather_handling": "已报告带班领导王军，并转告市应急管理局、市城管局。",
        "task": "汇总各区寒潮防范和供暖保障情况，本班结束前报其审阅。",
        "visit1": "报送防寒保暖物资储备情况材料",
        "visit2": "沟通低温期间供水管网防冻事宜",
        "notice": "关于切实做好寒潮低温雨雪冰冻天气防范应对工作的紧急通知",
        "notice_summary": "要求各地落实寒潮防范措施，保障道路通行和群众取暖，加强值班值守，落实24小时领导带班制度。",
        "proposal": "拟请王军副秘书长阅示，转市应急管理局、市城管局办理。",
        "letter": "关于报送{year}年度冬季救助工作情况的函",
        "letter_number": "市民函〔{year}〕105号",
        "urgent": "城西区一居民楼燃气泄漏引发火情",
        "urgent_type": "事故灾难",
        "casualties": "初步核实2人轻微烧伤，已送医救治，无人员死亡。",
        "measures": "区应急、燃气、消防已到场，疏散楼内居民36人。",
        "trend": "明火已扑灭，正在排查楼内燃气管线。",
        "recommendations": "建议市城管局组织老旧小区燃气管线排查。",
        "instruction": "王军批示：全力救治伤员，排查燃气隐患，及时续报。",
        "urgent_summary": "城西区一居民楼燃气泄漏引发火情，2人轻微烧伤，已妥善处置。",
        "measures_later": "伤员情况稳定，楼内燃气管线已完成排查，无新增险情。",
    },
}


def season_of(month: int) -> str:
    """汛期 May to September; forest-fire season March, April and October;
    winter November to February."""
    if 5 <= month <= 9:
        return "flood"
    if month in (3, 4, 10):
        return "fire"
    return "winter"


def season_content(month: int, year: int) -> dict[str, str]:
    content = {**_COMMON, **_SEASONS[season_of(month)]}
    return {k: v.format(year=year) for k, v in content.items()}
