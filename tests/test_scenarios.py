"""The scenario book (tests/scenarios.toml): counter scenarios as an officer tells them, each run
through the wizard's engine in the builds it names, against what the plans say an officer does.

Only structure is checked (ids, stage order, presence and absence, citations, deferral), never
sentences. A scenario's `disputed` part is what the plans ask for and the engine does not give:
it runs as a strict xfail, so it is noticed when the engine comes round to the plans."""

from __future__ import annotations

import tomllib

import pytest

from conftest import ROOT
from handbook.model import load
from wizard.data import export
from wizard.engine import Engine

BOOK = tomllib.loads((ROOT / "tests" / "scenarios.toml").read_text(encoding="utf-8"))["scenario"]
BUILDS = {"all": None, "ngok-reo": "ngok-reo", "thai-hoa": "thai-hoa"}
BACK = "when-back-online"
KEYS = {"id", "vi", "en", "who", "situation", "builds", "path", "stages", "skipped", "present", "absent",
        "first", "order", "back_online", "deferred", "notes", "facts", "provisos", "proviso_from",
        "governed", "ungoverned", "readings", "cites", "path_cites", "slip_has", "slip_lacks", "disputed"}
DISPUTED_KEYS = KEYS - {"id", "vi", "en", "who", "situation", "builds", "disputed"} | {"reason", "plan"}


@pytest.fixture(scope="module")
def builds():
    """Each build's model, rule data and engine, made once for the module."""
    out = {}
    for name, commune in BUILDS.items():
        model = load(ROOT, commune=commune)
        data = export(model)
        out[name] = (model, data, Engine(data))
    return out


def cases():
    for s in BOOK:
        for build in s["builds"]:
            yield pytest.param(s, build, s, id=f"{s['id']}[{build}]")
            if "disputed" in s:
                reason = f"engine disagrees with the plans: {s['disputed']['reason']}"
                yield pytest.param(s, build, s["disputed"], id=f"{s['id']}[{build}]-disputed",
                                   marks=pytest.mark.xfail(strict=True, reason=reason))


def parts(result) -> list[str]:
    return [p for item in result["items"] for p in item["parts"]]


def citations(result) -> set[str]:
    """Every citation the result shows: the path's, each step's, a skipped stage's, the notes',
    the provisos' and the slip's."""
    found = set(result["path"]["sources"]) if result["path"] else set()
    found |= {c for item in result["items"] for c in item["sources"]}
    found |= {c for stage in result["stages"] for c in stage.get("sources", [])}
    found |= {c for group in ("notes", "provisos", "slip")
              for entry in result[group] for c in entry["sources"]}
    return found


def check(result, expect: dict, build: str, data: dict, full: bool) -> None:
    """The structure of ``result`` against one scenario's (or its disputed part's) expectations;
    ``full``: a whole scenario, where what it leaves unsaid is none (nothing skipped, deferred…)."""
    done = parts(result)
    where = {p: n for n, p in enumerate(done)}
    phase_of = {p: item["phase"] for item in result["items"] for p in item["parts"]}
    stage_of = {stage["id"]: stage for stage in result["stages"]}
    own_phase = {p: data["items"][p]["phase"] for p in done}  # the stage each item belongs to
    ranks = {p: n for n, p in enumerate(data["phases"])}

    if "path" in expect:
        path = expect["path"][build] if isinstance(expect["path"], dict) else expect["path"]
        assert (result["path"]["id"] if result["path"] else "none") == path, "path"
    if "path_cites" in expect:
        missing = set(expect["path_cites"]) - set(result["path"]["sources"])
        assert not missing, f"the path does not cite {sorted(missing)}"
    if "stages" in expect:
        assert [s["id"] for s in result["stages"]] == expect["stages"], "stages, in order"
    if "skipped" in expect or full:  # unsaid: none
        assert [s["id"] for s in result["stages"] if s.get("skipped")] == expect.get("skipped", []), "skipped"
    for item in expect.get("present", []):
        assert item in where, f"{item} missing"
    for item in expect.get("absent", []):
        assert item not in where, f"{item} must not be given"
    if "first" in expect:
        assert done and done[0] == expect["first"], f"starts with {done[:1]}"
    for sequence in expect.get("order", []):
        missing = [i for i in sequence if i not in where]
        assert not missing, f"{missing} missing (order {sequence})"
        got = [where[i] for i in sequence]
        assert got == sorted(got), f"order {sequence}: positions {got} in {done}"
    if "back_online" in expect or full:
        back = [p for p in done if phase_of[p] == BACK]
        assert back == expect.get("back_online", []), "waits for the network"
    if "deferred" in expect or full:
        deferred = [p for p in done if phase_of[p] == BACK and own_phase[p] != BACK]
        assert deferred == expect.get("deferred", []), "moved to when-back-online"
    if "notes" in expect or full:
        assert [n["id"] for n in result["notes"]] == expect.get("notes", []), "conflicts noted"
    if "facts" in expect or full:
        assert sorted(result["facts"]) == sorted(expect.get("facts", [])), "facts"
    if "provisos" in expect or full:
        assert [p["id"] for p in result["provisos"]] == expect.get("provisos", []), "provisos"
    if "proviso_from" in expect:
        start = ranks[expect["proviso_from"]]
        assert all(p["start"] == expect["proviso_from"] for p in result["provisos"])
        for stage in result["stages"]:
            governed = stage["proviso"] is not None
            assert governed == (ranks[stage["id"]] >= start), \
                f"stage {stage['id']}: proviso {stage['proviso']}"
    for item in expect.get("governed", []):
        assert item in where, f"{item} missing"
        assert stage_of[phase_of[item]]["proviso"], f"{item} is not under the proviso"
    for item in expect.get("ungoverned", []):
        assert item in where, f"{item} missing"
        assert stage_of[phase_of[item]]["proviso"] is None, f"{item} is made conditional"
    readings = {r["id"] for r in result["readings"]}
    missing = set(expect.get("readings", [])) - readings
    assert not missing, f"readings {sorted(missing)} not given"
    missing = set(expect.get("cites", [])) - citations(result)
    assert not missing, f"citations {sorted(missing)} missing"
    slip = [line["id"] for line in result["slip"]]
    for line in expect.get("slip_has", []):
        assert line in slip, f"slip line {line} missing ({slip})"
    for line in expect.get("slip_lacks", []):
        assert line not in slip, f"slip line {line} must not be promised"


@pytest.mark.parametrize("scenario, build, expect", list(cases()))
def test_scenario(builds, scenario, build, expect):
    model, data, engine = builds[build]
    result = engine.decide(scenario.get("who", []), scenario.get("situation", []))
    check(result, expect, build, data, full=expect is scenario)
    if expect is not scenario:
        return
    # whatever the scenario: a commune's handbook cites only its own plans
    if BUILDS[build]:
        foreign = {c for c in citations(result) if c.split(":", 1)[0] not in model.plans}
        assert not foreign, f"{build} cites {sorted(foreign)}"
    # during an outage nothing waits for the network but staff-only work done after the person left
    if "outage" in scenario.get("situation", []):
        assert all(not i["needs_network"] or i["deferred"] for i in result["items"]), "needs the network"


# ---- the book itself -----------------------------------------------------------------------


def test_the_book_covers_what_it_must(builds):
    ids = [s["id"] for s in BOOK]
    assert len(ids) == len(set(ids)) and len(ids) >= 32
    per_build = {b: sum(b in s["builds"] for s in BOOK) for b in BUILDS}
    assert per_build["ngok-reo"] >= 4 and per_build["thai-hoa"] >= 4, per_build
    answers = {(q, a) for s in BOOK for q in ("who", "situation") for a in s.get(q, [])}
    alone = {(q, a) for s in BOOK for q in ("who", "situation")
             if len(s.get("who", [])) + len(s.get("situation", [])) == 1 for a in s.get(q, [])}
    every = {(q["id"], a) for q in builds["all"][1]["questions"] for a in q["answers"]}
    assert answers == every and alone == every, sorted(every - alone)  # each answer, and each alone
    assert any(len(s.get("who", [])) == 4 for s in BOOK) and any(len(s.get("who", [])) == 2 for s in BOOK)


def test_every_scenario_is_well_formed(builds):
    """No typo makes an expectation vacuous: every key, answer, item, stage, citation and
    line is known in the build the scenario names."""
    model, data, _ = builds["all"]
    items, phases = set(data["items"]), set(data["phases"])
    sections = {f"{p}:{s}" for p, plan in model.plans.items() for s in plan.sections}
    for s in BOOK:
        assert s["vi"] and s["en"] and s["builds"] and s.get("who", []) + s.get("situation", []), s["id"]
        assert set(s) <= KEYS and "path" in s, (s["id"], set(s) - KEYS)
        assert "stages" in s or "stages" in s.get("disputed", {}), f"{s['id']}: which stages?"
        for part in [s] + ([s["disputed"]] if "disputed" in s else []):
            if part is not s:
                assert set(part) <= DISPUTED_KEYS and part["reason"] and part["plan"], s["id"]
            keys = ("present", "absent", "back_online", "deferred", "governed", "ungoverned")
            named = [i for key in keys for i in part.get(key, [])]
            named += [i for seq in part.get("order", []) for i in seq]
            named += [part["first"]] if "first" in part else []
            assert set(named) <= items, (s["id"], set(named) - items)
            assert set(part.get("stages", []) + part.get("skipped", [])) <= phases, s["id"]
            assert set(part.get("cites", []) + part.get("path_cites", [])) <= sections, s["id"]
            lines = set(part.get("slip_has", []) + part.get("slip_lacks", []))
            assert lines <= {x["id"] for x in data["slip"]}, s["id"]
            assert not set(part.get("present", [])) & set(part.get("absent", [])), s["id"]
        for build in s["builds"]:
            _, bdata, _ = builds[build]
            valid = {(q["id"], a) for q in bdata["questions"] for a in q["answers"]}
            asked = {(q, a) for q in ("who", "situation") for a in s.get(q, [])}
            assert asked <= valid, (s["id"], build, asked - valid)
            plans = {c.split(":", 1)[0] for c in s.get("cites", []) + s.get("path_cites", [])}
            assert BUILDS[build] is None or plans <= {BUILDS[build]}, (s["id"], build)
