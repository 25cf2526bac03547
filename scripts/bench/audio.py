"""audio: clips made from nothing (an empty cache) and from the cache, beside the handbook's
build; the size of each language's clips; what the kiosk keeps offline."""

from __future__ import annotations

import json
import re
import statistics
import time
from pathlib import Path

from . import ROOT


def bench_audio(site: Path, tmp: Path, handbook_s: float, runs: int = 3) -> dict:
    """Audio: clips made from nothing (an empty cache) and from the cache, beside the handbook's
    build; the size of each language's clips; what the kiosk keeps offline (from the site's sw.js)."""
    from handbook import audio
    from handbook.model import load

    if audio.missing_tools():
        return {"missing": audio.missing_tools()}
    model = load(ROOT)
    cache = tmp / "audio-cache"
    started = time.perf_counter()
    cold = audio.build(model, ROOT, cache=cache)
    cold_s = time.perf_counter() - started
    cached = []
    for _ in range(runs):
        started = time.perf_counter()
        audio.build(model, ROOT, cache=cache)
        cached.append(time.perf_counter() - started)
    sizes = {lang: {ext: sum((cache / f"{name}.{ext}").stat().st_size for name in cold.names(lang))
                    for ext, _, _ in audio.FORMATS} for lang in model.languages}
    manifest = json.loads(re.search(r"const MANIFEST = (.*);\n", (site / "sw.js").read_text(encoding="utf-8"))[1])
    shell = sum(b for _, _, b in manifest["shell"])
    runtime = sum(b for _, _, b in manifest["runtime"])
    kiosk_audio = sum(b for _, _, b in manifest["audio"]["vi"]["webm"])
    return {"clips": cold.made, "cold_s": round(cold_s, 1), "cached_s": round(statistics.median(cached), 3),
            "handbook_build_s": handbook_s, "mb": {lang: {ext: round(b / 1e6, 2) for ext, b in s.items()}
                                                   for lang, s in sizes.items()},
            "kiosk_offline_mb": {"shell": round(shell / 1e6, 2), "runtime": round(runtime / 1e6, 2),
                                 "audio_vi_webm": round(kiosk_audio / 1e6, 2),
                                 "total": round((shell + runtime + kiosk_audio) / 1e6, 2)}}


def lines(a: dict) -> list[str]:
    if "missing" in a:
        return [f"audio: not measured: the Debian packages {', '.join(a['missing'])} are not installed"]
    out = [f"audio: {a['clips']} clips made from an empty cache in {a['cold_s']} s; from the cache "
           f"{a['cached_s']} s (median of 3), beside the handbook's whole build {a['handbook_build_s']} s"]
    for lang, formats in a["mb"].items():
        out.append(f"  {lang}: " + ", ".join(f"{ext} {mb} MB" for ext, mb in formats.items())
                   + f", both {round(sum(formats.values()), 2)} MB (budget <= 10 MB a language)")
    k = a["kiosk_offline_mb"]
    out.append(f"  the kiosk keeps offline: pages {k['shell']} MB + wizard runtime {k['runtime']} MB + "
               f"its language's clips {k['audio_vi_webm']} MB = {k['total']} MB")
    return out
