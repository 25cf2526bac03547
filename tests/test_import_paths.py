"""A commune's procedure paths and their reasons, from its own folder (issue 22).

The importer proposes, from the section that gives each path its basis, whether the path is
offered and its reason in the plan's words (paths.toml, locales/vi.toml [paths.ID] reason); a
person confirms or changes it in choices.toml ([path."ID"]); the build checks the folder like
every content file: a path the wizard does not have, a reason that is not the plan's words in
the sections the path cites, a path without its reason, a slip line that is not the
situation's own action: each refused with the file, the line and the fix.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import os
from pathlib import Path

import pytest

import plan_fixtures
from conftest import ROOT
from handbook.model import ContentError, load


def run_import(root: Path, file: Path, cid: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "handbook.importer", str(file), cid, "--root", str(root)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> tuple[Path, Path]:
    """The "PHẦN I–IV" plan imported into a copy of content/ (its folder kept as imported)."""
    root = tmp_path_factory.mktemp("paths-root")
    shutil.copytree(ROOT / "content", root / "content")
    plan = plan_fixtures.write_txt("parts", tmp_path_factory.mktemp("paths-plan") / "parts.txt")
    done = run_import(root, plan, "fx-paths")
    assert done.returncode == 0, done.stderr
    return root, plan


@pytest.fixture
def folder(imported, tmp_path) -> Path:
    """A fresh copy of the imported project for one case; returns the commune's folder."""
    root, _ = imported
    shutil.copytree(root / "content", tmp_path / "content")
    return tmp_path / "content" / "communes" / "fx-paths"


def test_the_folder_holds_the_paths_its_plan_gives_in_its_words(imported):
    root, _ = imported
    folder = root / "content" / "communes" / "fx-paths"
    listed = re.findall(r'^id = "([^"]+)"', (folder / "paths.toml").read_text(encoding="utf-8"), re.M)
    assert listed == ["paper-first", "guided-online"]  # no emergency, no all-in service in this plan
    model = load(root, commune="fx-paths")
    assert [p.id for p in model.wizard.paths] == listed
    reason = model.t("vi", "paths", "paper-first", "reason")
    assert reason.startswith("Mất điện, mất mạng: Mở hồ sơ giấy ngay tại chỗ")  # its heading, its sentence
    assert "bỏ qua" not in reason  # the shared reason's words, which this plan never says
    assert reason != load(root).t("vi", "paths", "paper-first", "reason")
    assert [str(c) for c in model.wizard.paths[0].cites] == ["fx-paths:III.1"]
    review = (root / "build" / "import" / "fx-paths" / "review.md").read_text(encoding="utf-8")
    part = review.split("## Các cách xử lý của trợ lý")[1].split("##")[0]
    assert "**Làm thủ tục trực tiếp** (`urgent-direct`): không có ở xã này" in part
    assert "khớp vì: mục III.1" in part and f"“{reason}”" in part


BAD = [
    # (file, find, replace, message)
    ("paths.toml", 'id = "paper-first"', 'id = "fast-track"', "path 'fast-track' is not a path of the wizard"),
    ("paths.toml", 'cites = ["fx-paths:III.1"]', 'cites = ["ngok-reo:III.5"]', "path 'paper-first' cites another plan"),
    ("paths.toml", 'cites = ["fx-paths:III.1"]', "cites = []", "path 'paper-first' cites nothing"),
    ("locales/vi.toml", 'reason = "Mất điện, mất mạng: Mở hồ sơ giấy',
     'reason = "Đang mất mạng: có thể tạm bỏ qua các bước cần mạng. Mở hồ sơ giấy',
     "[paths.paper-first] reason: “Đang mất mạng:” is not in section III.1 of plan 'fx-paths'"),
    ("locales/vi.toml", "[paths.paper-first]\nreason", "[paths.paper-first]\nwhy", "path 'paper-first' (fx-paths/paths.toml) has no reason"),
    ("locales/vi.toml", "[paths.paper-first]", "[paths.urgent-direct]\nreason = \"Mất điện, mất mạng\"\n\n[paths.paper-first]",
     "string paths.urgent-direct.reason is not this commune's"),
    ("situations.toml", 'question = "situation"', 'question = "situation"\nslip = "seat-and-water"',
     "slip 'seat-and-water' is not one of its own actions in the wizard"),
]


@pytest.mark.parametrize("rel,find,replace,message", BAD, ids=[b[3][:40] for b in BAD])
def test_a_mistake_in_the_folder_is_refused_with_file_line_and_fix(folder, rel, find, replace, message):
    path = folder / rel
    text = path.read_text(encoding="utf-8")
    assert find in text, (rel, find)
    path.write_text(text.replace(find, replace, 1), encoding="utf-8")
    line = text[:text.index(find)].count("\n") + 1
    with pytest.raises(ContentError) as caught:
        load(folder.parents[2], commune="fx-paths")
    said = str(caught.value)
    assert message in said and "fix:" in said, said
    at = re.search(rf"content/communes/fx-paths/{re.escape(rel)}:(\d+): ", said)
    assert at and line - 2 <= int(at[1]) <= line + 1, (line, said)  # the table, or the line itself


def test_a_person_confirms_or_changes_a_path_in_choices_toml(imported, tmp_path):
    root, plan = imported
    project = tmp_path / "project"
    shutil.copytree(root / "content", project / "content")
    choices = project / "content" / "communes" / "fx-paths" / "choices.toml"
    base = choices.read_text(encoding="utf-8")
    # another sentence of the same section, and the all-in path not offered (it was not anyway)
    choices.write_text(base + '\n[path."paper-first"]\nreason = "Khi có mạng trở lại, nhập liệu hồ sơ đã tiếp nhận '
                       'lên hệ thống."\n\n[path."guided-online"]\noffered = false\n', encoding="utf-8")
    done = run_import(project, plan, "fx-paths")
    assert done.returncode == 0, done.stderr
    model = load(project, commune="fx-paths")
    assert [p.id for p in model.wizard.paths] == ["paper-first"] and model.wizard.default is None
    assert model.t("vi", "paths", "paper-first", "reason").startswith("Khi có mạng trở lại")
    review = (project / "build" / "import" / "fx-paths" / "review.md").read_text(encoding="utf-8")
    assert "(do người duyệt chọn trong choices.toml)" in review
    # a reason that is not the plan's words is the person's to fix, said in choices.toml's terms
    choices.write_text(base + '\n[path."paper-first"]\nreason = "Có thể tạm bỏ qua các bước cần mạng."\n',
                       encoding="utf-8")
    done = run_import(project, plan, "fx-paths")
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    first = done.stderr.splitlines()[0]
    assert "fx-paths/choices.toml" in first and "không phải lời của kế hoạch" in first, done.stderr
    assert "lỗi của chương trình nhập" not in done.stderr
