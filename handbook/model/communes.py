"""The communes' profiles: content/communes/ID.toml (and a commune folder's commune.toml):
kind, name, contacts, public address and the plans in force."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import commune_folder
from .base import COMMUNE_KINDS, HOTLINE_RE, SITE_URL_RE, Problem, Source
from .records import Commune

if TYPE_CHECKING:  # pragma: no cover
    from .reader import Reader


def load(loader: Reader) -> dict[str, Commune]:
    communes: dict[str, Commune] = {}
    text_fields = ("province", "address", "hotline", "hours", "site_url")
    folders = commune_folder.folders(loader)
    for cid, path in [(p.stem, p) for p in sorted((loader.content / "communes").glob("*.toml"))] + \
            [(cid, f / "commune.toml") for cid, f in folders.items()]:
        src = Source(loader.root, path, loader.problems)
        if not src.ok or not loader.fields(
                src, 1, src.data, {"id": str, "kind": str, "name": str, "plans": list},
                {name: str for name in text_fields}, f"commune '{cid}'"):
            continue
        data = src.data
        if data["id"] != cid:
            src.error(src.find("id"), f"commune id '{data['id']}' differs from the "
                      f"{'folder' if cid in folders else 'file'} name",
                      f"set id = \"{cid}\" or rename the {'folder' if cid in folders else 'file'}")
        if cid in folders and list(data["plans"]) != [cid]:
            src.error(src.find("plans"), f"commune '{cid}' has its own plan: plans = [\"{cid}\"]",
                      f"write plans = [\"{cid}\"] (its plan.toml is in this folder)")
        if data["kind"] not in COMMUNE_KINDS:
            src.error(src.find("kind"), f"commune kind '{data['kind']}' is unknown",
                      f"use one of: {', '.join(COMMUNE_KINDS)}")
        if not data["name"].strip():
            src.error(src.find("name"), "the commune has no name", 'write its name without "xã" or '
                      '"phường", e.g. name = "Ngọk Réo"')
        hotline = data.get("hotline", "").strip()
        if hotline and not HOTLINE_RE.match(hotline):
            src.error(src.find("hotline"), f"hotline '{hotline}' is not a phone number",
                      'write digits, spaces, dots or dashes only, e.g. hotline = "0260 3 123 456"')
        site = data.get("site_url", "").strip()
        if site and not SITE_URL_RE.match(site):
            src.error(src.find("site_url"), f"site_url '{site}' is not a web address",
                      'write the public address of this handbook, e.g. site_url = '
                      '"https://sotay.ngokreo.gov.vn/"; or leave it "" to use mkdocs.yml\'s')
        if not data["plans"]:
            src.error(src.find("plans"), "the commune has no plan in force",
                      f"list its plans, e.g. plans = [\"{next(iter(loader.plans), 'ID')}\"]")
        if len(set(data["plans"])) != len(data["plans"]):
            src.error(src.find("plans"), "a plan is listed twice", "list each plan once")
        for pid in data["plans"]:
            if pid not in loader.plans:
                src.error(src.find(f'"{pid}"'), f"commune plan '{pid}' does not exist",
                          f"use one of: {', '.join(loader.plans)}")
        communes[data["id"]] = Commune(data["id"], data["kind"], data["name"].strip(),
                                       *(data.get(name, "").strip() for name in text_fields),
                                       tuple(data["plans"]),
                                       draft=cid in folders and commune_folder.is_draft(folders[cid]))
    if not communes:
        loader.problems.append(Problem("content/communes", None, "no commune profile found",
                                     "add content/communes/ID.toml"))
    return communes
