"""`make i18n-report`: per language, what is translated and what is missing; and what can be heard.

    python -m handbook.i18n_report [--all]

A language lacking strings fails the build unless its strings file says ``[meta] partial = true``;
then the missing strings are shown in the authoritative language, marked. This report never
fails on a missing string: it says which ones, grouped by section (``--all`` lists every one).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHOWN = 12  # missing strings listed per language without --all


def report(root: Path = ROOT, every: bool = False) -> str:
    from handbook.model import load

    model = load(root, coverage=True)
    lines = []
    for lang in model.languages:
        required = model.required[lang]
        missing = model.untranslated.get(lang, [])
        imported = [path for path in missing if path in model.owned]  # communes' own plans: marked
        partial = bool(model.strings[lang].get("meta", {}).get("partial"))
        share = 100 * (required - len(missing)) / required if required else 100.0
        if lang == model.reference:
            status = "authoritative"
        elif not missing:
            status = "complete"
        elif partial or len(imported) == len(missing):
            status = "partial: builds, missing strings shown in " + model.reference + ", marked"
        else:
            status = "incomplete: the build fails (translate, or mark it [meta] partial = true)"
        lines.append(f"{lang}  {model.t(lang, 'meta', 'name') if ('meta', 'name') not in missing else '?'}: "
                     f"{required - len(missing)}/{required} strings ({share:.1f} %) — {status}")
        if missing:
            sections = Counter(".".join(path[:2]) if path[0] == "plans" else path[0] for path in missing)
            lines.append("    missing by section: " + ", ".join(f"{k} {v}" for k, v in sorted(sections.items())))
            if imported:
                lines.append(f"    of which {len(imported)} are communes' own plans, situations and items "
                             f"(content/communes/ID/locales/{lang}.toml): shown in {model.reference}, marked")
            for path in missing if every else missing[:SHOWN]:
                lines.append(f"    content/locales/{lang}.toml: {'.'.join(path)}")
            if not every and len(missing) > SHOWN:
                lines.append(f"    … and {len(missing) - SHOWN} more (--all lists every one)")
    lines.extend(audio_lines(model, root, every))
    return "\n".join(lines)


def audio_lines(model, root: Path, every: bool = False) -> list[str]:
    """Sound: per language, the spoken strings that are recorded, synthetic or silent, and the
    recordings whose text has changed since they were made; problems with the recordings (the
    first few, and how many more, unless ``every``)."""
    from handbook import audio

    spoken, problems = audio.report(model, root, every=every)
    shown = problems if every else problems[:SHOWN]
    more = ([f"  … and {len(problems) - SHOWN:,} more problems with the recordings (--all lists every one)"]
            if len(problems) > len(shown) else [])
    return ["audio (what the kiosk shows, and every guide step):", *(f"  {line}" for line in spoken),
            *(f"  problem: {p}".replace("\n", "\n  ") for p in shown), *more]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all", action="store_true",
                        help="list every missing string and every problem with the recordings")
    parser.add_argument("--root", default=str(ROOT), help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from handbook.model import ContentError

    try:
        print(report(Path(args.root), args.all))
    except ContentError as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
