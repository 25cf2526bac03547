"""wizard: time to the first question, time until the engine is ready (cold and warm cache),
time to compute a checklist, and bytes transferred, against a bare page that only calls
loadPyodide() from the same runtime files (with Pyodide's own full standard library)."""

from __future__ import annotations

import os
import statistics
from pathlib import Path

import serve
from chromium import ARGS as CHROMIUM_ARGS
from chromium import CHROMIUM
from chromium import complete_wizard
from handbook.build.precompress import precompress

from . import ROOT

BARE_PYODIDE = """<!doctype html><html lang="en"><meta charset="utf-8"><title>bare Pyodide</title>
<body><script type="module">
import { loadPyodide } from "../assets/pyodide/pyodide.mjs";
await loadPyodide({ indexURL: new URL("../assets/pyodide/", location.href).href });
performance.mark("bare-ready");
document.body.dataset.ready = "1";
</script></body>"""
ANSWER_SETS = [(["elderly", "hearing"], ["outage"]), ([], ["emergency"]), ([], ["no-id-papers", "outage"]),
               (["mobility"], ["no-bank-account"]), ([], [])]
READY_MS = 120_000


def add_bare_pyodide(site: Path) -> None:
    """The baseline: a page that only calls loadPyodide() with Pyodide's defaults (its full
    standard library and lock file), from the same runtime files as the wizard."""
    pyodide = ROOT / "node_modules" / "pyodide"
    for name in ("python_stdlib.zip", "pyodide-lock.json"):
        (site / "assets" / "pyodide" / name).write_bytes((pyodide / name).read_bytes())
    (site / "bare-pyodide").mkdir()
    (site / "bare-pyodide" / "index.html").write_text(BARE_PYODIDE, encoding="utf-8")
    precompress(site / "assets" / "pyodide", Path(os.environ.get("HANDBOOK_CACHE", ROOT / "build" / "cache"))
                / "compress")


def mark(page, name: str) -> float:
    return page.evaluate(f"performance.getEntriesByName({name!r})[0].startTime")


def load_and_measure(context, url: str, ready_selector: str, marks: list[str]) -> dict:
    sizes: list[int] = []

    def on_finished(request):
        s = request.sizes()
        sizes.append(s["responseBodySize"] + s["responseHeadersSize"])

    context.on("requestfinished", on_finished)
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector(ready_selector, state="attached", timeout=READY_MS)
    page.wait_for_timeout(200)
    out = {name: mark(page, name) for name in marks}
    context.remove_listener("requestfinished", on_finished)
    out["bytes"] = sum(sizes)
    return {"page": page, **out}


def compute_times(page) -> list[float]:
    times = []
    for who, situation in ANSWER_SETS:
        complete_wizard(page, who, situation)
        page.wait_for_selector(".hb-result[data-compute-ms]")
        times.append(float(page.get_attribute(".hb-result", "data-compute-ms")))
        page.evaluate("document.querySelector('.hb-result').removeAttribute('data-compute-ms')")
        page.click('[data-go="restart"]')
    return times


def bench_wizard(site: Path, runs: int) -> dict:
    from playwright.sync_api import sync_playwright

    add_bare_pyodide(site)
    httpd = serve.start(site)
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    samples: dict[str, list[float]] = {k: [] for k in (
        "first_question_ms", "ready_cold_ms", "ready_warm_ms", "bytes", "compute_ms",
        "bare_ready_cold_ms", "bare_ready_warm_ms", "bare_bytes")}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for _ in range(runs):  # interleaved: wizard and baseline see the same machine
                context = browser.new_context(viewport={"width": 375, "height": 812})
                cold = load_and_measure(context, base + "/wizard/", "#hb-wizard[data-engine=ready]",
                                        ["hb-first-question", "hb-engine-ready"])
                samples["first_question_ms"].append(cold["hb-first-question"])
                samples["ready_cold_ms"].append(cold["hb-engine-ready"])
                samples["bytes"].append(cold["bytes"])
                samples["compute_ms"] += compute_times(cold["page"])
                cold["page"].close()
                warm = load_and_measure(context, base + "/wizard/", "#hb-wizard[data-engine=ready]",
                                        ["hb-engine-ready"])
                samples["ready_warm_ms"].append(warm["hb-engine-ready"])
                context.close()

                context = browser.new_context()
                cold = load_and_measure(context, base + "/bare-pyodide/", "body[data-ready]", ["bare-ready"])
                samples["bare_ready_cold_ms"].append(cold["bare-ready"])
                samples["bare_bytes"].append(cold["bytes"])
                cold["page"].close()
                warm = load_and_measure(context, base + "/bare-pyodide/", "body[data-ready]", ["bare-ready"])
                samples["bare_ready_warm_ms"].append(warm["bare-ready"])
                context.close()
            browser.close()
    finally:
        httpd.shutdown()
    out = {key: round(statistics.median(values), 1) for key, values in samples.items()}
    out["runs"] = runs
    out["ready_cold_vs_bare"] = round(out["ready_cold_ms"] / out["bare_ready_cold_ms"], 2)
    out["ready_warm_vs_bare"] = round(out["ready_warm_ms"] / out["bare_ready_warm_ms"], 2)
    out["mb"] = round(out["bytes"] / 1e6, 2)
    out["bare_mb"] = round(out["bare_bytes"] / 1e6, 2)
    return out


def lines(w: dict) -> list[str]:
    return [f"wizard (median of {w['runs']} cold loads, each followed by a warm one; "
            f"{len(ANSWER_SETS)} checklists per load):",
            f"  first question visible   {w['first_question_ms']:8.0f} ms   (target < 1000)",
            f"  engine ready, cold       {w['ready_cold_ms']:8.0f} ms   bare loadPyodide() "
            f"{w['bare_ready_cold_ms']:.0f} ms  ({w['ready_cold_vs_bare']}x; target <= 1, stretch 0.6)",
            f"  engine ready, warm       {w['ready_warm_ms']:8.0f} ms   bare loadPyodide() "
            f"{w['bare_ready_warm_ms']:.0f} ms  ({w['ready_warm_vs_bare']}x)",
            f"  checklist computed       {w['compute_ms']:8.1f} ms   (target < 50; page to worker and back)",
            f"  wizard page transfer     {w['mb']:8.2f} MB   bare loadPyodide() {w['bare_mb']} MB "
            "(target < 4.5)"]
