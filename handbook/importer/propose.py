"""Propose a new plan's situations and checklist items from the handbook's known ones.

Nothing here writes procedure: a section becomes a known situation when its heading says the
same as that situation's heading in its plan (or the handbook's title of it), in the same words
or by meaning: the words people say for the field's notions (content/lexicon.toml: "mất điện,
mất mạng" is the outage, "khiếm thính, khó nói" are disabilities). A bullet reuses a known
checklist action when it contains the words of that action (its explanation in brackets aside;
the lexicon's synonyms count as the same word), or repeats, nearly word for word, the plan
sentence the action was taken from. Each match carries why it was made, in Vietnamese, for the
review. A numbered procedure ("Bước 1 … Bước 6") is one guide, its steps the Bước: the
commune's procedure for vulnerable people. Lines naming a team's leader or members ("Tổ
trưởng: …", "Thành viên: …") and lead-ins ending in ":" are not actions. Everything else is
proposed as new, worded with the plan's own sentence and citing its section. A person confirms
in choices.toml.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field

from .structure import STEP_RE, Block

STOP = frozenset("và các của cho có được để trong tại khi hoặc với là một những nếu cần theo thì đến như "
                 "này đó về từ trên nhưng vẫn đã sẽ phải luôn".split())
ROLE_RE = re.compile(r"kịch bản|phương án|hướng dẫn|cách xử lý|giải pháp|biện pháp hỗ trợ|nhiệm vụ", re.I)
STAFF_RE = re.compile(r"kịch bản|xử lý|hướng dẫn", re.I)
STRUCTURAL_RE = re.compile(r"mục tiêu|mục đích|yêu cầu|đối tượng|phạm vi|căn cứ|tổ chức thực hiện|"
                           r"kinh phí|trách nhiệm|hiệu lực|nguyên tắc|quy định chung", re.I)
SITUATION_MATCH = 0.5   # Dice of the headings' words: at least this to be the same situation
ITEM_MATCH = 0.5        # share of the action's words in the bullet, each word weighed by how rare it is
DOMINATED = 0.25        # an action this far below the best one of its sentence is not stated there
COPY_MATCH = 0.8        # a bullet this close to the action's source sentence …
COPY_ITEM = 0.2         # … needs only this share of the action's words
MEANING_MATCH = 0.6     # concepts of the headings (lexicon): at least this to be the same situation
# The known situation a commune's numbered procedure for vulnerable people ("Bước 1 … Bước 6")
# stands for, unless its heading names another: the handbook's on-the-spot, all-in service.
PROCEDURE_SITUATION = "full-service"
ROSTER_RE = re.compile(r"^(?:tổ trưởng|tổ phó|trưởng nhóm|phó trưởng|thành viên|thành phần|thường trực|"
                       r"trưởng ban|phó ban|thư ký)\b", re.I)
PAREN_RE = re.compile(r"\s*\([^()]*\)")


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
    text = re.sub(r"^(?:PHẦN|Phần|CHƯƠNG|Chương)\s+(?:[IVXL]+|\d+|(?:thứ|THỨ)\s+\w+)\s*[:.\-–]?\s*", "", text)
    text = re.sub(r"^(?:MỤC|Mục|ĐIỀU|Điều|BƯỚC|Bước)\s+(?:\d+|[IVXL]+)\s*[:.\-–]?\s*", "", text)
    return text.strip().rstrip(":").strip()


@dataclass
class KnownSituation:
    id: str
    texts: tuple[str, ...]  # its heading in its plan, the handbook's title and audience
    title: str = ""         # the handbook's title, for the review


def _tokens(text: str) -> tuple[str, ...]:
    """The words of a text as written, lower-case: a plan is written with its diacritics, and
    "nộp hồ sơ" is not "nộp hộ" (the search folds them; matching a plan does not)."""
    return tuple(re.findall(r"[^\W_]+", unicodedata.normalize("NFC", text.lower())))


class Meaning:
    """The lexicon's words (content/lexicon.toml) as a matcher: the notions a text names, with
    the words that name them, longest phrase first (folded: with or without diacritics)."""

    def __init__(self, lexicon=None):
        self.phrases: dict[tuple[str, ...], tuple[str, str]] = {}
        self.situational: set[str] = set()
        # a narrower notion → the broader one a situation may name instead (content/lexicon.toml
        # kind_of): a plan's "khiếm thính, khó nói" is the handbook's "người khuyết tật"
        self.broader: dict[str, str] = lexicon.broader() if lexicon is not None else {}
        for concept in getattr(lexicon, "concepts", ()):
            if concept.guides:  # a notion of who needs help or what happens (not a glossary term only)
                self.situational.add(concept.id)
            for word in concept.words_in("vi"):
                self.phrases.setdefault(_tokens(word), (concept.id, word))
        self.longest = max((len(p) for p in self.phrases), default=0)

    def said(self, text: str, every: bool = False) -> list[tuple[str, str]]:
        """(concept, the word of the lexicon found) for each notion ``text`` names, in order, once
        (``every``: each word found, a notion named twice twice)."""
        tokens = _tokens(text)
        out: list[tuple[str, str]] = []
        at = 0
        while at < len(tokens):
            for size in range(min(self.longest, len(tokens) - at), 0, -1):
                found = self.phrases.get(tokens[at:at + size])
                if found is not None:
                    if every or found[0] not in {c for c, _ in out}:
                        out.append(found)
                    at += size
                    break
            else:
                at += 1
        return out

    def notions(self, text: str) -> dict[str, str]:
        """The situational notions a text names (who needs help, what happens) → its words there."""
        out: dict[str, list[str]] = {}
        for c, w in self.said(text, every=True):
            if c in self.situational:
                out.setdefault(c, []).append(w)
        return {c: "”, “".join(ws) for c, ws in out.items()}


@dataclass
class KnownItem:
    id: str
    text: str                  # the handbook's wording of the action (Vietnamese)
    sources: tuple[str, ...]   # the plan sentences it was taken from
    # their words, found once (every sentence of the plan is compared with every known item)
    words: frozenset[str] = field(init=False)
    source_words: tuple[frozenset[str], ...] = field(init=False)
    core_words: frozenset[str] = field(init=False)

    def __post_init__(self):
        self.words = words(self.text)
        self.core_words = words(PAREN_RE.sub("", self.text))  # its explanation in brackets aside
        self.source_words = tuple(words(s) for s in self.sources)

    def meaning(self, meaning: "Meaning") -> None:
        """Add the lexicon's notions its words name (once per lexicon)."""
        self.words = words(self.text) | meaning_tokens(meaning, self.text)
        self.core_words = words(PAREN_RE.sub("", self.text)) | meaning_tokens(meaning, PAREN_RE.sub("", self.text))


@dataclass
class Bullet:
    section: str
    text: str
    where: str
    matches: list[tuple[str, float]] = field(default_factory=list)  # known items, with their score
    why: dict[str, str] = field(default_factory=dict)  # known item → why it matched (Vietnamese)


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
    why: str = ""              # why it is (or is not) a known situation, in Vietnamese
    steps: tuple[str, ...] = ()  # a numbered procedure: its Bước, in order


def _children(sections: list[str], section: str) -> list[str]:
    depth = section.count(".") + 1
    return [s for s in sections if s.startswith(section + ".") and s.count(".") == depth]


def situations(blocks: list[Block], known: list[KnownSituation], items: list[KnownItem],
               lexicon=None) -> list[Proposal]:
    """The plan's situations: a heading with actions of its own (directly, in numbered paragraphs,
    or under role headings such as 'Kịch bản' / 'Phương án hỗ trợ'), not a structural part; a
    heading whose parts are the steps of one procedure ("Bước 1 …") is one situation, and so are
    steps that are the plan's top level, under no heading."""
    meaning = Meaning(lexicon)
    for item in items:
        item.meaning(meaning)
    weight = weights(items)
    sections = list(dict.fromkeys(b.section for b in blocks if b.section not in ("front", "back")))
    heads = {b.section: b for b in blocks if b.kind in ("h2", "h3", "h4")}
    out = []
    top = top_steps(blocks, sections)
    if top:
        out.append(_top_procedure(blocks, sections, top, known, items, meaning, weight))
    for section, head in heads.items():
        if section.split(".")[0] in top:
            continue  # a step of the top-level procedure, or a part of one
        title = heading_text(head.vi)
        if STEP_RE.match(head.vi) and section.count(".") and section.rsplit(".", 1)[0] in heads:
            continue  # a step of the procedure above it
        if ROLE_RE.match(title) and section.count(".") and section.rsplit(".", 1)[0] in heads \
                and len(title.split()) <= 6:
            continue  # 'Kịch bản xử lý' under a situation: part of it
        if STRUCTURAL_RE.search(title) and len(title.split()) <= 6:
            continue
        children = _children(sections, section)
        child_heads = [c for c in children if c in heads]
        steps = tuple(c for c in child_heads if STEP_RE.match(heads[c].vi))
        if steps and len(steps) < len(child_heads):
            steps = ()  # steps beside other parts: each part on its own
        if not steps and any(not (ROLE_RE.match(heading_text(heads[c].vi))
                                  and len(heading_text(heads[c].vi).split()) <= 6) for c in child_heads):
            continue  # a part holding situations, not one itself
        inner = [s for s in sections if s == section or s.startswith(section + ".")]
        bullets = [Bullet(b.section, b.vi, b.where) for b in blocks
                   if b.section in inner and b.kind in ("li", "p") and is_action(b.vi)]
        if not bullets:
            continue
        if steps:
            staff, support = steps, (section,)
        elif child_heads:
            staff = tuple(c for c in child_heads if STAFF_RE.search(heading_text(heads[c].vi)))
            support = tuple(c for c in child_heads if c not in staff)
            if not staff:
                staff, support = support[:1], support[1:]
        elif children:
            staff, support = tuple(children), (section,)
        else:
            staff, support = (section,), ()
        same_as, score, why = best_situation(title, known, meaning)
        if steps and same_as is None and any(k.id == PROCEDURE_SITUATION for k in known):
            name = next(k.title for k in known if k.id == PROCEDURE_SITUATION)
            same_as, why = PROCEDURE_SITUATION, (
                f"các bước {heads[steps[0]].vi.split(':')[0]} … {heads[steps[-1]].vi.split(':')[0]} là quy trình hỗ trợ người dân yếu thế của chính xã: một "
                f"hướng dẫn, mỗi bước một phần, ứng với tình huống “{name}” của sổ tay")
        for bullet in bullets:
            bullet.matches, bullet.why = match_items(bullet.text, items, meaning, weight)
        out.append(Proposal(section, title, head.where, same_as, score, staff, support, bullets, why,
                            steps))
    # one known situation is one guide: the best-matching section keeps it, others become new
    best: dict[str, Proposal] = {}
    for p in out:
        if p.same_as and (p.same_as not in best or p.score > best[p.same_as].score):
            best[p.same_as] = p
    for p in out:
        if p.same_as and best[p.same_as] is not p:
            p.why = (f"cũng giống tình huống “{_title(known, p.same_as)}”, nhưng mục "
                     f"{best[p.same_as].section} giống hơn: mục này thành tình huống mới")
            p.same_as = None
    return out


def top_steps(blocks: list[Block], sections: list[str]) -> tuple[str, ...]:
    """The sections of a procedure written as the plan's top level ("Bước 1: …" to "Bước N: …",
    under no heading): two or more, and every top-level section one of them."""
    first = {}
    for b in blocks:
        first.setdefault(b.section, b.vi)
    top = [s for s in sections if "." not in s]
    if len(top) >= 2 and all(STEP_RE.match(first[s]) for s in top):
        return tuple(top)
    return ()


def _top_procedure(blocks, sections, top, known, items, meaning, weight) -> Proposal:
    """A procedure that is the plan itself ("Bước 1 … Bước N" under no heading): one guide whose
    parts are the steps, the commune's procedure for vulnerable people (the handbook's
    on-the-spot, all-in service). Its heading is the plan's title (the plan's words for what the
    procedure is), else its first and last steps."""
    inner = [s for s in sections if s.split(".")[0] in top]
    bullets = [Bullet(b.section, b.vi, b.where) for b in blocks
               if b.section in inner and b.kind in ("li", "p") and is_action(b.vi)]
    for bullet in bullets:
        bullet.matches, bullet.why = match_items(bullet.text, items, meaning, weight)
    firsts = {}
    for b in blocks:
        firsts.setdefault(b.section, b)
    titles = [b.vi for b in blocks if b.section == "front" and b.kind == "title"]
    span = f"{firsts[top[0]].vi.split(':')[0]} … {firsts[top[-1]].vi.split(':')[0]}"
    heading = " ".join(titles[1:]) or span
    name = _title(known, PROCEDURE_SITUATION)
    same_as = PROCEDURE_SITUATION if any(k.id == PROCEDURE_SITUATION for k in known) else None
    why = (f"các bước {span} là cả kế hoạch, không nằm dưới tiêu đề nào: đó là quy trình hỗ trợ người dân yếu "
           f"thế của chính xã, một hướng dẫn, mỗi bước một phần, ứng với tình huống “{name}” của sổ tay"
           if same_as else "quy trình theo bước của xã: một hướng dẫn, mỗi bước một phần")
    return Proposal(top[0], heading, firsts[top[0]].where, same_as, 1.0, top, (), bullets, why, top)


def is_action(text: str) -> bool:
    """A sentence that may state an action: not a team's leader or members, not a lead-in."""
    return not ROSTER_RE.match(text) and not text.rstrip().endswith(":")


def _title(known: list[KnownSituation], sid: str) -> str:
    return next((k.title or k.id for k in known if k.id == sid), sid)


def best_situation(title: str, known: list[KnownSituation], meaning: Meaning | None = None,
                   ) -> tuple[str | None, float, str]:
    """The known situation this heading names (or None), its score, and why, in Vietnamese:
    the same words (Dice of the words), or the same notions (the lexicon's words)."""
    meaning = meaning or Meaning()
    mine = words(title)
    notions = meaning.notions(title)
    scored = []
    for k in known:
        by_words = max(dice(mine, words(t)) for t in k.texts)
        theirs: dict[str, str] = {}
        for t in k.texts:
            theirs.update(meaning.notions(t))
        by_meaning, shared = _same_notions(notions, theirs, meaning.broader)
        scored.append((max(by_words, by_meaning), by_words >= by_meaning, k, shared))
    scored.sort(key=lambda x: -x[0])
    if not scored:
        return None, 0.0, "sổ tay chưa có tình huống nào"
    score, by_words, k, shared = scored[0]
    tie = len(scored) > 1 and scored[1][0] == score and not by_words
    if score >= (SITUATION_MATCH if by_words else MEANING_MATCH) and not tie:
        if by_words:
            why = f"khớp vì: tiêu đề dùng cùng các từ với tình huống “{k.title or k.id}”"
        else:
            why = (f"khớp vì: tiêu đề nói {', '.join(f'“{w}”' for w in shared)}, cùng nghĩa với tình huống "
                   f"“{k.title or k.id}” (từ điển content/lexicon.toml)")
        return k.id, round(score, 2), why
    if tie:
        return None, round(score, 2), (f"giống ngang nhau hai tình huống “{k.title or k.id}” và "
                                       f"“{scored[1][2].title or scored[1][2].id}”: đề xuất là tình huống mới, "
                                       "người duyệt chọn")
    near = f"; gần nhất: “{k.title or k.id}”" if score >= 0.3 else ""
    return None, round(score, 2), f"không trùng tình huống nào của sổ tay{near}"


def _same_notions(mine: dict[str, str], theirs: dict[str, str], broader: dict[str, str],
                  ) -> tuple[float, list[str]]:
    """How far two headings name the same notions (a Dice over them, a narrower notion such as
    "khiếm thính" counting as the broader "khuyết tật" it is a kind of), and the words of mine
    that did."""
    if not mine or not theirs:
        return 0.0, []
    covered = [c for c in mine if c in theirs or broader.get(c) in theirs]
    named = set(mine) | {broader[c] for c in mine if c in broader}
    covered_theirs = [c for c in theirs if c in named]
    return (len(covered) + len(covered_theirs)) / (len(mine) + len(theirs)), [mine[c] for c in covered]


def weights(items: list[KnownItem]) -> dict[str, float]:
    """How much each word tells one known action from the others: rare words ("xe lăn", "cử
    chỉ") weigh more than words every action has ("người dân", "hỗ trợ") - an inverse document
    frequency over the known actions."""
    df: dict[str, int] = {}
    for item in items:
        for w in item.core_words:
            df[w] = df.get(w, 0) + 1
    n = len(items) + 1
    return {w: math.log(n / c) for w, c in df.items()}


def match_items(text: str, items: list[KnownItem], meaning: Meaning | None = None,
                weight: dict[str, float] | None = None) -> tuple[list[tuple[str, float]], dict[str, str]]:
    """The known actions this sentence states, best first, with the weighted share of their words
    in it, and why each matched (Vietnamese). An action far weaker than the best one of the same
    sentence is a word it merely shares ("phí" of "thu phí" in "thanh toán phí … khi có mạng")."""
    meaning = meaning or Meaning()
    weight = weight if weight is not None else weights(items)
    mine = words(text) | meaning_tokens(meaning, text)
    scored = []
    for item in items:
        total = sum(weight.get(w, 0.0) for w in item.core_words)
        share = sum(weight.get(w, 0.0) for w in item.core_words & mine) / total if total else 0.0
        copied = max((dice(mine, s) for s in item.source_words), default=0.0)
        if share >= ITEM_MATCH or (copied >= COPY_MATCH and contained(item.words, mine) >= COPY_ITEM):
            scored.append((item, share, copied))
    best = max((share for _, share, _ in scored), default=0.0)
    out, why = [], {}
    for item, share, copied in scored:
        if share < best - DOMINATED and copied < COPY_MATCH:  # (a copy of its source sentence stays)
            continue
        out.append((item.id, round(share, 2)))
        shared = item.core_words & mine
        same = sorted((w for w in shared if not w.startswith("§") and not set(w.split()) & STOP),
                      key=lambda w: -weight.get(w, 0.0))
        same = [w for w in same if " " in w] or same  # the two-syllable words say it best
        synonyms = [w for c, w in meaning.said(text) if f"§{c}" in shared]
        why[item.id] = ((f"khớp vì: câu lặp lại gần nguyên văn câu gốc của việc này ({_pct(copied)})"
                         if share < ITEM_MATCH else
                         f"khớp vì: câu có {_pct(share)} số từ của việc này, từ hiếm tính nặng hơn")
                        + (f"; từ chung: {', '.join(same[:5])}" if same else "")
                        + (f"; cùng nghĩa theo từ điển: {', '.join(f'“{w}”' for w in synonyms)}" if synonyms else ""))
    return sorted(out, key=lambda x: -x[1]), why


def _pct(x: float) -> str:
    return f"{x:.0%}"


def meaning_tokens(meaning: Meaning, text: str) -> frozenset[str]:
    """The lexicon's notions a text names, as words of their own: two sentences saying "tiền mặt"
    and "nộp tiền mặt" share one."""
    return frozenset(f"§{c}" for c, _ in meaning.said(text))


def _short_text(text: str, n: int = 8) -> str:
    parts = text.split()
    return " ".join(parts[:n]) + ("…" if len(parts) > n else "")


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
