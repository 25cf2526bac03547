"""Everything generated from content/ for one build: the model loaded and validated, every page
rendered in every language, the pictograms, the wizard's runtime, the counter cards, the audio
clips and the fonts, in memory (the staging step writes them), and the glossary's tooltips.
MkDocs's language plugin asks for it once per language: it is made once while no input changes."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

from handbook import audio as audio_module
from handbook import fonts, untranslated
from handbook.cards import address_warning
from handbook.model import ContentError, load
from handbook.pictograms import PictogramError
from handbook.pictograms import assets as pictogram_assets
from handbook.render import Renderer
from handbook.tooltips import Tooltips

from . import BuildError
from .paths import Paths
from .runtime import wizard_assets

AUDIO_STATUS = "assets/audio/status.json"
# what a build's output depends on, besides mkdocs.yml, docs/ and overrides/
INPUTS = ("content", "handbook/templates", "wizard")


@dataclass(frozen=True)
class Generated:
    model: object  # handbook.model.Model
    renderer: Renderer
    files: dict[str, str | bytes]  # site path -> text or bytes
    tooltips: dict[str, Tooltips]  # per language: the glossary's terms and meanings
    audio: object  # handbook.audio.Audio: this build's clips (for the service worker's list)


_memo: dict[tuple, Generated] = {}


def generate(root: Path, site_url: str, commune: str | None) -> Generated:
    """Load, validate and render everything of the project at ``root`` once per build: i18n runs on_config again for each
    language, with the same inputs, so the result is reused while no input file has changed."""
    cards = Paths(root).cards(commune)
    inputs = sorted(p for folder in INPUTS for p in (root / folder).rglob("*") if p.is_file())
    inputs += sorted(p for p in cards.rglob("*.pdf")) if cards.is_dir() else []
    key = (str(root), site_url, commune, *((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in inputs))
    if key not in _memo:
        _memo.clear()
        _memo[key] = _generate(root, site_url, commune, cards)
    return _memo[key]


def _generate(root: Path, site_url: str, commune: str | None, cards_folder: Path) -> Generated:
    try:
        model = load(root, commune=commune)
    except ContentError as exc:
        raise BuildError(str(exc)) from None
    cards = card_files(model, cards_folder)
    try:
        audio = audio_module.build(model, root, commune)
    except ContentError as exc:
        raise BuildError(str(exc)) from None
    if not audio.enabled:  # said plainly, not as a warning: a site without sound still builds (--strict)
        print(f"audio: not made: the Debian package{'s' if len(audio.missing) > 1 else ''} "
              f"{' and '.join(audio.missing)} {'are' if len(audio.missing) > 1 else 'is'} not installed "
              f"(sudo apt-get install {' '.join(audio.missing)}); this site has no sound",
              file=sys.stderr)
    renderer = Renderer(model, site_url=model.site_url(site_url), cards=cards, audio=audio)
    warning = address_warning(model, renderer.site_url, root)
    if warning:  # said plainly, not as a warning of MkDocs: the site still builds (--strict)
        print(f"site: {warning}", file=sys.stderr)
    try:
        files = {**renderer.render_all(), **pictogram_assets(model), **wizard_assets(model, root), **cards,
                 **audio.files, AUDIO_STATUS: audio_status(model, audio), **fonts.site_files(model.strings)}
    except (PictogramError, fonts.FontError) as exc:
        raise BuildError(str(exc)) from None
    tooltips = {lang: Tooltips({untranslated.strip(model.t(lang, "glossary", tid, "abbr")):
                                untranslated.strip(model.t(lang, "glossary", tid, "meaning"))
                                for tid in model.glossary}) for lang in model.languages}
    return Generated(model, renderer, files, tooltips, audio)


def audio_status(model, audio) -> bytes:
    """What this site can say, per language (read by tests and by whoever deploys it): whether it
    has sound at all, what is missing to make it, and how many clips are recorded or synthetic."""
    return json.dumps({"audio": audio.enabled, "missing": audio.missing, "languages": {
        lang: {"recorded": list(audio.kinds.get(lang, {}).values()).count("recorded"),
               "synthetic": list(audio.kinds.get(lang, {}).values()).count("synthetic"),
               "spoken": len(audio_module.spoken(model, lang))} for lang in model.languages}},
        indent=1).encode("utf-8")


def card_files(model, folder: Path) -> dict[str, bytes]:
    """The counter cards made by scripts/cards.py for this handbook, if every one is there."""
    names = [f"{lang}/{name}.pdf" for lang in model.languages
             for name in [*model.situations, "sheets-a4"]]
    if not all((folder / name).is_file() for name in names):
        return {}
    return {f"cards/{name}": (folder / name).read_bytes() for name in names}
