"""Where the build reads and writes."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STAGE = ROOT / "build" / "docs"
# Slow, deterministic results (brotli of the runtime, compiled stdlib) are cached by content hash;
# HANDBOOK_CACHE lets copies of the project (tests) share one cache.
CACHE = Path(os.environ.get("HANDBOOK_CACHE", ROOT / "build" / "cache"))
# written by scripts/cards.py (make site, when Chromium is there): build/cards/COMMUNE or .../all
CARDS = ROOT / "build" / "cards"
# the servers' headers (headers.json) and nginx.conf, written by every build
DEPLOY = ROOT / "build" / "deploy"
NGINX_TEMPLATE = ROOT / "deploy" / "nginx.conf.in"
# the theme's words for a language it has none for (handbook/build/languages.py)
THEME_LANGUAGES = ROOT / "build" / "theme"


def cards_dir(commune: str | None) -> Path:
    return CARDS / (commune or "all")
