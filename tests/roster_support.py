"""A store with an administrator, five duty officers and three leaders, for
the roster's tests."""

from __future__ import annotations

from pathlib import Path

ROSTER_OFFICERS = """
[[officers]]
login = "admin"
name = "周主任"
role = "admin"
phone = "13900000000"

[[officers]]
login = "o1"
name = "张伟"
phone = "13700000001"

[[officers]]
login = "o2"
name = "李娜"
phone = "13700000002"

[[officers]]
login = "o3"
name = "王强"
phone = "13700000003"

[[officers]]
login = "o4"
name = "刘洋"
phone = "13700000004"

[[officers]]
login = "o5"
name = "陈静"
phone = "13700000005"

[[officers]]
login = "l1"
name = "赵局长"
role = "leader"
phone = "13800000001"

[[officers]]
login = "l2"
name = "钱副局长"
role = "leader"
phone = "13800000002"

[[officers]]
login = "l3"
name = "孙副局长"
role = "leader"
phone = "13800000003"
"""

OFFICERS = ("o1", "o2", "o3", "o4", "o5")
LEADERS = ("l1", "l2", "l3")


def write_config(path: Path, extra: str = "") -> Path:
    path.write_text(extra + "\n" + ROSTER_OFFICERS, encoding="utf-8")
    return path
