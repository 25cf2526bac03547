"""site/sw.js: the service worker (handbook/templates/offline/sw.js) with this build's manifest:
every file of the shell, the wizard's runtime and the audio clips, each with its Subresource
Integrity hash and its size; the versions that name its caches."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

from handbook import audio as audio_module

from .paths import ROOT
from .runtime import RUNTIME_FILES

TEMPLATE = ROOT / "handbook" / "templates" / "offline" / "sw.js"
NOT_CACHED = (".br", ".gz", ".pdf", ".map")
LUNR = "assets/javascripts/lunr/"


def integrity(body: bytes) -> str:
    """The Subresource Integrity hash of ``body`` (``sha256-…``)."""
    return "sha256-" + base64.b64encode(hashlib.sha256(body).digest()).decode()


def write_service_worker(site: Path, languages: list[str], audio=None) -> None:
    """site/sw.js: the service worker, with this build's files and versions (``audio``: this
    build's clips, handbook/audio.py's Audio, for the kiosk's offline copy). The theme's search
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
        return [rel, integrity(body), len(body)]

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

    clips = {lang: {ext: [clip(f"{audio_module.AUDIO_DIR}/{name}.{ext}") for name in audio.names(lang)]
                    for ext, _, _ in audio_module.FORMATS}
             for lang in languages} if audio is not None and audio.enabled else {}
    manifest = {"version": version(shell_entries), "runtime_version": version(runtime_entries),
                "shell": shell_entries, "runtime": runtime_entries,
                "runtime_sent": sum(sent(rel) for rel, _, _ in runtime_entries), "audio": clips}
    template = TEMPLATE.read_text(encoding="utf-8")
    (site / "sw.js").write_text(template.replace("__MANIFEST__", json.dumps(manifest)), encoding="utf-8")
