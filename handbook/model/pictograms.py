"""content/pictograms.toml: the icon sets (name, author, licence) and each pictogram's one or two
icons; and the check that a pictogram another file names exists."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .base import ID_RE, ID_RULE, Source, _label
from .records import IconSet, Pictogram

if TYPE_CHECKING:  # pragma: no cover
    from .reader import Reader


def load(loader: Reader) -> tuple[dict[str, IconSet], dict[str, Pictogram]]:
    src = loader.source("pictograms.toml")
    sets: dict[str, IconSet] = {}
    pictograms: dict[str, Pictogram] = {}
    if not src.ok or not loader.fields(src, 1, src.data, {"set": dict, "pictogram": "tables"}, {},
                                     "pictograms.toml"):
        loader.unreliable.add("pictograms")
        return sets, pictograms
    keys = ("name", "author", "licence", "licence_url", "attribution", "source")
    for sid, raw in src.data["set"].items():
        line = src.find(f"[set.{sid}]")
        if isinstance(raw, dict) and loader.fields(src, line, raw, {k: str for k in keys}, {},
                                                 f"icon set '{sid}'"):
            sets[sid] = IconSet(sid, *(raw[k] for k in keys))
    starts = src.table_starts("pictogram")
    for n, raw in enumerate(src.data["pictogram"]):
        line = starts[n] if n < len(starts) else None
        if not loader.fields(src, line, raw, {"id": str, "icons": list}, {}, _label("pictogram", n, raw)):
            continue
        pid = raw["id"]
        if pid in pictograms or not ID_RE.match(pid):
            src.error(line, f"pictogram id '{pid}' is a duplicate or malformed",
                      f"give every pictogram its own id, {ID_RULE}")
            continue
        icons = []
        for icon in raw["icons"]:
            set_id, _, name = icon.partition(":")
            if set_id not in sets or not name:
                src.error(src.find(f'"{icon}"', line or 1), f"pictogram '{pid}': icon '{icon}' is not SET:NAME "
                          "of a listed set", f"use one of the sets: {', '.join(sets)}")
            elif (folder := _icon_folder(sets[set_id].source)) and not (folder / f"{name}.svg").is_file():
                src.error(src.find(f'"{icon}"', line or 1), f"pictogram '{pid}': set '{set_id}' has no icon "
                          f"'{name}'", f"use the name of a file in {folder} (without .svg)")
            icons.append((set_id, name))
        if not 1 <= len(icons) <= 2:
            src.error(line, f"pictogram '{pid}' has {len(icons)} icons", "give one or two icons")
        pictograms[pid] = Pictogram(pid, tuple(icons))
    return sets, pictograms


def ref(loader: Reader, src: Source, line: int | None, pid: str, what: str) -> None:
    if pid not in loader.pictograms and "pictograms" not in loader.unreliable:
        src.error(src.find(f'"{pid}"', line or 1), f"{what}: unknown pictogram '{pid}'",
                  "use an id from content/pictograms.toml (or add it there)")


def _icon_folder(source: str) -> Path | None:
    """The folder of an icon set's files, when its Python package is installed (where it is not,
    as in a bare ``python3 -m wizard``, the pictures are not drawn and not checked)."""
    import importlib.util

    package, _, folder = source.partition(":")
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0]) / folder


