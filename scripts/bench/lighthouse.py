"""lighthouse: Lighthouse's mobile scores, largest contentful paint and weight of the home page,
a guide and the wizard."""

from __future__ import annotations

import json
import os
import statistics
from pathlib import Path

import serve
from chromium import ARGS as CHROMIUM_ARGS
from chromium import CHROMIUM

from . import ROOT

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


def lines(result: dict) -> list[str]:
    out = ["lighthouse, mobile (median of 3): targets performance >= 0.98, accessibility 1.00, "
           "< 100 KB and LCP < 1.5 s on content pages"]
    for name, l in result.items():
        out.append(f"  {name:8} performance {l['performance']:.2f}  accessibility {l['accessibility']:.2f}  "
                   f"LCP {l['lcp_ms']:6.0f} ms  {l['kb']:7.1f} KB")
    return out
