"""`make import-plan`: a commune's own plan (.docx, .txt) becomes its handbook.

The two official plans, imported from their verbatim text, give back their sections exactly and,
as a new commune, the same wizard for every one or two answers. Fixture plans in three
numbering styles (tests/plan_fixtures.py), as .docx and .txt, are imported and built. Bad input
is refused with the file, the paragraph and the fix, and nothing is written.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import plan_fixtures
from conftest import ROOT, copy_project, mkdocs_build
from handbook.importer.read import read
from handbook.importer.structure import parse
from handbook.model import anchor, load
from htmltools import read_page
from test_faithful import missing_or_out_of_order, original_lines
from wizard.data import export
from wizard.engine import Engine


def run_import(project: Path, file: Path, cid: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "handbook.importer", str(file), cid], cwd=project,
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(project)})


def tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return copy_project(tmp_path_factory.mktemp("import-project"))


@pytest.mark.parametrize("plan", ["ngok-reo", "thai-hoa"])
def test_round_trip_gives_back_every_section_and_block(model, plan):
    """The importer, run on the verbatim text, reproduces the hand-checked blocks exactly."""
    original = model.plans[plan].original
    blocks = parse(original.name, read(original))
    want = tomllib.loads((ROOT / "content" / "plans" / f"{plan}.toml").read_text(encoding="utf-8"))["block"]
    assert [(b.section, b.kind, b.vi) for b in blocks] == [(w["section"], w["kind"], w["vi"]) for w in want]


@pytest.mark.parametrize("plan,cid", [("ngok-reo", "xa-nhap"), ("thai-hoa", "phuong-nhap")])
def test_a_plan_imported_as_a_new_commune_gives_the_same_wizard(project, plan, cid):
    """Every known situation is recognised and every action found in the plan's own words: the
    imported commune's wizard does what the original's does, for every one or two answers,
    citing only its own plan."""
    done = run_import(project, ROOT / "content" / "plans" / f"{plan}.original.txt", cid)
    assert done.returncode == 0, done.stderr
    original, imported = load(project, commune=plan), load(project, commune=cid)
    assert imported.commune.draft and set(imported.plans) == {cid}
    assert {s.same_as for s in imported.situations.values()} == set(original.situations)
    data = export(imported)
    cited = {c.split(":")[0] for stage in data["stages"] for v in stage["variants"] for c in v["cites"]}
    cited |= {c.split(":")[0] for item in data["items"].values() for c in item["cites"]}
    cited |= {c.split(":")[0] for rule in data["rules"] for c in rule["cites"]}
    assert cited == {cid}
    a, b = Engine(export(original)), Engine(data)
    answers = [(q.id, x) for q in original.wizard.questions for x in q.answers]
    assert answers == [(q.id, x) for q in imported.wizard.questions for x in q.answers]
    compared = 0
    for n in (1, 2):
        for combo in itertools.combinations(answers, n):
            given: dict[str, list[str]] = {}
            for q, x in combo:
                given.setdefault(q, []).append(x)
            ra, rb = a.decide(**given), b.decide(**given)
            assert [(i["phase"], i["id"]) for i in ra["items"]] == [(i["phase"], i["id"]) for i in rb["items"]], given
            assert (ra["path"] or {}).get("id") == (rb["path"] or {}).get("id"), given
            assert all(c.startswith(f"{cid}:") for i in rb["items"] for c in i["sources"]), given
            compared += 1
    assert compared > 50


FORMATS = [(name, fmt) for name in plan_fixtures.FIXTURES for fmt in ("docx", "txt")]


@pytest.fixture(scope="module")
def imported(project, tmp_path_factory) -> dict[tuple[str, str], str]:
    """Every fixture, in both formats, imported into the project copy."""
    files = tmp_path_factory.mktemp("plan-files")
    out = {}
    for name, fmt in FORMATS:
        path = getattr(plan_fixtures, f"write_{fmt}")(name, files / f"ke hoach {name}.{fmt}")
        cid = f"fx-{name}-{fmt}"
        done = run_import(project, path, cid)
        assert done.returncode == 0, done.stderr
        assert "câu ứng với việc đã biết" in done.stdout and f"make site COMMUNE={cid}" in done.stdout
        out[(name, fmt)] = cid
    return out


@pytest.mark.parametrize("name,fmt", FORMATS)
def test_fixture_plans_import_with_their_structure(project, imported, name, fmt):
    cid = imported[(name, fmt)]
    expected = plan_fixtures.EXPECTED[name]
    model = load(project, commune=cid)
    plan = model.plans[cid]
    assert plan.sections == expected["sections"]
    assert (model.commune.kind, model.commune.name) == expected["commune"] and model.commune.draft
    assert not any((model.commune.province, model.commune.address, model.commune.hotline))  # not in the plan
    by_section = {s.section: s for s in model.situations.values()}
    assert {sec: by_section[sec].same_as for sec in expected["known"]} == expected["known"]
    assert all(sec in by_section and not by_section[sec].same_as for sec in expected["new"])
    assert len(by_section) == len(expected["known"]) + len(expected["new"])
    for situation in model.situations.values():  # every action cites a section of this plan's situation
        for iid in situation.checklist:
            mine = [c for c in model.items[iid].cites if c.plan == cid]
            assert mine and all(c.section in plan.sections for c in mine), iid
            parts = (situation.section, *situation.staff, *situation.support)  # (the steps of a top-level procedure)
            assert any(c.section == part or c.section.startswith(part + ".") for c in mine for part in parts), \
                (situation.id, iid)
    for iid, item in model.items.items():  # a new action is worded with the plan's own sentence
        if item.commune:
            text = model.t("vi", "items", iid, "text")
            assert any(b.vi == text and b.section == item.cites[0].section for b in plan.blocks), iid
    if fmt == "docx":  # the same plan typed as text gives the same blocks, and the same wizard
        tid = imported[(name, "txt")]
        txt = load(project, commune=tid)
        assert [(b.section, b.kind, b.vi) for b in plan.blocks if b.kind != "meta"] == \
            [(b.section, b.kind, b.vi) for b in txt.plans[tid].blocks if b.kind != "meta"]
        assert json.dumps(export(model), sort_keys=True).replace(cid, tid) == \
            json.dumps(export(txt), sort_keys=True)


@pytest.mark.parametrize("name", plan_fixtures.FIXTURES)
def test_each_imported_commune_builds_its_handbook(project, imported, tmp_path, name):
    """Built from the .docx: the .txt gives the same blocks and the same wizard (above)."""
    cid = imported[(name, "docx")]
    site = tmp_path / "site"
    done = mkdocs_build(project, site, commune=cid)
    assert done.returncode == 0, done.stderr[-3000:]
    model = load(project, commune=cid)
    plan = model.plans[cid]
    page = read_page(site, site / "plans" / cid / "index.html")
    # a typed bullet ("- ", "+ ", "• ") is the list's marker on the page, not its text
    lines = [re.sub(r"^[-–•*+] ", "", line) for line in original_lines(plan.original.read_text(encoding="utf-8"))]
    assert not missing_or_out_of_order(lines, page.article_text)
    html = (site / "plans" / cid / "index.html").read_text(encoding="utf-8")
    for section in plan.sections:  # every section is a citable anchor
        assert f'id="{anchor(section)}"' in html, section
    for sid, situation in model.situations.items():
        guide = (site / "guides" / sid / "index.html").read_text(encoding="utf-8")
        assert 'class="hb-draft"' in guide, sid
        english = (site / "en" / "guides" / sid / "index.html").read_text(encoding="utf-8")
        if not situation.same_as:  # its text is the plan's Vietnamese: shown, marked untranslated
            assert 'class="hb-untranslated" lang="vi"' in english, sid
    for page in ("wizard", "kiosk"):  # an unconfirmed plan: the wizard, the kiosk and their slips say so
        html = (site / page / "index.html").read_text(encoding="utf-8")
        assert 'class="hb-draft"' in html and re.search(r'"draft": "[^"]', html), page
    engine = json.loads((site / "assets" / "wizard" / "engine.json").read_text(encoding="utf-8"))["data"]
    own = {s for s, x in model.situations.items() if not x.same_as}
    asked = {a for q in engine["questions"] for a in q["answers"]}
    assert own <= asked  # its own situations are its wizard's answers
    if not plan_fixtures.EXPECTED[name]["known"]:  # only its own situations: no procedure path (issue 22)
        assert not engine["paths"] and asked == own
        return
    assert engine["rules"] and {c.split(":")[0] for r in engine["rules"] for c in r["cites"]} == {cid}
    result = Engine(engine).decide(**{q: [a] for q, a in load(project, commune=cid).wizard.answers()[:1]})
    assert result["items"] and all(c.startswith(f"{cid}:") for i in result["items"] for c in i["sources"])


def test_reimport_keeps_the_persons_choices(project, tmp_path):
    """A person's choices survive a new version of the plan, and are applied to it."""
    path = plan_fixtures.write_txt("cases", tmp_path / "plan.txt")
    cid = "fx-choices"
    assert run_import(project, path, cid).returncode == 0
    folder = project / "content" / "communes" / cid
    first = load(project, commune=cid)
    new_item = next(i for i in first.items.values() if i.commune)
    heading = "Hệ thống chạy chậm, người dân phải chờ lâu"
    choices = folder / "choices.toml"
    choices.write_text(choices.read_text(encoding="utf-8").replace("reviewed = false", "reviewed = true")
                       + f'\n[situation."{heading}"]\nsame_as = "new"\n\n[item."{new_item.id}"]\n'
                       'short = "Hẹn quay lại"\nreuse = []\n', encoding="utf-8")
    (folder / "locales").mkdir(exist_ok=True)
    (folder / "locales" / "en.toml").write_text(f'[items."{new_item.id}"]\nshort = "Come back later"\n',
                                                encoding="utf-8")
    kept = {p: (folder / p).read_bytes() for p in ("choices.toml", "locales/en.toml")}
    changed = path.read_text(encoding="utf-8").replace(
        "- Tình huống 3:", "- Hướng dẫn: Mời người dân ngồi chờ nơi thoáng mát, có nước uống.\n- Tình huống 3:")
    path.write_text(changed, encoding="utf-8")
    done = run_import(project, path, cid)
    assert done.returncode == 0, done.stderr
    assert {p: (folder / p).read_bytes() for p in kept} == kept
    again = load(project, commune=cid)
    assert not again.commune.draft
    slow = next(s for s in again.situations.values() if s.section == "2.2")
    assert not slow.same_as  # the person's mapping, not the proposal
    assert again.t("vi", "items", new_item.id, "short") == "Hẹn quay lại"
    assert again.t("en", "items", new_item.id, "short") == "Come back later"
    assert len(again.plans[cid].blocks) == len(first.plans[cid].blocks) + 1


BAD = {
    "not a plan": ("txt", "Kính gửi các thôn.\nĐề nghị các thôn báo cáo số liệu trước ngày 10.\n",
                   "không có mục nào được đánh số"),
    "empty": ("txt", "\n\n  \n", "không có chữ"),
    "not utf-8": ("txt", "I. MỤC TIÊU\n".encode("cp1258", errors="replace"), "không phải văn bản UTF-8"),
    "skipped number": ("txt", "PHƯƠNG ÁN\nI. MỤC TIÊU\n- Một.\nII. ĐỐI TƯỢNG\n- Hai.\nIV. TỔ CHỨC\n- Bốn.\n",
                       "'IV.' đứng sau 'II.'"),
    "dotted under another item": ("txt", "PHƯƠNG ÁN\n1. Người cao tuổi\n2.1. Kịch bản\n- Mời ngồi.\n",
                                  "không nằm dưới mục 2"),
    "new level not at 1": ("txt", "PHƯƠNG ÁN\nI. MỤC TIÊU\n3. Người cao tuổi\n- Mời ngồi.\n",
                           "không phải số đầu tiên"),
    "password docx": ("docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2000), "có đặt mật khẩu"),
    "not a docx": ("docx", b"PK\x03\x04 this is not a zip", "không phải tài liệu Word"),
    "broken pdf": ("pdf", b"%PDF-1.7\n", "không đọc được tệp PDF"),
    "not a pdf": ("pdf", b"PK\x03\x04 a zip named .pdf", "không phải tệp PDF"),
    "odt": ("odt", b"PK\x03\x04", "không phải định dạng kế hoạch"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input_names_the_file_and_the_fix_and_writes_nothing(project, tmp_path, case):
    suffix, data, message = BAD[case]
    path = tmp_path / f"ke-hoach.{suffix}"
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    before = tree(project / "content")
    done = run_import(project, path, "fx-bad")
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert "ke-hoach" in done.stderr and message in done.stderr and "cách sửa:" in done.stderr, done.stderr
    assert "chưa ghi gì cả" in done.stderr
    assert tree(project / "content") == before


def test_image_only_docx_and_existing_ids_are_refused(project, tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("")  # what a scanned plan holds: pictures, no text
    document.save(tmp_path / "scan.docx")
    before = tree(project / "content")
    done = run_import(project, tmp_path / "scan.docx", "fx-scan")
    assert done.returncode == 2 and "không có chữ" in done.stderr and "scan.docx" in done.stderr
    fixture = plan_fixtures.write_txt("letters", tmp_path / "plan.txt")
    for cid, message in (("ngok-reo", "đã có xã hoặc kế hoạch"), ("Bad ID", "chữ thường")):
        done = run_import(project, fixture, cid)
        assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert tree(project / "content") == before


def test_i18n_report_counts_an_imported_communes_untranslated_text(project, imported):
    from handbook.i18n_report import report

    cid = imported[("roman", "txt")]
    model = load(project, coverage=True)
    lacking = [p for p in model.untranslated["en"] if cid in p[1]]
    assert lacking and any(p[0] == "plans" and p[2] == "blocks" for p in lacking)
    text = report(project)
    required, missing = model.required["en"], len(model.untranslated["en"])
    assert f"en  English: {required - missing}/{required} strings" in text
    assert f"of which {missing} are communes' own" in text and "partial: builds" in text
