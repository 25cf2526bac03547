"""``make import-plan FILE=plan.docx ID=some-id``: a commune's own plan becomes its handbook.

Writes ``content/communes/ID/`` (nothing else): the commune's profile, the verbatim text and the
blocks of its plan, its situations and checklist items, their Vietnamese wording, and a
``choices.toml`` a person edits to confirm or change what was proposed (kept on re-import).
Everything proposed is a draft until ``reviewed = true`` there. Prints the review report (also
written to ``build/import/ID/review.md``). Any problem: a message naming the file, the
paragraph and the fix, exit status 2, and nothing written.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
import tomllib
import unicodedata
import re
from pathlib import Path

from . import propose
from .read import ReadError, read
from .structure import parse

ROOT = Path(__file__).resolve().parents[2]
GENERATED = ("commune.toml", "plan.toml", "plan.original.txt", "situations.toml", "items.toml",
             "locales/vi.toml")
PHASE_WORDS = (  # a new action's stage, proposed from its words (the person confirms it)
    ("identify", ("giấy tờ tùy thân", "căn cước", "định danh", "xác minh", "dữ liệu dân cư")),
    ("account", ("tài khoản", "đăng nhập", "mật khẩu", "vneid")),
    ("payment", ("phí", "thanh toán", "tiền mặt", "ngân hàng")),
    ("result", ("giấy hẹn", "trả kết quả", "hẹn trả", "nhận kết quả", "có kết quả")),
    ("submit", ("nộp hồ sơ", "tiếp nhận hồ sơ", "scan", "nhập liệu")),
    ("prepare", ("điền", "biểu mẫu", "tờ khai", "thành phần hồ sơ")),
)
NETWORK_WORDS = ("trực tuyến", "hệ thống", "mạng", "điện tử", "internet", "cổng dịch vụ công", "vneid")


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("file", type=Path)
    args.add_argument("id")
    args.add_argument("--root", type=Path, default=ROOT, help="the project (its content/ is written)")
    args.add_argument("--report", type=Path, help="where to write the review report "
                      "(default: build/import/ID/review.md)")
    opts = args.parse_args(argv)
    started = time.perf_counter()
    try:
        result = run(opts.file, opts.id, opts.root)
    except ReadError as exc:
        print(f"import-plan: {exc}", file=sys.stderr)
        print("  nothing was written", file=sys.stderr)
        return 2
    report = opts.report or opts.root / "build" / "import" / opts.id / "review.md"
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(result.report, encoding="utf-8")
    print(result.report)
    print(f"imported {opts.file} as content/communes/{opts.id}/ in {time.perf_counter() - started:.1f} s; "
          f"report: {report}\nnext: review content/communes/{opts.id}/choices.toml, then "
          f"make site COMMUNE={opts.id}")
    return 0


class Result:
    def __init__(self, folder: Path, report: str, stats: dict):
        self.folder, self.report, self.stats = folder, report, stats


def run(file: Path, cid: str, root: Path) -> Result:
    from handbook import model as model_module

    name = file.name
    if not model_module.ID_RE.match(cid):
        raise ReadError(f"ID={cid}", "the commune id is not lower-case-with-dashes",
                        "use the commune's name without accents, e.g. ID=dak-ha")
    content = root / "content"
    folder = content / "communes" / cid
    if (content / "communes" / f"{cid}.toml").exists() or (content / "plans" / f"{cid}.toml").exists():
        raise ReadError(f"ID={cid}", f"commune or plan '{cid}' already exists in content/ and was not imported",
                        "choose another ID (to update an imported plan, import it again under its own ID)")
    if folder.exists() and not (folder / "choices.toml").exists():
        raise ReadError(f"ID={cid}", f"content/communes/{cid}/ exists and was not made by an import",
                        "choose another ID, or move that folder away")
    paras = read(file)
    blocks = parse(name, paras)
    _check_faithful(name, paras, blocks)
    try:
        model = model_module.load(root)
    except model_module.ContentError as exc:
        raise ReadError("content/", f"the handbook's own content does not load:\n{exc}",
                        "fix content/ first (make site shows the same message)") from None
    choices = _read_choices(folder)
    known_situations = [
        propose.KnownSituation(s.id, (_heading(model, s.plan, s.section),
                                      model.t("vi", "situations", s.id, "title"),
                                      model.t("vi", "situations", s.id, "audience")))
        for s in model.situations.values() if not s.commune]
    known_items = [propose.KnownItem(i, model.t("vi", "items", i, "text"), _sources(model, item))
                   for i, item in model.items.items() if not item.commune]
    proposals = propose.situations(blocks, known_situations, known_items)
    commune = _commune(blocks)
    files, report, stats = _write_plan(cid, name, paras, blocks, proposals, commune, choices, model)
    if (folder / "choices.toml").is_file():
        del files["choices.toml"]  # the person's file, copied as it is
    # write everything into a fresh folder first, then swap it in: never half a commune
    staging = Path(tempfile.mkdtemp(prefix=f".{cid}-", dir=content / "communes"))
    try:
        for rel, text in files.items():
            (staging / rel).parent.mkdir(parents=True, exist_ok=True)
            (staging / rel).write_text(text, encoding="utf-8")
        if folder.exists():  # keep what a person wrote: choices, translations, recordings
            for path in folder.rglob("*"):
                rel = path.relative_to(folder).as_posix()
                if path.is_file() and rel not in files and rel not in GENERATED:
                    (staging / rel).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(path, staging / rel)
        try:
            model_module.load(root, extra_commune=(cid, staging))
        except model_module.ContentError as exc:
            raise ReadError(name, f"the imported plan does not validate:\n{exc}",
                            "report this with the plan file: the importer made something the handbook refuses")
        old = folder.with_name(f".{cid}.old")
        if folder.exists():
            folder.rename(old)
        staging.rename(folder)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return Result(folder, report, stats)


def _heading(model, plan: str, section: str) -> str:
    blocks = model.plans[plan].section_blocks(section)
    heads = [b.vi for b in blocks if b.kind in ("h2", "h3", "h4")]
    return propose.heading_text(heads[0]) if heads else ""


def _known_headings(model) -> dict[str, tuple[str, str]]:
    """Every headed part of the known plans: its heading (without its number) and its text."""
    return {f"{pid}:{b.section}": (propose.heading_text(b.vi), propose.body(plan.blocks, b.section))
            for pid, plan in model.plans.items() if pid in _known_plans(model)
            for b in plan.blocks if b.kind in ("h2", "h3", "h4")}


def _known_plans(model) -> set[str]:
    """The shared plans (content/plans/), not the communes' own."""
    return {pid for pid in model.plans if (model.root / "content" / "plans" / f"{pid}.toml").is_file()}


def _sources(model, item) -> tuple[str, ...]:
    """The plan sentences an item was taken from: in each cited section, the one holding most of its words."""
    mine = propose.words(model.t("vi", "items", item.id, "text"))
    known_plans = _known_plans(model)
    out = []
    for c in item.cites:
        plan = model.plans.get(c.plan)
        if plan is None or c.plan not in known_plans:
            continue
        texts = [b.vi for b in plan.blocks if (b.section == c.section or b.section.startswith(c.section + "."))
                 and b.kind in ("li", "p")]
        best = max(texts, key=lambda t: propose.contained(mine, propose.words(t)), default="")
        if best and propose.contained(mine, propose.words(best)) >= propose.COPY_ITEM:
            out.append(best)
    return tuple(out)


def _check_faithful(name: str, paras, blocks) -> None:
    """Every line of the original is one block, in order (the build checks the page the same way)."""
    texts = [p.text for p in paras if p.text]
    got = [b.vi for b in blocks]
    if texts != got:  # pragma: no cover - a bug in structure.parse, never the plan's fault
        at = next(n for n, (a, b) in enumerate(zip(texts + [""], got + [""])) if a != b)
        raise ReadError(name, f"the blocks lose or change paragraph {at + 1}", "report this with the plan file")


def _read_choices(folder: Path) -> dict:
    path = folder / "choices.toml"
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ReadError(str(path), f"the choices file is not valid TOML ({exc})",
                        "fix that line (it holds the choices a person made: it is never overwritten)") from None
    return data


KIND_RE = re.compile(r"\b(xã|phường|XÃ|PHƯỜNG)\s+((?:[A-ZĐÀ-Ỹ][\wÀ-ỹ'’-]*)(?:\s+[A-ZĐÀ-Ỹ][\wÀ-ỹ'’-]*)*)")


def _commune(blocks) -> tuple[str, str]:
    """(kind, name) from the title, then the preamble, then the letterhead; ("", "") if none says."""
    front = [b for b in blocks if b.section == "front"]
    for kinds in (("title",), ("p",), ("meta",)):
        for b in front:
            if b.kind in kinds and (m := KIND_RE.search(b.vi)):
                kind = "xa" if m[1].lower() == "xã" else "phuong"
                name = m[2]
                if name.isupper():
                    name = name.title()
                return kind, name
    return "", ""


def slug(text: str, words: int = 6) -> str:
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if unicodedata.category(c) != "Mn").lower()
    parts = re.findall(r"[a-z0-9]+", text)
    return "-".join(parts[:words]) or "x"


def _q(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def _list(values) -> str:
    return "[" + ", ".join(_q(v) for v in values) + "]"


def _phase(text: str, phases: list[str]) -> str:
    low = text.lower()
    for phase, keys in PHASE_WORDS:
        if any(k in low for k in keys):
            if phase in phases:
                return phase
    return phases[0]


def _write_plan(cid, name, paras, blocks, proposals, commune, choices, model):
    kind, cname = commune
    phases = list(model.phases)
    files: dict[str, str] = {}
    files["plan.original.txt"] = "\n".join(p.raw for p in paras).rstrip("\n") + "\n"
    lines = [f"# The official text of {name}, one block per paragraph, heading or list item.",
             "# Made by `make import-plan` from plan.original.txt (its verbatim text); block ids are",
             "# SECTION/N. Import again rather than editing, or fix conversion debris only.",
             f"id = {_q(cid)}", 'original = "plan.original.txt"', ""]
    for b in blocks:
        lines += ["[[block]]", f"section = {_q(b.section)}", f"kind = {_q(b.kind)}", f"vi = {_q(b.vi)}", ""]
    files["plan.toml"] = "\n".join(lines)
    files["commune.toml"] = "\n".join([
        "# Commune profile, drafted by `make import-plan` from the plan's title and letterhead.",
        "# Leave a fact empty (\"\") until the commune gives it. Never fill in a fact it has not confirmed.",
        f"id = {_q(cid)}", f"kind = {_q(kind or 'xa')}            # xa (xã) or phuong (phường)"
        + ("" if kind else "  -- the plan does not say: check"),
        f"name = {_q(cname or cid)}" + ("" if cname else "  # the plan does not name it: write the name"),
        'province = ""', 'address = ""', 'hotline = ""', 'hours = ""', 'site_url = ""',
        f"plans = [{_q(cid)}]", ""])
    title_lines = [b.vi for b in blocks if b.section == "front" and b.kind == "title"]
    doc_title = (title_lines[0].capitalize() + (": " + " ".join(title_lines[1:]) if title_lines[1:] else "")) \
        if title_lines else name
    kind_word = {"xa": "xã", "phuong": "phường"}.get(kind, "xã")
    vi = {"plans": {cid: {"title": doc_title, "short": f"Phương án {kind_word} {cname or cid}",
                          "label": cname or cid}},
          "situations": {}, "items": {}}
    choice_sit = choices.get("situation", {})
    choice_item = choices.get("item", {})
    known_ids = set(model.situations)
    sit_lines = ["# The plan's situations, proposed by `make import-plan` (a draft until a person confirms",
                 "# them in choices.toml). same_as: the known situation whose wizard answers lead here.", ""]
    item_lines = ["# Checklist actions of the plan, proposed by `make import-plan` (drafts).",
                  "#   [[item]]   a new action, worded with the plan's sentence (locales/vi.toml), citing it",
                  "#   [[reuse]]  a known action (content/checklist.toml) that this plan states too", ""]
    reuse: dict[str, list[str]] = {}
    new_items: dict[str, dict] = {}
    report = [f"# Review: {name} → content/communes/{cid}/", "",
              "Everything below is a proposal. Confirm or change it in "
              f"`content/communes/{cid}/choices.toml` (kept when the plan is imported again), "
              "then set `reviewed = true` there.", ""]
    stats = {"situations": 0, "matched_situations": 0, "bullets": 0, "matched_bullets": 0, "new_items": 0}
    used_sids: set[str] = set()
    for p in proposals:
        chosen = choice_sit.get(p.heading, {})
        same_as = chosen.get("same_as", p.same_as or "new")
        if same_as != "new" and same_as not in known_ids:
            raise ReadError(f"content/communes/{cid}/choices.toml",
                            f"[situation.\"{p.heading}\"] same_as = \"{same_as}\" is not a known situation",
                            f"use one of: {', '.join(sorted(known_ids))}; or \"new\"")
        local = same_as if same_as != "new" else slug(p.heading, 5)
        sid = f"{cid}-{local}"
        while sid in used_sids:
            sid += "-2"
        used_sids.add(sid)
        stats["situations"] += 1
        stats["matched_situations"] += same_as != "new"
        report.append(f"## {p.section} {p.heading} ({p.where})")
        report.append(f"- guide `{sid}`: " + (f"the known situation **{same_as}** (heading match {p.score})"
                                               if same_as != "new" else
                                               f"**new** situation (best known heading match {p.score})"))
        checklist: list[str] = []
        for bullet in p.bullets:
            stats["bullets"] += 1
            iid = f"{cid}-{slug(bullet.text)}"
            while iid in new_items and new_items[iid]["text"] != bullet.text:
                iid += "-2"
            pick = choice_item.get(iid, {})
            matched = pick.get("reuse", [m for m, _ in bullet.matches])
            matched = [m for m in matched if m in model.items]
            if matched:
                stats["matched_bullets"] += 1
                for m in matched:
                    cites = reuse.setdefault(m, [])
                    if f"{cid}:{bullet.section}" not in cites:
                        cites.append(f"{cid}:{bullet.section}")
                    if m not in checklist:
                        checklist.append(m)
                scores = dict(bullet.matches)
                report.append(f"  - {bullet.where}, {bullet.section}: matched "
                              + ", ".join(f"`{m}` ({scores.get(m, 'chosen')})" for m in matched)
                              + f" — “{_short(bullet.text, 12)}”")
                continue
            stats["new_items"] += iid not in new_items
            phase = pick.get("phase", _phase(bullet.text, phases))
            network = pick.get("network", any(w in bullet.text.lower() for w in NETWORK_WORDS))
            short = pick.get("short", _short(bullet.text, model_short_words()))
            new_items[iid] = {"text": bullet.text, "section": bullet.section, "phase": phase,
                              "network": network, "short": short}
            if iid not in checklist:
                checklist.append(iid)
            report.append(f"  - {bullet.where}, {bullet.section}: **new** item `{iid}` "
                          f"(stage {phase}{', needs the network' if network else ''}) — “{_short(bullet.text, 12)}”")
        known = model.situations.get(same_as)
        pictogram = known.pictogram if known else "helpers"
        steps = [i for i in (known.steps if known else ()) if i in checklist] or checklist
        steps = (steps + [i for i in checklist if i not in steps])[:6]
        sit_lines += ["[[situation]]", f"id = {_q(sid)}", f"plan = {_q(cid)}", f"pictogram = {_q(pictogram)}",
                      f"section = {_q(p.section)}", f"staff = {_list(p.staff)}", f"support = {_list(p.support)}",
                      f"checklist = {_list(checklist)}", f"steps = {_list(steps)}"]
        if same_as != "new":
            sit_lines.append(f"same_as = {_q(same_as)}")
        sit_lines.append("")
        if same_as == "new":
            vi["situations"][sid] = {"title": p.heading, "summary": p.heading, "audience": p.heading}
        report.append("")
    # parts that are not situations but say the same as a known plan's part (same heading)
    used = {p.section for p in proposals} | {s for p in proposals for s in (*p.staff, *p.support)}
    same = propose.same_sections(blocks, used, _known_headings(model))
    if same:
        sit_lines += ["# Parts of this plan with the same heading and text as a known plan's part: what the",
                      "# wizard cites there (e.g. the groups a plan is for) it cites here instead.", "[sections]"]
        sit_lines += [f"{_q(cited)} = {_q(own)}" for cited, own in same.items()]
        sit_lines.append("")
        report.append("## Other parts")
        report += [f"- {own}: the same heading and text as {cited}" for cited, own in same.items()] + [""]
    for iid, it in new_items.items():
        item_lines += ["[[item]]", f"id = {_q(iid)}", f"phase = {_q(it['phase'])}",
                       f"network = {'true' if it['network'] else 'false'}",
                       f"cites = [{_q(cid + ':' + it['section'])}]", 'pictogram = "helpers"', ""]
        vi["items"][iid] = {"text": it["text"], "short": it["short"]}
    for iid, cites in reuse.items():
        item_lines += ["[[reuse]]", f"id = {_q(iid)}", f"cites = {_list(cites)}", ""]
    files["situations.toml"] = "\n".join(sit_lines)
    files["items.toml"] = "\n".join(item_lines)
    files["locales/vi.toml"] = _toml_tables(vi, "# The Vietnamese wording of this commune's plan, situations and "
                                                "items: the plan's own words (drafted by make import-plan).")
    files["choices.toml"] = _choices(choices, proposals, cid)
    share = stats["matched_bullets"] / stats["bullets"] if stats["bullets"] else 0
    report.insert(4, f"{stats['situations']} situations ({stats['matched_situations']} known, "
                     f"{stats['situations'] - stats['matched_situations']} new); {stats['bullets']} sentences, "
                     f"{stats['matched_bullets']} matched to known actions ({share:.0%}), "
                     f"{stats['new_items']} new actions.\n")
    stats["share"] = share
    return files, "\n".join(report), stats


def model_short_words() -> int:
    from handbook.model import SHORT_WORDS
    return SHORT_WORDS


def _short(text: str, n: int) -> str:
    parts = propose.heading_text(text).split()
    out = " ".join(parts[:n]).rstrip(".,;:")
    return out + ("…" if len(parts) > n else "")


def _toml_tables(data: dict, comment: str) -> str:
    lines = [comment, ""]
    for top, tables in data.items():
        for key, values in tables.items():
            lines.append(f"[{top}.{_q(key) if not re.match(r'^[A-Za-z0-9_-]+$', key) else key}]")
            lines += [f"{k} = {_q(v)}" for k, v in values.items()]
            lines.append("")
    return "\n".join(lines)


def _choices(choices: dict, proposals, cid: str) -> str:
    """The person's file: what they chose is kept verbatim; new proposals are listed as comments."""
    lines = ["# Choices a person made about this import. `make import-plan` never overwrites them.",
             "#   reviewed = true          once a person has checked every proposal (removes the draft notice)",
             "#   [situation.\"HEADING\"]    same_as = \"KNOWN-ID\" or \"new\"  (the plan's heading, as in review.md)",
             "#   [item.\"ID\"]              reuse = [\"KNOWN-ITEM\", …] (or [] for a new action), short = \"…\",",
             "#                            phase = \"STAGE\", network = true|false", ""]
    lines.append(f"reviewed = {'true' if choices.get('reviewed') else 'false'}")
    lines.append("")
    for table in ("situation", "item"):
        for key, values in choices.get(table, {}).items():
            lines.append(f"[{table}.{_q(key)}]")
            lines += [f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in values.items()]
            lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
