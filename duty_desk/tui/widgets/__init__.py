"""Pieces of the desk's screens that are not screens themselves."""
