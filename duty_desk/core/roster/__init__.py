"""The duty roster (排班): who should be on duty, which days are holidays,
planning, swaps and leave. ``calendar`` says what a day is, ``view`` reads,
``service`` writes, ``plan`` holds the rotation's rules."""
