"""Benchmarks (``make bench``): medians, each beside a baseline measured in the same run.

- build: wall time of ``mkdocs build`` of the handbook, against a bare mkdocs-material site
  with one page (the fixed cost of MkDocs + the theme on this machine);
- pages: pages built per language;
- transfer: bytes a browser transfers for a page with a cold cache (Chromium, through
  scripts/serve.py with gzip, as a production server would send them), against the bare site.

Results go to build/bench/results.json and are printed as a table.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import serve  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
BARE_CONFIG = """site_name: Bare
theme:
  name: material
  font: false
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
        results["transfer"] = bench_transfer(site, tmp / "bare-site-0", 3)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    b = results["build"]
    print(f"build (median of {b['runs']}): handbook {b['handbook_s']} s, "
          f"bare mkdocs-material {b['bare_material_s']} s ({b['ratio']}x)")
    print(f"pages: {results['pages']}")
    print("transfer, cold cache, gzip (median of 3):")
    for name, t in results["transfer"].items():
        print(f"  {name:32} {t['kb']:8.1f} KB  {t['requests']:3d} requests")
    print(f"written to {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")


if __name__ == "__main__":
    main()
