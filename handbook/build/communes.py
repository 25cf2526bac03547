"""Many communes in one deployable tree (``make communes``): each commune's handbook under its own
path, everything they have in common stored once.

    TREE/index.html                 the province's index: every commune, searchable by name
    TREE/ID/…                       commune ID's handbook, as `make site COMMUNE=ID` builds it,
                                    its public address (QR codes) its profile's site_url, else
                                    the tree's public address + ID/
    TREE/_shared/files/SHA256       every file two communes could share (theme, fonts, pictograms,
                                    audio clips, scripts…), stored once under the SHA-256 of its
                                    bytes; a commune's copy is a hard link to it
    TREE/_shared/runtime-HASH/      the wizard's runtime (Pyodide, the compiled standard library)
                                    at one address for every commune, so a phone downloads and
                                    keeps it once; each commune's worker.mjs loads it from there
    TREE/_shared/communes/ID.json   what was built for ID: the key of its inputs (an unchanged
                                    commune is not rebuilt), its name, its files (for merging)
    TREE/_deploy/                   headers.json (scripts/serve.py) and nginx.conf for the tree

How a commune is made. Communes whose profile is all they have (content/communes/ID.toml) and
whose pages differ only by the profile's values are made from a template: MkDocs builds, once
per distinct content (plans, kind, which contacts are given), the handbook of a made-up commune
whose values are unique markers (``qqz…zqq``); each commune's pages are that build with its own
values put in place of the markers, then precompressed, and its service worker's list hashed
again. A value that escaping would change (quotes, <, >, &, a backslash) and a commune with its
own folder (its own plan) get a whole MkDocs build of their own. Templates and communes are made
on every core; ``shard`` builds one part of the communes (a CI job each), ``merge`` joins the
parts' trees.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import brotli

from handbook import headers
from handbook.model import COMMUNE_ENV

from . import BuildError
from .paths import ROOT, Paths
from .precompress import COMPRESSIBLE, MIN_SIZE
from .runtime import PYODIDE_FILES
from .service_worker import TEMPLATE as SW_TEMPLATE
from .service_worker import integrity

# What a copy of the project needs to build on its own.
SOURCES = ("content", "handbook", "wizard", "docs", "overrides", "scripts", "deploy", "mkdocs.yml")
SHARED = "_shared"
DEPLOY = "_deploy"
# The made-up commune of a template: each value a marker no page holds otherwise. Its id must be
# an id (lower case), its hotline a phone number; the site_url's path is a marker of its own
# (the theme writes the 404 page's links from it).
MARK = "qqz"
TEMPLATE_ID = "qqzidzqq"
TEMPLATE_VALUES = {"name": "Qqznamezqq", "province": "Qqzprovincezqq", "address": "Qqzaddresszqq",
                   "hotline": "0999 1 234 567", "hours": "Qqzhourszqq"}
TEMPLATE_URL = "https://qqzhostzqq.example/qqzpathzqq/"
CONTACTS = ("province", "address", "hotline", "hours")
# Every marker, as a page may hold it (any case); only text files are searched for them.
MARKERS = re.compile("|".join(re.escape(m) for m in [TEMPLATE_ID, "qqzhostzqq", "qqzpathzqq", *TEMPLATE_VALUES.values(),
                                                      TEMPLATE_VALUES["hotline"].replace(" ", "")]).encode(), re.I)
TEXT = (".html", ".xml", ".json", ".js", ".mjs", ".css", ".txt", ".svg", ".webmanifest")
# A value with one of these is written differently by each escaping (HTML, JSON, URL): such a
# commune is built whole, not from a template.
NOT_PLAIN = re.compile(r"""["'<>&\\]""")
# The wizard's runtime, moved to one address for every commune (site path -> name there).
RUNTIME = {**{f"assets/pyodide/{name}": name for name in PYODIDE_FILES}, "assets/wizard/stdlib.zip": "stdlib.zip"}
WORKER = "assets/wizard/worker.mjs"
# In worker.mjs, where it finds the runtime beside it; in the tree, RUNTIME_URL in their place.
WORKER_REFERENCES = ('"../pyodide/pyodide.mjs"', 'new URL("../pyodide/", here)', 'new URL("stdlib.zip", here)')
# Brotli quality of a commune's own files (its pages): 11, the single site's, costs 2.6 s a
# commune; 7 costs 0.1 s and sends 11 % more (pages only: shared files keep quality 11).
PAGE_QUALITY = 7
# Files every commune of a template has, whatever its values, that are still its own.
NEVER_SHARED = ("sw.js",)


@dataclass
class Commune:
    id: str
    name: str
    kind: str
    plans: tuple[str, ...]
    province: str = ""
    address: str = ""
    hotline: str = ""
    hours: str = ""
    site_url: str = ""
    folder: bool = False  # its own plan, in content/communes/ID/

    def contacts(self) -> tuple[str, ...]:
        return tuple(name for name in CONTACTS if getattr(self, name))

    def templated(self) -> bool:
        values = [self.name, self.site_url, *(getattr(self, name) for name in CONTACTS)]
        return not self.folder and not any(NOT_PLAIN.search(v) for v in values)

    def group(self) -> str:
        """The template it is made from: the same plans, kind and contacts given."""
        return hashlib.sha256(json.dumps([self.kind, self.plans, self.contacts()]).encode()).hexdigest()[:12]


def profiles(project: Path, ids: list[str] | None = None) -> list[Commune]:
    """The communes of ``project`` (all, or ``ids``), from their profiles, in id order."""
    import tomllib

    folder = project / "content" / "communes"
    found = {p.stem: (p, False) for p in folder.glob("*.toml")}
    found |= {p.parent.name: (p, True) for p in folder.glob("*/commune.toml") if not p.parent.name.startswith(".")}
    unknown = sorted(set(ids or []) - set(found))
    if unknown:
        raise BuildError(f"content/communes/{unknown[0]}.toml: no such commune\n    fix: use one of: "
                         f"{', '.join(sorted(found))}")
    out = []
    for cid in sorted(ids or found):
        path, is_folder = found[cid]
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        out.append(Commune(cid, str(data.get("name", "")).strip(), str(data.get("kind", "")), tuple(data.get("plans", [])),
                           *(str(data.get(name, "")).strip() for name in CONTACTS),
                           site_url=str(data.get("site_url", "")).strip(), folder=is_folder))
    return out


def shard_of(communes: list[Commune], shard: str | None) -> list[Commune]:
    """``shard`` "I/N": the I-th of N parts (every N-th commune from the I-th), for CI jobs."""
    if not shard:
        return communes
    match = re.fullmatch(r"(\d+)/(\d+)", shard)
    if not match or not 1 <= int(match[1]) <= int(match[2]):
        raise BuildError(f"SHARD={shard}: not a part of the communes\n    fix: write it I/N, 1 <= I <= N, e.g. SHARD=2/8")
    index, count = int(match[1]), int(match[2])
    return communes[index - 1::count]


def public_address(commune: Commune, public_url: str) -> str:
    """Its QR codes' address: its profile's site_url, else the tree's public address + ID/."""
    url = commune.site_url or public_url.rstrip("/") + f"/{commune.id}/"
    return url.rstrip("/") + "/"


# -- building ---------------------------------------------------------------------------------


def copy_project(target: Path, root: Path = ROOT) -> Path:
    """A buildable copy of the project in ``target``, sharing ``root``'s node_modules (read only)."""
    for name in SOURCES:
        src = root / name
        if src.is_dir():
            shutil.copytree(src, target / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, target / name)
    (target / "node_modules").symlink_to((root / "node_modules").resolve())  # the Pyodide runtime
    return target


def inputs_hash(project: Path) -> str:
    """What every commune's build depends on besides its profile: the sources and the runtime."""
    digest = hashlib.sha256()
    for name in SOURCES:
        base = project / name
        paths = sorted(p for p in base.rglob("*") if p.is_file() and "__pycache__" not in p.parts) \
            if base.is_dir() else [base]
        for path in paths:
            rel = path.relative_to(project).as_posix()
            if rel.startswith("content/communes/"):
                continue  # each commune's own inputs go into its own key
            digest.update(rel.encode() + b"\0" + path.read_bytes() + b"\0")
    for name in ("pyodide/package.json", "qrcode-generator/package.json", "@fontsource/noto-sans/package.json"):
        path = project / "node_modules" / name
        digest.update(path.read_bytes() if path.is_file() else b"-")
    return digest.hexdigest()


def commune_inputs(project: Path, commune: Commune) -> bytes:
    folder = project / "content" / "communes"
    paths = sorted(p for p in (folder / commune.id).rglob("*") if p.is_file()) if commune.folder \
        else [folder / f"{commune.id}.toml"]
    return b"".join(p.relative_to(folder).as_posix().encode() + b"\0" + p.read_bytes() for p in paths)


def mkdocs_build(project: Path, site: Path, commune: str, cache: Path) -> None:
    """``mkdocs build --strict`` of ``commune``'s handbook, in a process of its own."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "HANDBOOK_CACHE": str(cache), COMMUNE_ENV: commune}
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(site)],
                          cwd=project, env=env, capture_output=True, text=True, timeout=1800)
    if done.returncode != 0:
        raise BuildError(f"commune '{commune}': the build failed:\n{done.stderr[-3000:]}")


def template_profile(commune: Commune) -> str:
    values = {"id": TEMPLATE_ID, "kind": commune.kind, "name": TEMPLATE_VALUES["name"], "site_url": TEMPLATE_URL,
              "plans": list(commune.plans),
              **{name: TEMPLATE_VALUES[name] for name in commune.contacts()}}
    return "".join(f"{key} = {json.dumps(value, ensure_ascii=False)}\n" for key, value in values.items())


def substitutions(commune: Commune, public_url: str) -> list[tuple[bytes, bytes]]:
    """The markers of a template and what replaces each in ``commune``'s pages, longest first."""
    url = public_address(commune, public_url)
    # the site's own path: its folder at the tree's address, whatever its own address (the
    # theme's 404 page, served at any depth, links from it)
    pairs = [(TEMPLATE_URL, url), (urlsplit(TEMPLATE_URL).path, urlsplit(public_url.rstrip("/") + f"/{commune.id}/").path), (TEMPLATE_ID, commune.id),
             *((TEMPLATE_VALUES[name], getattr(commune, name)) for name in ("name", *commune.contacts()))]
    if commune.hotline:
        pairs.append((TEMPLATE_VALUES["hotline"].replace(" ", ""), commune.hotline.replace(" ", "")))
    return sorted(((a.encode(), b.encode()) for a, b in pairs), key=lambda p: -len(p[0]))


@dataclass
class Template:
    """One MkDocs build for a group of communes, with its markers still in."""
    site: Path
    variable: list[str]  # files holding a marker: each commune's own
    shared: dict[str, str]  # file -> SHA-256 of the rest, stored once
    manifest: dict  # the service worker's, its runtime already at the shared address


def runtime_dir(site: Path) -> str:
    """``_shared/runtime-HASH``: the runtime's address, by the hash of its files."""
    digest = hashlib.sha256()
    for rel in sorted(RUNTIME):
        digest.update(rel.encode() + b"\0" + (site / rel).read_bytes())
    return f"{SHARED}/runtime-{digest.hexdigest()[:16]}"


def relocate_runtime(site: Path, tree: Path, depth: int = 1) -> str:
    """Move ``site``'s runtime to the tree's shared address (stored once) and point its worker
    there; return that address. ``depth``: the folders between the tree and the site."""
    where = runtime_dir(site)
    target = tree / where
    for rel, name in RUNTIME.items():
        for suffix in ("", ".br", ".gz"):
            path = site / (rel + suffix)
            if path.is_file():
                if not (target / (name + suffix)).is_file():
                    target.mkdir(parents=True, exist_ok=True)
                    store_link(tree, path.read_bytes(), target / (name + suffix))
                path.unlink()
    up = "../" * (depth + 2)  # from ID/assets/wizard/ to the tree
    worker = (site / WORKER).read_text(encoding="utf-8")
    replacements = (f'"{up}{where}/pyodide.mjs"', f'new URL("{up}{where}/", here)', f'new URL("{up}{where}/stdlib.zip", here)')
    for old, new in zip(WORKER_REFERENCES, replacements):
        if worker.count(old) != 1:
            raise BuildError(f"docs/{WORKER}: expected {old} once (where the worker finds the runtime)\n"
                             "    fix: keep these references in worker.mjs, or update WORKER_REFERENCES in "
                             "handbook/build/communes.py")
        worker = worker.replace(old, new)
    (site / WORKER).write_text(worker, encoding="utf-8")
    for suffix in (".br", ".gz"):
        (site / (WORKER + suffix)).unlink(missing_ok=True)
    compress_file(site / WORKER, 11)
    return where


def read_manifest(site: Path) -> dict:
    text = (site / "sw.js").read_text(encoding="utf-8")
    return json.loads(re.search(r"const MANIFEST = (.*);\n", text)[1])


def version(entries: list[list]) -> str:  # as handbook/build/service_worker.py names a version
    return hashlib.sha256("".join(f"{rel} {sri}\n" for rel, sri, _ in entries).encode()).hexdigest()[:16]


def write_manifest(site: Path, manifest: dict) -> None:
    template = SW_TEMPLATE.read_text(encoding="utf-8")
    (site / "sw.js").write_text(template.replace("__MANIFEST__", json.dumps(manifest)), encoding="utf-8")
    for suffix in (".br", ".gz"):
        (site / ("sw.js" + suffix)).unlink(missing_ok=True)
    compress_file(site / "sw.js", PAGE_QUALITY)


def shared_manifest(site: Path, runtime: str, depth: int = 1) -> dict:
    """The service worker's manifest with the runtime at its shared address, and ``shared``:
    its caches are named by its scope (many communes, one origin)."""
    manifest = read_manifest(site)
    up = "../" * depth
    entries = {rel: entry for rel, *entry in manifest["runtime"]}
    manifest["runtime"] = [[f"{up}{runtime}/{RUNTIME[rel]}" if rel in RUNTIME else rel, *entries[rel]]
                           for rel in entries]
    worker = (site / WORKER).read_bytes()
    manifest["runtime"] = [[rel, integrity(worker), len(worker)] if rel == WORKER else [rel, sri, size]
                           for rel, sri, size in manifest["runtime"]]
    manifest["runtime_version"] = version(manifest["runtime"])
    manifest["shared"] = True
    return manifest


def compress_file(path: Path, quality: int) -> None:
    """FILE.br and FILE.gz beside ``path`` when smaller (as handbook/build/precompress.py)."""
    if path.suffix not in COMPRESSIBLE:
        return
    data = path.read_bytes()
    if len(data) < MIN_SIZE:
        return
    for suffix, packed in ((".br", brotli.compress(data, quality=quality)),
                           (".gz", gzip.compress(data, compresslevel=9, mtime=0))):
        if len(packed) < len(data):
            path.with_name(path.name + suffix).write_bytes(packed)


def store_link(tree: Path, data: bytes, target: Path) -> str:
    """``target`` as a hard link to the tree's one copy of ``data``; return its SHA-256."""
    digest = hashlib.sha256(data).hexdigest()
    stored = tree / SHARED / "files" / digest
    if not stored.is_file():
        stored.parent.mkdir(parents=True, exist_ok=True)
        temp = stored.with_name(f".{digest}.{os.getpid()}.{threading.get_ident()}")
        temp.write_bytes(data)
        try:  # created whole, once, and never replaced: two templates may store the same file at once
            os.link(temp, stored)
        except FileExistsError:
            pass
        finally:
            temp.unlink()
    temp = target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}")
    os.link(stored, temp)
    os.replace(temp, target)
    return digest


def make_template(project: Path, group: list[Commune], work: Path, tree: Path, cache: Path) -> Template:
    """Build the group's template (a project copy with the made-up commune) and sort its files."""
    copy = work / "project"
    shutil.rmtree(work, ignore_errors=True)
    copy_project(copy, project)
    (copy / "content" / "communes" / f"{TEMPLATE_ID}.toml").write_text(template_profile(group[0]), encoding="utf-8")
    site = work / "site"
    mkdocs_build(copy, site, TEMPLATE_ID, cache)
    shutil.rmtree(copy)
    runtime = relocate_runtime(site, tree)
    manifest = shared_manifest(site, runtime)
    variable, shared = [], {}
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        rel = path.relative_to(site).as_posix()
        if MARK in rel:
            raise BuildError(f"{rel}: a page's path holds the commune's id or name\n"
                             "    fix: build such communes whole (handbook/build/communes.py: templated)")
        if rel in NEVER_SHARED or (path.suffix in TEXT and MARKERS.search(path.read_bytes())):
            variable.append(rel)
    precompressed = {f"{rel}{s}" for rel in variable for s in (".br", ".gz")}
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        rel = path.relative_to(site).as_posix()
        if rel not in variable and rel not in precompressed:
            shared[rel] = store_link(tree, path.read_bytes(), path)
    return Template(site, variable, shared, manifest)


def instantiate(template: Template, commune: Commune, public_url: str, tree: Path, key: str) -> dict:
    """``commune``'s handbook from ``template``: shared files linked, its own with its values."""
    site = tree / commune.id
    if site.exists():
        shutil.rmtree(site)
    for rel, digest in template.shared.items():
        target = site / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        os.link(tree / SHARED / "files" / digest, target)
    pairs = substitutions(commune, public_url)
    own: dict[str, bytes] = {}
    for rel in template.variable:
        if rel in NEVER_SHARED:
            continue
        data = (template.site / rel).read_bytes()
        for old, new in pairs:
            data = data.replace(old, new)
        if rel.endswith(".html"):
            data = page_after_values(data.decode("utf-8"), f"{commune.id}/{rel}").encode("utf-8")
        if MARKERS.search(data):  # a whole marker: three letters alone may be in a hash
            raise BuildError(f"commune '{commune.id}': {rel} still holds a marker of the template\n"
                             "    fix: a value reaches this page transformed; build this commune whole "
                             "(handbook/build/communes.py: templated)")
        target = site / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        compress_file(target, PAGE_QUALITY)
        own[rel] = data
    manifest = json.loads(json.dumps(template.manifest))
    for entry in manifest["shell"]:
        rel = entry[0]
        served = "index.html" if rel == "./" else rel + "index.html" if rel.endswith("/") else rel
        if served in own:
            entry[1:] = [integrity(own[served]), len(own[served])]
    manifest["version"] = version(manifest["shell"])
    write_manifest(site, manifest)
    return record(commune, key, template.shared)


QR_CODE = re.compile(r'(<figure class="hb-qr">)(<svg.*?</svg>)(<figcaption>.*?<span class="hb-qr__url">)([^<]*)(</span>)', re.S)
POLICY_META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="[^"]*">')


def page_after_values(html: str, where: str) -> str:
    """What a page derives from its values: each printed QR code drawn again from its address,
    and the policy's hashes of inline scripts that hold the address (the theme's 404 page)."""
    from html import unescape

    from handbook.render import qr_svg

    html = QR_CODE.sub(lambda m: m[1] + qr_svg(unescape(m[4])) + m[3] + m[4] + m[5], html)
    without = POLICY_META.sub("", html, count=1)
    try:
        meta = f'<meta http-equiv="Content-Security-Policy" content="{headers.policy(headers.inline_script_hashes(without, where))}">'
    except headers.PolicyError as exc:
        raise BuildError(str(exc)) from None
    return POLICY_META.sub(lambda _: meta, html, count=1)


def record(commune: Commune, key: str, links: dict[str, str]) -> dict:
    return {"id": commune.id, "name": commune.name, "kind": commune.kind, "province": commune.province,
            "key": key, "links": links}


def build_whole(project: Path, commune: Commune, public_url: str, tree: Path, work: Path, cache: Path, key: str) -> dict:
    """A commune built by MkDocs on its own (its own plan, or values escaping would change)."""
    shutil.rmtree(work, ignore_errors=True)
    copy = copy_project(work / "project", project)
    if not commune.site_url:  # its address in the tree (QR codes)
        profile = copy / "content" / "communes" / (f"{commune.id}/commune.toml" if commune.folder else f"{commune.id}.toml")
        text = profile.read_text(encoding="utf-8")
        text = re.sub(r'(?m)^site_url\s*=.*\n', "", text) + f'site_url = "{public_address(commune, public_url)}"\n'
        profile.write_text(text, encoding="utf-8")
    site = tree / commune.id
    shutil.rmtree(site, ignore_errors=True)
    mkdocs_build(copy, site, commune.id, cache)
    runtime = relocate_runtime(site, tree)
    manifest = shared_manifest(site, runtime)
    write_manifest(site, manifest)
    links = {}
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        rel = path.relative_to(site).as_posix()
        if rel.startswith("assets/") and not rel.startswith(("assets/wizard/engine.json", "assets/wizard/worker.mjs",
                                                              "assets/audio/status.json")):
            links[rel] = store_link(tree, path.read_bytes(), path)
    shutil.rmtree(work, ignore_errors=True)
    return record(commune, key, links)


def _instantiate_many(args) -> list[dict]:
    template, communes, public_url, tree, keys = args
    return [instantiate(template, c, public_url, tree, keys[c.id]) for c in communes]


def build_tree(project: Path, tree: Path, ids: list[str] | None = None, public_url: str = "",
               shard: str | None = None, jobs: int | None = None, work: Path | None = None,
               log=print) -> dict:
    """Build the communes of ``project`` (all, ``ids``, or one ``shard``) into ``tree``; return
    the seconds it took, the communes built and those left as they were."""
    started = time.perf_counter()
    jobs = jobs or os.cpu_count() or 1
    project, tree = Path(project).resolve(), Path(tree).resolve()
    work = Path(work or tree.parent / f".{tree.name}.work").resolve()  # beside the tree: hard links need one disk
    cache = Paths(project).cache
    public_url = public_url or site_url_of(project)
    communes = shard_of(profiles(project, ids), shard)
    base = inputs_hash(project)
    keys = {c.id: hashlib.sha256(base.encode() + public_url.encode() + commune_inputs(project, c)).hexdigest()
            for c in communes}
    records = tree / SHARED / "communes"
    records.mkdir(parents=True, exist_ok=True)

    def unchanged(c: Commune) -> bool:
        path = records / f"{c.id}.json"
        return path.is_file() and json.loads(path.read_text(encoding="utf-8"))["key"] == keys[c.id] \
            and (tree / c.id / "sw.js").is_file()

    todo = [c for c in communes if not unchanged(c)]
    groups: dict[str, list[Commune]] = {}
    for c in todo:
        if c.templated():
            groups.setdefault(c.group(), []).append(c)
    whole = [c for c in todo if not c.templated()]
    done: list[dict] = []

    def template_job(name: str) -> Template:
        return make_template(project, groups[name], work / f"template-{name}", tree, cache)

    with ThreadPoolExecutor(max_workers=jobs) as threads:  # MkDocs runs in processes of its own
        templates = dict(zip(groups, threads.map(template_job, groups)))
        done += list(threads.map(lambda c: build_whole(project, c, public_url, tree, work / f"whole-{c.id}", cache,
                                                       keys[c.id]), whole))
    batches = []
    for name, members in groups.items():
        size = max(1, -(-len(members) // jobs))
        batches += [(templates[name], members[i:i + size], public_url, tree, keys) for i in range(0, len(members), size)]
    if jobs == 1:
        for batch in batches:
            done += _instantiate_many(batch)
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            for result in pool.map(_instantiate_many, batches):
                done += result
    for item in done:
        write_record(tree, item)
    shutil.rmtree(work, ignore_errors=True)
    finish_tree(tree, project)
    return {"seconds": time.perf_counter() - started, "built": sorted(i["id"] for i in done),
            "unchanged": sorted(c.id for c in communes if c not in todo), "templates": len(groups)}


def site_url_of(project: Path) -> str:
    """mkdocs.yml's site_url: the tree's public address when none is given."""
    match = re.search(r"(?m)^site_url:\s*(\S+)", (project / "mkdocs.yml").read_text(encoding="utf-8"))
    return match[1] if match else ""


# -- the tree as a whole ----------------------------------------------------------------------


def write_record(tree: Path, item: dict) -> None:
    """_shared/communes/ID.json; its map of linked files (the same for every commune of a
    template) stored once, under the hash of its text, in _shared/links/."""
    links = json.dumps(item["links"], sort_keys=True, separators=(",", ":")).encode()
    digest = hashlib.sha256(links).hexdigest()
    stored = tree / SHARED / "links" / f"{digest}.json"
    if not stored.is_file():
        stored.parent.mkdir(parents=True, exist_ok=True)
        stored.write_bytes(links)
    path = tree / SHARED / "communes" / f"{item['id']}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({**item, "links": digest}, ensure_ascii=False, indent=0), encoding="utf-8")


def tree_records(tree: Path) -> list[dict]:
    """Every commune's record, its map of linked files read back."""
    out, maps = [], {}
    for path in sorted((tree / SHARED / "communes").glob("*.json")):
        item = json.loads(path.read_text(encoding="utf-8"))
        digest = item["links"]
        if digest not in maps:
            maps[digest] = json.loads((tree / SHARED / "links" / f"{digest}.json").read_text(encoding="utf-8"))
        out.append({**item, "links": maps[digest], "links_file": digest})
    return out


def finish_tree(tree: Path, project: Path = ROOT) -> None:
    """The province's index, the headers and nginx.conf of the whole tree; stored files no commune
    uses any more removed."""
    communes = [r for r in tree_records(tree) if (tree / r["id"]).is_dir()]
    write_index(tree, communes, project)
    write_headers(tree, communes, project)
    used = {d for r in communes for d in r["links"].values()}
    runtimes = {m.group(0) for r in communes
                for m in re.finditer(rf"{SHARED}/runtime-[0-9a-f]+", (tree / r["id"] / "sw.js").read_text(encoding="utf-8"))}
    for runtime in (tree / SHARED).glob("runtime-*"):
        if f"{SHARED}/{runtime.name}" not in runtimes:
            shutil.rmtree(runtime)  # no commune's current version uses it (a saved copy stays in the phone)
        else:
            used |= {hashlib.sha256(p.read_bytes()).hexdigest() for p in runtime.iterdir()}
    for stored in (tree / SHARED / "files").glob("*"):
        if stored.name not in used and not stored.name.startswith("."):
            stored.unlink()
    maps = {r["links_file"] for r in communes}
    for stored in (tree / SHARED / "links").glob("*.json"):
        if stored.stem not in maps:
            stored.unlink()


def page_hashes(page: Path) -> list[str]:
    match = re.search(r'<meta http-equiv="Content-Security-Policy" content="[^"]*script-src \'self\'([^;"]*)', page.read_text(encoding="utf-8"))
    return match[1].split() if match else []


def write_headers(tree: Path, communes: list[dict], project: Path) -> None:
    """headers.json and nginx.conf for the tree: one policy for every page (the pages' inline
    scripts are the theme's, the same in every commune), each 404 page its own (the theme writes
    the commune's address into its script), each commune's worker allowed WebAssembly, each
    commune's (and language's) 404 page, the shared files cached for a year (named by their hash)."""
    policies = headers.Policies()
    for commune in communes[:1]:  # every commune's pages come from the same templates and theme
        for page in (tree / commune["id"]).rglob("*.html"):
            if page.name != "404.html":
                policies.hashes.update(page_hashes(page))
    not_found = {}
    for commune in communes:
        for page in [tree / commune["id"] / "404.html", *(tree / commune["id"]).glob("*/404.html")]:
            folder = page.parent.relative_to(tree).as_posix()
            not_found[f"/{folder}/"] = f"/{folder}/404.html"
    policies.not_found = not_found
    data = policies.data(workers=[f"/{c['id']}/{WORKER}" for c in communes])
    data["content_security_policy"]["paths"].update(
        {page: headers.policy(page_hashes(tree / page.lstrip("/")), header=True) for page in not_found.values()})
    data["cache_control"] = {f"/{SHARED}/": "public, max-age=31536000, immutable"}
    folder = tree / DEPLOY
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "headers.json").write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    template = (project / "deploy" / "nginx.conf.in").read_text(encoding="utf-8")
    (folder / "nginx.conf").write_text(headers.nginx_config(template, data), encoding="utf-8")


def write_index(tree: Path, communes: list[dict], project: Path) -> None:
    """TREE/index.html: every commune, by province, found by its name with or without accents."""
    from handbook.model import fold
    from handbook.render import html_escape

    kinds = {"xa": "xã", "phuong": "phường", "dac-khu": "đặc khu"}
    by_province: dict[str, list[dict]] = {}
    for c in sorted(communes, key=lambda c: (fold(c["province"]), fold(c["name"]))):
        by_province.setdefault(c["province"] or "Chưa ghi tỉnh, thành phố", []).append(c)
    sections = []
    for province, members in by_province.items():
        items = "\n".join(
            f'      <li data-name="{html_escape(fold(kinds.get(c["kind"], "") + " " + c["name"]))}">'
            f'<a href="{c["id"]}/">{html_escape(kinds.get(c["kind"], c["kind"]).capitalize())} {html_escape(c["name"])}</a></li>'
            for c in members)
        sections.append(f'  <section>\n    <h2>{html_escape(province)}</h2>\n    <ul>\n{items}\n    </ul>\n  </section>')
    page = (project / "handbook" / "templates" / "province" / "index.html").read_text(encoding="utf-8")
    body = page.replace("@COMMUNES@", "\n".join(sections)).replace("@COUNT@", str(len(communes)))
    policy = headers.policy()
    body = body.replace("<head>", f'<head>\n  <meta http-equiv="Content-Security-Policy" content="{policy}">', 1)
    (tree / "index.html").write_text(body, encoding="utf-8")
    script = (project / "handbook" / "templates" / "province" / "index.js").read_bytes()
    (tree / "index.js").write_bytes(script)
    for name in ("index.html", "index.js"):
        for suffix in (".br", ".gz"):
            (tree / (name + suffix)).unlink(missing_ok=True)
        compress_file(tree / name, 11)


def merge(parts: list[Path], tree: Path, project: Path = ROOT) -> dict:
    """Join the trees of shards (each built with SHARD=I/N) into ``tree``: stored files once,
    each commune's folder, its record; then the index and headers of the whole."""
    started = time.perf_counter()
    tree.mkdir(parents=True, exist_ok=True)
    count = 0
    for part in parts:
        part = Path(part)
        if not (part / SHARED / "communes").is_dir():
            raise BuildError(f"{part}: not a tree of communes (no {SHARED}/communes/)\n"
                             "    fix: give the folders `make communes SHARD=I/N` wrote")
        for path in sorted((part / SHARED).rglob("*")):
            rel = path.relative_to(part)
            if path.is_file() and not (tree / rel).exists() and not rel.parts[1] == "communes":
                (tree / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, tree / rel)
        for item in tree_records(part):
            site, source = tree / item["id"], part / item["id"]
            shutil.rmtree(site, ignore_errors=True)
            for path in sorted(p for p in source.rglob("*") if p.is_file()):
                rel = path.relative_to(source).as_posix()
                (site / rel).parent.mkdir(parents=True, exist_ok=True)
                if rel in item["links"]:
                    os.link(tree / SHARED / "files" / item["links"][rel], site / rel)
                else:
                    shutil.copy2(path, site / rel)
            write_record(tree, {k: v for k, v in item.items() if k != "links_file"})
            count += 1
    finish_tree(tree, project)
    return {"seconds": time.perf_counter() - started, "communes": count}


def tree_sizes(tree: Path) -> dict:
    """Bytes of the tree with hard links counted once: the shared part, and each commune's own
    (under its path, precompressed copies included, not shared with another commune)."""
    seen: set[tuple[int, int]] = set()
    shared = 0
    for path in (tree / SHARED).rglob("*"):
        if path.is_file():
            st = path.stat()
            if (st.st_dev, st.st_ino) not in seen:
                seen.add((st.st_dev, st.st_ino))
                shared += st.st_size
    own = {}
    for record_ in tree_records(tree):
        total = 0
        for path in (tree / record_["id"]).rglob("*"):
            if path.is_file():
                st = path.stat()
                if (st.st_dev, st.st_ino) not in seen:
                    seen.add((st.st_dev, st.st_ino))
                    total += st.st_size
        own[record_["id"]] = total
    return {"shared": shared, "own": own}
