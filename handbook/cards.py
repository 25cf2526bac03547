"""Counter cards: an A6 card (front and back) per situation and language, and A4 sheets of four
cards with cut marks, rendered from the content model to HTML here and to PDF by scripts/cards.py.

The QR code on each card opens the guide at the deployment's own address (``site_url``). While
that address is a loopback one (the default, http://127.0.0.1:8000/, for `make serve`), a card
says "no public address set" in place of the code: a laminated card with a code that opens
nothing is worse than none. :func:`address_warning` says which setting to change."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import jinja2
import yaml

from . import untranslated
from .model import Model, Situation
from . import fonts
from .pictograms import svg as pictogram_svg
from .render import TEMPLATES, qr_svg

A6_MM = (105, 148)


@dataclass
class Card:
    situation: Situation
    url: str
    qr: str  # "" while the handbook has no public address: the card says so instead
    commune: str
    svg: dict[str, str]


def is_loopback(url: str) -> bool:
    """Whether ``url`` names this machine only (127.0.0.1, localhost, [::1], 0.0.0.0): an
    address no phone that scans a printed code can reach."""
    host = (urlsplit(url).hostname or "").rstrip(".").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def address_warning(model: Model, url: str, root: Path) -> str | None:
    """What to tell whoever builds the handbook when its public address is a loopback one, naming
    the setting to change (the commune's profile in a commune's build, else mkdocs.yml); None
    when the address is a public one."""
    if not is_loopback(url):
        return None
    example = "https://sotay.example.gov.vn/"
    settings = [f"site_url in mkdocs.yml (every build: site_url: {example})"]
    if model.commune is not None:
        folder = root / "content" / "communes" / model.commune.id
        profile = (folder / "commune.toml") if folder.is_dir() else folder.with_suffix(".toml")
        settings.insert(0, f'site_url in {profile.relative_to(root).as_posix()} '
                           f'(this commune\'s address: site_url = "{example}")')
    return (f"warning: the handbook's public address is {url}, which only this machine can open: a "
            "printed QR code would open nothing, so the counter cards say \"no public address set\" "
            "in its place\n"
            f"    fix: set {' or '.join(settings)} to the address the handbook is published at")


def site_url(root: Path) -> str:
    """The public address of the site, from mkdocs.yml (each deployment sets its own)."""
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    url = (config or {}).get("site_url") or ""
    if not url:
        raise ValueError("mkdocs.yml: site_url is empty\n    fix: set the handbook's public address; "
                         "the cards' QR codes point to it")
    return url.rstrip("/") + "/"


def guide_url(model: Model, base: str, lang: str, situation_id: str) -> str:
    prefix = "" if lang == model.reference else f"{lang}/"
    return f"{base}{prefix}guides/{situation_id}/"


class CardRenderer:
    def __init__(self, model: Model, base_url: str):
        self.model = model
        self.base_url = base_url
        self.env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)),
                                      undefined=jinja2.StrictUndefined, autoescape=True,
                                      trim_blocks=True, lstrip_blocks=True)
        self.svg = {pid: jinja2.utils.markupsafe.Markup(pictogram_svg(model, pid))
                    for pid in model.pictograms}
        # the handbook's font, inside each card (a card is printed from a page with no site around it)
        self.env.globals.update(font_faces=jinja2.utils.markupsafe.Markup(fonts.embedded_css(model.strings)),
                                font_stack=jinja2.utils.markupsafe.Markup(fonts.STACK))

    def card(self, lang: str, situation: Situation) -> Card:
        model = self.model
        url = guide_url(model, self.base_url, lang, situation.id)
        commune = "; ".join(model.centre(lang, c) for c in model.communes.values() if situation.plan in c.plans)
        qr = "" if is_loopback(url) else jinja2.utils.markupsafe.Markup(qr_svg(url))
        return Card(situation, url, qr, commune, self.svg)

    def _render(self, template: str, lang: str, **context) -> str:
        model = self.model

        def t(*key: str) -> str:
            return model.t(lang, *key)

        return self.env.get_template(template).render(model=model, lang=lang, t=t, **context)

    def card_html(self, lang: str, situation: Situation) -> str:
        return untranslated.mark(self._render("cards/card.html.j2", lang, card=self.card(lang, situation)),
                                 self.model.reference)

    def sheet_html(self, lang: str) -> str:
        cards = [self.card(lang, s) for s in self.model.situations.values()]
        return untranslated.mark(self._render("cards/sheet.html.j2", lang, cards=cards), self.model.reference)
