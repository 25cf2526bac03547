"""Pictogram files for the site and the cards, drawn from the icon sets of content/pictograms.toml.

Each pictogram becomes one self-hosted SVG: one icon, or two side by side. They are drawn in a
single dark colour, so they read at 48 px and in greyscale print."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

from .model import Model, Source

COLOUR = "#0a2540"
_INNER = re.compile(r"<svg[^>]*>(.*)</svg>", re.S)


class PictogramError(ValueError):
    pass


def icon_dir(source: str) -> Path:
    """``python_package:folder`` → the folder inside the installed package."""
    package, _, folder = source.partition(":")
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise PictogramError(f"icon set source '{source}': Python package '{package}' is not installed")
    return Path(list(spec.submodule_search_locations)[0]) / folder


def icon_file(model: Model, set_id: str, name: str) -> Path:
    return icon_dir(model.icon_sets[set_id].source) / f"{name}.svg"


def svg(model: Model, pictogram_id: str) -> str:
    """The pictogram as one SVG document (no alt text: pages give it per language)."""
    pictogram = model.pictograms[pictogram_id]
    parts = []
    for n, (set_id, name) in enumerate(pictogram.icons):
        path = icon_file(model, set_id, name)
        if not path.is_file():
            src = Source(model.root, model.root / "content" / "pictograms.toml", [])
            line = src.find(f'"{set_id}:{name}"')
            raise PictogramError(f"content/pictograms.toml:{line}: icon '{set_id}:{name}' of pictogram "
                                 f"'{pictogram_id}' does not exist in {path.parent}\n"
                                 "    fix: use the name of an icon of that set")
        inner = _INNER.search(path.read_text(encoding="utf-8")).group(1)
        parts.append(f'<g transform="translate({n * 26} 0)">{inner}</g>' if n else inner)
    width = 24 + 26 * (len(pictogram.icons) - 1)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} 24" fill="{COLOUR}">'
            + "".join(parts) + "</svg>")


def assets(model: Model) -> dict[str, bytes]:
    return {f"assets/pictograms/{pid}.svg": svg(model, pid).encode("utf-8") for pid in model.pictograms}


def files_used(model: Model) -> list[tuple[str, str, list[str]]]:
    """(set, icon name, pictograms using it) for the licences page."""
    used: dict[tuple[str, str], list[str]] = {}
    for pictogram in model.pictograms.values():
        for icon in pictogram.icons:
            used.setdefault(icon, []).append(pictogram.id)
    return [(s, n, p) for (s, n), p in sorted(used.items())]
