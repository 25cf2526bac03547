"""communes: build time of 1, 10 and 100 generated communes' handbooks in one run (as
`make communes` builds them), the growth and the cost per commune, against the handbook's own
build."""

from __future__ import annotations

import json
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from build_communes import build as build_communes
from build_communes import copy_project

from . import ROOT

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


def lines(c: dict) -> list[str]:
    out = [f"communes' handbooks, built in one process (make communes; without cards; sites of "
           f"{c['site_mb']} MB each, written to {c['sites_in']}):"]
    for count in c["counts"]:
        out.append(f"  {count:4d} communes  {c[str(count)]['total_s']:8.1f} s  "
                   f"median {c[str(count)]['per_commune_median_s']:.2f} s each")
    out.append(f"  per commune {c['per_commune_s']} s (slope; fixed {c['fixed_s']} s), growth 10 → 100: "
               f"{c['growth_10_to_100']}x (10 is linear); {c['vs_handbook_build']}x the handbook's own build")
    return out
