"""The wizard engine: on a toy rule set (so content edits never break these), per rule on the real
content, over every combination of answers, and through its command line."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import ROOT
from handbook.model import load
from wizard.data import export
from wizard.pairs import pairs
from wizard.engine import Engine, UnknownAnswer, decide

# ---- a toy flow ------------------------------------------------------------------------


def variant(steps, when=(), any_=(), unless=(), reading="", announce=False):
    return {"when": list(when), "any": list(any_), "unless": list(unless), "reading": reading,
            "announce": announce, "cites": ["p:variant"],
            "steps": [{"items": list(s), "sources": [f"p:{s[0]}"]} for s in steps]}


def item(phase, network=False, staff_only=False, after=()):
    return {"phase": phase, "network": network, "staff_only": staff_only, "after": list(after), "cites": []}


TOY = {
    "languages": ["xx"],
    "phases": ["greet", "work", "pay", "later"],
    "questions": [{"id": "who", "answers": ["a", "b"]},
                  {"id": "situation", "answers": ["down", "x", "slow"]}],
    "paths": [{"id": "strict", "cites": ["p:1"], "reading": ""},
              {"id": "helped", "cites": ["p:2"], "reading": ""},
              {"id": "plain", "cites": ["p:3"], "reading": "r-plain"}],
    "default_path": "plain",
    "defer": {"phase": "later", "cites": ["p:9"]},
    "rules": [
        {"id": "a", "when": [["who", "a"]], "path": "helped", "defer_network": False, "cites": ["p:4"],
         "reading": ""},
        {"id": "b", "when": [["who", "b"]], "path": None, "defer_network": False, "cites": ["p:5"],
         "reading": "r-b"},
        {"id": "down", "when": [["situation", "down"]], "path": "strict", "defer_network": True,
         "cites": ["p:6"], "reading": ""},
        {"id": "x", "when": [["situation", "x"]], "path": None, "defer_network": False, "cites": ["p:7"],
         "reading": ""},
        {"id": "slow", "when": [["situation", "slow"]], "path": None, "defer_network": False,
         "cites": ["p:8"], "reading": ""},
    ],
    "stages": [
        {"id": "greet", "way": "all", "variants": [
            variant([["seat"]], any_=["who:a", "who:b"]),
            variant([["seat", "talk"]], any_=["situation:x"]),
            variant([["wait"]], any_=["situation:slow"]),
        ]},
        {"id": "work", "way": "one", "variants": [
            variant([["paper"]], when=["situation:down"]),
            variant([["online"]], when=["path:helped"]),
            variant([["base"]], when=["path:plain"], unless=["who:b"]),
            variant([], when=["path:plain"]),
        ]},
        {"id": "pay", "way": "one", "variants": [
            variant([["cash"], ["unitpay"]], when=["situation:down"]),
            variant([["unitpay"]]),
        ]},
        {"id": "later", "way": "all", "variants": [variant([["enter"]], any_=["situation:down"])]},
    ],
    "conflicts": [{"id": "c1", "when": ["situation:down", "situation:slow"], "drop": ["situation:slow"],
                   "cites": ["p:10"]}],
    "slip": [{"id": "s-paper", "items": ["paper"]}, {"id": "s-cash", "items": ["cash"]},
             {"id": "s-seat", "items": ["seat"]}, {"id": "s-base", "items": ["base", "online"]}],
    "slip_max": 2,
    "items": {"seat": item("greet"), "talk": item("greet"), "wait": item("greet"), "paper": item("work"),
              "online": item("work", network=True), "base": item("work"), "cash": item("pay"),
              "unitpay": item("pay", network=True, staff_only=True, after=["enter"]),
              "enter": item("later", network=True, staff_only=True)},
    "strings": {"xx": {"items": {i: i.upper() for i in ("seat", "talk", "wait", "paper", "online", "base",
                                                        "cash", "unitpay", "enter")},
                       "paths": {p: {"title": p, "reason": f"because {p}"} for p in ("strict", "helped", "plain")},
                       "conflicts": {"c1": "C1"}, "readings": {"r-plain": "R PLAIN", "r-b": "R B"},
                       "slip": {s: s.upper() for s in ("s-paper", "s-cash", "s-seat", "s-base")}}},
}
for _iid, _item in TOY["items"].items():  # each toy item cites its own section, as a step of it does
    _item["cites"] = [f"p:{_iid}"]


def ids(result):
    return [item["id"] for item in result["items"]]


def test_toy_no_answers_gives_the_default_path_and_its_procedure():
    result = decide(TOY)
    assert result["path"] == {"id": "plain", "reason": "because plain", "sources": ["p:3"]}
    assert ids(result) == ["base", "unitpay"]
    assert [i["phase"] for i in result["items"]] == ["work", "pay"]
    assert result["readings"] == [{"id": "r-plain", "text": "R PLAIN"}]
    assert result["notes"] == []


def test_toy_without_a_default_path_names_no_path_unless_a_rule_does():
    data = {**TOY, "default_path": None}  # a commune whose plans have no default path
    result = Engine(data).decide(who=["b"])
    assert result["path"] is None and ids(result) == ["seat", "unitpay"]  # nor the default's way
    assert Engine(data).decide(who=["a"])["path"]["id"] == "helped"


def test_toy_a_one_way_stage_takes_the_first_variant_that_holds():
    assert ids(decide(TOY, who=["a"])) == ["seat", "online", "unitpay"]  # path:helped
    # the outage's variant comes first: paper, never also online
    result = decide(TOY, who=["a"], situation=["down"])
    assert result["path"]["id"] == "strict"
    assert "online" not in ids(result) and "paper" in ids(result)
    # `unless` leaves a variant out; an empty variant leaves the stage out
    assert ids(decide(TOY, who=["b"])) == ["seat", "unitpay"]


def test_toy_a_step_said_by_another_is_merged_into_it_with_its_sources():
    result = decide(TOY, who=["a"], situation=["x"])
    greet = [i for i in result["items"] if i["phase"] == "greet"]
    assert len(greet) == 1 and greet[0]["parts"] == ["seat", "talk"]
    assert greet[0]["text"] == "SEAT TALK"
    assert greet[0]["sources"] == ["p:seat"]  # both variants' sources, once


def test_toy_outage_defers_staff_only_network_steps_in_dependency_order():
    result = decide(TOY, situation=["down"])
    assert ids(result) == ["paper", "cash", "enter", "unitpay"]  # unitpay comes after enter
    by_id = {i["id"]: i for i in result["items"]}
    assert by_id["unitpay"]["phase"] == "later" and by_id["unitpay"]["deferred"]
    assert by_id["unitpay"]["sources"] == ["p:unitpay", "p:9"]
    assert not by_id["cash"]["deferred"] and by_id["cash"]["phase"] == "pay"


def test_toy_a_stage_skipped_for_now_is_said_in_its_place():
    stages = [dict(s) for s in TOY["stages"]]
    stages[1] = {**stages[1], "variants": [variant([], when=["situation:down"], announce=True),
                                           *stages[1]["variants"][1:]]}
    result = Engine({**TOY, "stages": stages}).decide(situation=["down"])
    assert [s["id"] for s in result["stages"]] == ["work", "pay", "later"]
    assert result["stages"][0] == {"id": "work", "skipped": True, "sources": ["p:variant"], "proviso": None}
    assert "paper" not in ids(result) and "online" not in ids(result)  # the stage stays one way: none
    assert decide(TOY, situation=["down"])["stages"][0] == {"id": "work", "plans": ["p"], "proviso": None}


def test_toy_a_step_needing_the_person_is_never_deferred():
    data = {**TOY, "items": {**TOY["items"], "unitpay": item("pay", network=True, after=["enter"])}}
    by_id = {i["id"]: i for i in Engine(data).decide(situation=["down"])["items"]}
    assert by_id["unitpay"]["phase"] == "pay" and not by_id["unitpay"]["deferred"]


def test_toy_answers_that_cannot_both_hold_are_settled_and_said():
    result = decide(TOY, situation=["down", "slow"])
    assert "wait" not in ids(result)
    assert result["notes"] == [{"id": "c1", "text": "C1", "sources": ["p:10"]}]
    assert "wait" in ids(decide(TOY, situation=["slow"]))


def test_toy_slip_has_the_first_lines_by_importance_in_procedure_order():
    result = decide(TOY, who=["a"], situation=["down"])
    assert [line["id"] for line in result["slip"]] == ["s-paper", "s-cash"]  # slip_max 2, s-seat left out
    result = decide(TOY, who=["a"])
    assert [line["id"] for line in result["slip"]] == ["s-seat", "s-base"]  # greet comes before work
    assert result["slip"][1] == {"id": "s-base", "text": "S-BASE", "sources": ["p:online"], "proviso": None}


def test_toy_order_of_answers_changes_nothing():
    assert decide(TOY, who=["b", "a"], situation=["x", "down"]) == decide(TOY, who=["a", "b"],
                                                                          situation=["down", "x"])


def test_toy_unknown_answers_name_the_valid_ids():
    with pytest.raises(UnknownAnswer) as caught:
        decide(TOY, who=["a", "zz"])
    assert caught.value.unknown == ["zz"] and caught.value.valid == ["a", "b"]
    with pytest.raises(UnknownAnswer):
        decide(TOY, lang="vi")


# ---- the real rules ----------------------------------------------------------------------

BUILDS = [None, "ngok-reo", "thai-hoa"]  # the handbook of every plan, and each commune's
LIMITS = {0: 10, 1: 10, 2: 13, 3: 16, 4: 16}  # steps for this many answers


@pytest.fixture(scope="module")
def data(model):
    return export(model)


@pytest.fixture(scope="module")
def engine(data):
    return Engine(data)


@pytest.fixture(scope="module", params=BUILDS, ids=lambda b: b or "all-plans")
def build(request, model):
    mine = model if request.param is None else load(ROOT, commune=request.param)
    data = export(mine)
    return mine, data, Engine(data)


def parts(result):
    return [p for item in result["items"] for p in item["parts"]]


def test_plan_behaviour(engine):
    # staff do everything electronic for the people thai-hoa 1 names
    for who in ("elderly", "vision", "hearing", "speech", "mobility", "no-digital-skills"):
        result = engine.decide(who=[who])
        assert result["path"]["id"] == "assisted-online"
        assert {"receive-paper-file", "log-in-for-them", "scan-and-submit"} <= set(parts(result)), who
    # an elderly person: ONE appointment, ONE way to pay, the account once
    elderly = parts(engine.decide(who=["elderly"]))
    assert "appointment-slip" not in elderly and "print-e-appointment" in elderly
    assert "online-payment-help" not in elderly and "help-create-account" not in elderly
    # an elderly person during an outage still gets a seat, help with the forms and a slip in hand
    result = engine.decide(who=["elderly"], situation=["outage"])
    assert result["path"]["id"] == "paper-first"
    got = {p: i for i in result["items"] for p in i["parts"]}
    assert {"seat-and-water", "help-fill-forms", "paper-file-now", "appointment-slip"} <= set(got)
    assert not got["appointment-slip"]["deferred"] and got["appointment-slip"]["phase"] == "result"
    # outage with no papers is ngok-reo III.7, not III.5 plus III.6
    both = engine.decide(situation=["outage", "no-id-papers"])
    assert both["path"]["id"] == "urgent-direct" and "ngok-reo:III.7" in both["path"]["sources"]
    assert {"direct-with-substitutes", "temporary-permit"} <= set(parts(both))
    assert "check-population-db" not in parts(both) and "paper-file-now" not in parts(both)
    # an emergency alone is III.7.1 only: no substitute papers, no temporary permit
    alone = parts(engine.decide(situation=["emergency"]))
    assert alone[0] == "emergency-first" and not {"direct-with-substitutes", "temporary-permit"} & set(alone)
    # identity before submission; the password before anything online
    no_papers = parts(engine.decide(situation=["no-id-papers"]))
    assert no_papers.index("check-population-db") < no_papers.index("guide-look-up-submit")
    password = parts(engine.decide(who=["elderly"], situation=["forgot-password"]))
    # a person who forgot a password has an account: nobody offers to create one; staff who do
    # everything file with the official account (1.2), and help recover the password as a service (2.1)
    assert "log-in-for-them" not in password and "help-create-account" not in password
    assert password.index("log-in-official-account") < password.index("help-recover-steps") \
        < password.index("scan-and-submit")
    # during an outage the account (only a means to file online) is said to be skipped for now;
    # the fee is not: paid in cash at the counter (thai-hoa 2.2), and staff still call (1.6)
    outage = engine.decide(situation=["outage"])
    assert [s["id"] for s in outage["stages"] if s.get("skipped")] == ["account"]
    assert {"guide-pay-cash", "counter-takes-cash"} <= set(parts(outage))
    assert "call-when-ready" in parts(engine.decide(who=["mobility"], situation=["outage"]))
    # the slip promises only what this procedure does: no online work by staff during an outage
    slip = [line["id"] for line in engine.decide(who=["elderly"], situation=["outage"])["slip"]]
    assert "paper" in slip and "staff-do-it" not in slip
    # a deaf person is never promised a phone call on the slip
    assert all("gọi điện" not in line["text"] for line in engine.decide(who=["hearing"])["slip"])
    # answers that cannot both hold: said, with the reason, and the other one gives way
    clash = engine.decide(situation=["outage", "system-slow"])
    assert [n["id"] for n in clash["notes"]] == ["outage-not-slow"]
    assert "explain-slowness" not in parts(clash)
    # care steps in the order of a visit: an emergency first, the person seated, then the
    # conversation (how to speak with them before listening), then the file
    upset = parts(engine.decide(who=["elderly", "hearing"], situation=["upset-citizen", "system-slow"]))
    assert upset.index("seat-and-water") < upset.index("sign-or-write") < upset.index("stay-calm-listen") \
        < upset.index("prioritise-file")
    assert parts(engine.decide(situation=["upset-citizen", "emergency"]))[:3] == [
        "emergency-first", "adapt-to-situation", "stay-calm-listen"]


def test_a_vulnerable_person_in_ngok_reo_is_helped_step_by_step():
    """III.1–III.3: staff fill in the forms and walk them through; never 'on their own'."""
    engine = Engine(export(load(ROOT, commune="ngok-reo")))
    for who in ("elderly", "vision", "hearing", "speech", "mobility", "cannot-read", "no-digital-skills"):
        result = engine.decide(who=[who])
        assert result["path"]["id"] == "guided-online", who
        assert {"help-create-account", "guide-look-up-submit", "appointment-slip"} <= set(parts(result)), who


def test_every_combination_keeps_the_invariants(build):
    """Every answer set, in every build: one variant per one-way stage, nothing twice, stages in
    order, care steps in the order of a visit, `after` respected, citations of this build's plans, during an outage no network step
    left (only staff-only ones wait) and none that needs no network lost, no stage skipped unless
    its purpose is served another way, the length limits, order of answers irrelevant."""
    mine, data, engine = build
    answers = [(q["id"], a) for q in data["questions"] for a in q["answers"]]
    valid = {f"{p}:{s}" for p, plan in mine.plans.items() for s in plan.sections}
    rank = {p: n for n, p in enumerate(data["phases"])}
    items, back = data["items"], data["defer"]["phase"]
    stages = {s["id"]: s for s in data["stages"]}
    # the order of a visit: the items of a stage's moments, in order (a step goes at its first item)
    slip_items = {line["id"]: line["items"] for line in data["slip"]}
    # the answers that mean the network is down (their rules defer network work)
    down = {f"{q}:{a}" for r in data["rules"] if r["defer_network"] for q, a in r["when"]}
    moments = {s["id"]: {p: n for n, p in enumerate(p for moment in s["moments"] for p in moment)}
               for s in data["stages"] if s["moments"]}
    paths = {p["id"]: p for p in data["paths"]}
    strings = data["strings"][data["languages"][0]]
    # the steps needing no network, of each answer set with no outage: the same answers during
    # one keep them (a subset's mask is smaller, so it was decided before the set that holds it)
    bit = {f"{q}:{a}": 1 << i for i, (q, a) in enumerate(answers)}
    offline_steps: dict[int, frozenset] = {}
    checked = 0
    for mask in range(1 << len(answers)):
        chosen = [answers[i] for i in range(len(answers)) if mask >> i & 1]
        who = [a for q, a in chosen if q == "who"]
        situation = [a for q, a in chosen if q == "situation"]
        result = engine.decide(who, situation)
        steps = result["items"]
        assert steps or result["path"] is None, chosen
        done = [p for step in steps for p in step["parts"]]
        assert len(done) == len(set(done)), chosen  # no action twice
        assert all(s in valid for step in steps for s in step["sources"]) and all(s["sources"] for s in steps)
        if result["path"]:
            assert result["path"]["sources"] and set(result["path"]["sources"]) <= valid, chosen
        ranks = [rank[step["phase"]] for step in steps]
        assert ranks == sorted(ranks), chosen
        position = {p: n for n, step in enumerate(steps) for p in step["parts"]}
        for p, n in position.items():
            assert all(position[a] < n for a in items[p]["after"] if a in position), (chosen, p)
        for stage_id, moment in moments.items():  # care steps in the order of a visit
            visit = [moment.get(step["parts"][0], len(moment)) for step in steps if step["phase"] == stage_id]
            assert visit == sorted(visit), (chosen, stage_id, visit)
        for stage_id, stage in stages.items():  # each one-way stage done by one of its variants
            mine_steps = [tuple(s["parts"]) for s in steps if items[s["parts"][0]]["phase"] == stage_id]
            if stage["way"] == "one" and mine_steps:
                assert any(mine_steps == [tuple(x["items"]) for x in v["steps"]] for v in stage["variants"]), \
                    (chosen, stage_id, mine_steps)
        given = set(chosen)
        given_ids = {f"{q}:{a}" for q, a in chosen}
        # a stage is skipped "for now" only when its purpose is served another way: nothing lost
        assert all(stages[st["id"]]["skippable"] for st in result["stages"] if st.get("skipped")), chosen
        if any(r["defer_network"] and all(tuple(w) in given for w in r["when"]) for r in data["rules"]):
            for step in steps:  # during an outage nothing waits for the network but staff-only work
                assert not step["needs_network"] or step["deferred"], (chosen, step["id"])
            # an outage touches only what needs the network: every step of the same answers
            # without it (less those the outage settles away) that needs none is still there
            said = {f"{q}:{a}" for q, a in chosen}
            settled = {d for k in data["conflicts"] if set(k["when"]) <= said and down & set(k["when"])
                       for d in k["drop"]}
            rest = sum(bit[f"{q}:{a}"] for q, a in chosen if f"{q}:{a}" not in down | settled)
            said_too = set(done) | {c for p in done for c in items[p]["covers"]}  # "directly, on substitutes"
            lost = offline_steps[rest] - said_too
            assert not lost, (chosen, lost)
        elif not down & given_ids:
            offline_steps[mask] = frozenset(p for p in done if not items[p]["network"])
        for step in steps:
            if step["deferred"]:
                assert step["phase"] == back and all(items[p]["staff_only"] for p in step["parts"]
                                                     if items[p]["network"]), (chosen, step["id"])
        # what the answers imply holds, and nothing it (or the path) excludes is given
        settled_away = {d for k in data["conflicts"] if set(k["when"]) <= given_ids for d in k["drop"]}
        assert result["facts"] == [f["id"] for f in data["facts"] if set(f["given"]) & (given_ids - settled_away)]
        said_all = set(done) | {c for p in done for c in items[p]["covers"]}
        for f in data["facts"]:
            if f["id"] in result["facts"]:
                assert not set(f["excludes"]) & said_all, (chosen, f["id"])
        if result["path"]:
            assert not set(paths[result["path"]["id"]]["excludes"]) & said_all, (chosen, result["path"]["id"])
            # its reason speaks of these answers only: the reasons of rules they match, else its own
            own = [strings["reasons"][r["reason"]] for r in data["rules"] if r.get("reason")
                   and r["path"] == result["path"]["id"] and {f"{q}:{a}" for q, a in r["when"]} <= given_ids]
            assert result["path"]["reason"] == (" ".join(dict.fromkeys(own)) or
                                                strings["paths"][result["path"]["id"]]["reason"]), chosen
        # a proviso governs its stage and every later one, on the checklist and on the slip
        for proviso in result["provisos"]:
            start = rank[proviso["start"]]
            assert all(st["proviso"] == proviso["id"] for st in result["stages"] if rank[st["id"]] >= start), chosen
        if not result["provisos"]:
            assert all(st["proviso"] is None for st in result["stages"]) and \
                all(line["proviso"] is None for line in result["slip"]), chosen
        if len(chosen) <= 4:
            assert len(steps) <= LIMITS[len(chosen)], (chosen, len(steps))
        assert len(result["slip"]) <= data["slip_max"]
        assert all(line["sources"] and set(line["sources"]) <= valid for line in result["slip"]), chosen
        for line in result["slip"]:  # a line cites what its own items cite, never a step-mate's
            assert set(line["sources"]) <= {c for i in slip_items[line["id"]] for c in items[i]["cites"]}, \
                (chosen, line["id"])
        if mask % 11 == 0:  # order independence, on an eleventh of all sets
            assert engine.decide(who[::-1], situation[::-1]) == result, chosen
        if mask % 257 == 0:  # determinism: a fresh engine gives the same
            assert Engine(data).decide(who, situation) == result, chosen
        checked += 1
    assert checked == 2 ** len(answers)


def test_every_pair_of_answers_is_compatible_or_settled_by_a_cited_rule(build):
    """Two answers together keep every step each gives alone, or a stated rule settles it: a
    conflict, a path or fact that excludes it, a one-way stage done one way, an outage's network
    steps. Nothing else loses a step; every settled pair says why, with sources."""
    mine, data, engine = build
    rows = pairs(data)
    n = sum(len(q["answers"]) for q in data["questions"])
    assert len(rows) == n * (n - 1) // 2 and len({tuple(r["answers"]) for r in rows}) == len(rows)
    for row in rows:
        assert not row["unexplained"], row
        if row["dropped"]:
            assert row["conflicts"], row  # an answer gives way only through a stated conflict
        for by in row["excluded"]:
            kind, _, ident = by.partition(":")
            assert ident in {f["id"] for f in data["facts"]} | {p["id"] for p in data["paths"]}, row
    # it can fail: a care step lost for no stated reason is reported
    def lose_care_with(answer):  # every care step silently gives way to one answer
        broken = [dict(s) for s in data["stages"]]
        care = next(s for s in broken if s["way"] == "all")
        care["variants"] = [dict(v, unless=v["unless"] + [answer]) for v in care["variants"]]
        return pairs({**data, "stages": broken})

    answers = [f"{q['id']}:{a}" for q in data["questions"] for a in q["answers"]]
    assert any(r["unexplained"] for a in answers for r in lose_care_with(a))


def test_paths_follow_the_precedence_over_every_combination(engine, data):
    answers = [(q["id"], a) for q in data["questions"] for a in q["answers"]]
    assisted = {"elderly", "vision", "hearing", "speech", "mobility", "no-digital-skills"}
    for mask in range(0, 1 << len(answers), 3):
        chosen = [answers[i] for i in range(len(answers)) if mask >> i & 1]
        who = {a for q, a in chosen if q == "who"}
        situation = {a for q, a in chosen if q == "situation"}
        result = engine.decide(who, situation)
        path = result["path"]["id"]
        if "emergency" in situation or {"outage", "no-id-papers"} <= situation:
            assert path == "urgent-direct", chosen
        elif "outage" in situation:
            assert path == "paper-first", chosen
        elif who & assisted:
            assert path == "assisted-online", chosen
        else:
            assert path == "guided-online", chosen
        if not {"outage", "no-id-papers"} <= situation:  # III.7.2 belongs to the no-papers outage only
            assert not {"direct-with-substitutes", "temporary-permit"} & set(parts(result)), chosen
        if "emergency" in situation:
            assert parts(result)[0] == "emergency-first", chosen


def test_translations_give_the_same_structure(engine, data):
    for who, situation in [([], []), (["elderly", "vision"], ["outage"]), ([], ["emergency"])]:
        results = [engine.decide(who, situation, lang) for lang in data["languages"]]
        shapes = [[(i["id"], i["phase"], i["sources"]) for i in r["items"]] for r in results]
        assert all(shape == shapes[0] for shape in shapes)
        assert len({r["items"][0]["text"] for r in results}) == len(results)
        assert len({tuple(line["id"] for line in r["slip"]) for r in results}) == 1


# ---- the command line ----------------------------------------------------------------------


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "wizard", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, env={"PATH": "/usr/bin:/bin"})


def test_cli_checklist_json(engine):
    result = run_cli("checklist", "--who", "elderly,hearing", "--situation", "outage", "--lang", "vi",
                     "--json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert {"path", "items"} <= set(out)  # the fields scripts read; new ones may be added
    assert set(out["path"]) == {"id", "reason", "sources"}
    assert all({"id", "text", "phase", "sources", "needs_network"} <= set(i) for i in out["items"])
    assert out["items"][-1]["phase"] == "when-back-online"
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


def test_a_commune_whose_plan_gives_no_path_says_the_rest_is_the_usual_procedure():
    """thai-hoa's plan states a procedure only for the people of its section 1: for anyone else
    the checklist is what the plan does say, and the rest is the centre's usual procedure."""
    data = export(load(ROOT, commune="thai-hoa"))
    strings = data["strings"][data["languages"][0]]
    result = Engine(data).decide(situation=["forgot-password"])
    assert result["path"] is None and result["items"]
    out = run_cli("checklist", "--commune", "thai-hoa", "--situation", "forgot-password")
    assert out.returncode == 0 and strings["ui"]["no_path"] in out.stdout
    empty = run_cli("checklist", "--commune", "thai-hoa")
    assert strings["ui"]["empty"] in empty.stdout and strings["ui"]["no_path"] not in empty.stdout
