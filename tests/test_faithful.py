"""Every sentence of each official plan appears, in order, on its page.

The reference is the project's own verbatim copy of each plan (content/plans/ID.original.txt);
only conversion debris is removed before comparing, and whitespace is normalised.
"""

from __future__ import annotations

import re

from htmltools import normalise, read_page

DEBRIS = [re.compile(r"\[bookmark: [^\]]*\]"), re.compile(r"\*\*")]


def original_lines(text: str) -> list[str]:
    """The plan's lines, without conversion debris and list markers."""
    out = []
    for line in text.splitlines():
        for pattern in DEBRIS:
            line = pattern.sub("", line)
        line = normalise(line)
        line = re.sub(r"^- ", "", line)
        if line:
            out.append(line)
    return out


def missing_or_out_of_order(lines: list[str], page_text: str) -> list[str]:
    text = normalise(page_text)
    problems, position = [], 0
    for line in lines:
        found = text.find(line, position)
        if found < 0:
            problems.append(line if line not in text else f"(out of order) {line}")
        else:
            position = found + len(line)
    return problems


def test_every_sentence_of_each_plan_is_on_its_page(site, model):
    for plan in model.plans.values():
        lines = original_lines(plan.original.read_text(encoding="utf-8"))
        assert len(lines) > 20, plan.id
        page = read_page(site, site / "plans" / plan.id / "index.html")
        problems = missing_or_out_of_order(lines, page.article_text)
        assert not problems, f"{plan.id}: not on the page as in the original:\n" + "\n".join(problems)


def test_the_check_catches_a_dropped_or_moved_sentence(site, model):
    plan = model.plans["ngok-reo"]
    lines = original_lines(plan.original.read_text(encoding="utf-8"))
    text = read_page(site, site / "plans" / plan.id / "index.html").article_text
    dropped = lines[40]
    assert missing_or_out_of_order(lines, normalise(text).replace(dropped, "")) == [dropped]
    moved = lines[:30] + [lines[50]] + lines[30:50] + lines[51:]
    assert missing_or_out_of_order(moved, text)


def test_translated_plan_pages_hold_every_block(site, model):
    for lang in model.languages[1:]:
        for plan in model.plans.values():
            page = read_page(site, site / lang / "plans" / plan.id / "index.html")
            text = normalise(page.article_text)
            missing = [b.id for b in plan.blocks if normalise(model.block_text(lang, plan.id, b)) not in text]
            assert not missing, f"{lang} {plan.id}: blocks not on the page: {missing}"
