"""Issue 22: plans in the shapes other communes write them, matched by meaning, in Vietnamese.

The shapes (tests/plan_fixtures.py SHAPES): parts whose lists restart ("PHẦN I … IV"), articles
in parts ("Phần thứ nhất", "Mục 1", "Điều 3."), one numbered procedure ("Bước 1 … 6"),
"Tình huống N - …" with "+" bullets, teams with leader, members and duties, and a plan of only
new situations. Each is imported (.docx with Word numbering and bullets; the .txt gives the same
blocks) and built as its commune's handbook with no hand edit. The matching is measured against
the fixtures' own labels (the known actions each sentence states): the table is printed.
A .pdf with a text layer imports as its .txt does; a scanned one is refused.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

import plan_fixtures
from conftest import CHROMIUM, ROOT, copy_project, mkdocs_build
from handbook.importer import __main__ as importer
from handbook.importer import propose
from handbook.importer.limits import MAX_PDF_PAGES
from handbook.importer.read import read
from handbook.importer.structure import parse
from handbook.model import load
from test_import import run_import, tree
from wizard.data import export
from wizard.engine import Engine

SHAPES = list(plan_fixtures.SHAPES)
RIGHT_SHARE = 0.9  # of the sentences that state a known action, at least this share matched to it


def measure(model, name: str, path: Path) -> dict:
    """One fixture's figures: sections found, situations matched (to the expected known one) or
    new, sentences stating a known action matched right, sentences matched wrong, new."""
    blocks = parse(path.name, read(path))
    known_situations, known_items = importer.known(model)
    proposals = propose.situations(blocks, known_situations, known_items, model.lexicon)
    labels = plan_fixtures.expected_actions(name)
    expected = plan_fixtures.EXPECTED[name]
    row = {"sections": len({b.section for b in blocks} - {"front", "back"}), "situations_known": 0,
           "situations_new": 0, "situations_wrong": [], "stating": 0, "right": 0, "wrong": [], "new": 0,
           "missed": []}
    for p in proposals:
        want = expected["known"].get(p.section)
        if p.same_as:
            row["situations_known"] += 1
        else:
            row["situations_new"] += 1
        if p.same_as != want:
            row["situations_wrong"].append((p.section, p.same_as, want))
        for bullet in p.bullets:
            got = {m for m, _ in bullet.matches}
            states = labels.get(bullet.text, frozenset())
            row["stating"] += bool(states)
            if states and got and got <= states:
                row["right"] += 1
            elif states:
                row["missed"].append(bullet.text)
            if got - states:
                row["wrong"].append((bullet.text, sorted(got - states)))
            row["new"] += not got
            assert all(m in bullet.why and bullet.why[m].startswith("khớp vì:") for m in got), bullet.text
    return row


def test_matching_by_meaning_is_measured_on_every_shape(tmp_path, capsys):
    model = load(ROOT)
    rows = {name: measure(model, name, plan_fixtures.write_txt(name, tmp_path / f"{name}.txt")) for name in SHAPES}
    with capsys.disabled():
        print("\nfixture    sections  situations known/new  sentences stating right/wrong/new(all)")
        for name, r in rows.items():
            print(f"{name:10} {r['sections']:8}  {r['situations_known']:5}/{r['situations_new']:<15} "
                  f"{r['stating']:5} {r['right']:5}/{len(r['wrong'])}/{r['new']}   missed: {r['missed']}")
    for name, r in rows.items():
        assert not r["wrong"], (name, r["wrong"])  # no sentence matched to an action it does not state
        assert not r["situations_wrong"], (name, r["situations_wrong"])  # every named known situation, and no other
    stating = sum(r["stating"] for r in rows.values())
    right = sum(r["right"] for r in rows.values())
    assert stating >= 40 and right / stating >= RIGHT_SHARE, (right, stating)


@pytest.mark.parametrize("text,known", [("Mất điện, mất mạng", "outage-with-papers"),
                                        ("Người dân khiếm thính, khó nói", "disability"),
                                        ("Vừa mất điện vừa không có căn cước", "outage-no-papers"),
                                        ("Người dân tộc thiểu số không thông thạo tiếng Việt", None),
                                        ("Người dân mang theo trẻ nhỏ", None)])
def test_a_heading_names_a_known_situation_by_meaning(text, known):
    model = load(ROOT)
    situations, _ = importer.known(model)
    same_as, _, why = propose.best_situation(text, situations, propose.Meaning(model.lexicon))
    assert same_as == known, why
    assert why.startswith("khớp vì:") if known else "khớp" not in why


@pytest.mark.parametrize("text,known", [("Hỗ trợ đưa xe lăn vào Trung tâm.", "wheelchair-help"),
                                        ("In giấy hẹn và trao tận tay cho người dân.", "print-e-appointment"),
                                        ("Khi có kết quả, gọi điện báo người dân hoặc gửi qua bưu điện.",
                                         "call-when-ready")])
def test_a_sentence_states_a_known_action_by_meaning(text, known):
    model = load(ROOT)
    _, items = importer.known(model)
    meaning = propose.Meaning(model.lexicon)
    for item in items:
        item.meaning(meaning)
    matches, why = propose.match_items(text, items, meaning)
    assert matches and matches[0][0] == known, matches
    assert why[known].startswith("khớp vì:")


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return copy_project(tmp_path_factory.mktemp("shapes-project"))


@pytest.fixture(scope="module")
def imported(project, tmp_path_factory) -> dict[str, str]:
    """Each shape imported from its .docx (Word numbering and bullets) into the project copy;
    its .txt gives the same blocks."""
    files = tmp_path_factory.mktemp("shape-files")
    out = {}
    for name in SHAPES:
        cid = f"sh-{name}"
        done = run_import(project, plan_fixtures.write_docx(name, files / f"{name}.docx"), cid)
        assert done.returncode == 0, done.stderr
        txt = parse("x.txt", read(plan_fixtures.write_txt(name, files / f"{name}.txt")))
        plan = load(project, commune=cid).plans[cid]
        assert [(b.section, b.kind, b.vi) for b in plan.blocks if b.kind != "meta"] == \
            [(b.section, b.kind, b.vi) for b in txt if b.kind != "meta"]
        assert plan.sections == plan_fixtures.EXPECTED[name]["sections"]
        out[name] = cid
    return out


@pytest.mark.parametrize("name", SHAPES)
def test_each_shape_builds_its_communes_handbook(project, imported, tmp_path, name):
    cid = imported[name]
    model = load(project, commune=cid)
    expected = plan_fixtures.EXPECTED[name]
    by_section = {s.section: s for s in model.situations.values()}
    assert {sec: by_section[sec].same_as for sec in expected["known"]} == expected["known"]
    assert all(not by_section[sec].same_as for sec in expected["new"])
    assert (model.commune.kind, model.commune.name) == expected["commune"]
    site = tmp_path / "site"
    done = mkdocs_build(project, site, commune=cid)
    assert done.returncode == 0, done.stderr[-3000:]
    for sid in model.situations:
        assert (site / "guides" / sid / "index.html").is_file(), sid
    engine = json.loads((site / "assets" / "wizard" / "engine.json").read_text(encoding="utf-8"))["data"]
    review = (project / "build" / "import" / cid / "review.md").read_text(encoding="utf-8")
    # its /wizard/rules/: each path with its own reason; each new answer in the pairs table, every
    # pair of it marked a proposal while nobody has confirmed the plan; the review points there
    rules = (site / "wizard" / "rules" / "index.html").read_text(encoding="utf-8")
    assert "{#" not in rules  # no template comment or attribute list left as text
    for path in model.wizard.paths:
        assert html.escape(model.t("vi", "paths", path.id, "reason"), quote=False) in rules, path.id
    rows = re.findall(r'<tr data-pair="([^"]+)"[^>]*>(.*?)</tr>', rules, re.S)
    answers = [a for q in model.wizard.questions for a in q.answers]
    assert len(rows) == len(answers) * (len(answers) - 1) // 2
    for sid in (s.id for s in model.situations.values() if not s.same_as):
        mine = [cells for pair, cells in rows if sid in {x.split(":", 1)[1] for x in pair.split()}]
        assert len(mine) == len(answers) - 1 and all('class="hb-draft-pair"' in cells for cells in mine), sid
        assert "/wizard/rules/#pairs" in review and "Từng cặp câu trả lời" in review
    assert all('class="hb-draft-pair"' not in cells for pair, cells in rows
               if not {x.split(":", 1)[1] for x in pair.split()} & set(model.situations))
    # the paths its plan gives a basis for, in the wizard's order (a plan that names known
    # situations may still state none of a path's actions: then that path is not offered)
    assert {p["id"] for p in engine["paths"]} == set(model.commune_paths[cid])
    if expected["known"]:
        assert engine["questions"]
    else:  # only new situations: its own answers, no procedure path, said plainly in the review
        assert not engine["paths"]
        assert {a for q in engine["questions"] for a in q["answers"]} == set(model.situations)
        assert "không có tình huống nào sổ tay đã biết" in review


@pytest.mark.parametrize("name", ["steps", "steps-top"])
def test_a_step_procedure_is_one_guide_of_the_communes_procedure(project, imported, name):
    """"Bước 1 … Bước N", under a heading or as the plan's top level (no heading above it, as
    .docx and .txt alike), is the commune's procedure for vulnerable people: one guide whose
    parts are the steps, not a new situation per step."""
    cid = imported[name]
    model = load(project, commune=cid)
    (guide,) = model.situations.values()
    parent = plan_fixtures.EXPECTED[name]["procedure"]
    sections = model.plans[cid].sections
    steps = [s for s in sections if s.startswith(f"{parent}.")] if "." in parent or parent.isalpha() \
        else [s for s in sections if "." not in s]
    assert guide.section == parent and list(guide.staff) == steps and len(steps) >= 5
    assert guide.same_as == "full-service"
    review = (project / "build" / "import" / cid / "review.md").read_text(encoding="utf-8")
    assert f"quy trình theo bước: {len(steps)} bước" in review
    # every step's actions are in the wizard, citing their own step (not the first one only)
    engine = Engine(export(model))
    result = engine.decide(who=[a for q in model.wizard.questions if q.id == "who" for a in q.answers][:1])
    cited = {src.split(":")[1] for item in result["items"] for src in item["sources"]}
    assert len(cited & set(steps)) >= 3, cited


ENGLISH = ("stage ", "heading match", "Everything below", "matched", "new item", "guide `", "proposal",
           "situations (", "sentences")


def test_the_review_is_vietnamese_and_says_what_was_confirmed(project, tmp_path):
    path = plan_fixtures.write_txt("teams", tmp_path / "teams.txt")
    cid = "sh-review"
    done = run_import(project, path, cid)
    assert done.returncode == 0, done.stderr
    report = (project / "build" / "import" / cid / "review.md").read_text(encoding="utf-8")
    assert not [w for w in ENGLISH if w in report + done.stdout], report
    matched = [line for line in report.splitlines() if line.startswith("  - ") and "ứng với việc đã biết" in line]
    assert matched and all("khớp vì:" in line for line in matched)
    assert "Khi người dân đến" in report  # a stage by its Vietnamese name
    assert "**đề xuất**" in report and "Đã duyệt" not in report
    folder = project / "content" / "communes" / cid
    choices = folder / "choices.toml"
    comments = [line for line in choices.read_text(encoding="utf-8").splitlines() if line.startswith("#")]
    assert comments and all(not any(w in line for w in ("Choices", "once a person", "or new")) for line in comments)
    choices.write_text(choices.read_text(encoding="utf-8").replace("reviewed = false", "reviewed = true")
                       + '\n[situation."Tổ hỗ trợ đồng bào dân tộc thiểu số"]\nsame_as = "new"\n', encoding="utf-8")
    assert run_import(project, path, cid).returncode == 0
    report = (project / "build" / "import" / cid / "review.md").read_text(encoding="utf-8")
    assert "Đã duyệt" in report and "**đề xuất**" not in report
    assert "Tổ hỗ trợ đồng bào dân tộc thiểu số" in report.split("\n\n")[1]  # what the person chose, up front


def _print_pdf(html: Path, pdf: Path) -> Path:
    done = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                           f"--print-to-pdf={pdf}", str(html)], capture_output=True, timeout=120)
    assert done.returncode == 0 and pdf.is_file(), done.stderr[-2000:]
    return pdf


needs_chromium = pytest.mark.skipif(not shutil.which(CHROMIUM), reason="needs Chromium to print a PDF")


@needs_chromium
def test_a_pdf_with_text_imports_as_its_text_does(project, tmp_path):
    pdf = _print_pdf(plan_fixtures.write_html("parts", tmp_path / "parts.html"), tmp_path / "ke hoach.pdf")
    cid = "sh-pdf"
    done = run_import(project, pdf, cid)
    assert done.returncode == 0, done.stderr
    txt = parse("x.txt", read(plan_fixtures.write_txt("parts", tmp_path / "parts.txt")))
    plan = load(project, commune=cid).plans[cid]
    # the same sections and sentences (a printed list has no bullet in its text: paragraphs, and
    # the recipients after "Nơi nhận:" are its lines)
    assert [(b.section, b.vi) for b in plan.blocks if b.kind != "meta" and b.section != "back"] == \
        [(b.section, b.vi) for b in txt if b.kind != "meta" and b.section != "back"]
    assert [b.vi for b in plan.blocks if b.section == "back"] == [b.vi for b in txt if b.section == "back"]
    assert load(project, commune=cid).commune.name == "Tân Phú"


@needs_chromium
def test_a_scanned_pdf_is_refused_with_the_fix(project, tmp_path):
    import base64
    import struct
    import zlib

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + bytes((x * 7 + y * 3) % 256 for x in range(120)) for y in range(160))
    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 120, 160, 8, 0, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
    html = tmp_path / "scan.html"
    html.write_text(f'<!doctype html><img style="width:100%" src="data:image/png;base64,'
                    f'{base64.b64encode(png).decode()}">', encoding="utf-8")
    pdf = _print_pdf(html, tmp_path / "ban scan.pdf")
    before = tree(project / "content")
    done = run_import(project, pdf, "sh-scan")
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert "ban scan.pdf" in done.stderr and "bản scan" in done.stderr and ".docx hoặc .txt" in done.stderr
    assert tree(project / "content") == before


def test_a_pdf_past_the_page_bound_is_refused(project, tmp_path):
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(MAX_PDF_PAGES + 1):
        writer.add_blank_page(width=595, height=842)
    path = tmp_path / "dai.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    done = run_import(project, path, "sh-long")
    assert done.returncode == 2 and f"tối đa {MAX_PDF_PAGES} trang" in done.stderr and "Traceback" not in done.stderr
