"""A commune's own plan drives its own wizard, from its own folder: its new situations are its
wizard's answers, its own actions join the procedure where its plan states them, every step of
its wizard cites its own plan, and the wizard meets the known plans' invariants over every
answer set. Nothing shared is edited: the folder is all the importer writes."""

from __future__ import annotations

import itertools
import subprocess
from pathlib import Path

import pytest

import plan_fixtures
from conftest import copy_project
from handbook.model import load
from test_import import run_import
from wizard.data import export
from wizard.engine import Engine

SHAPES = ("roman", "only-new", "parts", "plus")


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("wizard-project"))
    files = tmp_path_factory.mktemp("wizard-plans")
    for name in SHAPES:
        done = run_import(root, plan_fixtures.write_txt(name, files / f"{name}.txt"), f"fx-{name}")
        assert done.returncode == 0, done.stderr
    return root


@pytest.fixture(scope="module", params=SHAPES)
def build(request, project):
    cid = f"fx-{request.param}"
    model = load(project, commune=cid)
    data = export(model)
    return cid, model, data, Engine(data)


def test_the_importer_writes_only_the_communes_folder(project):
    changed = subprocess.run(["git", "status", "--porcelain", "--", "content"], cwd=project,
                             capture_output=True, text=True)
    if changed.returncode != 0:  # the copy is not a git checkout: compare with the real content
        from conftest import ROOT

        shared = [p.relative_to(project) for p in (project / "content").rglob("*")
                  if p.is_file() and "communes" not in p.relative_to(project / "content").parts[:1]]
        assert all((ROOT / p).read_bytes() == (project / p).read_bytes() for p in shared)
    else:
        assert all("content/communes/fx-" in line for line in changed.stdout.splitlines())


def test_new_situations_are_answers_of_the_communes_wizard(build):
    cid, model, data, engine = build
    new = [s for s in model.situations.values() if s.commune == cid and not s.same_as]
    answers = {a: q["id"] for q in data["questions"] for a in q["answers"]}
    for s in new:
        assert s.id in answers, s.id  # offered, under "who" or "situation"
        rule = next(r for r in data["rules"] if r["when"] == [[answers[s.id], s.id]])
        assert rule["cites"] == [str(s.citation)] and rule["path"] in (None, data["default_path"])
        result = engine.decide(**{answers[s.id]: [s.id]})
        own = [i for i in s.checklist if model.items[i].commune == cid]
        given = {p for step in result["items"] for p in step["parts"]}
        assert set(own) <= given, (s.id, set(own) - given)  # its own actions, in the wizard
        assert all(src.startswith(f"{cid}:") for step in result["items"] for src in step["sources"])
        label = data["strings"]["vi"]["answers"][s.id]
        assert label == model.t("vi", "situations", s.id, "title")


def test_local_actions_in_a_known_situation_join_its_answers(build):
    """The commune's own action in its guide for a known situation (e.g. home visits in its
    elderly section) is in the wizard's procedure for the answers that lead to that guide."""
    cid, model, data, engine = build
    for s in (s for s in model.situations.values() if s.commune == cid and s.same_as):
        leads = [r.when[0] for r in model.wizard.rules if len(r.when) == 1 and s.id in r.guides]
        assert leads or not [i for i in s.checklist if model.items[i].commune == cid], s.id
        for iid in (i for i in s.checklist if model.items[i].commune == cid):
            for question, answer in leads:
                result = engine.decide(**{question: [answer]})
                assert iid in {p for step in result["items"] for p in step["parts"]}, (s.id, iid, answer)


def test_the_communes_wizard_keeps_the_invariants_over_every_answer_set(build):
    cid, model, data, engine = build
    answers = [(q["id"], a) for q in data["questions"] for a in q["answers"]]
    valid = {f"{cid}:{s}" for s in model.plans[cid].sections}
    rank = {p: n for n, p in enumerate(data["phases"])}
    assert 0 < len(answers) <= 17
    for k in range(len(answers) + 1):
        for chosen in itertools.combinations(answers, k):
            who = [a for q, a in chosen if q == "who"]
            situation = [a for q, a in chosen if q == "situation"]
            result = engine.decide(who, situation)
            done = [p for step in result["items"] for p in step["parts"]]
            assert len(done) == len(set(done)), chosen
            assert all(s in valid for step in result["items"] for s in step["sources"]), chosen
            ranks = [rank[step["phase"]] for step in result["items"]]
            assert ranks == sorted(ranks), chosen
            if result["path"]:
                assert set(result["path"]["sources"]) <= valid, chosen
            assert all(set(line["sources"]) <= valid for line in result["slip"]), chosen
            assert engine.decide(who[::-1], situation[::-1]) == result
