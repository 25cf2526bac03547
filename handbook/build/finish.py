"""A built site completed, once every language is written: each translated site gets its own
sitemap.xml and 404 page, the search index loses the marks of untranslated strings and gains the
words people say (content/lexicon.toml), every file is precompressed, the servers' headers and
nginx.conf are written, and the service worker lists the result."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from handbook import headers, search_index, untranslated

from . import BuildError
from .paths import Paths
from .precompress import precompress
from .service_worker import write_service_worker


def language_sitemaps(site: Path, others: list[str]) -> None:
    """The theme's script fetches ``sitemap.xml`` under the language's base URL on every page,
    and the language plugin writes one at the root only: each other language gets a copy."""
    root_map = site / "sitemap.xml"
    if root_map.is_file():
        for lang in others:
            target = site / lang / "sitemap.xml"
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(root_map, target)


def language_404s(site: Path, not_found: dict[str, str], reference: str) -> None:
    """Each language's 404 page in its folder (the authoritative language's is at the root)."""
    for lang, page in not_found.items():
        if lang != reference:
            (site / lang).mkdir(parents=True, exist_ok=True)
            (site / lang / "404.html").write_text(page, encoding="utf-8")


def clean_search_index(site: Path, model) -> None:
    """Marks of untranslated strings (in page titles) have no place in the search index; each
    guide and glossary term gets the words people say for it (content/lexicon.toml); the whole
    index is loaded only when a person starts to search (handbook/search_index.py write)."""
    index = site / "search" / "search_index.json"
    if index.is_file():
        data = json.loads(untranslated.strip(index.read_text(encoding="utf-8")))
        if model is not None:
            data = search_index.add_words(data, model)
        search_index.write(site, data)


def finish(site: Path, languages: list[str], others: list[str], reference: str, not_found: dict[str, str],
           model, audio, policies: headers.Policies, paths: Paths = Paths()) -> None:
    """Complete ``site``: ``languages`` its languages, ``others`` those with a folder of their own
    (all but the default), ``not_found`` each language's 404 page; ``policies`` the policies of
    its pages, for the servers' headers (written into ``paths.deploy``)."""
    language_sitemaps(site, others)
    language_404s(site, not_found, reference)
    clean_search_index(site, model)
    precompress(site, paths.cache / "compress")
    try:  # the servers' headers (headers.json, for scripts/serve.py) and nginx.conf, from one source
        policies.write(paths.deploy, paths.nginx_template, site)
    except headers.PolicyError as exc:
        raise BuildError(str(exc)) from None
    write_service_worker(site, languages, audio)  # it lists the bytes each runtime file costs, compressed
    precompress(site, paths.cache / "compress", only=[site / "sw.js"])
