"""Messages of the roster's desk (month view, header), in both languages;
merged into the catalogs by the package (kept apart so each part of the
roster owns its own words)."""

ZH: dict[str, str] = {
    # the desk's key, palette and F1 key table
    "tui.key.roster": "排班表（按月查看值班安排）",
    "tui.key.roster_short": "排班",
    # the month view
    "tui.roster.title": "{year}年{month}月 排班表",
    "tui.roster.loading": "读取中…",
    "tui.roster.published": "{at} {by} 发布",
    "tui.roster.today": "今天 {date} 周{weekday}",
    "tui.roster.weekday": "周{weekday}",
    # marks in a day's cell: a character or a word, never colour alone
    "tui.roster.mark.holiday": "休{name}",
    "tui.roster.mark.makeup": "班",
    "tui.roster.mark.weekend": "周末",
    "tui.roster.mark.today": "今",
    "tui.roster.flag.swapped": "⇄",
    "tui.roster.flag.amended": "✎",
    "tui.roster.flag.gap": "!",
    "tui.roster.gap": "缺",
    # short holiday names for the cells (the day's line names it in full)
    "tui.roster.short.new_year": "元旦",
    "tui.roster.short.spring_festival": "春节",
    "tui.roster.short.tomb_sweeping": "清明",
    "tui.roster.short.labour_day": "劳动",
    "tui.roster.short.dragon_boat": "端午",
    "tui.roster.short.national_day": "国庆",
    "tui.roster.short.mid_autumn": "中秋",
    "tui.roster.short.anti_fascist_70": "纪念",
    # the highlighted day in full
    "tui.roster.day.holiday": "法定节假日（{name}）",
    "tui.roster.day.closed": "休息日",
    "tui.roster.day.makeup": "调休补班（{name}）",
    "tui.roster.day.makeup_plain": "调休补班",
    "tui.roster.day.weekend": "周末",
    "tui.roster.day.workday": "工作日",
    "tui.roster.day.eve": "节前",
    "tui.roster.day.unknown": "节假日安排未定",
    "tui.roster.day.double": "双带班（需 {count} 名带班领导）",
    "tui.roster.slot.officers": "值班",
    "tui.roster.slot.leaders": "带班",
    "tui.roster.slot.standby": "备班",
    "tui.roster.slot.note": "备注：{note}",
    "tui.roster.slot.swapped": "⇄ 换班/替班",
    "tui.roster.slot.amended": "✎ 发布后变更",
    "tui.roster.slot.leaders_short": "缺 {count} 名带班领导",
    "tui.roster.nothing": "本月尚未排班。管理员可用 duty-desk roster plan {month} 生成排班草稿。",
    "tui.roster.legend": "休 法定节假日 · 班 调休补班 · 周末 · ⇄ 换班 · ✎ 变更 · ! 缺人 · 今 今天 · 值班/带班",
    "tui.roster.key.previous_month": "上月",
    "tui.roster.key.next_month": "下月",
    "tui.roster.key.today": "今天",
    "tui.roster.key.day": "前后一天",
    "tui.roster.key.week": "前后一周",
    "tui.help.roster.title": "帮助：排班表",
    "tui.help.roster": "一个月的值班安排，按周排列（周一在前）。每格：日期、标记、值班员/带班领导；"
                       "宽屏时值班员与带班领导各占一行。\n"
                       "标记：休 法定节假日（及节日简称），班 调休补班的周末，周末 普通周末，今 今天；"
                       "⇄ 当天有换班或替班，✎ 发布后有变更，! 有空缺（无值班员，或带班领导少于所需，如节假日双带班）。\n"
                       "下方是所选日期的全部班次：值班员、带班领导及电话、备班、备注。\n"
                       "← → 前后一天，↑ ↓ 前后一周，[ ] 或 PageUp/PageDown 上月/下月，t 回到今天，Esc 或 F11 关闭。"
                       "在录入行输入“/排班”也可打开。排班由管理员在命令行编排和发布，这里只查看。",
    # the header
    "tui.roster.header.differs": "≠排班",
    "tui.roster.header.actual": "实际 {names}",
    # the notice once the desk opens
    "tui.roster.notice.title": "排班",
}

EN: dict[str, str] = {
    "tui.key.roster": "Duty roster (the month's duties)",
    "tui.key.roster_short": "Roster",
    "tui.roster.title": "Roster {year}-{month:02d}",
    "tui.roster.loading": "Reading…",
    "tui.roster.published": "{at} by {by}",
    "tui.roster.today": "Today {date} {weekday}",
    "tui.roster.weekday": "{weekday}",
    "tui.roster.mark.holiday": "Hol {name}",
    "tui.roster.mark.makeup": "Work",
    "tui.roster.mark.weekend": "Wknd",
    "tui.roster.mark.today": "*",
    "tui.roster.flag.swapped": "⇄",
    "tui.roster.flag.amended": "✎",
    "tui.roster.flag.gap": "!",
    "tui.roster.gap": "gap",
    "tui.roster.short.new_year": "NY",
    "tui.roster.short.spring_festival": "Spring",
    "tui.roster.short.tomb_sweeping": "Qingming",
    "tui.roster.short.labour_day": "Labour",
    "tui.roster.short.dragon_boat": "Dragon",
    "tui.roster.short.national_day": "National",
    "tui.roster.short.mid_autumn": "MidAut",
    "tui.roster.short.anti_fascist_70": "V-Day",
    "tui.roster.day.holiday": "statutory holiday ({name})",
    "tui.roster.day.closed": "day off",
    "tui.roster.day.makeup": "weekend worked (for {name})",
    "tui.roster.day.makeup_plain": "weekend worked",
    "tui.roster.day.weekend": "weekend",
    "tui.roster.day.workday": "working day",
    "tui.roster.day.eve": "holiday eve",
    "tui.roster.day.unknown": "holidays not yet known",
    "tui.roster.day.double": "two leaders ({count} needed)",
    "tui.roster.slot.officers": "On duty",
    "tui.roster.slot.leaders": "Leader",
    "tui.roster.slot.standby": "Standby",
    "tui.roster.slot.note": "Note: {note}",
    "tui.roster.slot.swapped": "⇄ swapped/covered",
    "tui.roster.slot.amended": "✎ changed after publishing",
    "tui.roster.slot.leaders_short": "{count} leader(s) missing",
    "tui.roster.nothing": "Nothing rostered this month. An administrator plans it with duty-desk roster plan {month}.",
    "tui.roster.legend": "Hol holiday · Work weekend worked · Wknd · ⇄ swap · ✎ changed · ! gap · * today · duty/leader",
    "tui.roster.key.previous_month": "Prev month",
    "tui.roster.key.next_month": "Next month",
    "tui.roster.key.today": "Today",
    "tui.roster.key.day": "Day",
    "tui.roster.key.week": "Week",
    "tui.help.roster.title": "Help: duty roster",
    "tui.help.roster": "One month of duties, a week a row (Monday first). Each cell: the day, its mark, the duty "
                       "officer(s)/leader(s); on a wide screen officers and leaders each get a line.\n"
                       "Marks: Hol a statutory holiday (with its short name), Work a weekend worked in its place "
                       "(调休/补班), Wknd an ordinary weekend, * today; ⇄ a swap or cover that day, ✎ changed after "
                       "publishing, ! a gap (no duty officer, or fewer leaders than needed, e.g. two on holidays).\n"
                       "Below: every shift of the highlighted day: officers, leaders with phones, standby, note.\n"
                       "← → a day, ↑ ↓ a week, [ ] or PageUp/PageDown a month, t today, Esc or F11 closes. "
                       "Typing \"/排班\" on the entry line opens it too. Administrators plan and publish the roster "
                       "on the command line; here it is only shown.",
    "tui.roster.header.differs": "≠roster",
    "tui.roster.header.actual": "actual {names}",
    "tui.roster.notice.title": "Roster",
}
