"""`make cards`: print-ready PDFs of the counter cards, rendered by the system Chromium.

    python scripts/cards.py [--out cards] [--if-chromium]

With HANDBOOK_COMMUNE=ID (`make cards COMMUNE=ID`), the cards of that commune's handbook.
Writes OUT/LANG/SITUATION.pdf (A6, 105 × 148 mm: the front, then the back) for every situation
and language, and OUT/LANG/sheets-a4.pdf (four cards per A4 page with cut marks; each page of
fronts is followed by its backs, mirrored for double-sided printing).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from handbook.cards import CardRenderer, address_warning, site_url  # noqa: E402
from handbook.fonts import FontError  # noqa: E402
from handbook.model import ContentError, commune_from_env, load  # noqa: E402

sys.path.insert(0, str(ROOT / "scripts"))
from chromium import ARGS as CHROMIUM_ARGS  # noqa: E402
from chromium import CHROMIUM  # noqa: E402

# the handbook's font is embedded in each card: printing waits until every face it uses is ready
FONTS_READY = "document.fonts.ready.then(() => document.fonts.status)"
OVERFLOW = """() => [...document.querySelectorAll('.side')]
    .filter(s => s.scrollHeight > s.clientHeight + 1 || s.scrollWidth > s.clientWidth + 1)
    .map(s => s.dataset.situation + ' ' + s.dataset.side)"""


def make_cards(out: Path, root: Path = ROOT, browser=None, commune: str | None = None) -> list[Path]:
    """Render every card of the handbook (of one ``commune``, or of every plan); ``browser`` is a
    running Playwright Chromium (one is started if None)."""
    if browser is None:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as pw:
            own = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                return make_cards(out, root, own, commune)
            finally:
                own.close()

    model = load(root, commune=commune)
    renderer = CardRenderer(model, model.site_url(site_url(root)))
    warning = address_warning(model, renderer.base_url, root)
    if warning:  # the cards are still made (make serve, make test), without a dead code
        print(f"cards: {warning}", file=sys.stderr)
    tmp = out.with_name(out.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    written: list[Path] = []
    page = browser.new_page()
    for lang in model.languages:
        (tmp / lang).mkdir(parents=True)
        for situation in model.situations.values():
            page.set_content(renderer.card_html(lang, situation), wait_until="load")
            page.evaluate(FONTS_READY)
            overflowing = page.evaluate(OVERFLOW)
            if overflowing:
                raise SystemExit(f"card {lang}/{situation.id}: the text does not fit on A6 "
                                 f"({', '.join(overflowing)})\n    fix: shorten the steps' texts "
                                 f"in content/locales/{lang}.toml or the checklist")
            target = tmp / lang / f"{situation.id}.pdf"
            page.pdf(path=str(target), prefer_css_page_size=True, print_background=True)
            written.append(out / lang / target.name)
        page.set_content(renderer.sheet_html(lang), wait_until="load")
        page.evaluate(FONTS_READY)
        page.pdf(path=str(tmp / lang / "sheets-a4.pdf"), prefer_css_page_size=True, print_background=True)
        written.append(out / lang / "sheets-a4.pdf")
    page.close()
    shutil.rmtree(out, ignore_errors=True)  # replaced whole, never half
    tmp.rename(out)
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "cards"))
    parser.add_argument("--if-chromium", action="store_true",
                        help="skip (with a note) when Chromium is not installed")
    args = parser.parse_args()
    if not Path(CHROMIUM).is_file():
        message = f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium) to print cards"
        if args.if_chromium:
            print(f"note: {message}; the site is built without cards", file=sys.stderr)
            return 0
        print(f"error: {message}", file=sys.stderr)
        return 1
    started = time.perf_counter()
    try:
        written = make_cards(Path(args.out), commune=commune_from_env())
    except (ContentError, FontError) as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"{len(written)} PDFs in {args.out} in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
