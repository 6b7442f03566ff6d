"""Messages of the contact book (通讯录) and who to call, in both languages; merged into the catalogs by the
package (kept apart so each part owns its own words)."""

ZH: dict[str, str] = {
}

EN: dict[str, str] = {
}
