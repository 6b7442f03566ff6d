"""Messages of the desk's reports screen and forms (信息报送), in both languages; merged into the catalogs by the package."""

ZH: dict[str, str] = {
}

EN: dict[str, str] = {
}
