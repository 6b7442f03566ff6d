"""Messages of standing orders (定时事项) and their occurrences, in both languages; merged into the catalogs by the
package (kept apart so each part owns its own words)."""

ZH: dict[str, str] = {
}

EN: dict[str, str] = {
}
