"""build: wall time of ``mkdocs build`` of the handbook, against a bare mkdocs-material site
with one page (the fixed cost of MkDocs + the theme on this machine); pages built per language;
the size of the search index (all languages), raw and as served."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from . import ROOT

BARE_CONFIG = """site_name: Bare
theme:
  name: material
  font: false
"""


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


def search_index_size(site: Path) -> dict:
    """The index (search/search_index.full.json, loaded when a person searches) and the
    configuration every page fetches (search/search_index.json), added up."""
    indexes = sorted(site.glob("search/search_index*.json"))
    sizes = {s: sum(i.with_name(i.name + s).stat().st_size for i in indexes if i.with_name(i.name + s).is_file())
             for s in ("", ".br", ".gz")}
    return {"raw_kb": round(sizes[""] / 1024, 1), "brotli_kb": round(sizes.get(".br", 0) / 1024, 1),
            "gzip_kb": round(sizes.get(".gz", 0) / 1024, 1), "target_kb": 1024}


def count_pages(site: Path) -> dict:
    pages = [p for p in site.rglob("index.html")]
    en = [p for p in pages if p.relative_to(site).parts[0] == "en"]
    return {"vi": len(pages) - len(en), "en": len(en)}




def lines(build: dict, pages: dict, search: dict) -> list[str]:
    return [f"build (median of {build['runs']}): handbook {build['handbook_s']} s, "
            f"bare mkdocs-material {build['bare_material_s']} s ({build['ratio']}x)",
            f"pages: {pages}",
            f"search index (both languages): {search['raw_kb']} KB raw, {search['brotli_kb']} KB brotli, "
            f"{search['gzip_kb']} KB gzip (target < {search['target_kb']} KB raw)"]
