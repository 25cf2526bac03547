"""transfer: bytes a browser transfers for a page with a cold cache (Chromium, through
scripts/serve.py, which sends the build's precompressed files as a production server would),
against the bare site."""

from __future__ import annotations

import statistics
from pathlib import Path

import serve
from chromium import ARGS as CHROMIUM_ARGS
from chromium import CHROMIUM

PAGES = {"home": "/", "guide": "/guides/outage-no-papers/", "plan": "/plans/ngok-reo/", "glossary": "/glossary/",
         "wizard (page, without its engine)": "/wizard/", "home (en)": "/en/",
         "guide (en)": "/en/guides/outage-no-papers/"}



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


def bench_transfer(site: Path, bare: Path, runs: int, others: dict[str, Path] | None = None) -> dict:
    """The pages of ``site`` (and of each of ``others``, named: another build measured in the same
    run, e.g. main's beside a branch's), then the bare site's page."""
    from playwright.sync_api import sync_playwright

    out = {}
    sites = {"": site, **{f" [{label}]": path for label, path in (others or {}).items()}}
    servers = [serve.start(path) for path in (*sites.values(), bare)]
    bases = [f"http://127.0.0.1:{s.server_address[1]}" for s in servers]
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            targets = {name + label: base + path for label, base in zip(sites, bases)
                       for name, path in PAGES.items()}
            targets["bare material page (baseline)"] = bases[-1] + "/"
            for name, url in targets.items():
                samples = [transferred(browser, url) for _ in range(runs)]
                out[name] = {"kb": round(statistics.median(s["bytes"] for s in samples) / 1024, 1),
                             "requests": int(statistics.median(s["requests"] for s in samples))}
            browser.close()
    finally:
        for s in servers:
            s.shutdown()
    return out



def lines(result: dict) -> list[str]:
    out = ["transfer, cold cache, as served (brotli or gzip), median of 3:"]
    for name, t in result.items():
        out.append(f"  {name:48} {t['kb']:8.1f} KB  {t['requests']:3d} requests")
    return out
