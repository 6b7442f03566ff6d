"""The desk's screens over the main one: a record's detail, every open item,
the handover, a row picker and a confirming step. The forms are tui.forms."""
