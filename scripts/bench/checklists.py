"""checklists: the number of steps the wizard gives, median and maximum over every set of 1 to 4
answers, in the handbook of every plan and in each commune's, against the rule model before the
procedure stages (the engine and content of commit CHECKLIST_BASELINE, taken from git)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from . import ROOT

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


def lines(k: dict) -> list[str]:
    out = [f"checklist steps over every set of 1–4 answers: median / max now (targets <= 10, 13, 16, 16)"
           f", beside the rule model of {k['baseline_commit']}:"]
    for build, rows in k["now"].items():
        before = (k["before"] or {}).get(build, {})
        cells = "  ".join(f"{n}: {r['median']:4.1f} / {r['max']:2d}" + (
            f" (was {before[n]['median']:4.1f} / {before[n]['max']:2d})" if n in before else "")
            for n, r in rows.items())
        out.append(f"  {build:10} {cells}")
    return out
