"""Messages of the command line's ways to feed the desk (call, visitor, document, urgent), in both languages; merged into the catalogs by the
package (kept apart so each part owns its own words)."""

ZH: dict[str, str] = {
}

EN: dict[str, str] = {
}
