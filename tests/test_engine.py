"""The wizard engine: on a toy rule set (so content edits never break these), per rule on the real
content, over every combination of answers, and through its command line."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import ROOT
from wizard.data import export
from wizard.engine import Engine, UnknownAnswer, decide

# ---- a toy flow ------------------------------------------------------------------------

TOY = {
    "languages": ["xx"],
    "phases": ["first", "middle", "later"],
    "questions": [{"id": "who", "answers": ["a", "b"]}, {"id": "situation", "answers": ["down", "x"]}],
    "paths": [{"id": "strict", "cites": ["p:1"], "items": []},
              {"id": "helped", "cites": ["p:2"], "items": ["help"]},
              {"id": "plain", "cites": ["p:3"], "items": ["base"]}],
    "default_path": "plain",
    "defer": {"phase": "later", "cites": ["p:9"]},
    "rules": [
        {"id": "a", "when": [["who", "a"]], "items": ["seat", "online"], "path": "helped",
         "defer_network": False, "replaces": [], "cites": ["p:4"]},
        {"id": "b", "when": [["who", "b"]], "items": ["seat"], "path": None,
         "defer_network": False, "replaces": [], "cites": ["p:5"]},
        {"id": "down", "when": [["situation", "down"]], "items": ["paper"], "path": None,
         "defer_network": True, "replaces": [], "cites": ["p:6"]},
        {"id": "x", "when": [["situation", "x"]], "items": ["xonly"], "path": None,
         "defer_network": False, "replaces": [], "cites": ["p:7"]},
        {"id": "a-and-x", "when": [["who", "a"], ["situation", "x"]], "items": ["combo"],
         "path": "strict", "defer_network": False, "replaces": ["x"], "cites": ["p:8"]},
    ],
    "items": {
        "combo": {"phase": "first", "network": False, "cites": ["p:8"]},
        "seat": {"phase": "first", "network": False, "cites": ["p:4"]},
        "online": {"phase": "middle", "network": True, "cites": ["p:4"]},
        "paper": {"phase": "middle", "network": False, "cites": ["p:6"]},
        "help": {"phase": "middle", "network": True, "cites": ["p:2"]},
        "base": {"phase": "middle", "network": False, "cites": ["p:3"]},
        "xonly": {"phase": "middle", "network": False, "cites": ["p:7"]},
    },
    "strings": {"xx": {"items": {i: i.upper() for i in ("combo", "seat", "online", "paper", "help",
                                                        "base", "xonly")},
                       "paths": {p: {"title": p, "reason": f"because {p}"}
                                 for p in ("strict", "helped", "plain")}}},
}


def ids(result):
    return [item["id"] for item in result["items"]]


def test_toy_no_answers_gives_the_default_path_and_its_items():
    result = decide(TOY)
    assert result["path"] == {"id": "plain", "reason": "because plain", "sources": ["p:3"]}
    assert ids(result) == ["base"]


def test_toy_without_a_default_path_names_no_path_unless_a_rule_does():
    data = {**TOY, "default_path": None}  # a commune whose plans have no default path
    result = Engine(data).decide(who=["b"])
    assert result["path"] is None and ids(result) == ["seat"]  # nor the default path's items
    assert Engine(data).decide(who=["a"])["path"]["id"] == "helped"


def test_toy_path_items_and_sources_follow_the_rules():
    result = decide(TOY, who=["a"])
    assert result["path"]["id"] == "helped"
    assert result["path"]["sources"] == ["p:2", "p:4"]
    assert ids(result) == ["seat", "online", "help"]  # phase order, then canonical order
    assert [i["phase"] for i in result["items"]] == ["first", "middle", "middle"]


def test_toy_defer_moves_network_items_last_with_the_defer_citation():
    result = decide(TOY, who=["a"], situation=["down"])
    by_id = {i["id"]: i for i in result["items"]}
    assert by_id["online"]["phase"] == "later" and by_id["online"]["sources"] == ["p:4", "p:9"]
    assert by_id["paper"]["phase"] == "middle"
    assert ids(result)[-2:] == ["online", "help"]


def test_toy_combination_rule_replaces_and_wins_the_path():
    result = decide(TOY, who=["a"], situation=["x"])
    assert result["path"]["id"] == "strict"
    assert "xonly" not in ids(result) and ids(result)[0] == "combo"
    assert "xonly" in ids(decide(TOY, situation=["x"]))


def test_toy_unknown_answers_name_the_valid_ids():
    with pytest.raises(UnknownAnswer) as caught:
        decide(TOY, who=["a", "zz"])
    assert caught.value.unknown == ["zz"] and caught.value.valid == ["a", "b"]
    with pytest.raises(UnknownAnswer):
        decide(TOY, lang="vi")


# ---- the real rules ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def data(model):
    return export(model)


@pytest.fixture(scope="module")
def engine(data):
    return Engine(data)


def single(engine, question, answer, lang=None):
    return engine.decide(**{question: [answer]}, lang=lang)


def test_each_answer_brings_its_rule(engine, data, model):
    for rule in model.wizard.rules:
        if len(rule.when) != 1:
            continue
        ((question, answer),) = rule.when
        result = single(engine, question, answer)
        got = set(ids(result))
        assert set(model.expand(rule.guides, rule.items)) <= got, rule.id
        expected_path = rule.path or data["default_path"]
        assert result["path"]["id"] == expected_path, rule.id
        for cite in rule.cites if rule.path else ():
            assert str(cite) in result["path"]["sources"], rule.id


def test_plan_behaviour(engine):
    # staff do everything electronic for vulnerable people (thai-hoa 1)
    for who in ("elderly", "vision", "hearing", "speech", "mobility", "no-digital-skills"):
        result = engine.decide(who=[who])
        assert result["path"]["id"] == "assisted-online"
        assert {"scan-and-submit", "log-in-for-them"} <= set(ids(result)), who
    # an elderly person during an outage still gets a seat and help with the forms
    result = engine.decide(who=["elderly"], situation=["outage"])
    assert result["path"]["id"] == "paper-first"
    assert {"seat-and-water", "help-fill-forms", "paper-file-now"} <= set(ids(result))
    # outage with no papers is ngok-reo III.7, not III.5 plus III.6
    both = engine.decide(situation=["outage", "no-id-papers"])
    assert both["path"]["id"] == "urgent-direct"
    assert "ngok-reo:III.7" in both["path"]["sources"]
    union = set(ids(engine.decide(situation=["outage"]))) | set(ids(engine.decide(situation=["no-id-papers"])))
    assert set(ids(both)) != union
    assert {"direct-with-substitutes", "temporary-permit"} <= set(ids(both))
    # calming an upset person comes first, after an emergency only
    result = engine.decide(who=["elderly"], situation=["upset-citizen", "system-slow"])
    assert ids(result)[0] == "stay-calm-listen"
    result = engine.decide(situation=["upset-citizen", "emergency"])
    assert ids(result)[:2] == ["emergency-first", "stay-calm-listen"]


def test_every_combination_keeps_the_invariants(engine, data, model):
    """All 2^17 answer sets: citations valid, phases in order, nothing needing the network
    before the network is back during an outage, emergency first, calming early, order of
    answers irrelevant, deterministic."""
    answers = [(q["id"], a) for q in data["questions"] for a in q["answers"]]
    valid = {f"{p}:{s}" for p, plan in model.plans.items() for s in plan.sections}
    rank = {p: n for n, p in enumerate(data["phases"])}
    back = data["defer"]["phase"]
    checked = 0
    for mask in range(1 << len(answers)):
        chosen = [answers[i] for i in range(len(answers)) if mask >> i & 1]
        who = [a for q, a in chosen if q == "who"]
        situation = [a for q, a in chosen if q == "situation"]
        result = engine.decide(who, situation)
        items = result["items"]
        assert items, chosen
        assert len({i["id"] for i in items}) == len(items), chosen
        assert all(s in valid for i in items for s in i["sources"]), chosen
        assert all(s in valid for s in result["path"]["sources"]) and result["path"]["sources"], chosen
        ranks = [rank[i["phase"]] for i in items]
        assert ranks == sorted(ranks), chosen
        if "outage" in situation:
            assert all(i["phase"] == back for i in items if i["needs_network"]), chosen
        if "emergency" in situation or {"outage", "no-id-papers"} <= set(situation):
            assert result["path"]["id"] == "urgent-direct", chosen
        elif "outage" in situation:
            assert result["path"]["id"] == "paper-first", chosen
        elif who:
            assert result["path"]["id"] == "assisted-online", chosen
        else:
            assert result["path"]["id"] == "guided-online", chosen
        if "emergency" in situation:
            assert items[0]["id"] == "emergency-first", chosen
        if "upset-citizen" in situation:
            first = [i["id"] for i in items if i["id"] != "emergency-first"][0]
            assert first == "stay-calm-listen", chosen
        if mask % 7 == 0:  # order independence and determinism, on a seventh of all sets
            assert engine.decide(who[::-1], situation[::-1]) == result, chosen
            assert Engine(data).decide(who, situation) == result, chosen
        checked += 1
    assert checked == 2 ** len(answers)


def test_translations_give_the_same_structure(engine, data):
    for who, situation in [([], []), (["elderly", "vision"], ["outage"]), ([], ["emergency"])]:
        results = [engine.decide(who, situation, lang) for lang in data["languages"]]
        shapes = [[(i["id"], i["phase"], i["sources"]) for i in r["items"]] for r in results]
        assert all(shape == shapes[0] for shape in shapes)
        assert len({r["items"][0]["text"] for r in results}) == len(results)


# ---- the command line ----------------------------------------------------------------------


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "wizard", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, env={"PATH": "/usr/bin:/bin"})


def test_cli_checklist_json(engine):
    result = run_cli("checklist", "--who", "elderly,hearing", "--situation", "outage", "--lang", "vi",
                     "--json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert set(out) == {"path", "items"}
    assert set(out["path"]) == {"id", "reason", "sources"}
    assert all(set(i) == {"id", "text", "phase", "sources", "needs_network"} for i in out["items"])
    assert out == engine.decide(["elderly", "hearing"], ["outage"], "vi")


def test_cli_readable_and_vocabulary(data):
    readable = run_cli("checklist", "--situation", "emergency", "--lang", "en")
    assert readable.returncode == 0 and "[ ]" in readable.stdout
    vocabulary = run_cli("vocabulary", "--lang", "en", "--json")
    assert vocabulary.returncode == 0, vocabulary.stderr
    out = json.loads(vocabulary.stdout)
    assert [q["id"] for q in out["questions"]] == [q["id"] for q in data["questions"]]
    assert all(a["label"] for q in out["questions"] for a in q["answers"])


@pytest.mark.parametrize("args", [("--who", "elderly,nobody"), ("--situation", "flood"), ("--lang", "fr")])
def test_cli_unknown_id_exits_2_with_the_valid_ids(args):
    result = run_cli("checklist", *args)
    assert result.returncode == 2
    assert "valid:" in result.stderr
