"""`make communes`: the handbooks of every commune (or of those named) in ONE deployable tree.

    python scripts/build_communes.py [ID ...] [--out build/communes] [--public-url URL]
                                     [--shard I/N] [--jobs N] [--project .]
    python scripts/build_communes.py --merge PART [PART ...] --out TREE

Each commune's pages go under OUT/ID/; what communes have in common (the wizard's runtime, the
theme, fonts, pictograms, audio clips) is stored once (handbook/build/communes.py explains the
layout and how a commune is made). A commune whose inputs did not change since the last run is
left as it is. ``--shard I/N`` builds every N-th commune from the I-th (one CI job each);
``--merge`` joins the shards' trees into one. Counter cards are not made here
(`make cards COMMUNE=ID` prints them). Prints what was built and how long it took.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from handbook.build import BuildError  # noqa: E402
from handbook.build import communes as tree_module  # noqa: E402
from handbook.build.communes import SOURCES, copy_project  # noqa: E402,F401 - tests copy the project


def communes_of(project: Path) -> list[str]:
    return [c.id for c in tree_module.profiles(project)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("communes", nargs="*", help="commune ids (default: every profile)")
    parser.add_argument("--out", default=str(ROOT / "build" / "communes"))
    parser.add_argument("--project", default=str(ROOT))
    parser.add_argument("--public-url", default="", help="the tree's public address (default: mkdocs.yml's "
                        "site_url); a commune without a site_url of its own is at this address + ID/")
    parser.add_argument("--shard", default="", help="I/N: build the I-th of N parts of the communes")
    parser.add_argument("--jobs", type=int, default=0, help="processes (default: one per core)")
    parser.add_argument("--merge", nargs="+", metavar="PART", help="join these shards' trees into --out")
    args = parser.parse_args()
    out, project = Path(args.out), Path(args.project)
    try:
        if args.merge:
            result = tree_module.merge([Path(p) for p in args.merge], out, project)
            print(f"merged {result['communes']} communes into {out} in {result['seconds']:.1f} s")
            return 0
        result = tree_module.build_tree(project, out, args.communes or None, args.public_url,
                                        args.shard or None, args.jobs or None)
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    built, same = result["built"], result["unchanged"]
    print(f"{out}: {len(built)} communes built ({result['templates']} templates), {len(same)} unchanged, "
          f"in {result['seconds']:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
