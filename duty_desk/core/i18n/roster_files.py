"""Messages of the roster's files (import, export, iCalendar), in both languages;
merged into the catalogs by the package (kept apart so each part of the
roster owns its own words)."""

ZH: dict[str, str] = {
}

EN: dict[str, str] = {
}
