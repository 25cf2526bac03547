"""The system Chromium (Debian's package), the flags every headless use of it here needs (no
sandbox as root, no GPU, no background traffic to hosts this closed network refuses), and the
wizard walk-through shared by the tests and the benchmark."""

from __future__ import annotations

import os

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def complete_wizard(page, who=(), situation=()):
    """Answer the wizard's two questions with the mouse and wait for the result (the staff's
    checklist, or the citizen's support slip at the kiosk)."""
    for answer in who:
        page.click(f'.hb-choice[data-answer="{answer}"]')
    page.click('[data-step="who"] [data-go="next"]')
    for answer in situation:
        page.click(f'.hb-choice[data-answer="{answer}"]')
    page.click('[data-step="situation"] [data-go="next"]')
    page.click('[data-step="summary"] [data-go="result"]')
    page.wait_for_selector(".hb-result .hb-path, .hb-result .hb-slip", state="attached")
