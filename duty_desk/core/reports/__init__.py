"""Reporting upward (信息报送): an urgent item's facts as a living record, the
written reports drafted from them, sign-off (签发) by the leader on duty, and
the one approved text sent the same to every recipient (同口径), with its due
time, sending time and any lateness stored on the report itself."""
