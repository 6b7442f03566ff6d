"""定时事项: standing orders (recurring duties at a clock time) and their
occurrences, each an open item until its result is recorded. ``rules``
(pure: the phrase, the rule, the occurrences), ``service`` (the writes and
bringing occurrences due), ``view`` (what the desk and the command line
show), ``demo`` (the demo's orders)."""
