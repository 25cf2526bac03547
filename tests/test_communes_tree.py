"""Many communes, one tree (make communes): shared files stored once, each commune's pages its
own and linking only to its own pages and the shared files, a template-made commune the same as
the commune built alone, sharding and merging, incremental builds, and in Chromium: offline per
commune, and a runtime downloaded once for every commune."""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import brotli
import pytest

from conftest import ROOT, copy_project
from handbook.build import communes as tree_module
from test_communes import FIXTURE  # a commune made up for the tests, every fact filled in

PUBLIC = "https://tinh.example/"  # the tree at the root of its address, as its nginx.conf serves it
# the same content as ia-fixture (one template), no address of its own: the tree's + its path
OTHER = FIXTURE.replace("ia-fixture", "ia-khac").replace("Ia Thử", "Ia Khác").replace(
    'site_url = "https://sotay.ia-thu.example/"\n', "").replace("0269 3 000 111", "0269 3 000 222")
COMMUNES = ["ia-fixture", "ia-khac", "thai-hoa"]


@pytest.fixture(scope="session")
def tree_project(tmp_path_factory):
    os.environ.setdefault("HANDBOOK_CACHE", str(ROOT / "build" / "cache"))  # copies share the slow results
    project = copy_project(tmp_path_factory.mktemp("tree") / "project")
    (project / "content" / "communes" / "ia-fixture.toml").write_text(FIXTURE, encoding="utf-8")
    (project / "content" / "communes" / "ia-khac.toml").write_text(OTHER, encoding="utf-8")
    return project


@pytest.fixture(scope="session")
def tree(tree_project):
    tree = tree_project.parent / "tree"
    result = tree_module.build_tree(tree_project, tree, COMMUNES, PUBLIC)
    assert result["built"] == COMMUNES and result["templates"] == 2  # ia-fixture and ia-khac: one
    return tree


def inode(path: Path) -> tuple[int, int]:
    st = path.stat()
    return st.st_dev, st.st_ino


def body(path: Path) -> bytes:
    data = path.read_bytes()
    return brotli.decompress(data) if path.suffix == ".br" else gzip.decompress(data) if path.suffix == ".gz" else data


def files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def test_communes_share_one_runtime_and_one_copy_of_each_shared_file(tree):
    runtimes = list((tree / "_shared").glob("runtime-*"))
    assert len(runtimes) == 1 and (runtimes[0] / "pyodide.asm.wasm").is_file()
    for cid in COMMUNES:
        site = tree / cid
        assert not (site / "assets" / "pyodide").exists() and not (site / "assets" / "wizard" / "stdlib.zip").exists()
        worker = (site / "assets" / "wizard" / "worker.mjs").read_text(encoding="utf-8")
        assert f"../../../_shared/{runtimes[0].name}/pyodide.mjs" in worker  # from ID/assets/wizard/
    # the theme's stylesheet, a font, a clip: one file on disk, whatever the commune
    css = sorted((tree / "ia-fixture" / "assets" / "stylesheets").glob("main.*.min.css"))[0].relative_to(tree / "ia-fixture")
    assert len({inode(tree / cid / css) for cid in COMMUNES}) == 1
    sizes = tree_module.tree_sizes(tree)
    assert all(own < 5e6 for own in sizes["own"].values()), sizes["own"]  # the budget, a commune


def test_each_communes_pages_link_only_to_its_own_pages_and_the_shared_files(tree):
    for cid in COMMUNES:
        site = tree / cid
        for page in site.rglob("*.html"):
            html = page.read_text(encoding="utf-8")
            for ref in re.findall(r'(?:href|src)="([^"#?]+)', html):
                if re.match(r"[a-z]+:", ref):
                    assert ref.startswith(("https:", "mailto:", "tel:", "data:")), (page, ref)
                    continue
                target = (page.parent / ref).resolve() if not ref.startswith("/") else tree / ref.lstrip("/")
                target = target.resolve()
                assert target.is_relative_to(site.resolve()) or target.is_relative_to((tree / "_shared").resolve()), \
                    (page.relative_to(tree), ref)
                assert target.exists() or (target / "index.html").exists(), (page.relative_to(tree), ref)
        # nothing of another commune: its name, its id
        others = [c for c in COMMUNES if c != cid]
        text = (site / "index.html").read_text(encoding="utf-8") + (site / "contacts" / "index.html").read_text(encoding="utf-8")
        assert not any(f"/{other}/" in text or f'id="{other}"' in text for other in others)


def test_a_commune_made_from_the_template_is_the_commune_built_alone(tree, tree_project, tmp_path, monkeypatch):
    """The fast way (one MkDocs build per distinct content, each commune's values put in) gives
    each file, byte for byte (precompressed files decompressed), what a whole build gives."""
    monkeypatch.setattr(tree_module.Commune, "templated", lambda self: False)
    alone = tmp_path / "alone"
    result = tree_module.build_tree(tree_project, alone, ["ia-khac"], PUBLIC)
    assert result["templates"] == 0 and result["built"] == ["ia-khac"]
    made, whole = tree / "ia-khac", alone / "ia-khac"
    assert files(made) == files(whole)
    differ = [rel for rel in sorted(files(made)) if body(made / rel) != body(whole / rel)]
    assert differ == []


def test_qr_codes_use_the_profiles_address_else_the_trees_and_the_communes_path(tree):
    from handbook.render import qr_svg

    for cid, base in (("ia-fixture", "https://sotay.ia-thu.example/"), ("ia-khac", PUBLIC + "ia-khac/")):
        html = (tree / cid / "guides" / "outage-with-papers" / "index.html").read_text(encoding="utf-8")
        address = f"{base}guides/outage-with-papers/"
        assert f'<span class="hb-qr__url">{address}</span>' in html, cid
        assert qr_svg(address) in html  # the printed code is drawn from that address
        assert not tree_module.MARKERS.search(html.encode())  # no marker of the template left


def test_the_province_index_lists_every_commune_and_the_headers_cover_the_tree(tree):
    index = (tree / "index.html").read_text(encoding="utf-8")
    for cid in COMMUNES:
        assert f'href="{cid}/"' in index
    assert 'data-name="xa ia thu"' in index  # searched without accents
    data = json.loads((tree / "_deploy" / "headers.json").read_text(encoding="utf-8"))
    paths = data["content_security_policy"]["paths"]
    for cid in COMMUNES:
        assert "'wasm-unsafe-eval'" in paths[f"/{cid}/assets/wizard/worker.mjs"]
        assert data["not_found"][f"/{cid}/en/"] == f"/{cid}/en/404.html"
    assert data["cache_control"] == {"/_shared/": "public, max-age=31536000, immutable"}
    nginx = (tree / "_deploy" / "nginx.conf").read_text(encoding="utf-8")
    assert "location /ia-khac/en/ { error_page 404 /ia-khac/en/404.html;" in nginx and "@" not in re.sub(r"#.*", "", nginx)


def test_unchanged_communes_are_not_rebuilt_and_a_changed_one_is(tree_project, tmp_path):
    tree = tmp_path / "tree"
    tree_module.build_tree(tree_project, tree, ["ia-fixture", "ia-khac"], PUBLIC)
    kept = inode(tree / "ia-fixture" / "index.html")
    again = tree_module.build_tree(tree_project, tree, ["ia-fixture", "ia-khac"], PUBLIC)
    assert again["built"] == [] and again["unchanged"] == ["ia-fixture", "ia-khac"]
    profile = tree_project / "content" / "communes" / "ia-khac.toml"
    original = profile.read_text(encoding="utf-8")
    try:
        profile.write_text(original.replace("7:00–11:30", "7:30–11:30"), encoding="utf-8")
        changed = tree_module.build_tree(tree_project, tree, ["ia-fixture", "ia-khac"], PUBLIC)
    finally:
        profile.write_text(original, encoding="utf-8")
    assert changed["built"] == ["ia-khac"] and changed["unchanged"] == ["ia-fixture"]
    assert inode(tree / "ia-fixture" / "index.html") == kept
    assert "7:30–11:30" in (tree / "ia-khac" / "contacts" / "index.html").read_text(encoding="utf-8")


def test_shards_merged_are_the_whole_tree(tree, tree_project, tmp_path):
    parts = []
    for n in (1, 2):
        part = tmp_path / f"part-{n}"
        result = tree_module.build_tree(tree_project, part, COMMUNES, PUBLIC, shard=f"{n}/2")
        assert result["built"] == COMMUNES[n - 1::2]
        parts.append(part)
    merged = tmp_path / "merged"
    assert tree_module.merge(parts, merged, tree_project)["communes"] == len(COMMUNES)
    for cid in COMMUNES:
        assert files(merged / cid) == files(tree / cid)
        assert all(body(merged / cid / rel) == body(tree / cid / rel) for rel in files(tree / cid)), cid
    assert inode(merged / "ia-fixture" / "assets" / "stylesheets" / "handbook.css") == \
        inode(merged / "thai-hoa" / "assets" / "stylesheets" / "handbook.css")  # stored once after the merge
    assert (merged / "index.html").read_text(encoding="utf-8").count("<li data-name=") == len(COMMUNES)
    with pytest.raises(tree_module.BuildError, match="SHARD=3/2"):
        tree_module.shard_of([], "3/2")


@pytest.mark.browser
def test_offline_per_commune_and_the_runtime_downloaded_once(browser, tree, tmp_path):
    """A phone opens one commune's wizard, then another's: the runtime comes from its cache (the
    tree's copy is gone by then). Each commune's pages then work offline, from its own worker."""
    import serve

    served = tmp_path / "served"
    shutil.copytree(tree, served, symlinks=True)
    httpd = serve.start(served, headers=served / "_deploy" / "headers.json")
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    try:
        context = browser.new_context(viewport={"width": 360, "height": 740})
        page = context.new_page()
        page.goto(base + "/ia-fixture/wizard/")
        page.wait_for_selector("#hb-wizard[data-engine=ready]", timeout=60_000)
        runtime = next((served / "_shared").glob("runtime-*"))
        shutil.move(runtime, tmp_path / "runtime-away")  # the server has no runtime any more
        page.goto(base + "/thai-hoa/wizard/")
        page.wait_for_selector("#hb-wizard[data-engine=ready]", timeout=60_000)
        for cid in ("ia-fixture", "thai-hoa"):
            page.goto(f"{base}/{cid}/")
            worker = page.evaluate("navigator.serviceWorker.ready.then(r => r.scope)")
            assert urlsplit(worker).path == f"/{cid}/"
        page.wait_for_function("caches.keys().then(k => k.filter(n => n.startsWith('hb-shell-')).length == 2)",
                               timeout=60_000)
        context.set_offline(True)
        for cid in ("ia-fixture", "thai-hoa"):
            for path in ("", "guides/", "contacts/", "en/"):
                response = page.goto(f"{base}/{cid}/{path}")
                assert response is not None and response.ok and response.from_service_worker, (cid, path)
        context.close()
    finally:
        httpd.shutdown()


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [{"width": 360, "height": 740}, {"width": 1366, "height": 768}],
                         ids=lambda v: f"{v['width']}x{v['height']}")
def test_the_province_index_finds_a_commune_unaccented_with_no_axe_violations(browser, tree, viewport):
    import serve
    from test_a11y import violations

    httpd = serve.start(tree, headers=tree / "_deploy" / "headers.json")
    try:
        # axe is injected as an inline script, which the page's policy rightly refuses
        context = browser.new_context(viewport=viewport, bypass_csp=True)
        page = context.new_page()
        page.goto(f"http://127.0.0.1:{httpd.server_address[1]}/")
        assert violations(page) == []
        page.fill("#hb-find", "thai hoa")  # typed without accents: "Phường Thái Hòa"
        shown = page.eval_on_selector_all("li[data-name]:not([hidden]) a", "els => els.map(e => e.getAttribute('href'))")
        assert shown == ["thai-hoa/"]
        assert page.inner_text("#hb-found").split()[0] == "1"  # the count is said (a live status)
        assert violations(page) == []
        page.fill("#hb-find", "khong co xa nay")
        assert page.eval_on_selector_all("li[data-name]:not([hidden])", "els => els.length") == 0
        assert page.inner_text("#hb-found").strip() and page.locator("main section:not([hidden])").count() == 0
        context.close()
    finally:
        httpd.shutdown()
