"""import: `make import-plan`, from a plan file to a built commune handbook."""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from build_communes import copy_project

from . import ROOT


def bench_import(tmp: Path, runs: int = 3) -> dict:
    """`make import-plan`: seconds to import each plan file (median of ``runs``), seconds from the
    plan file to a built commune handbook with its counter cards (import + `make site COMMUNE=ID`:
    cards when Chromium is there, then `mkdocs build`; goal <= 30 s),
    the share of the plans' sentences matched to known checklist actions, and what the commune's
    wizard offers: its answers, and each procedure path with the plan section its reason comes
    from (its own words). Baseline, same run: the build alone of an existing commune (ngok-reo) in
    the same project copy."""
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
                               "sentences": counts[0], "matched": counts[1], **_offered(project, cid)}
    out["existing_commune_build_s"] = round(statistics.median(baseline), 2)
    out["fixtures_matched_share"] = round(matched / sentences, 3) if sentences else 0.0
    out["fixtures_sentences"] = sentences
    return out


def _offered(project: Path, cid: str) -> dict:
    """An imported commune's wizard: its answers, and its paths with where each reason comes from."""
    done = subprocess.run([sys.executable, "-c", OFFERED, cid], cwd=project, capture_output=True, text=True,
                          check=True, env={**os.environ, "PYTHONPATH": str(project)})
    return json.loads(done.stdout)


OFFERED = """
import json, sys
from handbook.model import load
cid = sys.argv[1]
model = load(".", commune=cid)
own = model.commune_paths.get(cid, {})
print(json.dumps({"answers": sum(len(q.answers) for q in model.wizard.questions),
                  "paths": {p.id: ("plan " + ", ".join(c.section for c in own[p.id])) if p.id in own else "shared"
                            for p in model.wizard.paths}}))
"""


def lines(m: dict) -> list[str]:
    out = [f"import-plan: existing commune's build alone {m['existing_commune_build_s']} s (baseline); "
           f"fixtures' sentences matched to known actions: {m['fixtures_matched_share']:.0%} "
           f"of {m['fixtures_sentences']}"]
    for name, r in m["files"].items():
        paths = ", ".join(f"{p} ({source})" for p, source in r["paths"].items()) or "none"
        out.append(f"  {name:24} import {r['import_s']} s, plan file to built commune with cards {r['to_built_site_s']} s, "
                   f"{r['matched']}/{r['sentences']} sentences matched, {r['answers']} answers, paths: {paths}")
    return out
