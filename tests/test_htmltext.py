"""The one walker that rewrites a page's text: never markup, never inside scripts or skipped
elements, whatever a script holds."""

from __future__ import annotations

from handbook import untranslated
from handbook.htmltext import map_text
from handbook.model import UNTRANSLATED
from handbook.tooltips import Tooltips

OPEN, CLOSE = UNTRANSLATED
PAGE = (f'<title>{OPEN}T{CLOSE}</title><script>if (a<b) {{ x = "{OPEN}s{CLOSE}"; }}</script>'
        f'<p title="{OPEN}t{CLOSE}">{OPEN}one <em>two</em>{CLOSE} VNeID</p>'
        '<a href="#">VNeID</a><button>VNeID</button><!-- VNeID --><p>VNeID</p>')


def test_text_after_a_script_holding_a_less_than_sign_is_still_text():
    upper = map_text(PAGE, str.upper, skip={"a"})
    assert upper.endswith("<p>VNEID</p>") and "if (a<b)" in upper and '<a href="#">VNeID</a>' in upper


def test_marks_become_spans_in_text_and_vanish_elsewhere():
    html = untranslated.mark(PAGE, "vi")
    assert OPEN not in html and CLOSE not in html
    assert '<span class="hb-untranslated" lang="vi">one <em>two</em></span>' in html
    assert "<title>T</title>" in html and 'title="t"' in html and 'x = "s"' in html


def test_tooltips_only_in_text_outside_links_buttons_and_comments():
    html = Tooltips({"VNeID": "an app"}).apply(PAGE)
    assert html.count('<abbr title="an app" tabindex="0">VNeID</abbr>') == 2  # the two paragraphs
    assert '<a href="#">VNeID</a>' in html and "<button>VNeID</button>" in html and "<!-- VNeID -->" in html
