"""9.8 on the command line: what was stored (a refused attempt's raw input in
the audit trail, record text) reaches no terminal as a control sequence, in
tables and in JSON lines alike."""

import json

from duty_desk import cli

TITLE_CHANGE = "\x1b]0;pwned\x07"
C1_CSI = "\x9b31m"


def _run(capsys, *argv):
    status = cli.main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def _safe(text: str) -> bool:
    return not any(ch in text for ch in "\x1b\x07\x9b\u202e")


def test_a_refused_attempt_with_escape_sequences_shows_safely_in_history(tmp_path, capsys, fixed_clock):
    db = str(tmp_path / "x.db")
    assert _run(capsys, "--db", db, "log", "区气象台来电", "-c", "来电")[0] == 0
    status, _, err = _run(capsys, "--db", db, "correct", "log", "1", "--reason", "改" + C1_CSI,
                          "--category", TITLE_CHANGE)
    assert status == 3 and _safe(err)
    status, out, err = _run(capsys, "--db", db, "history", "log", "1")
    assert status == 0 and _safe(out) and _safe(err)
    assert "␛]0;pwned␇" in out  # made visible, not sent
    status, out, _ = _run(capsys, "--db", db, "history", "log", "1", "--json")
    assert status == 0 and _safe(out)
    assert any("pwned" in json.dumps(json.loads(line), ensure_ascii=False) for line in out.splitlines())
