"""communes: `make communes` of 10, 100 and 1,000 generated communes' handbooks (profiles only:
one plan, the other or both; xã or phường), each into a fresh tree: time, the tree's size (hard
links counted once), its shared part, each commune's own files, the cost per commune and its
growth; the same 100 on one core (two cores' share of one's time); a second run of the same 100
(unchanged communes are not rebuilt); beside the handbook's own build."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

from handbook.build import communes as tree_module

from . import ROOT

COMMUNE_COUNTS = (10, 100, 1000)
BENCH_PROFILE = """id = "{id}"
kind = "{kind}"
name = "Thử {n}"
province = "Tỉnh {p}"
address = "Số {n}, đường Một"
hotline = "0200 000 {n:03d}"
hours = "7:00–17:00"
site_url = "https://sotay-{n}.example/"
plans = {plans}
"""
TARGETS = {"own_mb": 5.0, "per_commune_s": 1.0, "growth": 1.2, "two_cores_share": 0.6}


def generated_project(tmp: Path, count: int) -> Path:
    project = tree_module.copy_project(tmp / "communes-project")
    plan_sets = (["ngok-reo"], ["thai-hoa"], ["ngok-reo", "thai-hoa"])
    for n in range(1, count + 1):
        profile = BENCH_PROFILE.format(id=f"bench-{n:04d}", n=n, p=n % 7, kind=("xa", "phuong")[n % 2],
                                       plans=json.dumps(plan_sets[n % 3]))
        (project / "content" / "communes" / f"bench-{n:04d}.toml").write_text(profile, encoding="utf-8")
    return project


def bench_communes(tmp: Path, handbook_s: float, counts: tuple[int, ...] = COMMUNE_COUNTS) -> dict:
    """Trees go to memory (/dev/shm) when it has room, so the figure is the build's own cost and
    not this machine's disk write-back."""
    os.environ.setdefault("HANDBOOK_CACHE", str(ROOT / "build" / "cache"))
    project = generated_project(tmp, max(counts))
    shm = Path("/dev/shm")
    where = Path(tempfile.mkdtemp(dir=shm if shm.is_dir() and shutil.disk_usage(shm).free > 4 * 2**30 else tmp))
    ids = [f"bench-{n:04d}" for n in range(1, max(counts) + 1)]
    out: dict = {"counts": list(counts), "trees_in": "memory" if str(where).startswith("/dev/shm") else "disk",
                 "cpus": os.cpu_count(), "handbook_s": handbook_s, "targets": TARGETS}
    try:
        tree_module.build_tree(project, where / "warm", ids[:6])  # the caches (compressed runtime, clips)
        shutil.rmtree(where / "warm")
        for count in counts:
            tree = where / f"tree-{count}"
            result = tree_module.build_tree(project, tree, ids[:count])
            sizes = tree_module.tree_sizes(tree)
            own = list(sizes["own"].values())
            out[str(count)] = {"total_s": round(result["seconds"], 2), "per_commune_s": round(result["seconds"] / count, 3),
                               "templates": result["templates"], "tree_mb": round((sizes["shared"] + sum(own)) / 1e6, 1),
                               "shared_mb": round(sizes["shared"] / 1e6, 1), "own_mb": round(sum(own) / len(own) / 1e6, 2),
                               "own_max_mb": round(max(own) / 1e6, 2)}
            if count == 100:
                again = tree_module.build_tree(project, tree, ids[:count])
                out["unchanged_100_s"] = round(again["seconds"], 2)
                one = tree_module.build_tree(project, where / "one-core", ids[:count], jobs=1)
                out["one_core_100_s"] = round(one["seconds"], 2)
                out["two_cores_share"] = round(result["seconds"] / one["seconds"], 2)
                shutil.rmtree(where / "one-core")
            shutil.rmtree(tree)
        first, last = str(counts[0]), str(counts[-1])
        out["growth"] = round(out[last]["per_commune_s"] / out[first]["per_commune_s"], 2)
    finally:  # a failed run leaves no trees in memory
        shutil.rmtree(where, ignore_errors=True)
    return out


def lines(c: dict) -> list[str]:
    t = c["targets"]
    out = [f"communes in one tree (make communes; profiles only; trees written to {c['trees_in']}; "
           f"{c['cpus']} cores), beside the handbook's own build ({c['handbook_s']} s):",
           "  communes    time s   s each  templates  tree MB  shared MB  own MB each (max)"]
    for count in c["counts"]:
        r = c[str(count)]
        out.append(f"  {count:8d}  {r['total_s']:8.1f}  {r['per_commune_s']:7.3f}  {r['templates']:9d}  "
                   f"{r['tree_mb']:7.1f}  {r['shared_mb']:9.1f}  {r['own_mb']:6.2f} ({r['own_max_mb']})")
    out.append(f"  cost per commune at {c['counts'][-1]} / at {c['counts'][0]}: {c['growth']}x (target <= {t['growth']}); "
               f"own files target <= {t['own_mb']} MB, time target <= {t['per_commune_s']} s a commune")
    if "one_core_100_s" in c:
        out.append(f"  100 communes on one core {c['one_core_100_s']} s: two cores take {c['two_cores_share']}x "
                   f"(target <= {t['two_cores_share']}); the same 100 again, unchanged: {c['unchanged_100_s']} s")
    return out


if __name__ == "__main__":  # this benchmark alone: PYTHONPATH=scripts python -m bench.communes
    import sys

    counts = tuple(int(n) for n in sys.argv[1:]) or COMMUNE_COUNTS
    with tempfile.TemporaryDirectory() as tmp_name:
        print("\n".join(lines(bench_communes(Path(tmp_name), 0.0, counts))))
