"""`make bench`: every benchmark, one module each, printed as one table (see __init__.py)."""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

from . import ROOT
from . import audio, build, checklists, communes, importing, lighthouse, servers, transfer, wizard


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmarks (make bench), each beside a baseline from the same run")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", default=str(ROOT / "build" / "bench" / "results.json"))
    parser.add_argument("--only", choices=["transfer", "import"],
                        help="one section only, printed (transfer: its own build of the handbook and of the bare "
                             "site; import: each plan file to a built commune handbook)")
    parser.add_argument("--also", nargs=2, action="append", metavar=("LABEL", "SITE"), default=[],
                        help="with --only transfer: another built site measured in the same run (e.g. main's)")
    args = parser.parse_args()
    if args.only:
        only(args)
        return
    results: dict = {"when": time.strftime("%Y-%m-%d %H:%M:%S"), "machine": os.uname().machine,
                     "cpus": os.cpu_count()}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        results["build"] = build.bench_build(tmp, args.runs)
        site = tmp / "site-0"
        results["pages"] = build.count_pages(site)
        results["search"] = build.search_index_size(site)
        results["communes"] = communes.bench_communes(tmp, results["build"]["handbook_s"])
        results["transfer"] = transfer.bench_transfer(site, tmp / "bare-site-0", 3)
        results["checklists"] = checklists.bench_checklists(tmp)
        results["import"] = importing.bench_import(tmp)
        results["audio"] = audio.bench_audio(site, tmp, results["build"]["handbook_s"])
        results["servers"] = servers.bench_servers(site, tmp)
        results["wizard"] = wizard.bench_wizard(site, args.runs)
        results["lighthouse"] = lighthouse.bench_lighthouse(site, 3)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    table = [*build.lines(results["build"], results["pages"], results["search"]),
             *communes.lines(results["communes"]),
             *transfer.lines(results["transfer"]),
             *checklists.lines(results["checklists"]),
             *importing.lines(results["import"]),
             *audio.lines(results["audio"]),
             *servers.lines(results["servers"]),
             *wizard.lines(results["wizard"]),
             *lighthouse.lines(results["lighthouse"]),
             f"written to {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}"]
    print("\n".join(table))


def only(args) -> None:
    """``--only transfer``: the handbook and the bare site built once, then their pages' transfer;
    ``--only import``: each plan file imported and built (``--runs`` times)."""
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        if args.only == "import":
            print("\n".join(importing.lines(importing.bench_import(tmp, args.runs))))
            return
        build.mkdocs_build(ROOT, tmp / "site")
        build.mkdocs_build(build.bare_site(tmp), tmp / "bare-site")
        others = {label: Path(path) for label, path in args.also}
        print("\n".join(transfer.lines(transfer.bench_transfer(tmp / "site", tmp / "bare-site", 3, others))))


if __name__ == "__main__":
    main()
