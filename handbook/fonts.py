"""The handbook's one text font: Noto Sans, self-hosted from the pinned npm package
``@fontsource/noto-sans`` (SIL Open Font License 1.1), so that every screen and every printout
(the support slip, the checklists, the counter cards) draws Vietnamese in one family whatever
fonts the machine has. Nothing is fetched from elsewhere: the files are made from the package.

Only the faces the pages use are shipped (regular and bold, upright), one file each. The package
splits the family by script (Latin, Vietnamese, Latin Extended, each its own file); the handbook
joins the pieces its text needs (Latin and Vietnamese always, Latin Extended only when the text
holds a letter only it has, e.g. Bahnar written in Latin letters) and keeps, with fontTools'
subsetter, the characters the handbook can show: every character of its text (content, interface
strings, templates, scripts) and a margin so that a commune's own words never fall back to a
system font: all of Basic Latin and Latin-1, every Vietnamese letter and tone mark, the common
punctuation. Two files of about 14 KB (woff2) in place of four of 37 KB in all. The result
depends only on its inputs and is cached by their hash (HANDBOOK_CACHE, as the rest of the build).
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "node_modules" / "@fontsource" / "noto-sans"
FAMILY = "Handbook Sans"  # the name the stylesheets use; the files are Noto Sans
WEIGHTS = (400, 700)
# The package's pieces by script (each file's characters: its unicode.json), joined in this order.
SUBSETS = ("latin-ext", "vietnamese", "latin")
ALWAYS = ("vietnamese", "latin")
SITE_DIR = "assets/fonts"
STYLESHEET = "assets/stylesheets/fonts.css"
CACHE = Path(os.environ.get("HANDBOOK_CACHE", ROOT / "build" / "cache")) / "fonts"
# Text the handbook shows besides its content's strings: its templates, the theme's overrides and
# its own scripts (their interface words, arrows, quotes).
UI_SOURCES = ("handbook/templates", "overrides", "docs/assets")
UI_SUFFIXES = (".j2", ".html", ".js", ".mjs", ".css")
# The margin, beyond the characters the text has today: Basic Latin, Latin-1 (also French or
# German names), every Vietnamese letter (Ă Đ Ĩ Ũ Ơ Ư and U+1EA0–1EF9) and its tone marks as
# combining marks, the đồng sign, and the common punctuation (dashes, quotes, bullet, ellipsis).
MARGIN = frozenset([*range(0x20, 0x7F), *range(0xA0, 0x100), 0x102, 0x103, 0x110, 0x111, 0x128, 0x129,
                    0x168, 0x169, 0x1A0, 0x1A1, 0x1AF, 0x1B0, *range(0x1EA0, 0x1EFA), 0x300, 0x301, 0x303,
                    0x309, 0x323, 0x20AB, *range(0x2010, 0x2028), 0x2030, 0x2039, 0x203A, 0x20AC, 0x2122])
# The OpenType features a browser applies to Latin text by itself (and the theme's "kern" and
# "liga"): the others (fractions, tabular figures…) are used only when a stylesheet asks, and none does.
FEATURES = ("ccmp", "locl", "mark", "mkmk", "kern", "liga", "clig", "calt", "rlig")
RECIPE = 1  # part of the cache's key: change it when _subset changes
# the text font, then the fallback for what the subsets lack (a few symbols: the print tests
# check that no text is drawn in it)
STACK = f'"{FAMILY}", sans-serif'


class FontError(Exception):
    """The font package is missing or incomplete: the message says how to install it."""


def _file(subset: str, weight: int) -> Path:
    return PACKAGE / "files" / f"noto-sans-{subset}-{weight}-normal.woff2"


def _ranges() -> dict[str, str]:
    try:
        ranges = json.loads((PACKAGE / "unicode.json").read_text(encoding="utf-8"))
        missing = [str(_file(s, w).relative_to(ROOT)) for s in SUBSETS for w in WEIGHTS
                   if not _file(s, w).is_file()] + [s for s in SUBSETS if s not in ranges]
    except (OSError, ValueError):
        missing = ["node_modules/@fontsource/noto-sans/unicode.json"]
    if missing:
        raise FontError(f"the handbook's font is missing: {', '.join(missing)}\n"
                        "    fix: run `make setup` (npm ci installs the pinned @fontsource/noto-sans)")
    return {subset: ranges[subset] for subset in SUBSETS}


def _covers(unicode_range: str):
    """A test of whether a code point lies in a CSS ``unicode-range`` value."""
    spans = []
    for part in unicode_range.split(","):
        low, _, high = part.strip().removeprefix("U+").partition("-")
        spans.append((int(low, 16), int(high or low, 16)))
    return lambda point: any(low <= point <= high for low, high in spans)


def subsets(strings) -> list[str]:
    """The subsets the handbook's ``strings`` (every text of every language, as the model holds
    them: pages and cards are made of these) need, in declaration order."""
    ranges = _ranges()
    covered = [_covers(ranges[name]) for name in ALWAYS]
    extra = {name: _covers(ranges[name]) for name in SUBSETS if name not in ALWAYS}
    needed = set(ALWAYS)
    points = {ord(c) for c in set(json.dumps(strings, ensure_ascii=False)) if ord(c) > 0xFF}
    for point in points:
        if not any(test(point) for test in covered):
            needed.update(name for name, test in extra.items() if test(point))
    return [name for name in SUBSETS if name in needed]


def ui_text(root: Path = ROOT) -> str:
    """The text of the handbook's templates, overrides and scripts (for their characters)."""
    return "".join(path.read_text(encoding="utf-8") for folder in UI_SOURCES
                   for path in sorted((root / folder).rglob("*")) if path.suffix in UI_SUFFIXES)


def codepoints(strings) -> set[int]:
    """The characters the font keeps: those of ``strings`` and of the interface, and the margin."""
    text = json.dumps(strings, ensure_ascii=False) + ui_text()
    return set(MARGIN) | {ord(c) for c in text if ord(c) >= 0x20}


def _subset(names: list[str], weight: int, points: set[int]) -> bytes:
    """One woff2 file: the package's files of ``names`` at ``weight`` joined, then cut to ``points``."""
    from fontTools import subset
    from fontTools.merge import Merger
    from fontTools.ttLib import TTFont

    sources, dates = [], []
    for name in names:
        font = TTFont(_file(name, weight))
        font.flavor = None
        dates.append((font["head"].created, font["head"].modified))
        raw = io.BytesIO()
        font.save(raw)
        sources.append(io.BytesIO(raw.getvalue()))
    font = Merger().merge(sources) if len(sources) > 1 else TTFont(sources[0])
    font["head"].created, font["head"].modified = max(dates)  # the package's, not the time of the build
    options = subset.Options()
    options.layout_features = list(FEATURES)
    options.name_IDs = ["*"]  # the copyright and licence notices stay in the font
    options.name_languages = ["*"]
    options.glyph_names = False
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=points)
    subsetter.subset(font)
    font.flavor = "woff2"
    font.recalcTimestamp = False  # the same inputs give the same bytes
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def faces(strings) -> dict[int, bytes]:
    """The font file of each weight for the handbook's ``strings``, from the cache when it has it."""
    try:
        import fontTools
    except ImportError:
        raise FontError("the Python package fontTools is missing\n    fix: run `make setup` "
                        "(it installs the pinned versions of requirements.lock)") from None
    names = subsets(strings)
    points = codepoints(strings)
    out = {}
    for weight in WEIGHTS:
        key = [RECIPE, fontTools.version, FEATURES, sorted(points), names, weight]
        digest = hashlib.sha256(json.dumps(key).encode())
        for name in names:
            digest.update(_file(name, weight).read_bytes())
        cached = CACHE / f"{digest.hexdigest()[:32]}.woff2"
        if not cached.is_file():
            cached.parent.mkdir(parents=True, exist_ok=True)
            partial = cached.with_suffix(f".{os.getpid()}.tmp")
            partial.write_bytes(_subset(names, weight, points))
            partial.replace(cached)  # whole or not at all: builds may run side by side
        out[weight] = cached.read_bytes()
    return out


def file_name(weight: int, data: bytes) -> str:
    """The site's name of a face's file: its weight and the hash of its bytes (a new text, a new name)."""
    return f"handbook-sans-{weight}-{hashlib.sha256(data).hexdigest()[:8]}.woff2"


def face_css(urls: dict[int, str]) -> str:
    """The @font-face rules of the faces, each face's file at ``urls[weight]``."""
    return "\n".join(
        f"@font-face {{ font-family: \"{FAMILY}\"; font-style: normal; font-weight: {weight}; "
        f"font-display: swap; src: url({url}) format(\"woff2\"); }}" for weight, url in urls.items()) + "\n"


def site_files(strings) -> dict[str, bytes]:
    """The font files the handbook's ``strings`` need, their licence and the stylesheet that
    declares them, for the site."""
    made = faces(strings)
    names = {weight: file_name(weight, data) for weight, data in made.items()}
    css = ("/* Generated by handbook/fonts.py: Noto Sans (SIL OFL 1.1, ../fonts/LICENSE.txt), "
           "self-hosted, cut to the handbook's characters */\n"
           + face_css({weight: f"../fonts/{name}" for weight, name in names.items()}))
    files = {f"{SITE_DIR}/{names[weight]}": data for weight, data in made.items()}
    files[f"{SITE_DIR}/LICENSE.txt"] = (PACKAGE / "LICENSE").read_bytes()
    files[STYLESHEET] = css.encode("utf-8")
    return files


def embedded_css(strings) -> str:
    """The same faces as data: URLs, for a page that has no site around it (the counter cards)."""
    return face_css({weight: "data:font/woff2;base64," + base64.b64encode(data).decode("ascii")
                     for weight, data in faces(strings).items()})
