"""Command line: ``python3 -m wizard checklist|vocabulary ...`` (from the repository root,
with nothing installed: standard library only).

    python3 -m wizard checklist --who elderly,hearing --situation outage --lang vi [--json]
    python3 -m wizard vocabulary --lang en [--json]
    python3 -m wizard checklist --commune ngok-reo ...   (one commune's plans only)

The checklist prints the path, any note on answers that cannot both hold, the procedure stage
by stage, where the handbook interprets the plans (*), and the citizen's support slip (>).

An unknown id exits with status 2 and lists the valid ids.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from handbook.model import ContentError, load  # noqa: E402
from wizard.data import export  # noqa: E402
from wizard.engine import Engine, UnknownAnswer  # noqa: E402


def _ids(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m wizard", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("checklist", help="the procedure path and checklist for some answers")
    check.add_argument("--who", default="", help="comma-separated answer ids")
    check.add_argument("--situation", default="", help="comma-separated answer ids")
    check.add_argument("--lang", default=None)
    check.add_argument("--json", action="store_true")
    vocab = sub.add_parser("vocabulary", help="the questions and their answer ids with labels")
    vocab.add_argument("--lang", default=None)
    vocab.add_argument("--json", action="store_true")
    for command in (check, vocab):
        command.add_argument("--commune", default=None,
                             help="the handbook of one commune (content/communes/ID.toml)")
    args = parser.parse_args(argv)

    try:
        data = export(load(ROOT, commune=args.commune))
    except ContentError as exc:
        print(exc, file=sys.stderr)
        return 1
    lang = args.lang or data["languages"][0]
    if lang not in data["strings"]:
        print(f"unknown language '{lang}'; valid: {', '.join(data['strings'])}", file=sys.stderr)
        return 2
    strings = data["strings"][lang]

    if args.command == "vocabulary":
        questions = [{"id": q["id"], "title": strings["questions"][q["id"]]["title"],
                      "hint": strings["questions"][q["id"]]["hint"],
                      "answers": [{"id": a, "label": strings["answers"][a]} for a in q["answers"]]}
                     for q in data["questions"]]
        if args.json:
            print(json.dumps({"lang": lang, "questions": questions}, ensure_ascii=False, indent=2))
        else:
            for q in questions:
                print(f"{q['id']}: {q['title']}")
                for a in q["answers"]:
                    print(f"  {a['id']:20} {a['label']}")
        return 0

    try:
        result = Engine(data).decide(who=_ids(args.who), situation=_ids(args.situation), lang=lang)
    except UnknownAnswer as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 0
    path = result["path"]
    if path:
        print(f"{strings['paths'][path['id']]['title']} ({path['id']})")
        print(f"  {path['reason']}")
        print(f"  [{', '.join(path['sources'])}]")
    if not path and result["items"]:
        print(strings["ui"]["no_path"])
    for note in result["notes"]:
        print(f"\n! {note['text']}  [{', '.join(note['sources'])}]")
    if not result["items"]:
        print(f"\n{strings['ui']['empty']}")
    provisos = {p["id"]: p for p in result["provisos"]}
    said = set()
    for stage in result["stages"]:
        if stage["proviso"] and stage["proviso"] not in said:  # the stages from here on: only if
            said.add(stage["proviso"])
            proviso = provisos[stage["proviso"]]
            print(f"\n{proviso['text']}  [{', '.join(proviso['sources'])}]")
        print(f"\n{strings['phases'][stage['id']]}")
        if stage.get("skipped"):
            print(f"  ({strings['ui']['skipped']})  [{', '.join(stage['sources'])}]")
        for item in (i for i in result["items"] if i["phase"] == stage["id"]):
            network = " (network)" if item["needs_network"] else ""
            print(f"  [ ] {item['text']}{network}  [{', '.join(item['sources'])}]")
    for reading in result["readings"]:
        print(f"\n* {reading['text']}")
    if result["slip"]:
        print()
        said = set()
        for line in result["slip"]:
            if line["proviso"] and line["proviso"] not in said:
                said.add(line["proviso"])
                print(f"  > {provisos[line['proviso']]['slip']}")
            print(f"  > {line['text']}  [{', '.join(line['sources'])}]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
