"""The terminal face of the desk (Textual). Imported only by ``duty-desk``
with no command; the core and the other commands never import it."""
