"""Messages of calls (来电): the call form, /电 and suggestions of people and units, in both languages; merged into the catalogs by the
package (kept apart so each part owns its own words)."""

ZH: dict[str, str] = {
    "log.due_without_action": "给了办理时限，就是需要办理的事项：请勾选“需办理”或去掉时限",
    "log.due_before_occurred": "办理时限早于来电（发生）时间",
}

EN: dict[str, str] = {
    "log.due_without_action": "a due time means it needs action: mark it as needing action or leave the due time out",
    "log.due_before_occurred": "the due time is before the call (when it happened)",
}
