"""Benchmarks (``make bench``): medians, each beside a baseline measured in the same run.

- build: wall time of ``mkdocs build`` of the handbook, against a bare mkdocs-material site
  with one page (the fixed cost of MkDocs + the theme on this machine);
- pages: pages built per language;
- transfer: bytes a browser transfers for a page with a cold cache (Chromium, through
  scripts/serve.py, which sends the build's precompressed files as a production server would),
  against the bare site;
- lighthouse: Lighthouse's mobile scores, largest contentful paint and weight of the home page,
  a guide and the wizard;
- communes: build time of 1, 10 and 100 generated communes' handbooks in one run (as
  `make communes` builds them), the growth and the cost per commune, against the handbook's
  own build (above);
- search: the size of the search index (all languages), raw and as served;
- servers: requests/s and p99 latency at 50 concurrent connections on 127.0.0.1, scripts/serve.py
  beside the generated nginx configuration (over HTTPS);
- checklists: the number of steps the wizard gives, median and maximum over every set of 1 to 4
  answers, in the handbook of every plan and in each commune's, against the rule model before the
  procedure stages (the engine and content of commit CHECKLIST_BASELINE, taken from git);
- wizard: time to the first question, time until the engine is ready (cold and warm cache),
  time to compute a checklist, and bytes transferred, against a bare page that only calls
  loadPyodide() from the same runtime files (with Pyodide's own full standard library).

Results go to build/bench/results.json and are printed as a table.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT))

import local_nginx  # noqa: E402
import serve  # noqa: E402
from build_communes import build as build_communes  # noqa: E402
from build_communes import copy_project  # noqa: E402
from chromium import ARGS as CHROMIUM_ARGS  # noqa: E402
from chromium import CHROMIUM  # noqa: E402
from chromium import complete_wizard  # noqa: E402
from handbook.build.precompress import precompress  # noqa: E402

BARE_CONFIG = """site_name: Bare
theme:
  name: material
  font: false
"""
# The last commit whose checklist was the union of the matched rules' items (before the stages).
CHECKLIST_BASELINE = "495cbb9"
CHECKLIST_LENGTHS = """
import itertools, json, statistics, sys
sys.path.insert(0, ".")
from handbook.model import load
from wizard.data import export
from wizard.engine import Engine
out = {}
for commune in (None, "ngok-reo", "thai-hoa"):
    data = export(load(".", commune=commune))
    engine = Engine(data)
    answers = [(q["id"], a) for q in data["questions"] for a in q["answers"]]
    out[commune or "all plans"] = row = {}
    for k in range(1, 5):
        lengths = [len(engine.decide([a for q, a in c if q == "who"], [a for q, a in c if q == "situation"])["items"])
                   for c in itertools.combinations(answers, k)]
        row[str(k)] = {"median": statistics.median(lengths), "max": max(lengths)}
print(json.dumps(out))
"""
PAGES = {"home": "/", "guide": "/guides/outage-no-papers/", "plan": "/plans/ngok-reo/",
         "home (en)": "/en/", "guide (en)": "/en/guides/outage-no-papers/"}


def mkdocs_build(cwd: Path, site_dir: Path) -> float:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(site_dir)],
                   cwd=cwd, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def bare_site(tmp: Path) -> Path:
    project = tmp / "bare"
    (project / "docs").mkdir(parents=True)
    (project / "mkdocs.yml").write_text(BARE_CONFIG, encoding="utf-8")
    (project / "docs" / "index.md").write_text("# Bare\n\nOne paragraph.\n", encoding="utf-8")
    return project


def bench_build(tmp: Path, runs: int) -> dict:
    bare = bare_site(tmp)
    handbook, baseline = [], []
    for n in range(runs):  # interleaved, so both see the same machine state
        handbook.append(mkdocs_build(ROOT, tmp / f"site-{n}"))
        baseline.append(mkdocs_build(bare, tmp / f"bare-site-{n}"))
    return {"runs": runs, "handbook_s": round(statistics.median(handbook), 3),
            "bare_material_s": round(statistics.median(baseline), 3),
            "ratio": round(statistics.median(handbook) / statistics.median(baseline), 2)}


COMMUNE_COUNTS = (1, 10, 100)
BENCH_PROFILE = """id = "{id}"
kind = "{kind}"
name = "Thử {n}"
province = "Tỉnh {n}"
address = "Số {n}, đường Một"
hotline = "0200 000 {n:03d}"
hours = "7:00–17:00"
site_url = "https://sotay-{n}.example/"
plans = {plans}
"""


def bench_communes(tmp: Path, handbook_s: float) -> dict:
    """Generated commune profiles (one plan, the other or both), built 1, 10 and 100 at a time.

    The sites go to memory (/dev/shm) when it has room: each commune's site writes about 30 MB
    (most of it the same wizard runtime), and on this machine's disk the write-back of a hundred
    of them slows the later builds down (1.9 → 3.0 s each over 60 builds, against a flat 1.2 s in
    memory): the figure to quote is the build's own cost."""
    project = copy_project(tmp / "communes-project")
    plan_sets = (["ngok-reo"], ["thai-hoa"], ["ngok-reo", "thai-hoa"])
    ids = []
    for n in range(1, max(COMMUNE_COUNTS) + 1):
        cid = f"bench-{n:03d}"
        profile = BENCH_PROFILE.format(id=cid, n=n, kind=("xa", "phuong")[n % 2],
                                       plans=json.dumps(plan_sets[n % 3]))
        (project / "content" / "communes" / f"{cid}.toml").write_text(profile, encoding="utf-8")
        ids.append(cid)
    os.environ.setdefault("HANDBOOK_CACHE", str(ROOT / "build" / "cache"))
    shm = Path("/dev/shm")
    in_memory = shm.is_dir() and shutil.disk_usage(shm).free > 4 * 2**30
    sites = Path(tempfile.mkdtemp(dir=shm if in_memory else tmp))
    build_communes(project, ids[:1], sites, keep=True)  # also warms the caches
    out: dict = {"counts": list(COMMUNE_COUNTS), "sites_in": "memory" if in_memory else "disk",
                 "site_mb": round(sum(f.stat().st_size for f in sites.rglob("*") if f.is_file()) / 2**20, 1)}
    shutil.rmtree(sites)
    totals = []
    for count in COMMUNE_COUNTS:
        started = time.perf_counter()
        seconds = build_communes(project, ids[:count], sites, keep=False)
        totals.append(time.perf_counter() - started)
        out[str(count)] = {"total_s": round(totals[-1], 2),
                           "per_commune_median_s": round(statistics.median(seconds.values()), 3)}
    # least squares over (count, total): the slope is what each more commune costs
    mean_n = statistics.mean(COMMUNE_COUNTS)
    mean_t = statistics.mean(totals)
    slope = sum((n - mean_n) * (t - mean_t) for n, t in zip(COMMUNE_COUNTS, totals)) / \
        sum((n - mean_n) ** 2 for n in COMMUNE_COUNTS)
    out["per_commune_s"] = round(slope, 3)
    out["fixed_s"] = round(mean_t - slope * mean_n, 3)
    out["growth_10_to_100"] = round(totals[2] / totals[1], 2)  # 10.0 is linear
    out["vs_handbook_build"] = round(slope / handbook_s, 2)
    shutil.rmtree(sites, ignore_errors=True)
    return out


def search_index_size(site: Path) -> dict:
    index = site / "search" / "search_index.json"
    sizes = {s: (index.with_name(index.name + s)).stat().st_size for s in ("", ".br", ".gz")
             if index.with_name(index.name + s).is_file()}
    return {"raw_kb": round(sizes[""] / 1024, 1), "brotli_kb": round(sizes.get(".br", 0) / 1024, 1),
            "gzip_kb": round(sizes.get(".gz", 0) / 1024, 1), "target_kb": 1024}


def count_pages(site: Path) -> dict:
    pages = [p for p in site.rglob("index.html")]
    en = [p for p in pages if p.relative_to(site).parts[0] == "en"]
    return {"vi": len(pages) - len(en), "en": len(en)}


def transferred(browser, url: str) -> dict:
    """Bytes on the wire (headers included) and resource count for one cold page load."""
    context = browser.new_context(viewport={"width": 375, "height": 812})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    sizes: dict[str, float] = {}
    cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]))
    page.goto(url, wait_until="networkidle")
    page.wait_for_timeout(300)
    context.close()
    return {"bytes": int(sum(sizes.values())), "requests": len(sizes)}


def bench_transfer(site: Path, bare: Path, runs: int) -> dict:
    from playwright.sync_api import sync_playwright

    out = {}
    servers = [serve.start(site), serve.start(bare)]
    base, bare_base = (f"http://127.0.0.1:{s.server_address[1]}" for s in servers)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            targets = {name: base + path for name, path in PAGES.items()}
            targets["bare material page (baseline)"] = bare_base + "/"
            for name, url in targets.items():
                samples = [transferred(browser, url) for _ in range(runs)]
                out[name] = {"kb": round(statistics.median(s["bytes"] for s in samples) / 1024, 1),
                             "requests": int(statistics.median(s["requests"] for s in samples))}
            browser.close()
    finally:
        for s in servers:
            s.shutdown()
    return out


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


LIGHTHOUSE_PAGES = {"home": "/", "guide": "/guides/outage-no-papers/", "wizard": "/wizard/"}


def bench_lighthouse(site: Path, runs: int) -> dict:
    """Lighthouse (npm, pinned) in its default mobile mode, with the system Chromium."""
    import subprocess

    binary = ROOT / "node_modules" / ".bin" / "lighthouse"
    httpd = serve.start(site)
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    flags = "--headless=new " + " ".join(CHROMIUM_ARGS)
    out = {}
    try:
        for name, path in LIGHTHOUSE_PAGES.items():
            samples = []
            for n in range(runs):
                report = site.parent / f"lighthouse-{name}-{n}.json"
                subprocess.run([str(binary), base + path, "--quiet", f"--chrome-flags={flags}",
                                "--only-categories=performance,accessibility", "--output=json",
                                f"--output-path={report}"], check=True, timeout=300,
                               env={**os.environ, "CHROME_PATH": CHROMIUM}, capture_output=True)
                data = json.loads(report.read_text(encoding="utf-8"))
                samples.append({"performance": data["categories"]["performance"]["score"],
                                "accessibility": data["categories"]["accessibility"]["score"],
                                "lcp_ms": data["audits"]["largest-contentful-paint"]["numericValue"],
                                "kb": data["audits"]["total-byte-weight"]["numericValue"] / 1024})
            out[name] = {key: round(statistics.median(s[key] for s in samples), 2) for key in samples[0]}
    finally:
        httpd.shutdown()
    return out


def bench_servers(site: Path, tmp: Path, runs: int = 3) -> dict:
    """Requests/s and p99 at 50 concurrent keep-alive connections (20 requests each, over pages,
    assets, search and a missing page), 127.0.0.1 only: scripts/serve.py over HTTP beside the
    generated nginx configuration over HTTPS. Medians of ``runs``. The load comes from one
    Python process (scripts/load.py), so nginx's figure is bounded by the client's own speed."""
    import load

    def medians(base: str) -> dict:
        rows = [load.run(base, connections=50, requests=20, limit=120) for _ in range(runs)]
        failed = [row for row in rows if row["errors"]]
        out = {key: statistics.median(row[key] for row in rows)
               for key in ("requests_per_s", "p50_ms", "p99_ms", "max_connect_ms")}
        return {**out, "errors": sum(len(row["errors"]) for row in failed)}

    httpd = serve.start(site, lifetime=600)
    try:
        result = {"serve.py": medians(f"http://127.0.0.1:{httpd.server_address[1]}")}
    finally:
        httpd.shutdown()
    if local_nginx.available():
        with local_nginx.running(site, tmp / "nginx", lifetime=600) as urls:
            result["nginx"] = medians(urls["https"])
    return result


def bench_import(tmp: Path, runs: int = 3) -> dict:
    """`make import-plan`: seconds to import each plan file (median of ``runs``), seconds from the
    plan file to a built commune handbook with its counter cards (import + `make site COMMUNE=ID`:
    cards when Chromium is there, then `mkdocs build`; goal <= 30 s),
    and the share of the plans' sentences matched to known checklist actions. Baseline, same run:
    the build alone of an existing commune (ngok-reo) in the same project copy."""
    sys.path.insert(0, str(ROOT / "tests"))
    import plan_fixtures

    project = copy_project(tmp / "import-project")
    files = tmp / "plan-files"
    files.mkdir()
    plans = {f"{name}.{fmt}": getattr(plan_fixtures, f"write_{fmt}")(name, files / f"{name}.{fmt}")
             for name in plan_fixtures.FIXTURES for fmt in ("docx", "txt")}
    for pid in ("ngok-reo", "thai-hoa"):
        plans[f"{pid}.original.txt"] = ROOT / "content" / "plans" / f"{pid}.original.txt"
    env = {**os.environ, "PYTHONPATH": str(project), "NO_MKDOCS_2_WARNING": "1"}

    def build(cid: str, site: Path, cards: bool = False) -> float:
        """`make site COMMUNE=ID`: the counter cards (when Chromium is there), then the build."""
        start = time.perf_counter()
        if cards:
            subprocess.run([sys.executable, "scripts/cards.py", "--out", f"build/cards/{cid}", "--if-chromium"],
                           cwd=project, env={**env, "HANDBOOK_COMMUNE": cid}, check=True, capture_output=True)
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(site)],
                       cwd=project, env={**env, "HANDBOOK_COMMUNE": cid}, check=True, capture_output=True)
        shutil.rmtree(site)
        return time.perf_counter() - start

    out: dict = {"files": {}}
    baseline = [build("ngok-reo", tmp / "import-site") for _ in range(runs)]
    matched = sentences = 0
    for n, (label, path) in enumerate(plans.items()):
        cid = f"bench-import-{n}"
        times, to_site = [], []
        for _ in range(runs):
            shutil.rmtree(project / "content" / "communes" / cid, ignore_errors=True)
            start = time.perf_counter()
            done = subprocess.run([sys.executable, "-m", "handbook.importer", str(path), cid], cwd=project,
                                  env=env, check=True, capture_output=True, text=True)
            times.append(time.perf_counter() - start)
            to_site.append(times[-1] + build(cid, tmp / "import-site", cards=True))
        # the importer's summary (in Vietnamese): "N câu nêu việc cần làm, M câu ứng với việc đã biết"
        found = re.search(r"(\d+) câu nêu việc cần làm, (\d+) câu ứng với việc đã biết", done.stdout)
        counts = [int(found[1]), int(found[2])] if found else [0, 0]
        if label.split(".")[0] in plan_fixtures.FIXTURES:
            sentences, matched = sentences + counts[0], matched + counts[1]
        out["files"][label] = {"import_s": round(statistics.median(times), 2),
                               "to_built_site_s": round(statistics.median(to_site), 2),
                               "sentences": counts[0], "matched": counts[1]}
    out["existing_commune_build_s"] = round(statistics.median(baseline), 2)
    out["fixtures_matched_share"] = round(matched / sentences, 3) if sentences else 0.0
    out["fixtures_sentences"] = sentences
    return out


def bench_checklists(tmp: Path) -> dict:
    """Steps per checklist now, and with the model before the procedure stages (from git)."""
    def lengths(cwd: Path) -> dict:
        done = subprocess.run([sys.executable, "-c", CHECKLIST_LENGTHS], cwd=cwd, capture_output=True,
                              text=True, timeout=600, check=True)
        return json.loads(done.stdout)

    out = {"now": lengths(ROOT), "baseline_commit": CHECKLIST_BASELINE}
    old = tmp / "checklist-baseline"
    old.mkdir()
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", CHECKLIST_BASELINE, "content", "handbook",
                              "wizard"], capture_output=True, timeout=60)
    if archive.returncode != 0:  # a shallow clone: no baseline to compare with
        out["before"] = None
        return out
    subprocess.run(["tar", "-x", "-C", str(old)], input=archive.stdout, check=True, timeout=60)
    out["before"] = lengths(old)
    return out


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", default=str(ROOT / "build" / "bench" / "results.json"))
    args = parser.parse_args()
    results: dict = {"when": time.strftime("%Y-%m-%d %H:%M:%S"), "machine": os.uname().machine,
                     "cpus": os.cpu_count()}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        results["build"] = bench_build(tmp, args.runs)
        site = tmp / "site-0"
        results["pages"] = count_pages(site)
        results["search"] = search_index_size(site)
        results["communes"] = bench_communes(tmp, results["build"]["handbook_s"])
        results["transfer"] = bench_transfer(site, tmp / "bare-site-0", 3)
        results["checklists"] = bench_checklists(tmp)
        results["import"] = bench_import(tmp)
        results["audio"] = bench_audio(site, tmp, results["build"]["handbook_s"])
        results["servers"] = bench_servers(site, tmp)
        results["wizard"] = bench_wizard(site, args.runs)
        results["lighthouse"] = bench_lighthouse(site, 3)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    b = results["build"]
    print(f"build (median of {b['runs']}): handbook {b['handbook_s']} s, "
          f"bare mkdocs-material {b['bare_material_s']} s ({b['ratio']}x)")
    print(f"pages: {results['pages']}")
    s = results["search"]
    print(f"search index (both languages): {s['raw_kb']} KB raw, {s['brotli_kb']} KB brotli, "
          f"{s['gzip_kb']} KB gzip (target < {s['target_kb']} KB raw)")
    c = results["communes"]
    print(f"communes' handbooks, built in one process (make communes; without cards; sites of "
          f"{c['site_mb']} MB each, written to {c['sites_in']}):")
    for count in c["counts"]:
        print(f"  {count:4d} communes  {c[str(count)]['total_s']:8.1f} s  "
              f"median {c[str(count)]['per_commune_median_s']:.2f} s each")
    print(f"  per commune {c['per_commune_s']} s (slope; fixed {c['fixed_s']} s), growth 10 → 100: "
          f"{c['growth_10_to_100']}x (10 is linear); {c['vs_handbook_build']}x the handbook's own build")
    print("transfer, cold cache, as served (brotli or gzip), median of 3:")
    for name, t in results["transfer"].items():
        print(f"  {name:32} {t['kb']:8.1f} KB  {t['requests']:3d} requests")
    k = results["checklists"]
    print(f"checklist steps over every set of 1–4 answers: median / max now (targets <= 10, 13, 16, 16)"
          f", beside the rule model of {k['baseline_commit']}:")
    for build, rows in k["now"].items():
        before = (k["before"] or {}).get(build, {})
        cells = "  ".join(f"{n}: {r['median']:4.1f} / {r['max']:2d}" + (
            f" (was {before[n]['median']:4.1f} / {before[n]['max']:2d})" if n in before else "")
            for n, r in rows.items())
        print(f"  {build:10} {cells}")
    print("servers, 50 concurrent connections x 20 requests, 127.0.0.1 (median of 3):")
    m = results["import"]
    print(f"import-plan: existing commune's build alone {m['existing_commune_build_s']} s (baseline); "
          f"fixtures' sentences matched to known actions: {m['fixtures_matched_share']:.0%} "
          f"of {m['fixtures_sentences']}")
    for name, r in m["files"].items():
        print(f"  {name:24} import {r['import_s']} s, plan file to built commune with cards {r['to_built_site_s']} s, "
              f"{r['matched']}/{r['sentences']} sentences matched")
    a = results["audio"]
    if "missing" in a:
        print(f"audio: not measured: the Debian packages {', '.join(a['missing'])} are not installed")
    else:
        print(f"audio: {a['clips']} clips made from an empty cache in {a['cold_s']} s; from the cache "
              f"{a['cached_s']} s (median of 3), beside the handbook's whole build {a['handbook_build_s']} s")
        for lang, formats in a["mb"].items():
            print(f"  {lang}: " + ", ".join(f"{ext} {mb} MB" for ext, mb in formats.items())
                  + f", both {round(sum(formats.values()), 2)} MB (budget <= 10 MB a language)")
        k = a["kiosk_offline_mb"]
        print(f"  the kiosk keeps offline: pages {k['shell']} MB + wizard runtime {k['runtime']} MB + "
              f"its language's clips {k['audio_vi_webm']} MB = {k['total']} MB")
    for name, r in results["servers"].items():
        print(f"  {name:9} {r['requests_per_s']:8.0f} requests/s  p50 {r['p50_ms']:6.1f} ms  "
              f"p99 {r['p99_ms']:6.1f} ms  slowest connect {r['max_connect_ms']:6.1f} ms  errors {r['errors']}")
    if "nginx" not in results["servers"]:
        print(f"  nginx: not measured: {local_nginx.MISSING}")
    w = results["wizard"]
    print(f"wizard (median of {w['runs']} cold loads, each followed by a warm one; "
          f"{len(ANSWER_SETS)} checklists per load):")
    print(f"  first question visible   {w['first_question_ms']:8.0f} ms   (target < 1000)")
    print(f"  engine ready, cold       {w['ready_cold_ms']:8.0f} ms   bare loadPyodide() "
          f"{w['bare_ready_cold_ms']:.0f} ms  ({w['ready_cold_vs_bare']}x; target <= 1, stretch 0.6)")
    print(f"  engine ready, warm       {w['ready_warm_ms']:8.0f} ms   bare loadPyodide() "
          f"{w['bare_ready_warm_ms']:.0f} ms  ({w['ready_warm_vs_bare']}x)")
    print(f"  checklist computed       {w['compute_ms']:8.1f} ms   (target < 50; page to worker and back)")
    print(f"  wizard page transfer     {w['mb']:8.2f} MB   bare loadPyodide() {w['bare_mb']} MB "
          "(target < 4.5)")
    print("lighthouse, mobile (median of 3): targets performance >= 0.98, accessibility 1.00, "
          "< 100 KB and LCP < 1.5 s on content pages")
    for name, l in results["lighthouse"].items():
        print(f"  {name:8} performance {l['performance']:.2f}  accessibility {l['accessibility']:.2f}  "
              f"LCP {l['lcp_ms']:6.0f} ms  {l['kb']:7.1f} KB")
    print(f"written to {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")


if __name__ == "__main__":
    main()
