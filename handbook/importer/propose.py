"""Propose a new plan's situations and checklist items from the handbook's known ones.

Nothing here writes procedure: a section becomes a known situation only when its heading says
the same as that situation's heading in its plan (or the handbook's title of it); a bullet reuses
a known checklist action only when it contains the words of that action (or repeats, nearly word
for word, the plan sentence the action was taken from). Everything else is proposed as new,
worded with the plan's own sentence and citing its section. A person confirms in choices.toml.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .structure import Block

STOP = frozenset("và các của cho có được để trong tại khi hoặc với là một những nếu cần theo thì đến như "
                 "này đó về từ trên nhưng vẫn đã sẽ phải luôn".split())
ROLE_RE = re.compile(r"kịch bản|phương án|hướng dẫn|cách xử lý|giải pháp|biện pháp hỗ trợ|nhiệm vụ", re.I)
STAFF_RE = re.compile(r"kịch bản|xử lý|hướng dẫn", re.I)
STRUCTURAL_RE = re.compile(r"mục tiêu|mục đích|yêu cầu|đối tượng|phạm vi|căn cứ|tổ chức thực hiện|"
                           r"kinh phí|trách nhiệm|hiệu lực", re.I)
SITUATION_MATCH = 0.5   # Dice of the headings' words: at least this to be the same situation
ITEM_MATCH = 0.6        # share of the action's words in the bullet
COPY_MATCH = 0.8        # a bullet this close to the action's source sentence …
COPY_ITEM = 0.2         # … needs only this share of the action's words


def words(text: str) -> frozenset[str]:
    """Content syllables and syllable pairs (Vietnamese words are mostly one or two syllables)."""
    text = unicodedata.normalize("NFC", text.lower())
    tokens = [t for t in re.findall(r"\w+", text) if not t.isdigit()]
    return frozenset({t for t in tokens if t not in STOP} | {f"{a} {b}" for a, b in zip(tokens, tokens[1:])})


def contained(part: frozenset[str], whole: frozenset[str]) -> float:
    return len(part & whole) / len(part) if part else 0.0


def dice(a: frozenset[str], b: frozenset[str]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0


def heading_text(text: str) -> str:
    """A heading without its number: 'Tình huống 2: Người dân …' → 'Người dân …'."""
    text = re.sub(r"^(?:[IVXL]+\.|\d{1,2}(?:\.\d{1,2})*[.)]?|[a-zđ]\)|\(\d{1,2}\))\s+", "", text)
    text = re.sub(r"^(?:Tình huống|TÌNH HUỐNG)\s+\d+\s*[:.\-–]\s*", "", text)
    return text.strip().rstrip(":").strip()


@dataclass
class KnownSituation:
    id: str
    texts: tuple[str, ...]  # its heading in its plan, the handbook's title and audience


@dataclass
class KnownItem:
    id: str
    text: str                  # the handbook's wording of the action (Vietnamese)
    sources: tuple[str, ...]   # the plan sentences it was taken from
    # their words, found once (every sentence of the plan is compared with every known item)
    words: frozenset[str] = field(init=False)
    source_words: tuple[frozenset[str], ...] = field(init=False)

    def __post_init__(self):
        self.words = words(self.text)
        self.source_words = tuple(words(s) for s in self.sources)


@dataclass
class Bullet:
    section: str
    text: str
    where: str
    matches: list[tuple[str, float]] = field(default_factory=list)  # known items, with their score


@dataclass
class Proposal:
    section: str
    heading: str               # the plan's words, without the number
    where: str
    same_as: str | None        # a known situation, or None: a new one
    score: float
    staff: tuple[str, ...]
    support: tuple[str, ...]
    bullets: list[Bullet]


def _children(sections: list[str], section: str) -> list[str]:
    depth = section.count(".") + 1
    return [s for s in sections if s.startswith(section + ".") and s.count(".") == depth]


def situations(blocks: list[Block], known: list[KnownSituation], items: list[KnownItem]) -> list[Proposal]:
    """The plan's situations: a heading with actions of its own (directly, in numbered paragraphs,
    or under role headings such as 'Kịch bản' / 'Phương án hỗ trợ'), not a structural part."""
    sections = list(dict.fromkeys(b.section for b in blocks if b.section not in ("front", "back")))
    heads = {b.section: b for b in blocks if b.kind in ("h2", "h3", "h4")}
    out = []
    for section, head in heads.items():
        title = heading_text(head.vi)
        if ROLE_RE.match(title) and section.count(".") and section.rsplit(".", 1)[0] in heads \
                and len(title.split()) <= 6:
            continue  # 'Kịch bản xử lý' under a situation: part of it
        if STRUCTURAL_RE.search(title) and len(title.split()) <= 6:
            continue
        children = _children(sections, section)
        child_heads = [c for c in children if c in heads]
        if any(not (ROLE_RE.match(heading_text(heads[c].vi)) and len(heading_text(heads[c].vi).split()) <= 6)
               for c in child_heads):
            continue  # a part holding situations, not one itself
        inner = [s for s in sections if s == section or s.startswith(section + ".")]
        bullets = [Bullet(b.section, b.vi, b.where) for b in blocks
                   if b.section in inner and b.kind in ("li", "p")]
        if not bullets:
            continue
        if child_heads:
            staff = tuple(c for c in child_heads if STAFF_RE.search(heading_text(heads[c].vi)))
            support = tuple(c for c in child_heads if c not in staff)
            if not staff:
                staff, support = support[:1], support[1:]
        elif children:
            staff, support = tuple(children), (section,)
        else:
            staff, support = (section,), ()
        same_as, score = _best_situation(title, known)
        for bullet in bullets:
            bullet.matches = match_items(bullet.text, items)
        out.append(Proposal(section, title, head.where, same_as, score, staff, support, bullets))
    # one known situation is one guide: the best-matching section keeps it, others become new
    best: dict[str, Proposal] = {}
    for p in out:
        if p.same_as and (p.same_as not in best or p.score > best[p.same_as].score):
            best[p.same_as] = p
    for p in out:
        if p.same_as and best[p.same_as] is not p:
            p.same_as = None
    return out


def _best_situation(title: str, known: list[KnownSituation]) -> tuple[str | None, float]:
    mine = words(title)
    scored = sorted(((max(dice(mine, words(t)) for t in k.texts), k.id) for k in known), reverse=True)
    if scored and scored[0][0] >= SITUATION_MATCH:
        return scored[0][1], round(scored[0][0], 2)
    return None, round(scored[0][0], 2) if scored else 0.0


def match_items(text: str, items: list[KnownItem]) -> list[tuple[str, float]]:
    """The known actions this sentence states, best first, with the share of their words in it."""
    mine = words(text)
    out = []
    for item in items:
        share = contained(item.words, mine)
        copied = max((dice(mine, s) for s in item.source_words), default=0.0)
        if share >= ITEM_MATCH or (copied >= COPY_MATCH and share >= COPY_ITEM):
            out.append((item.id, round(share, 2)))
    return sorted(out, key=lambda x: -x[1])


SAME_HEADING = 0.9  # a part with the same heading and text (Dice of the words) as a known plan's part


def body(blocks, section: str) -> str:
    """The text of a section and its subsections, without its heading."""
    return " ".join(b.vi for b in blocks if (b.section == section or b.section.startswith(section + "."))
                    and b.kind in ("li", "p"))


def same_sections(blocks: list[Block], used: set[str], known: dict[str, tuple[str, str]]) -> dict[str, str]:
    """Known plan part → this plan's part, for the headed parts that are not situations and say
    the same, heading and text (e.g. "II. ĐỐI TƯỢNG" listing the same groups): what the handbook
    cites there holds here too. Best match first, each part used once."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for b in blocks:
        if b.kind not in ("h2", "h3", "h4") or b.section in used or b.section in taken:
            continue
        mine, text = words(heading_text(b.vi)), words(body(blocks, b.section))
        scored = sorted(((min(dice(mine, words(head)), dice(text, words(rest))), cited)
                         for cited, (head, rest) in known.items() if cited not in out), reverse=True)
        if scored and scored[0][0] >= SAME_HEADING:
            out[scored[0][1]] = b.section
            taken.add(b.section)
    return out
