"""Messages of the `duty-desk report` commands (and `urgent facts|history`), in both languages; merged into the catalogs by the package."""

ZH: dict[str, str] = {
    # duty-desk report: help
    "cli.report.help": "信息报送：紧急信息的书面报告（首报、续报、日报、终报）拟稿、签发、发送",
    "cli.report.description": "紧急信息的书面报告：拟稿（draft）→ 带班领导签发（approve）→ 同一文本发送给各报送对象（send）。"
                              "签发前可修改正文；发出后正文不再改动，更正请拟新的续报",
    "cli.report.list": "列出一项紧急信息的报告（不写编号则列出所有未办结的紧急信息）",
    "cli.report.item_or_all": "紧急信息记录编号（不写则为所有未办结的紧急信息）",
    "cli.report.item": "紧急信息记录编号",
    "cli.report.id": "报告编号（report list 中的编号）",
    "cli.report.draft": "按模板（或自己的文字）拟一份报告",
    "cli.report.draft_description": "为紧急信息拟下一份书面报告：默认按报告模板和事项要素生成正文（续报标出本次变化）；"
                                    "--text-file 给出自己拟好的正文（- 表示从标准输入读取）。打印报告编号和正文",
    "cli.report.kind": "报告种类（默认为下一份应报的报告），可选：{choices}",
    "cli.report.text_file": "正文所在的文本文件（UTF-8 或 GBK），- 表示从标准输入读取",
    "cli.report.edit": "修改未发出报告的正文",
    "cli.report.edit_description": "用文件（或标准输入）中的文字替换未发出报告的正文；已签发的报告改动后须重新签发",
    "cli.report.approve": "签发报告（带班领导），或登记领导电话同意",
    "cli.report.approve_description": "不写 --leader：由当前登录的带班领导签发；写 --leader：登记领导电话同意的签发"
                                      "（注明为电话签发，并记录登记人）",
    "cli.report.leader": "电话同意签发的领导（姓名或登录名）",
    "cli.report.approved_at": "签发时间，HH:MM 或 YYYY-MM-DD HH:MM（默认现在）",
    "cli.report.send": "把签发的报告发送给报送对象（可写多个 --to）",
    "cli.report.send_description": "登记签发的报告已发送：每个 --to 登记一条发送记录，正文都是签发的同一文本（同口径）。"
                                   "报送对象可照通讯录写单位，或“单位 姓名”；超过时限的须写 --delay-reason",
    "cli.report.to": "报送对象（可写多次）：通讯录中的单位，或“单位 姓名”；不在通讯录的照写",
    "cli.report.means": "报送方式，可选：{choices}",
    "cli.report.sent_text_file": "实际发送的正文（文件或 -）：须与签发的文本一致，否则拒绝",
    "cli.report.sent_at": "发送时间，HH:MM 或 YYYY-MM-DD HH:MM（默认现在）",
    "cli.report.sent_received_by": "对方接收人（只有一个 --to 时可写）",
    "cli.report.delay_reason": "迟报原因（超过报送时限时必填）",
    "cli.report.confirm": "登记报送对象确认收到",
    "cli.report.sending_id": "发送记录编号（report send 打印的编号）",
    "cli.report.received_by": "对方接收人姓名",
    "cli.report.confirmed_at": "确认收到的时间，HH:MM 或 YYYY-MM-DD HH:MM（默认现在）",
    "cli.report.void": "作废未发出的报告（已发出的不能作废，更正请拟续报）",
    "cli.report.show": "显示一份报告（文本、Markdown 或 JSON），或写入文件",
    "cli.report.show_description": "显示报告：txt 为签发（发出）的原文，可用于传真或报送平台上传；md 和 json 另含签发、"
                                   "时限、迟报和发送记录。--output 写入文件（仅本人可读，不经符号链接）",
    "cli.report.format": "格式：txt（原文）、md、json",
    "cli.report.output": "写入此文件，而不是打印",
    "cli.report.encoding": "文件编码：utf-8（默认）或 gbk（报送平台要求时）",
    # duty-desk report: what it says
    "cli.report.means.专网": "专网",
    "cli.report.means.传真": "传真",
    "cli.report.means.电话口头": "电话口头",
    "cli.report.means.短信": "短信",
    "cli.report.col.id": "编号",
    "cli.report.col.name": "报告",
    "cli.report.col.state": "状态",
    "cli.report.col.due": "时限",
    "cli.report.col.sent": "发出时间",
    "cli.report.col.late": "迟报",
    "cli.report.col.signer": "签发人",
    "cli.report.col.recipients": "报送对象",
    "cli.report.item_heading": "紧急信息 #{id} {title}",
    "cli.report.no_open_items": "没有未办结的紧急信息",
    "cli.report.by_phone": "（电话签发）",
    "cli.report.drafted": "已拟 {name}（报告 #{id}，紧急信息 #{item}），正文如下：",
    "cli.report.next_approve": "下一步：带班领导签发 duty-desk report approve {id}（领导电话同意的，加 --leader 姓名）",
    "cli.report.edited": "已修改 {name}（报告 #{id}）的正文：",
    "cli.report.unchanged": "{name}（报告 #{id}）的正文没有变化",
    "cli.report.approval_lost": "正文改动后原签发失效，请重新签发：duty-desk report approve {id}",
    "cli.report.approved": "{name}（报告 #{id}）{signed}",
    "cli.report.phoned": "已登记为电话签发：{leader}电话同意，{by}登记",
    "cli.report.next_send": "下一步：duty-desk report send {id} --to 报送对象 --means 专网|传真|电话口头|短信",
    "cli.report.sent": "已发送 {name}（报告 #{id}）→ {recipient}（{means}）{book}，发送记录 #{sending}",
    "cli.report.in_book": "，通讯录 #{id}",
    "cli.report.book_several": "，通讯录中有 {count} 个联系人符合，照写登记",
    "cli.report.not_in_book": "，不在通讯录中，照写登记",
    "cli.report.send_refused": "向 {recipient} 发送未登记：{message}",
    "cli.report.send_partial": "本次已登记：{recorded}；未办理：{left}",
    "cli.report.none_recorded": "无",
    "cli.report.received_by_one": "--received-by 只能用于一个 --to；多个报送对象请分别用 report confirm 登记接收人",
    "cli.report.confirmed": "发送记录 #{id}（{recipient}）已确认收到：{who} {at}",
    "cli.report.written": "已将 {name}（报告 #{id}）写入 {path}（{encoding}）",
    "cli.report.not_encodable": "第 {line} 行的“{char}”（{code}）无法用 {encoding} 编码，未写入任何内容；"
                                "请改用 --encoding utf-8",
    "cli.report.cannot_read": "无法读取 {path}：{error}",
    "cli.report.undecodable": "{path} 不是 UTF-8、UTF-16 或 GBK 编码的文本",
    # duty-desk urgent: help and what it says
    "cli.urgent.help": "紧急信息：接报、时间线（报告领导、电话报告）、要素更新及其历史；书面报告用 duty-desk report",
    "cli.urgent.event": "在紧急信息的时间线上登记一项（报告领导、电话报告等）；书面报告（首报、续报、日报、终报）"
                        "用 duty-desk report 拟稿、签发、发送",
    "cli.urgent.written_report": "{name}等书面报告须先经带班领导签发，现由 duty-desk report 办理："
                                 "report draft 拟稿 → report approve 签发 → report send 发送",
    "cli.urgent.facts": "更新紧急信息的要素（伤亡、措施等），原有的值保留在历史中",
    "cli.urgent.facts_description": "登记紧急信息要素的新情况（如续报前伤亡人数变化）；每项只写变化的，"
                                    "以前的值都保留，可用 urgent history 查看。打印变化：原值 → 新值",
    "cli.urgent.fact": "{label}的新情况",
    "cli.urgent.facts_at": "得知新情况的时间，HH:MM 或 YYYY-MM-DD HH:MM（默认现在）",
    "cli.urgent.facts_none": "请至少写一项要素，如 --casualties 或 --measures",
    "cli.urgent.facts_same": "紧急信息 #{id} 的要素没有变化",
    "cli.urgent.facts_done": "紧急信息 #{id} 已更新 {count} 项要素：",
    "cli.urgent.fact_change": "  {label}：{old} → {new}",
    "cli.urgent.empty_value": "（空）",
    "cli.urgent.history": "紧急信息各项要素的历次值（何时、何人登记）",
    "cli.urgent.history_title": "紧急信息 #{id} {title} 的要素变化：",
    "cli.urgent.history_line": "{label}：{values}",
    "cli.urgent.history_value": "{value}（{at} {by}）",
}

EN: dict[str, str] = {
    # duty-desk report: help
    "cli.report.help": "reporting upward: an urgent item's written reports (first, follow-up, daily, final): "
                       "draft, sign off, send",
    "cli.report.description": "an urgent item's written reports: draft → signed off by the leader on duty (approve) "
                              "→ the one text sent to each recipient (send). The text may change until it is "
                              "sent; then never: a correction is a new follow-up report",
    "cli.report.list": "list an urgent item's reports (without a number: those of every open urgent item)",
    "cli.report.item_or_all": "urgent item record number (none: every open urgent item)",
    "cli.report.item": "urgent item record number",
    "cli.report.id": "report number (as report list shows it)",
    "cli.report.draft": "draft a report from the template (or your own wording)",
    "cli.report.draft_description": "draft an urgent item's next written report: by default from the report "
                                    "template and the item's facts (a follow-up marks what changed); --text-file "
                                    "gives your own wording (- reads stdin). Prints the report's number and text",
    "cli.report.kind": "the kind of report (default: the next one due), one of: {choices}",
    "cli.report.text_file": "a text file (UTF-8 or GBK) with the text, - for stdin",
    "cli.report.edit": "change the text of a report not sent yet",
    "cli.report.edit_description": "replace an unsent report's text with the file's (or stdin's); a signed-off "
                                   "report changed must be signed off again",
    "cli.report.approve": "sign a report off (a leader), or record a leader's approval by phone",
    "cli.report.approve_description": "without --leader: signed off by the leader logged in; with --leader: a "
                                      "leader's approval given by phone, recorded as such, with who recorded it",
    "cli.report.leader": "the leader who approved by phone (name or login)",
    "cli.report.approved_at": "when it was approved, HH:MM or YYYY-MM-DD HH:MM (default now)",
    "cli.report.send": "send the signed-off report to recipients (--to may be repeated)",
    "cli.report.send_description": "record the signed-off report as sent: one sending per --to, each with the one "
                                   "approved text. A recipient may be typed as the contact book has it (the unit, "
                                   "or \"unit name\"); a late report needs --delay-reason",
    "cli.report.to": "a recipient (repeatable): a unit in the contact book, or \"unit name\"; others as typed",
    "cli.report.means": "the means, one of: {choices}",
    "cli.report.sent_text_file": "the text actually sent (file or -): must be the approved text, else refused",
    "cli.report.sent_at": "when it was sent, HH:MM or YYYY-MM-DD HH:MM (default now)",
    "cli.report.sent_received_by": "who received it (with a single --to only)",
    "cli.report.delay_reason": "the reason for the delay (required when the report is late)",
    "cli.report.confirm": "record that a recipient confirmed receipt",
    "cli.report.sending_id": "the sending's number (as report send prints it)",
    "cli.report.received_by": "who received it",
    "cli.report.confirmed_at": "when receipt was confirmed, HH:MM or YYYY-MM-DD HH:MM (default now)",
    "cli.report.void": "void a report not sent (a sent one stays: a correction is a follow-up report)",
    "cli.report.show": "show a report (text, Markdown or JSON), or write it to a file",
    "cli.report.show_description": "show a report: txt is the text as signed off and sent, for a fax cover or "
                                   "the reporting platform's upload; md and json add sign-off, due time, lateness "
                                   "and sendings. --output writes a file (readable by you only, never through a "
                                   "symlink)",
    "cli.report.format": "the format: txt (the text), md, json",
    "cli.report.output": "write to this file instead of printing",
    "cli.report.encoding": "the file's encoding: utf-8 (default) or gbk (for platforms that want it)",
    # duty-desk report: what it says
    "cli.report.means.专网": "network",
    "cli.report.means.传真": "fax",
    "cli.report.means.电话口头": "phone",
    "cli.report.means.短信": "sms",
    "cli.report.col.id": "id",
    "cli.report.col.name": "report",
    "cli.report.col.state": "state",
    "cli.report.col.due": "due",
    "cli.report.col.sent": "sent",
    "cli.report.col.late": "late",
    "cli.report.col.signer": "signed off by",
    "cli.report.col.recipients": "recipients",
    "cli.report.item_heading": "urgent item #{id} {title}",
    "cli.report.no_open_items": "no open urgent item",
    "cli.report.by_phone": " (by phone)",
    "cli.report.drafted": "drafted {name} (report #{id}, urgent item #{item}); its text:",
    "cli.report.next_approve": "next: the leader on duty signs off with duty-desk report approve {id} (approved by "
                               "phone: add --leader NAME)",
    "cli.report.edited": "changed the text of {name} (report #{id}):",
    "cli.report.unchanged": "the text of {name} (report #{id}) is unchanged",
    "cli.report.approval_lost": "the text changed, so the sign-off lapsed: sign it off again with "
                                "duty-desk report approve {id}",
    "cli.report.approved": "{name} (report #{id}) {signed}",
    "cli.report.phoned": "recorded as approved by phone: {leader} approved, recorded by {by}",
    "cli.report.next_send": "next: duty-desk report send {id} --to RECIPIENT --means 专网|传真|电话口头|短信",
    "cli.report.sent": "sent {name} (report #{id}) → {recipient} ({means}){book}, sending #{sending}",
    "cli.report.in_book": ", contact #{id}",
    "cli.report.book_several": ", {count} contacts match: recorded as typed",
    "cli.report.not_in_book": ", not in the contact book: recorded as typed",
    "cli.report.send_refused": "not recorded as sent to {recipient}: {message}",
    "cli.report.send_partial": "recorded this time: {recorded}; not done: {left}",
    "cli.report.none_recorded": "none",
    "cli.report.received_by_one": "--received-by goes with a single --to; for several recipients record each "
                                  "receiver with report confirm",
    "cli.report.confirmed": "sending #{id} ({recipient}) confirmed received: {who} {at}",
    "cli.report.written": "wrote {name} (report #{id}) to {path} ({encoding})",
    "cli.report.not_encodable": "\"{char}\" ({code}) on line {line} cannot be written in {encoding}; nothing was "
                                "written: use --encoding utf-8",
    "cli.report.cannot_read": "cannot read {path}: {error}",
    "cli.report.undecodable": "{path} is not text in UTF-8, UTF-16 or GBK",
    # duty-desk urgent: help and what it says
    "cli.urgent.help": "urgent items: receive one, its timeline (leader informed, phone report), its facts as "
                       "they change and their history; written reports: duty-desk report",
    "cli.urgent.event": "record an event on an urgent item's timeline (leader informed, phone report …); written "
                        "reports (first, follow-up, daily, final) are drafted, signed off and sent with "
                        "duty-desk report",
    "cli.urgent.written_report": "a {name} is a written report and is signed off by the leader on duty first: use "
                                 "duty-desk report (report draft → report approve → report send)",
    "cli.urgent.facts": "update an urgent item's facts (casualties, measures …), keeping the earlier values",
    "cli.urgent.facts_description": "record what is now known of an urgent item (new casualty figures before a "
                                    "follow-up report, say); give only what changed. Every earlier value stays "
                                    "(urgent history shows them). Prints each change, old → new",
    "cli.urgent.fact": "{label}: what is known now",
    "cli.urgent.facts_at": "when it became known, HH:MM or YYYY-MM-DD HH:MM (default now)",
    "cli.urgent.facts_none": "give at least one fact, such as --casualties or --measures",
    "cli.urgent.facts_same": "the facts of urgent item #{id} are unchanged",
    "cli.urgent.facts_done": "urgent item #{id}: {count} fact(s) updated:",
    "cli.urgent.fact_change": "  {label}: {old} → {new}",
    "cli.urgent.empty_value": "(empty)",
    "cli.urgent.history": "every value an urgent item's facts had (when, and who recorded it)",
    "cli.urgent.history_title": "how the facts of urgent item #{id} {title} changed:",
    "cli.urgent.history_line": "{label}: {values}",
    "cli.urgent.history_value": "{value} ({at} {by})",
}
