"""MkDocs hook: load and validate the content model, then generate every page into the build.

Runs in ``on_config`` (before mkdocs-static-i18n, which runs last), once per language build:

1. load and validate ``content/`` as a whole: any problem stops the build here, before a
   single file is written (the error names the file, the line and the fix);
2. render every generated page in every language, in memory;
3. stage the hand-written ``docs/`` plus the generated pages into ``build/docs`` (only files
   that changed are rewritten, so ``mkdocs serve`` does not loop) and point MkDocs at it;
4. derive the navigation, site name and description of each language from the model.

Generated pages never enter git: ``build/`` is ignored.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # mkdocs loads hooks by path, not as a package
    sys.path.insert(0, str(ROOT))

from handbook.cards import address_warning  # noqa: E402
from handbook.compress import precompress  # noqa: E402
from handbook import audio as audio_module  # noqa: E402
from handbook import fonts  # noqa: E402
from handbook import headers  # noqa: E402
from handbook import search_index  # noqa: E402
from handbook import untranslated  # noqa: E402
from handbook.tooltips import Tooltips  # noqa: E402
from handbook.model import ContentError, commune_from_env, load  # noqa: E402
from handbook.pictograms import PictogramError  # noqa: E402
from handbook.pictograms import assets as pictogram_assets  # noqa: E402
from handbook.render import Renderer, html_escape  # noqa: E402
from wizard.data import export  # noqa: E402

STAGE = ROOT / "build" / "docs"
# Slow, deterministic results (brotli of the runtime, compiled stdlib) are cached by content hash;
# HANDBOOK_CACHE lets copies of the project (tests) share one cache.
CACHE = Path(os.environ.get("HANDBOOK_CACHE", ROOT / "build" / "cache"))
# written by scripts/cards.py (make site, when Chromium is there): build/cards/COMMUNE or .../all
CARDS = ROOT / "build" / "cards"
PYODIDE = ROOT / "node_modules" / "pyodide"
# What the browser needs of the Pyodide package (no package index: the engine needs none; the
# standard library is trimmed to the files listed in wizard/stdlib.txt).
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm")
# the slip's QR code, drawn in the browser (docs/assets/wizard/qr.mjs imports it)
QRCODE = ROOT / "node_modules" / "qrcode-generator" / "dist" / "qrcode.mjs"
STDLIB_LIST = ROOT / "wizard" / "stdlib.txt"
# The Python the browser runs: the same files as the command line and the tests.
ENGINE_FILES = ("wizard/__init__.py", "wizard/engine.py", "wizard/browser.py")
_source_docs: Path | None = None
_site_url: str | None = None  # mkdocs.yml's, before a commune's own address replaces it
_reference = "vi"  # the authoritative language, set from the model
_tooltips: dict[str, Tooltips] = {}  # per language: the glossary's terms and meanings
_model = None  # this build's content model (for the search index's words)


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _source_docs, _site_url, _reference, _tooltips, _model
    if _source_docs is None:  # i18n runs this again for each language, on the same config
        _source_docs, _site_url = Path(config.docs_dir), config.site_url or ""
    model, renderer, files, _tooltips = _prepare(_site_url, commune_from_env())
    _model = model
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

    stage(_source_docs, files, STAGE)
    config.docs_dir = str(STAGE)
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


THEME_LANGUAGES = ROOT / "build" / "theme"


def theme_languages(config: MkDocsConfig, model) -> None:
    """The theme's own words (search box, skip link…) for a language it has none for: those of
    the authoritative language, from a generated partial on the theme's search path."""
    known = {p.stem for folder in config.theme.dirs if str(folder) != str(THEME_LANGUAGES)
             for p in (Path(folder) / "partials" / "languages").glob("*.html")}
    missing = [lang for lang in model.languages if lang not in known]
    for lang in missing:
        partial = THEME_LANGUAGES / "partials" / "languages" / f"{lang}.html"
        partial.parent.mkdir(parents=True, exist_ok=True)
        partial.write_text(
            "{#- generated by handbook/hooks.py: the theme has no strings for this language -#}\n"
            f'{{% import "partials/languages/{model.reference}.html" as base %}}\n'
            f'{{% macro t(key) %}}{{{{ {{"language": "{lang}"}}[key] or base.t(key) }}}}{{% endmacro %}}\n',
            encoding="utf-8")
    if missing and str(THEME_LANGUAGES) not in config.theme.dirs:
        config.theme.dirs.insert(0, str(THEME_LANGUAGES))


# The Content-Security-Policy of each page and the servers' headers: handbook/headers.py.
_policies = headers.Policies()


def with_policy(html: str, where: str = "a page") -> str:
    """Put the Content-Security-Policy first in the head, before any script."""
    try:
        return _policies.with_meta(html, where)
    except headers.PolicyError as exc:
        raise PluginError(str(exc)) from None


def on_page_content(html: str, page, config: MkDocsConfig, files) -> str:
    """The page's body gets the glossary's tooltips, and its untranslated strings are marked,
    before the search plugin reads it; what is not reading text (controls, print-only parts) is
    marked for the search to skip."""
    lang = getattr(config.plugins.get("i18n"), "current_language", None) or _reference
    return search_index.reading_only(untranslated.mark(_tooltips[lang].apply(html), _reference))


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
        lang = getattr(config.plugins.get("i18n"), "current_language", None) or _reference
        _not_found[lang] = output
        return _not_found.get(_reference, output)
    return output


@event_priority(-200)  # after mkdocs-static-i18n's (-100), which builds the other languages
def on_post_build(config: MkDocsConfig) -> None:
    """Give each translated site its own sitemap.xml (the theme's script fetches ``sitemap.xml``
    under the language's base URL on every page, and i18n writes one at the root only), then
    precompress the site. Runs once, when the site is complete: i18n's own post-build step of
    the first language builds the others and then rewrites the search index of all of them, so
    anything derived from the files (.br/.gz, the service worker's list) must come after it."""
    i18n = config.plugins.get("i18n")
    if getattr(i18n, "building", False):
        return  # inside i18n's build of another language: the site is not complete yet
    site = Path(config.site_dir)
    root_map = site / "sitemap.xml"
    if root_map.is_file() and i18n is not None:
        for lang in i18n.config.languages:
            if not lang.default:
                target = site / lang.locale / "sitemap.xml"
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(root_map, target)
    for lang, page in _not_found.items():  # the authoritative language's is at the root
        if lang != _reference:
            (site / lang).mkdir(parents=True, exist_ok=True)
            (site / lang / "404.html").write_text(page, encoding="utf-8")
    index = site / "search" / "search_index.json"
    if index.is_file():  # marks of untranslated strings (in page titles) have no place there;
        # each guide and glossary term gets the words people say for it (content/lexicon.toml)
        data = json.loads(untranslated.strip(index.read_text(encoding="utf-8")))
        if _model is not None:  # one file per language, loaded when a person starts to search
            search_index.write(site, search_index.add_words(data, _model))
    precompress(site, CACHE / "compress")
    try:  # the servers' headers (headers.json, for scripts/serve.py) and nginx.conf, from one source
        _policies.write(ROOT / "build" / "deploy", ROOT / "deploy" / "nginx.conf.in", site)
    except headers.PolicyError as exc:
        raise PluginError(str(exc)) from None
    languages = [lang.locale for lang in i18n.config.languages] if i18n else []
    write_service_worker(site, languages)  # it lists the bytes each runtime file costs, compressed
    precompress(site, CACHE / "compress", only=[site / "sw.js"])


_prepared: dict[tuple, tuple] = {}


def cards_dir(commune: str | None) -> Path:
    return CARDS / (commune or "all")


def _prepare(site_url: str, commune: str | None):
    """Load, validate and render everything once per build: i18n runs on_config again for each
    language, with the same inputs, so the result is reused while no input file has changed."""
    folders = ("content", "handbook/templates", "wizard")
    cards = cards_dir(commune)
    inputs = sorted(p for folder in folders for p in (ROOT / folder).rglob("*") if p.is_file())
    inputs += sorted(p for p in cards.rglob("*.pdf")) if cards.is_dir() else []
    key = (site_url, commune, *((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in inputs))
    if key not in _prepared:
        try:
            model = load(ROOT, commune=commune)
        except ContentError as exc:
            raise PluginError(str(exc)) from None
        cards = card_files(model, cards)
        try:
            audio = audio_module.build(model, ROOT, commune)
        except ContentError as exc:
            raise PluginError(str(exc)) from None
        if not audio.enabled:  # said plainly, not as a warning: a site without sound still builds (--strict)
            print(f"audio: not made: the Debian package{'s' if len(audio.missing) > 1 else ''} "
                  f"{' and '.join(audio.missing)} {'are' if len(audio.missing) > 1 else 'is'} not installed "
                  f"(sudo apt-get install {' '.join(audio.missing)}); this site has no sound",
                  file=sys.stderr)
        renderer = Renderer(model, site_url=model.site_url(site_url), cards=cards, audio=audio)
        warning = address_warning(model, renderer.site_url, ROOT)
        if warning:  # said plainly, not as a warning of MkDocs: the site still builds (--strict)
            print(f"site: {warning}", file=sys.stderr)
        try:
            files = {**renderer.render_all(), **pictogram_assets(model), **wizard_assets(model), **cards,
                     **audio.files, AUDIO_STATUS: audio_status(model, audio), **fonts.site_files(model.strings)}
        except (PictogramError, fonts.FontError) as exc:
            raise PluginError(str(exc)) from None
        tooltips = {lang: Tooltips({untranslated.strip(model.t(lang, "glossary", tid, "abbr")):
                                    untranslated.strip(model.t(lang, "glossary", tid, "meaning"))
                                    for tid in model.glossary}) for lang in model.languages}
        _prepared.clear()
        _prepared[key] = (model, renderer, files, tooltips)
        global _audio
        _audio = audio
    return _prepared[key]


AUDIO_STATUS = "assets/audio/status.json"
_audio = None  # this build's clips (handbook/audio.py), for the service worker's list


def audio_status(model, audio) -> bytes:
    """What this site can say, per language (read by tests and by whoever deploys it): whether it
    has sound at all, what is missing to make it, and how many clips are recorded or synthetic."""
    return json.dumps({"audio": audio.enabled, "missing": audio.missing, "languages": {
        lang: {"recorded": list(audio.kinds.get(lang, {}).values()).count("recorded"),
               "synthetic": list(audio.kinds.get(lang, {}).values()).count("synthetic"),
               "spoken": len(audio_module.spoken(model, lang))} for lang in model.languages}},
        indent=1).encode("utf-8")


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


# The wizard's runtime: several MB, cached for offline use only on demand.
RUNTIME_FILES = (*(f"assets/pyodide/{name}" for name in PYODIDE_FILES), "assets/wizard/stdlib.zip",
                 "assets/wizard/engine.json", "assets/wizard/worker.mjs")
NOT_CACHED = (".br", ".gz", ".pdf", ".map")
LUNR = "assets/javascripts/lunr/"


def write_service_worker(site: Path, languages: list[str]) -> None:
    """site/sw.js: the service worker, with this build's files and versions. The theme's search
    ships stemmers for 30 languages: only those of the handbook's languages are cached."""
    wanted_lunr = {f"{LUNR}min/lunr.{name}.min.js" for name in [*languages, "multi", "stemmer.support"]}
    shell, runtime = [], []
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        rel = path.relative_to(site).as_posix()
        if rel in ("sw.js", "404.html") or rel.endswith(("/404.html", *NOT_CACHED)):
            continue
        if rel.startswith(LUNR) and rel not in wanted_lunr:
            continue
        if audio_module.is_clip_path(rel):
            continue  # audio: fetched when played, or saved by the kiosk (below), never with the shell
        if rel in RUNTIME_FILES:
            runtime.append(rel)
        else:
            shell.append(rel[: -len("index.html")] or "./" if rel.endswith("index.html") else rel)

    def served(rel: str) -> Path:
        return site / (rel + "index.html" if rel.endswith("/") else "index.html" if rel == "./" else rel)

    def entry(rel: str) -> list:  # [path, Subresource Integrity hash, bytes stored once cached]
        body = served(rel).read_bytes()
        return [rel, "sha256-" + base64.b64encode(hashlib.sha256(body).digest()).decode(), len(body)]

    def version(entries: list[list]) -> str:
        return hashlib.sha256("".join(f"{rel} {integrity}\n" for rel, integrity, _ in entries).encode()
                              ).hexdigest()[:16]

    def sent(rel: str) -> int:  # bytes on the wire: the precompressed file when there is one
        return min((site / (rel + s)).stat().st_size for s in ("", ".br", ".gz") if (site / (rel + s)).is_file())

    shell_entries = [entry(rel) for rel in shell]
    runtime_entries = [entry(rel) for rel in runtime if (site / rel).is_file()]
    # per language and format: the clips the kiosk saves for offline use (a phone keeps those it plays);
    # a clip two languages share (the same words) is read and hashed once
    clip_entries: dict[str, list] = {}

    def clip(rel: str) -> list:
        if rel not in clip_entries:
            clip_entries[rel] = entry(rel)
        return clip_entries[rel]

    audio = {lang: {ext: [clip(f"{audio_module.AUDIO_DIR}/{name}.{ext}") for name in _audio.names(lang)]
                    for ext, _, _ in audio_module.FORMATS}
             for lang in languages} if _audio is not None and _audio.enabled else {}
    manifest = {"version": version(shell_entries), "runtime_version": version(runtime_entries),
                "shell": shell_entries, "runtime": runtime_entries,
                "runtime_sent": sum(sent(rel) for rel, _, _ in runtime_entries), "audio": audio}
    template = (ROOT / "handbook" / "templates" / "offline" / "sw.js").read_text(encoding="utf-8")
    (site / "sw.js").write_text(template.replace("__MANIFEST__", json.dumps(manifest)), encoding="utf-8")


def card_files(model, folder: Path) -> dict[str, bytes]:
    """The counter cards made by scripts/cards.py for this handbook, if every one is there."""
    names = [f"{lang}/{name}.pdf" for lang in model.languages
             for name in [*model.situations, "sheets-a4"]]
    if not all((folder / name).is_file() for name in names):
        return {}
    return {f"cards/{name}": (folder / name).read_bytes() for name in names}


def wizard_assets(model) -> dict[str, bytes]:
    """The Pyodide runtime (from npm) and the engine bundle (its Python source and rule data)."""
    missing = [name for name in PYODIDE_FILES if not (PYODIDE / name).is_file()]
    if missing:
        raise PluginError(f"node_modules/pyodide: {', '.join(missing)} missing\n"
                          "    fix: run `make setup` (npm ci) to install the pinned Pyodide runtime")
    assets = {f"assets/pyodide/{name}": (PYODIDE / name).read_bytes() for name in PYODIDE_FILES}
    if not QRCODE.is_file():
        raise PluginError("node_modules/qrcode-generator/dist/qrcode.mjs is missing\n"
                          "    fix: run `make setup` (npm ci) to install the pinned qrcode-generator")
    assets["assets/wizard/qrcode.mjs"] = QRCODE.read_bytes()
    sources = trimmed_stdlib(PYODIDE / "python_stdlib.zip", STDLIB_LIST)
    assets["assets/wizard/stdlib.zip"] = compiled_stdlib(sources)
    lock = json.loads((PYODIDE / "pyodide-lock.json").read_text(encoding="utf-8"))
    bundle = {
        "files": {name: (ROOT / name).read_text(encoding="utf-8") for name in ENGINE_FILES},
        "data": export(model),
        # loadPyodide needs the lock file's "info" (ABI, Python version); no package is loaded
        "lock": {"info": lock["info"], "packages": {}},
    }
    # untranslated strings of a partial language: the page around the wizard says so
    assets["assets/wizard/engine.json"] = untranslated.strip(json.dumps(
        bundle, ensure_ascii=False, separators=(",", ":"))).encode("utf-8")
    return assets



def compiled_stdlib(sources: bytes) -> bytes:
    """The trimmed standard library as bytecode, compiled by Pyodide's own Python under Node
    (scripts/compile_stdlib.mjs); cached by the hash of its inputs."""
    script = ROOT / "scripts" / "compile_stdlib.mjs"
    digest = hashlib.sha256(sources + (PYODIDE / "package.json").read_bytes() + script.read_bytes())
    cached = CACHE / "stdlib" / f"{digest.hexdigest()}.zip"
    if not cached.is_file():
        cached.parent.mkdir(parents=True, exist_ok=True)
        source_zip = cached.with_suffix(".src.zip")
        source_zip.write_bytes(sources)
        result = subprocess.run(["node", str(script), str(PYODIDE), str(source_zip), str(cached)],
                                capture_output=True, text=True, timeout=600)
        source_zip.unlink()
        if result.returncode != 0 or not cached.is_file():
            raise PluginError("scripts/compile_stdlib.mjs failed to compile the standard library:\n"
                              f"{result.stderr[-2000:]}\n    fix: check that Node.js 18+ is installed "
                              "and `make setup` installed node_modules/pyodide")
    return cached.read_bytes()


def trimmed_stdlib(full: Path, listing: Path) -> bytes:
    """The files of Pyodide's standard library zip named in ``listing``, as a reproducible zip."""
    lines = listing.read_text(encoding="utf-8").splitlines()
    wanted = [(n, line.strip()) for n, line in enumerate(lines, 1)
              if line.strip() and not line.startswith("#")]
    out = io.BytesIO()
    with zipfile.ZipFile(full) as source, zipfile.ZipFile(out, "w") as target:
        names = set(source.namelist())
        for number, name in wanted:
            if name not in names:
                raise PluginError(f"wizard/stdlib.txt:{number}: '{name}' is not in Pyodide's "
                                  "standard library\n    fix: run scripts/stdlib_modules.py to "
                                  "list the files again (after a Pyodide upgrade)")
            # stored, not deflated: the whole file compresses better over HTTP (brotli: 558 KB
            # against 764 KB for a deflated zip), and zipimport reads stored entries faster
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_STORED
            target.writestr(info, source.read(name))
    return out.getvalue()


def stage(source: Path, pages: dict[str, str | bytes], target: Path) -> None:
    """Make ``target`` hold exactly ``source``'s files plus ``pages``, rewriting only changes."""
    wanted: dict[Path, bytes] = {}
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        wanted[target / path.relative_to(source)] = path.read_bytes()
    for uri, text in pages.items():
        dest = target / uri
        if dest in wanted:
            raise PluginError(f"docs/{uri}: a hand-written file has the path of a generated page\n"
                              "    fix: rename or remove it; that page is generated from content/")
        wanted[dest] = text.encode("utf-8") if isinstance(text, str) else text
    for dest, data in wanted.items():
        if not dest.is_file() or dest.read_bytes() != data:
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(data)
    if target.exists():
        for path in sorted(target.rglob("*"), reverse=True):
            if path.is_file() and path not in wanted:
                path.unlink()
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
