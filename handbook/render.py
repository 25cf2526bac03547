"""Render every generated page of the handbook, in every language, from a validated model.

``render_all`` returns ``{src_uri: markdown}`` for the whole site; nothing is written here, so
a template error leaves no half-built site. Vietnamese pages are ``PATH.md``; other languages
are ``PATH.LANG.md`` (mkdocs-static-i18n's suffix structure).
"""

from __future__ import annotations

import functools
import posixpath
import re
from pathlib import Path

import jinja2
import segno

from .model import Citation, Model, anchor

TEMPLATES = Path(__file__).parent / "templates"
# Markdown as mkdocs.yml configures it (attr_list, md_in_html, admonition, tables, toc; MkDocs
# adds fenced_code): what in a text would become markup, and how it stays text.
# Anywhere in a line: Python-Markdown's own escapes (a backslash it removes) for emphasis * _,
# code `, links and images [ ] !, attribute lists { }, a heading's closing #, table cells |, and
# the backslash itself; raw HTML and entities < > & as entities (a backslash there would show).
_MD_ESCAPED = re.compile(r"([\\`*_{}\[\]#|!])")
# At the start of a line (a template may put the text at the start of one): an ordered list's
# "1.", a list's - or +, a setext underline (= or -), a ~~~ fence, indentation (a code block);
# "!!!" (admonition), "#" and ``` are escaped above. ":" and "?" too: definition lists and
# pymdownx.details, should they be enabled (tests/test_import_hostile.py renders each construct
# with the extensions mkdocs.yml enables).
_MD_LINE_START = re.compile(r"^(?:(\d+)\.(?=[ \t]|$)|([-+])|([=~:?])|([ \t]))", re.MULTILINE)


def _line_start(match: re.Match) -> str:
    if match[1]:
        return f"{match[1]}\\."
    if match[2]:
        return "\\" + match[2]
    return f"&#{ord(match[0])};"


def md_escape(text: str) -> str:
    """Escape text so Markdown shows it literally, as text, wherever a template puts it (at the
    start of a line, in a heading, a list item, a quote, a link): no markup is ever made of it."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_ESCAPED.sub(r"\\\1", text)
    text = re.sub(r"[ \t]+(?=\n)", "", text)  # two spaces before a line break would make a <br>
    return _MD_LINE_START.sub(_line_start, text)


def html_escape(text: str) -> str:
    return str(jinja2.utils.markupsafe.escape(text))


def page_url(path: str) -> str:
    """The directory URL (relative to the language root) of a page: guides/x.md → guides/x/."""
    if path == "index.md":
        return ""
    if path.endswith("/index.md"):
        return path[: -len("index.md")]
    return path[:-3] + "/"


def page_uri(path: str, lang: str, model: Model) -> str:
    """``guides/x.md`` in ``lang``: the reference language keeps the plain name."""
    if lang == model.reference:
        return path
    return re.sub(r"\.md$", f".{lang}.md", path)


def qr_svg(payload: str) -> str:
    """A QR code as inline SVG (error correction M: survives a worn laminated card)."""
    code = segno.make(payload, error="m", micro=False)
    return code.svg_inline(border=2, dark="#000", light="#fff", omitsize=True)  # sized by CSS


@functools.cache
def environment() -> jinja2.Environment:
    """One template environment per process: its compiled templates serve every build (many
    communes' handbooks are built in one process; templates change only between processes, and
    the loader still reloads a template whose file changed)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        # Markdown's attribute lists use "{#id}", Jinja's default comment opener
        comment_start_string="{#-#",
        comment_end_string="#-#}",
        extensions=["jinja2.ext.do"],
    )
    env.filters["md"] = md_escape
    env.filters["html"] = html_escape
    env.filters["short_item"] = lambda iid, t: t("items", iid, "short")  # an item's short name
    env.filters["phase_name"] = lambda phase, t: t("phases", phase)
    env.filters["answer_id"] = lambda answer: answer.split(":", 1)[1]  # "who:elderly" → "elderly"
    return env

# The listen controls' icon (a loudspeaker; drawn here, not a picture file: it is one path)
SPEAKER = ('<svg class="hb-listen__icon" aria-hidden="true" focusable="false" viewBox="0 0 24 24" width="24" '
           'height="24"><path fill="currentColor" d="M3 9v6h4l5 5V4L7 9H3zm13.5 3A4.5 4.5 0 0 0 14 8v8a4.5 '
           '4.5 0 0 0 2.5-4zM14 3.2v2.1a7 7 0 0 1 0 13.4v2.1a9 9 0 0 0 0-17.6z"/></svg>')


class Renderer:
    def __init__(self, model: Model, site_url: str = "", cards: dict | None = None, audio=None):
        self.model = model
        # per language: a spoken string's key -> its clip's name (handbook/audio.py); empty when
        # the build has no audio: then no page offers to listen
        self.clips: dict[str, dict[str, str]] = audio.clips if audio is not None else {}
        self.cards_available = bool(cards)
        self.site_url = site_url.rstrip("/") + "/" if site_url else ""
        self.env = environment()
        self._pairs: list[dict] | None = None
        from .cards import is_loopback  # noqa: PLC0415 - cards renders with this module

        # a printed QR code only where people can open it: else "no public address set"
        self.public_address = bool(self.site_url) and not is_loopback(self.site_url)

    def answer_pairs(self) -> list[dict]:
        """Every pair of answers and how it is settled (wizard/pairs.py), computed once."""
        if self._pairs is None:
            from wizard.data import export  # noqa: PLC0415 - the wizard package builds on the model
            from wizard.pairs import pairs  # noqa: PLC0415

            self._pairs = pairs(export(self.model))
        return self._pairs

    def pages(self) -> dict[str, tuple[str, dict]]:
        """Each generated page (language-neutral path) with its template and context."""
        model = self.model
        pages: dict[str, tuple[str, dict]] = {
            "index.md": ("home.md.j2", {}),
            "guides/index.md": ("guides.md.j2", {}),
            "plans/index.md": ("plans.md.j2", {}),
            "glossary.md": ("glossary.md.j2", {}),
            "contacts.md": ("contacts.md.j2", {}),
            "wizard/index.md": ("wizard.md.j2", {"kiosk": False}),
            "kiosk/index.md": ("wizard.md.j2", {"kiosk": True}),
            "wizard/rules.md": ("wizard-rules.md.j2", {}),
            "licences.md": ("licences.md.j2", {}),
            "cards.md": ("cards.md.j2", {"cards_available": self.cards_available}),
        }
        for situation in model.situations.values():
            pages[f"guides/{situation.id}.md"] = ("guide.md.j2", {"situation": situation})
        for plan in model.plans.values():
            pages[f"plans/{plan.id}.md"] = ("plan.md.j2", {"plan": plan})
        return pages

    def nav(self) -> list:
        """The site navigation, derived from the model (titles come from each page)."""
        model = self.model
        return [
            "index.md",
            {"nav_wizard": ["wizard/index.md", "wizard/rules.md", "kiosk/index.md"]},
            {"nav_guides": ["guides/index.md",
                            *(f"guides/{s}.md" for s in model.situations)]},
            {"nav_plans": ["plans/index.md", *(f"plans/{p}.md" for p in model.plans)]},
            "glossary.md",
            "contacts.md",
            "cards.md",
            "licences.md",
        ]

    def render(self, path: str, template: str, context: dict, lang: str) -> str:
        model = self.model
        here = posixpath.dirname(path)

        def t(*key: str, **fmt: str) -> str:
            text = model.t(lang, *key)
            return text.format(**fmt) if fmt else text

        def link(target: str) -> str:
            """Relative link from this page to another generated page (language-neutral path)."""
            return posixpath.relpath(target, here or ".")

        def url(target: str) -> str:
            """Relative URL from this page to another page, for raw HTML and JSON."""
            rel = posixpath.relpath(page_url(target) or ".", page_url(path) or ".")
            return "./" if rel == "." else rel + "/"

        def cite_html(citation: Citation) -> str:
            """A citation as raw HTML (inside raw HTML blocks, where Markdown is not read)."""
            label = html_escape(f"{t('plans', citation.plan, 'label')} {citation.section}")
            href = f"{url(f'plans/{citation.plan}.md')}#{citation.anchor}"
            return f'<a class="hb-cite" href="{href}" data-cite="{citation}">{label}</a>'

        def cite(citation: Citation) -> str:
            label = f"{t('plans', citation.plan, 'label')} {citation.section}"
            href = f"{link(f'plans/{citation.plan}.md')}#{citation.anchor}"
            return f'[{md_escape(label)}]({href}){{ .hb-cite data-cite="{citation}" }}'

        def commune_kind(commune) -> str:
            return t("commune_kinds", commune.kind)

        depth = len([p for p in page_url(path).split("/") if p]) + (lang != model.reference)

        def asset(target: str) -> str:
            """Relative URL of a site-wide asset (assets live once, at the site's root)."""
            return "../" * depth + target

        def pic(pid: str, alt: bool = True, size: int = 48, cls: str = "hb-pic") -> str:
            text = html_escape(t("pictograms", pid, "alt")) if alt else ""
            return (f'<img class="{cls}" src="{asset(f"assets/pictograms/{pid}.svg")}" alt="{text}" '
                    f'width="{size * len(model.pictograms[pid].icons)}" height="{size}" '
                    f'data-pictogram="{pid}">')

        def listen(*keys: str, name: str = "", label: str = "listen", cls: str = "") -> str:
            """A listen control playing the clips of ``keys`` in turn (nothing without audio):
            hidden until the page's script can play it; ``name`` says what it reads."""
            clips = [c for c in (self.clips.get(lang, {}).get(k) for k in keys) if c]
            if not clips:
                return ""
            word = t("ui", label)
            spoken = html_escape(f"{word}: {name}" if name else word)
            return (f'<button type="button" class="hb-listen{" " + cls if cls else ""}" data-clips="{" ".join(clips)}" '
                    f'aria-label="{spoken}" hidden>{SPEAKER}<span class="hb-listen__label">{html_escape(word)}'
                    "</span></button>")

        def clip(key: str) -> str:
            """The name of the spoken clip of a string (empty without audio)."""
            return self.clips.get(lang, {}).get(key, "")

        def absolute(target: str) -> str:
            """The public URL of a page in this language (for QR codes and printed copies)."""
            prefix = "" if lang == model.reference else f"{lang}/"
            return f"{self.site_url}{prefix}{page_url(target)}"

        def communes_of(plan: str) -> list:
            return [c for c in model.communes.values() if plan in c.plans]

        def condition(text: str) -> str:
            """A variant's condition in words (Markdown): an answer's label, or that a path applies."""
            kind, _, value = text.partition(":")
            if kind == "path":
                return md_escape(t("ui", "rules_path_applies", title=t("paths", value, "title")))
            if kind == "fact":
                return md_escape(t("facts", value, "label"))
            return md_escape(t("answers", value, "label"))

        def conditions_text(values, joiner: str) -> str:
            return (", " if joiner == "," else f" {md_escape(joiner)} ").join(condition(v) for v in values)

        if template == "wizard.md.j2":
            context = {**context, "wizard_config": self.wizard_config(lang, t, url, asset, context.get("kiosk", False))}
        return self.env.get_template(template).render(
            model=model, lang=lang, t=t, link=link, url=url, cite=cite, anchor=anchor,
            commune_kind=commune_kind, path=path, citation=Citation, pic=pic, cite_html=cite_html, asset=asset,
            listen=listen, clip=clip, answer_pairs=self.answer_pairs,
            public_address=self.public_address,
            absolute=absolute, qr=qr_svg, communes_of=communes_of, condition=condition, conditions_text=conditions_text, zip=zip,
            reference=model.reference, is_translation=lang != model.reference,
            reference_link=self.reference_link(path, lang), **context,
        )

    def wizard_config(self, lang: str, t, url, asset, kiosk: bool = False) -> dict:
        """What the wizard page's script needs to show a result: labels and links (the rules and
        the checklist texts come from the engine itself)."""
        model = self.model
        cites = {}
        for plan in model.plans.values():
            for section in plan.sections:
                cites[f"{plan.id}:{section}"] = {
                    "label": f"{t('plans', plan.id, 'label')} {section}",
                    "href": f"{url(f'plans/{plan.id}.md')}#{anchor(section)}"}
        answers = {}
        for rule in model.wizard.rules:
            if len(rule.when) == 1:
                ((_, answer),) = rule.when
                guide = f"guides/{rule.link}.md" if rule.link else "guides/index.md"
                answers[answer] = {"label": t("answers", answer, "label"), "guide": url(guide),
                                   "guide_title": t("situations", rule.link, "title") if rule.link
                                   else t("ui", "wizard_all_guides"),
                                   "pictogram": asset(f"assets/pictograms/{rule.pictogram}.svg"),
                                   "width": 32 * len(model.pictograms[rule.pictogram].icons)}
        keys = ("loading", "stage_runtime", "stage_engine", "ready", "waiting", "failed", "slow",
                "network", "printed_on", "none", "path_label", "why", "checklist", "sources", "notes",
                "follows", "empty", "no_path", "stage_skipped")
        slip = ("title", "chosen", "lead", "counter", "needs", "path", "none")
        clips = self.clips.get(lang, {})
        return {
            "lang": lang,
            # an imported plan nobody has confirmed yet: its slips say so too
            "draft": t("ui", "draft_notice") if model.commune and model.commune.draft else "",
            # the clips of what the script draws: the result, the slip, the engine's notices
            "audio": {key: name for key, name in clips.items()
                      if key.startswith(("answers.", "slip_lines.", "paths.", "items.", "conflicts.", "provisos.", "ui.slip_",
                                         "ui.wizard_", "ui.kiosk_"))},
            "questions": [q.id for q in model.wizard.questions],
            "cites": cites,
            "answers": answers,
            "phases": {p: t("phases", p) for p in model.phases},
            "paths": {p.id: t("paths", p.id, "title") for p in model.wizard.paths},
            "plans": {p: t("plans", p, "short") for p in model.plans} if len(model.plans) > 1 else {},
            "rules": url("wizard/rules.md"),
            # the staff wizard in the authoritative language, which the counter officer reads: the
            # slip's QR code opens it with the same answers (in the fragment: never sent anywhere)
            "staff": asset(page_url("wizard/index.md")),
            "text": {**{key: t("ui", f"wizard_{key}") for key in keys},
                     **{f"slip_{key}": t("ui", f"slip_{key}") for key in slip},
                     "reading": t("ui", "rules_reading"),
                     **({key: t("ui", key) for key in ("slip_qr", "kiosk_wait")} if kiosk else {}),
                     "listen": t("ui", "listen"), "listen_all": t("ui", "listen_all"),
                     **{key: t("ui", key) for key in ("offline_save", "offline_saving",
                                                      "offline_saved", "offline_failed",
                                                      "offline_full")}},
        }

    def reference_link(self, path: str, lang: str) -> str:
        """Link from a translated page to the same page in the authoritative language."""
        depth = path.count("/") + (0 if path.endswith("index.md") else 1)
        if lang == self.model.reference:
            return ""
        # the translated site lives under /LANG/, the reference one at the root
        target = path[: -len("index.md")] if path.endswith("index.md") else path[:-3] + "/"
        return "../" * (depth + 1) + target

    def render_all(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for lang in self.model.languages:
            for path, (template, context) in self.pages().items():
                out[page_uri(path, lang, self.model)] = self.render(path, template, context, lang)
        return out
