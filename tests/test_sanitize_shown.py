"""The one display sanitizer: nothing stored or configured reaches a terminal
as a control sequence."""

from duty_desk.core.sanitize import shown, shown_markup


def test_an_osc_title_sequence_is_shown_as_visible_pictures_not_sent():
    text = shown("\x1b]0;pwned\x07正常")
    assert "\x1b" not in text and "\x07" not in text
    assert text == "␛]0;pwned␇正常"


def test_c1_controls_and_bidi_overrides_are_made_visible():
    assert "\x9b" not in shown("a\x9b31mb") and "\u202e" not in shown("a\u202eb")


def test_newlines_are_kept_only_when_asked():
    assert shown("一\n二") == "一␊二"
    assert shown("一\n二", keep_newlines=True) == "一\n二"


def test_markup_is_escaped_for_places_that_parse_it():
    assert shown_markup("[red]x") == "\\[red]x"
    assert shown(None) == ""
