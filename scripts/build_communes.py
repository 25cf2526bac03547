"""`make communes`: the handbook of every commune (or of those named), each into OUT/ID/.

    python scripts/build_communes.py [ID ...] [--out build/communes] [--project .]

One process builds them one after another (``mkdocs build --strict`` each, with
HANDBOOK_COMMUNE=ID, as `make site COMMUNE=ID` does), so the interpreter, MkDocs and the theme
are loaded once; a commune that fails stops the run with its error. Counter cards are not made
here (`make cards COMMUNE=ID` prints them). Prints each commune's build time.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from handbook.model import COMMUNE_ENV  # noqa: E402

# What a copy of the project needs to build on its own (tests and benchmarks build copies).
SOURCES = ("content", "handbook", "wizard", "docs", "overrides", "scripts", "deploy", "mkdocs.yml")


def copy_project(target: Path, root: Path = ROOT) -> Path:
    """A buildable copy of the project in ``target``, sharing ``root``'s node_modules (read only)."""
    import shutil

    for name in SOURCES:
        src = root / name
        if src.is_dir():
            shutil.copytree(src, target / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, target / name)
    (target / "node_modules").symlink_to(root / "node_modules")  # the Pyodide runtime
    return target


def communes_of(project: Path) -> list[str]:
    folder = project / "content" / "communes"
    return sorted([p.stem for p in folder.glob("*.toml")]
                  + [p.parent.name for p in folder.glob("*/commune.toml") if not p.parent.name.startswith(".")])


def build(project: Path, communes: list[str], out: Path, keep: bool = True) -> dict[str, float]:
    """Build each commune's handbook into ``out/ID``; return the seconds each one took. With
    ``keep=False`` each site is removed once built (for measuring many communes)."""
    import shutil

    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    before = os.environ.get(COMMUNE_ENV)
    seconds: dict[str, float] = {}
    try:
        for commune in communes:
            os.environ[COMMUNE_ENV] = commune
            site = out / commune
            started = time.perf_counter()
            config = load_config(str(project / "mkdocs.yml"), site_dir=str(site), strict=True)
            config.plugins.on_startup(command="build", dirty=False)
            try:
                mkdocs_build(config)
            finally:
                config.plugins.on_shutdown()
            seconds[commune] = time.perf_counter() - started
            if not keep:
                shutil.rmtree(site)
    finally:
        if before is None:
            os.environ.pop(COMMUNE_ENV, None)
        else:
            os.environ[COMMUNE_ENV] = before
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("communes", nargs="*", help="commune ids (default: every profile)")
    parser.add_argument("--out", default=str(ROOT / "build" / "communes"))
    parser.add_argument("--project", default=str(ROOT))
    args = parser.parse_args()
    project = Path(args.project)
    communes = args.communes or communes_of(project)
    from mkdocs.exceptions import MkDocsException

    try:
        seconds = build(project, communes, Path(args.out))
    except MkDocsException as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for commune, took in seconds.items():
        print(f"{commune}: {Path(args.out) / commune} in {took:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
