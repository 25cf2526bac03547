"""Where a build reads and writes, for the project at ``root`` (the folder of its mkdocs.yml: a
copy of the project, in tests and benchmarks, builds from its own content into its own build/)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Paths:
    root: Path = ROOT

    @property
    def stage(self) -> Path:  # docs/ plus the generated pages, which MkDocs reads
        return self.root / "build" / "docs"

    @property
    def cache(self) -> Path:
        """Slow, deterministic results (brotli of the runtime, compiled stdlib), cached by content
        hash; HANDBOOK_CACHE lets copies of the project (tests) share one cache."""
        return Path(os.environ.get("HANDBOOK_CACHE") or self.root / "build" / "cache")

    @property
    def deploy(self) -> Path:  # the servers' headers (headers.json) and nginx.conf
        return self.root / "build" / "deploy"

    @property
    def nginx_template(self) -> Path:
        return self.root / "deploy" / "nginx.conf.in"

    @property
    def theme_languages(self) -> Path:  # the theme's words for a language it has none for
        return self.root / "build" / "theme"

    def cards(self, commune: str | None) -> Path:
        """Written by scripts/cards.py (make site, when Chromium is there): build/cards/COMMUNE
        or build/cards/all."""
        return self.root / "build" / "cards" / (commune or "all")


def cards_dir(commune: str | None, root: Path = ROOT) -> Path:
    return Paths(root).cards(commune)
