"""The pages MkDocs reads: the hand-written docs/ plus the generated pages, staged into one
folder (build/docs); only files that changed are rewritten, so ``mkdocs serve`` does not loop."""

from __future__ import annotations

from pathlib import Path

from . import BuildError


def stage(source: Path, pages: dict[str, str | bytes], target: Path) -> None:
    """Make ``target`` hold exactly ``source``'s files plus ``pages``, rewriting only changes."""
    wanted: dict[Path, bytes] = {}
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        wanted[target / path.relative_to(source)] = path.read_bytes()
    for uri, text in pages.items():
        dest = target / uri
        if dest in wanted:
            raise BuildError(f"docs/{uri}: a hand-written file has the path of a generated page\n"
                             "    fix: rename or remove it; that page is generated from content/")
        wanted[dest] = text.encode("utf-8") if isinstance(text, str) else text
    for dest, data in wanted.items():
        if not dest.is_file() or dest.read_bytes() != data:
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(data)
    if target.exists():
        for path in sorted(target.rglob("*"), reverse=True):
            if path.is_file() and path not in wanted:
                path.unlink()
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
