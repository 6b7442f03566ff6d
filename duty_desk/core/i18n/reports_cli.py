"""Messages of the `duty-desk report` commands (and `urgent facts|history`), in both languages; merged into the catalogs by the package."""

ZH: dict[str, str] = {
}

EN: dict[str, str] = {
}
