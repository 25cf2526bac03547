"""A commune's own plan drives its own wizard, from its own folder: its new situations are its
wizard's answers, its own actions join the procedure where its plan states them, every step of
its wizard cites its own plan, and the wizard meets the known plans' invariants over every
answer set. Nothing shared is edited: the folder is all the importer writes.

Every sentence the wizard shows for an imported commune (path reasons, steps, notes, provisos,
the slip) is said by that commune's plan, or is one of the handbook's readings and rules listed
on its /wizard/rules/: checked over every answer set of every fixture (``unsourced``), and
shown to fail on the shared wording the wizard used before (a path's reason of the known plans,
"tạm bỏ qua các bước cần mạng" for a plan that never says it)."""

from __future__ import annotations

import itertools
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

import plan_fixtures
from conftest import copy_project
from handbook.model import for_commune, load
from handbook.model.commune_folder import not_in_plan
from test_import import run_import
from wizard.data import export
from wizard.engine import Engine

SHAPES = tuple(plan_fixtures.FIXTURES)  # every shape, each commune's wizard over every answer set


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
        mine = [i for i in s.checklist if model.items[i].commune == cid and model.items[i].wizard]
        assert leads or not mine, s.id
        for iid in mine:  # (a principle, wizard = false, is in the guide only)
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


def answer_sets(data):
    answers = [(q["id"], a) for q in data["questions"] for a in q["answers"]]
    for k in range(len(answers) + 1):
        for chosen in itertools.combinations(answers, k):
            yield ([a for q, a in chosen if q == "who"], [a for q, a in chosen if q == "situation"])


def unsourced(model, cid: str, result: dict) -> list[str]:
    """Each sentence of ``result`` that neither the commune's plan says nor the handbook lists
    as its own reading or rule on /wizard/rules/, with why. Its plan says: a path's reason from
    the folder, word for word in the sections the path cites there; a step or a slip line that
    is the commune's own (a sentence of its plan, as it is); a known action, or the slip line of
    one, whose citations are all the commune's own sections (the importer matched the sentence
    that states it, "khớp vì", and a person confirms it). Listed on /wizard/rules/: a reading, a
    conflict, a proviso of this build."""
    plan = model.plans[cid]
    sentences = {b.vi for b in plan.blocks}
    own = {f"{cid}:{s}" for s in plan.sections}
    out = []
    path = result["path"]
    if path:
        folder = model.commune_paths.get(cid, {})
        if path["id"] not in folder:
            out.append(f"path {path['id']}: not in the commune's paths.toml")
        else:
            mine = model.t("vi", "commune_paths", cid, path["id"], "reason")
            if path["reason"] != mine:
                out.append(f"path {path['id']}: reason “{path['reason']}” is not the folder's (“{mine}”)")
            elif not_in_plan(path["reason"], plan, [c.section for c in folder[path["id"]]]) is not None:
                out.append(f"path {path['id']}: reason “{path['reason']}” is not in the sections it cites")
        if not set(path["sources"]) <= own:
            out.append(f"path {path['id']}: cites {path['sources']}")
    for step in result["items"]:
        for part in step["parts"]:
            item = model.items[part]
            text = model.t("vi", "items", part, "text")
            if item.commune == cid and text not in sentences:
                out.append(f"step {part}: “{text}” is no sentence of the plan")
            elif not item.commune and (not item.cites or {c.plan for c in item.cites} != {cid}):
                out.append(f"step {part}: a known action the plan does not state ({item.cites})")
        if not step["sources"] or not set(step["sources"]) <= own:
            out.append(f"step {step['id']}: cites {step['sources']}")
    for stage in result["stages"]:
        if stage.get("skipped"):
            out.append(f"stage {stage['id']}: the handbook's “skipped for now” sentence")
    listed = {"note": {c.id for c in model.procedure.conflicts}, "proviso": {p.id for p in model.procedure.provisos},
              "reading": set(model.readings())}
    for kind, key in (("note", "notes"), ("proviso", "provisos"), ("reading", "readings")):
        for entry in result[key]:
            if entry["id"] not in listed[kind]:
                out.append(f"{kind} {entry['id']}: not listed on this build's /wizard/rules/")
    present = {p for step in result["items"] for p in step["parts"]}
    lines = {line.id: line for line in model.procedure.slip}
    for line in result["slip"]:
        if line["id"] in model.situations and model.situations[line["id"]].commune == cid:
            if line["text"] not in sentences:
                out.append(f"slip {line['id']}: “{line['text']}” is no sentence of the plan")
        elif any(model.items[i].commune or {c.plan for c in model.items[i].cites} != {cid}
                 for i in lines[line["id"]].items if i in present):
            out.append(f"slip {line['id']}: stands for an action the plan does not state")
        if not line["sources"] or not set(line["sources"]) <= own:
            out.append(f"slip {line['id']}: cites {line['sources']}")
    return out


def said(result: dict) -> list[str]:
    """The sentences a result shows (and the readings its links carry)."""
    texts = [result["path"]["reason"]] if result["path"] else []
    texts += [step["text"] for step in result["items"]] + [n["text"] for n in result["notes"]]
    texts += [p["text"] for p in result["provisos"]] + [p["slip"] for p in result["provisos"]]
    texts += [r["text"] for r in result["readings"]] + [line["text"] for line in result["slip"]]
    return texts


def test_every_sentence_the_communes_wizard_shows_is_its_plans_or_a_listed_reading(build):
    cid, model, data, engine = build
    words = " ".join(b.vi for b in model.plans[cid].blocks).lower()
    checked = 0
    for who, situation in answer_sets(data):
        result = engine.decide(who, situation)
        assert not unsourced(model, cid, result), (who, situation, unsourced(model, cid, result))
        if "bỏ qua" not in words:  # the handbook's outage wording, for a plan that never says it
            assert not [t for t in said(result) if "bỏ qua" in t.lower()], (who, situation)
        checked += 1
    assert checked == 2 ** sum(len(q["answers"]) for q in data["questions"])


def test_every_offered_path_stands_on_the_communes_words_and_the_rest_fall_back(build):
    """A path is offered only where the commune's folder gives it (its plan's basis); an answer
    whose rule leads to a path that is not there takes the default path, if that one is there
    (with the commune's reason), else none: no reason at all rather than the shared one."""
    cid, model, data, engine = build
    folder = model.commune_paths[cid]
    assert [p["id"] for p in data["paths"]] == [p.id for p in model.wizard.paths if p.id in folder]
    assert data["default_path"] in (*folder, None)
    for q in data["questions"]:
        for a in q["answers"]:
            rule = next(r for r in data["rules"] if r["when"] == [[q["id"], a]])
            result = engine.decide(**{q["id"]: [a]})
            assert rule["path"] in (*folder, None) and not rule["reason"]
            if result["path"]:
                assert result["path"]["reason"] == model.t("vi", "commune_paths", cid, result["path"]["id"], "reason")
            else:
                assert data["default_path"] is None


def test_a_new_answer_has_its_own_line_on_the_slip(build):
    cid, model, data, engine = build
    for s in (s for s in model.situations.values() if s.commune == cid and not s.same_as):
        question = next(q["id"] for q in data["questions"] if s.id in q["answers"])
        slip = engine.decide(**{question: [s.id]})["slip"]
        own = [i for i in s.checklist if model.items[i].commune == cid and model.items[i].wizard]
        if s.slip:
            assert slip[0]["id"] == s.id and slip[0]["text"] == model.t("vi", "items", s.slip, "text"), slip
            assert slip[0]["sources"] == [str(c) for c in model.items[s.slip].cites]
        else:  # none of its own actions is short enough for a slip line: the known actions' lines
            assert not [i for i in own if len(model.t("vi", "items", i, "text").split()) <= 25], s.id


def test_the_check_fails_on_the_shared_wording(project):
    """Narrowed as before the commune's own paths (shared reasons, sections translated from the
    known plans), the wizard of the "PHẦN I–IV" plan shows sentences its plan does not say."""
    full = load(project)
    before = for_commune(replace(full, commune_paths={}), "fx-parts")
    engine = Engine(export(before))
    outage = engine.decide(situation=["outage"])
    problems = unsourced(before, "fx-parts", outage)
    assert any("path paper-first" in p for p in problems), problems
    assert any("bỏ qua" in t for t in said(outage))
    assert any("skipped" in p for who, situation in answer_sets(export(before))
               for p in unsourced(before, "fx-parts", engine.decide(who, situation)))
