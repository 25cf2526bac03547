"""MkDocs hook: the adapter between MkDocs's events and the build layer (handbook/build/).

Runs in ``on_config`` (before mkdocs-static-i18n, which runs last), once per language build:

1. load and validate ``content/`` as a whole: any problem stops the build here, before a
   single file is written (the error names the file, the line and the fix);
2. render every generated page in every language, in memory (handbook/build/generate.py);
3. stage the hand-written ``docs/`` plus the generated pages into ``build/docs`` (only files
   that changed are rewritten, so ``mkdocs serve`` does not loop) and point MkDocs at it;
4. derive the navigation, site name and description of each language from the model.

Each page gets its Content-Security-Policy as it is written (handbook/headers.py); once the
whole site is written, handbook/build/finish.py completes it. Only this module knows MkDocs:
the day the site generator changes, only it does. Generated pages never enter git: ``build/``
is ignored.
"""

from __future__ import annotations

import sys
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # mkdocs loads hooks by path, not as a package
    sys.path.insert(0, str(ROOT))

from handbook import headers  # noqa: E402
from handbook import search_index  # noqa: E402
from handbook import untranslated  # noqa: E402
from handbook.build import BuildError  # noqa: E402
from handbook.build.finish import finish  # noqa: E402
from handbook.build.generate import generate  # noqa: E402
from handbook.build.paths import Paths  # noqa: E402
from handbook.build.staging import stage  # noqa: E402
from handbook.model import commune_from_env  # noqa: E402
from handbook.render import Renderer, html_escape  # noqa: E402

PATHS = Paths(ROOT)  # this project's: a copy of the project builds into its own build/
_source_docs: Path | None = None
_site_url: str | None = None  # mkdocs.yml's, before a commune's own address replaces it
_reference = "vi"  # the authoritative language, set from the model
_generated = None  # this build's generated files, model, tooltips and clips (handbook/build/generate.py)


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _source_docs, _site_url, _reference, _generated
    if _source_docs is None:  # i18n runs this again for each language, on the same config
        _source_docs, _site_url = Path(config.docs_dir), config.site_url or ""
    try:
        _generated = generate(ROOT, _site_url, commune_from_env())
    except BuildError as exc:
        raise PluginError(str(exc)) from None
    model, renderer = _generated.model, _generated.renderer
    _reference = model.reference
    config.site_url = renderer.site_url or config.site_url  # a commune's own address, if it has one

    i18n = config.plugins.get("i18n")
    if i18n is None:
        raise PluginError("mkdocs.yml: the i18n plugin is not configured; the handbook needs it")
    configure_languages(i18n, model)
    theme_languages(config, model)
    for lang_config in i18n.config.languages:
        lang = lang_config.locale
        # the theme writes these into HTML and attributes as they are: they go in escaped, as text
        lang_config["site_name"] = html_escape(model.site_name(lang))
        lang_config["site_description"] = html_escape(model.t(lang, "ui", "site_description"))
        lang_config["nav"] = _nav(renderer, model, lang)
        # strings the theme's templates need (the update notice), through i18n's per-language extra
        lang_config["extra"] = {"hb": {**{key: model.t(lang, "ui", key)
                                          for key in ("offline_update", "offline_reload", "offline_full", "kiosk_start", "text_size",
                                                      "text_size_normal", "text_size_large",
                                                      "text_size_larger", "not_found_title",
                                                      "not_found_text", "kiosk_idle_title", "kiosk_idle_text",
                                                      "kiosk_idle_seconds", "kiosk_idle_stay")},
                                       "kiosk_idle": model.kiosk_idle_seconds}}

    try:
        stage(_source_docs, _generated.files, PATHS.stage)
    except BuildError as exc:
        raise PluginError(str(exc)) from None
    config.docs_dir = str(PATHS.stage)
    config.nav = _nav(renderer, model, model.reference)
    return config


def configure_languages(i18n, model) -> None:
    """The site's languages are the handbook's (content/handbook.toml): mkdocs.yml names only the
    authoritative one, and each other one is added here, before mkdocs-static-i18n reads them (its
    on_config runs last). So adding a language is its strings file and one line of configuration."""
    from mkdocs_static_i18n.config import I18nPluginLanguage

    configured = {lang.locale: lang for lang in i18n.config.languages}
    if list(configured) not in ([model.reference], model.languages) or not configured[model.reference].default:
        raise PluginError(
            f"mkdocs.yml: the i18n plugin lists the languages {list(configured)}\n    fix: list only "
            f"the authoritative language, '{model.reference}', with default: true; the others come "
            "from content/handbook.toml")
    for lang in model.languages:
        if lang in configured:
            continue
        entry = I18nPluginLanguage()
        entry.load_dict({"locale": "en", "name": html_escape(model.t(lang, "meta", "name")), "build": True})
        failed, _ = entry.validate()
        if failed:
            raise PluginError(f"content/locales/{lang}.toml: {failed}")
        # any BCP 47 code, also ISO 639-3 (Ba Na: bdq, Xơ Đăng: sed), which i18n's own check refuses
        entry["locale"], entry["link"] = lang, f"/{lang}/"
        i18n.config.languages.append(entry)


def theme_languages(config: MkDocsConfig, model) -> None:
    """The theme's own words (search box, skip link…) for a language it has none for: those of
    the authoritative language, from a generated partial on the theme's search path."""
    theme_words = PATHS.theme_languages
    known = {p.stem for folder in config.theme.dirs if str(folder) != str(theme_words)
             for p in (Path(folder) / "partials" / "languages").glob("*.html")}
    missing = [lang for lang in model.languages if lang not in known]
    for lang in missing:
        partial = theme_words / "partials" / "languages" / f"{lang}.html"
        partial.parent.mkdir(parents=True, exist_ok=True)
        partial.write_text(
            "{#- generated by handbook/hooks.py: the theme has no strings for this language -#}\n"
            f'{{% import "partials/languages/{model.reference}.html" as base %}}\n'
            f'{{% macro t(key) %}}{{{{ {{"language": "{lang}"}}[key] or base.t(key) }}}}{{% endmacro %}}\n',
            encoding="utf-8")
    if missing and str(theme_words) not in config.theme.dirs:
        config.theme.dirs.insert(0, str(theme_words))


def _nav(renderer: Renderer, model, lang: str) -> list:
    """The navigation with section titles in ``lang`` (page titles come from the pages)."""
    out = []
    for entry in renderer.nav():
        if isinstance(entry, dict):
            ((key, children),) = entry.items()
            out.append({html_escape(model.t(lang, "ui", key)): children})  # the theme writes it as HTML
        else:
            out.append(entry)
    return out


# The Content-Security-Policy of each page and the servers' headers: handbook/headers.py.
_policies = headers.Policies()


def with_policy(html: str, where: str = "a page") -> str:
    """Put the Content-Security-Policy first in the head, before any script."""
    try:
        return _policies.with_meta(html, where)
    except headers.PolicyError as exc:
        raise PluginError(str(exc)) from None


def _language(config: MkDocsConfig) -> str:
    return getattr(config.plugins.get("i18n"), "current_language", None) or _reference


def on_page_content(html: str, page, config: MkDocsConfig, files) -> str:
    """The page's body gets the glossary's tooltips, and its untranslated strings are marked,
    before the search plugin reads it; what is not reading text (controls, print-only parts) is
    marked for the search to skip."""
    return search_index.reading_only(untranslated.mark(_generated.tooltips[_language(config)].apply(html), _reference))


def on_post_page(output: str, page, config: MkDocsConfig) -> str:
    return with_policy(untranslated.mark(output, _reference), where=f"the page {page.file.dest_uri}")


_not_found: dict[str, str] = {}  # per language: its 404 page (mkdocs writes each at the site's root)


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    """Static pages of the theme (404.html) get the same policy. Each language's build renders
    404.html to the site's root, the last one winning: the root keeps the authoritative
    language's, and on_post_build puts each other one in its language's folder."""
    if not template_name.endswith(".html"):
        return output_content
    output = with_policy(untranslated.mark(output_content, _reference), where=f"the theme's {template_name}")
    if template_name == "404.html":
        _not_found[_language(config)] = output
        return _not_found.get(_reference, output)
    return output


@event_priority(-200)  # after mkdocs-static-i18n's (-100), which builds the other languages
def on_post_build(config: MkDocsConfig) -> None:
    """Complete the site (handbook/build/finish.py). Runs once, when the site is complete:
    i18n's own post-build step of the first language builds the others and then rewrites the
    search index of all of them, so anything derived from the files (.br/.gz, the service
    worker's list) must come after it."""
    i18n = config.plugins.get("i18n")
    if getattr(i18n, "building", False):
        return  # inside i18n's build of another language: the site is not complete yet
    languages = [lang.locale for lang in i18n.config.languages] if i18n else []
    others = [lang.locale for lang in i18n.config.languages if not lang.default] if i18n else []
    try:
        finish(Path(config.site_dir), languages, others, _reference, _not_found,
               _generated.model if _generated else None, _generated.audio if _generated else None, _policies, PATHS)
    except BuildError as exc:
        raise PluginError(str(exc)) from None
