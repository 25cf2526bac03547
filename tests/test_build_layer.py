"""The build layer's modules, called directly (no MkDocs run): staging, the trimmed standard
library, the service worker's manifest, precompression."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import zipfile

import pytest

from handbook.build import BuildError
from handbook.build.precompress import precompress
from handbook.build.runtime import RUNTIME_FILES, trimmed_stdlib
from handbook.build.service_worker import write_service_worker
from handbook.build.staging import stage


def test_staging_rewrites_only_changes_and_removes_what_is_gone(tmp_path):
    docs, target = tmp_path / "docs", tmp_path / "stage"
    (docs / "assets").mkdir(parents=True)
    (docs / "assets" / "a.css").write_text("a{}", encoding="utf-8")
    stage(docs, {"guides/x/index.md": "# X", "old/index.md": "# Old"}, target)
    kept = target / "assets" / "a.css"
    before = kept.stat().st_mtime_ns
    stage(docs, {"guides/x/index.md": "# X2"}, target)
    assert kept.stat().st_mtime_ns == before  # unchanged: not rewritten (mkdocs serve would loop)
    assert (target / "guides" / "x" / "index.md").read_text(encoding="utf-8") == "# X2"
    assert not (target / "old").exists()  # a page no longer generated, and its empty folder, go


def test_a_hand_written_file_in_a_generated_pages_place_is_refused(tmp_path):
    docs = tmp_path / "docs"
    (docs / "guides").mkdir(parents=True)
    (docs / "guides" / "index.md").write_text("# Mine", encoding="utf-8")
    with pytest.raises(BuildError) as caught:
        stage(docs, {"guides/index.md": "# Generated"}, tmp_path / "stage")
    assert "docs/guides/index.md" in str(caught.value) and "fix:" in str(caught.value)


def test_the_trimmed_standard_library_holds_the_listed_files_only(tmp_path):
    full = tmp_path / "full.zip"
    with zipfile.ZipFile(full, "w") as out:
        for name in ("json/__init__.py", "json/decoder.py", "tkinter/__init__.py"):
            out.writestr(name, f"# {name}\n")
    listing = tmp_path / "stdlib.txt"
    listing.write_text("# the engine's imports\njson/__init__.py\njson/decoder.py\n", encoding="utf-8")
    data = trimmed_stdlib(full, listing)
    with zipfile.ZipFile(__import__("io").BytesIO(data)) as got:
        assert got.namelist() == ["json/__init__.py", "json/decoder.py"]
        assert {i.compress_type for i in got.infolist()} == {zipfile.ZIP_STORED}
    assert trimmed_stdlib(full, listing) == data  # reproducible: no dates, no order of its own
    listing.write_text("json/__init__.py\nnot/there.py\n", encoding="utf-8")
    with pytest.raises(BuildError) as caught:
        trimmed_stdlib(full, listing)
    assert "wizard/stdlib.txt:2" in str(caught.value) and "fix:" in str(caught.value)


def test_the_service_worker_lists_shell_and_runtime_with_their_hashes(tmp_path):
    site = tmp_path / "site"
    files = {"index.html": "<p>home</p>", "guides/x/index.html": "<p>x</p>", "404.html": "nf",
             "assets/a.css": "a{}", "assets/a.css.br": "zz", **{rel: rel * 50 for rel in RUNTIME_FILES}}
    for rel, text in files.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(text, encoding="utf-8")
    write_service_worker(site, ["vi"])
    manifest = json.loads(re.search(r"const MANIFEST = (.*);\n", (site / "sw.js").read_text(encoding="utf-8"))[1])
    assert sorted(e[0] for e in manifest["shell"]) == ["./", "assets/a.css", "guides/x/"]  # no 404, no .br
    assert sorted(e[0] for e in manifest["runtime"]) == sorted(RUNTIME_FILES)
    for rel, sri, size in manifest["shell"] + manifest["runtime"]:
        body = (site / (rel + "index.html" if rel.endswith("/") else "index.html" if rel == "./" else rel)).read_bytes()
        assert sri == "sha256-" + base64.b64encode(hashlib.sha256(body).digest()).decode() and size == len(body)


def test_precompression_writes_only_what_is_smaller(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "big.html").write_text("<p>lặp lại</p>" * 500, encoding="utf-8")
    (site / "small.html").write_text("<p>x</p>", encoding="utf-8")
    (site / "photo.png").write_bytes(bytes(range(256)) * 20)
    assert precompress(site, tmp_path / "cache") == 2
    assert sorted(p.name for p in site.iterdir()) == ["big.html", "big.html.br", "big.html.gz", "photo.png", "small.html"]
    assert precompress(site, tmp_path / "cache") == 0  # unchanged: nothing rewritten
