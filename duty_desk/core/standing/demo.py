"""The demo's standing orders (定时事项): the flood season's rainfall report
(out of season in winter), a working-day duty report, the Monday safety
report and a daily check of the duty equipment. Recorded two duty days ago
by the desk itself, each occurrence brought at its time; those of earlier
duty days have their result, and today's too once due: the demo opens with
nothing overdue."""

from __future__ import annotations

from datetime import timedelta

from duty_desk.core import clock
from duty_desk.core.desk import Desk
from duty_desk.core.dutytime import duty_date_of, local_at
from duty_desk.core.standing import service
from duty_desk.core.standing.rules import occurrences

DEMO_ORDERS = (
    # phrase, what must be recorded
    ("每日16:00 报雨情（6月1日至9月30日）", "各雨量站24小时雨量、主要水库水位，报市防指"),
    ("工作日 09:00 报送值班信息", "前一日值班信息报送情况及报送对象"),
    ("每周一 10:00 报安全生产情况", "上周安全生产情况，报市安委办"),
    ("每日 08:45 检查值班电话、传真和值班系统", "检查结果，有故障的写明报修情况"),
)
RESULTS = {
    "报送值班信息": "已通过值班信息系统报送，无遗漏",
    "报安全生产情况": "已报市安委办，上周无较大以上事故",
    "检查值班电话、传真和值班系统": "值班电话、传真、值班系统运行正常",
    "报雨情": "已报市防指，各站雨量正常",
}


def fill_demo_standing(desk: Desk) -> int:
    """Write the demo's standing orders and their occurrences of the last two
    duty days. Call after the roster (the occurrences' owners are the officers
    rostered then) and before the demo day. Returns how many records."""
    now = desk.now()
    today = duty_date_of(now, desk.cfg)
    since = local_at(today - timedelta(days=2), desk.cfg.day_start, desk.cfg)
    count = 0
    with clock.fixed_at(since):
        orders = [service.create_as_system(desk, phrase, discharge=discharge) for phrase, discharge in DEMO_ORDERS]
    count += len(orders)
    times = sorted(at for order in orders for at in occurrences(order, since, now, desk.cfg))
    today_starts = local_at(today, desk.cfg.day_start, desk.cfg)
    for at in times:
        with clock.fixed_at(at):
            made = service.bring_due(desk)
        count += len(made)
        for item in made:
            # Today's stay open while they are not yet due: the demo opens on
            # a living duty day, nothing overdue (the others were done on time).
            if item.scheduled_at >= today_starts and item.due_at > now:
                continue
            owner = Desk(desk.cfg, desk.db, item.owner or desk.actor)
            with clock.fixed_at(item.scheduled_at + timedelta(minutes=12)):
                service.record_result(owner, item.id, RESULTS.get(item.title, "已办结"))
    return count
