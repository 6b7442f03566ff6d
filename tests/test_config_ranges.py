"""8.18 and 8.19: every number in config.toml has a range, and the keymap
names real keys, keeps plain letters away from desk-wide actions and binds no
key twice. Each mistake is one line naming the file and the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from duty_desk import cli
from duty_desk.core.config import ConfigError, load_config

OUT_OF_RANGE = [
    ("busy_timeout infinite", "[database]\nbusy_timeout = inf\n", "database.busy_timeout"),
    ("busy_timeout not a number", "[database]\nbusy_timeout = nan\n", "database.busy_timeout"),
    ("busy_timeout of days", "[database]\nbusy_timeout = 86400.0\n", "database.busy_timeout"),
    ("ordinary limit of aeons", "[deadlines]\nordinary_minutes = 1000000000000000000\n",
     "deadlines.ordinary_minutes"),
    ("phone report limit of aeons", "[deadlines]\nphone_report_minutes = { I = 1000000000000 }\n",
     "deadlines.phone_report_minutes.I"),
    ("document hours infinite", '[deadlines]\ndocument_hours = { "特急" = inf }\n', "deadlines.document_hours.特急"),
    ("daily report of aeons", "[deadlines]\ndaily_report_after_hours = 100000000000\n",
     "deadlines.daily_report_after_hours"),
    ("warning a year ahead", "[deadlines]\nwarn_before_minutes = 600000\n", "deadlines.warn_before_minutes"),
    ("future tolerance of a week", "[deadlines]\nfuture_tolerance_minutes = 10080\n",
     "deadlines.future_tolerance_minutes"),
    ("back-dating for a century", "[deadlines]\npast_limit_days = 36500\n", "deadlines.past_limit_days"),
    ("deadlines a century ahead", "[deadlines]\ndue_limit_days = 36500\n", "deadlines.due_limit_days"),
]


@pytest.mark.parametrize(("case", "text", "key"), OUT_OF_RANGE, ids=[c[0] for c in OUT_OF_RANGE])
def test_a_number_out_of_its_range_is_one_line_naming_the_key_and_the_range(tmp_path, capsys, case, text, key):
    path = tmp_path / "c.toml"
    path.write_text(text, encoding="utf-8")
    status = cli.main(["--config", str(path), "--db", str(tmp_path / "x.db"), "show", "open"])
    out, err = capsys.readouterr()
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and key in err and "之间" in err, err


def test_numbers_at_the_ends_of_their_ranges_are_taken(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text("[database]\nbusy_timeout = 0.1\n[deadlines]\nordinary_minutes = 10080\n", encoding="utf-8")
    cfg = load_config(str(path))
    assert (cfg.busy_timeout, cfg.ordinary_minutes) == (0.1, 10080)


BAD_KEYMAPS = [
    ("letter quits the desk", '[keymap]\nquit = "a"\n', "keymap.quit", "字母"),
    ("digit for a desk-wide action", '[keymap]\nnew_visitor = "5"\n', "keymap.new_visitor", "字母"),
    ("shifted letter for a desk-wide action", '[keymap]\nhelp = "shift+h"\n', "keymap.help", "字母"),
    ("a printable key among others", '[keymap]\nhandover = "f8,h"\n', "keymap.handover", "字母"),
    ("not a key name", '[keymap]\nhelp = "ctrl+frobnicate"\n', "keymap.help", "按键名"),
    ("unknown modifier", '[keymap]\nhelp = "hyper+f1"\n', "keymap.help", "按键名"),
    ("empty part", '[keymap]\nhelp = "f1,,f2"\n', "keymap.help", "按键名"),
    ("one key for two desk actions", '[keymap]\nhelp = "f10"\nhandover = "f10"\n', "keymap.handover", "f10"),
    ("one key twice in a screen", '[keymap]\n"detail.chase" = "z"\n"detail.void" = "z"\n',
     "keymap.detail.void", "detail.chase"),
]


@pytest.mark.parametrize(("case", "text", "key", "word"), BAD_KEYMAPS, ids=[c[0] for c in BAD_KEYMAPS])
def test_a_bad_keymap_is_one_line_naming_the_binding(tmp_path, case, text, key, word):
    path = tmp_path / "c.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(str(path))
    line = caught.value.line()
    assert "\n" not in line and key in line and word in line, line


def test_good_keymaps_are_taken(tmp_path):
    path = Path(tmp_path / "c.toml")
    path.write_text('[keymap]\nquit = "ctrl+x"\nhelp = "f1,f11"\n"detail.chase" = "z"\n'
                    '"open.chase" = "z"\nhandover = "f12"\nnext_pane = "tab"\n', encoding="utf-8")
    assert load_config(str(path)).keymap["detail.chase"] == "z"
