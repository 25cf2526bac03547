"""Propose which of the handbook's procedure paths a commune's plan gives a basis for, and why,
in the plan's own words.

A path of content/wizard.toml stands on sections of the known plans (paper-first on Ngọk Réo's
outage section, assisted-online on Thái Hòa's "phục vụ tại chỗ, trọn gói", …). In a commune's
plan, its basis is the section proposed as the same situation, and only if that section states
something the path does (an action of the path's own ways in content/procedure.toml, as the
importer matched the sentence to it): then the path is offered there, citing that section, and
its reason is that section's heading and its first sentences that state the path's actions,
word for word. A path whose situation the plan does not have, or whose section states none of
its actions, is not offered there: the answers that lead to it take the default path, if that
one is offered. A commune adds no path. A person confirms or changes this in choices.toml
([path."ID"] offered, cites, reason).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from handbook.model.commune_folder import not_in_plan

from .propose import ROLE_RE, heading_text

MARKER_RE = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*[.)]|[a-zđ]\)|\(\d{1,2}\)|[-+•])\s+")
REASON_WORDS = 40  # the heading and the sentences after it: a second sentence only within this


@dataclass
class PathProposal:
    id: str
    offered: bool
    sections: tuple[str, ...] = ()  # the sections of the commune's plan it cites
    reason: str = ""                # the plan's words
    why: str = ""                   # why (not) offered, in Vietnamese, for the review
    basis: tuple[str, ...] = ()     # the known situations it stands on
    chosen: bool = False            # a person's choice (choices.toml)
    statements: list = field(default_factory=list)


def path_items(model, pid: str) -> set[str]:
    """The actions a path's own ways give: variants that require it; when none does (the paper
    path: its ways are the outage's), the variants standing on the sections the path cites."""
    path = next(p for p in model.wizard.paths if p.id == pid)
    own = {i for st in model.procedure.stages for v in st.variants if f"path:{pid}" in v.when for i in v.items}
    if own:
        return own
    return {i for st in model.procedure.stages for v in st.variants for i in v.items
            if any(_within(c, p) or _within(p, c) for c in v.cites for p in path.cites)}


def _within(a, b) -> bool:
    return a.plan == b.plan and (a.section == b.section or a.section.startswith(b.section + "."))


def propose(model, blocks, resolved, same: dict[str, str], choices: dict) -> list[PathProposal]:
    """Each path of the wizard: offered (its sections and reason) or not, and why.

    ``resolved``: per situation proposal, (proposal, same_as or "new", [(sentence, [known item
    ids it states])]); ``same``: known part → this plan's part (same heading and text)."""
    known = {s.id: s for s in model.situations.values() if not s.commune}
    heads = {b.section: b for b in blocks if b.kind in ("h2", "h3", "h4")}
    out = []
    for path in model.wizard.paths:
        situations = [k for k in known.values()
                      if any(_within(c, _cite(k.plan, sec)) for c in path.cites
                             for sec in (k.section, *k.staff, *k.support))]
        mine = [(p, bullets) for p, same_as, bullets in resolved if same_as in {k.id for k in situations}]
        sections = [own for cited, own in same.items()
                    if any(_within(c, _cite(*cited.split(":", 1))) for c in path.cites)]
        items = path_items(model, path.id)
        stated = [(p, bullet) for p, bullets in mine for bullet, ids in bullets if set(ids) & items]
        def names(of) -> str:
            return " hay ".join(f"“{model.t('vi', 'situations', k, 'title')}”" for k in dict.fromkeys(of))

        proposal = PathProposal(path.id, bool(stated), basis=tuple(k.id for k in situations))
        sames = {p.section: same_as for p, same_as, _ in resolved}
        if stated:
            proposal.sections = tuple(dict.fromkeys(_part(p, b.section) for p, b in stated))
            # the default path applies to everyone: its reason says what is done, not for whom
            proposal.reason = _reason([b for _, b in stated], heads, headed=path.id != model.wizard.default)
            proposal.statements = [b.text for _, b in stated]
            proposal.why = (f"khớp vì: mục {', '.join(dict.fromkeys(p.section for p, _ in stated))} của kế hoạch là "
                            f"tình huống {names(sames[p.section] for p, _ in stated)} và nêu việc của cách này: "
                            + "; ".join(f"“{_sentence(t)}”" for t in proposal.statements[:3]))
        elif mine or sections:
            proposal.why = (f"mục {', '.join(p.section for p, _ in mine) or ', '.join(sections)} là tình huống "
                            f"{names(sames[p.section] for p, _ in mine)} nhưng không nêu việc nào của cách này "
                            "(không có căn cứ)")
        else:
            proposal.why = (f"kế hoạch không có tình huống {names(k.id for k in situations)} (không có căn cứ)"
                            if situations else "kế hoạch không có mục nào làm căn cứ")
        chosen = choices.get(path.id, {})
        if chosen:
            proposal.chosen = True
            proposal.offered = chosen.get("offered", proposal.offered)
            if "cites" in chosen:
                proposal.sections = tuple(chosen["cites"])
            if "reason" in chosen:
                proposal.reason = chosen["reason"]
            if proposal.offered and not proposal.reason:  # a person offers it: the heading of its section
                proposal.reason = heading_text(heads[proposal.sections[0]].vi) if proposal.sections and \
                    proposal.sections[0] in heads else ""
        out.append(proposal)
    return out


def _part(proposal, section: str) -> str:
    """The part of a situation that holds ``section``: the situation's own section, or one of the
    parts it quotes outside it (a step of a procedure that is the plan's top level)."""
    for part in (proposal.section, *proposal.staff, *proposal.support):
        if section == part or section.startswith(part + "."):
            return part
    return proposal.section


def _cite(plan: str, section: str):
    from handbook.model import Citation  # noqa: PLC0415

    return Citation(plan, section)


def _reason(stated, heads, headed: bool = True) -> str:
    """The heading of the first section that states the path's actions (unless ``headed`` is
    false), then its first such sentences (a second one only while the whole stays short), word
    for word."""
    first = stated[0]
    head = _heading(first.section, heads)
    sentences = [b.text for b in stated if _heading(b.section, heads) == head]
    prefix = f"{heading_text(heads[head].vi)}: " if head and headed else ""
    text = _sentence(sentences[0])
    if len(sentences) > 1 and len(f"{prefix}{text} {sentences[1]}".split()) <= REASON_WORDS:
        text += " " + _sentence(sentences[1])
    return prefix + text


def _heading(section: str, heads) -> str:
    """The nearest heading at or above ``section`` that names something (not "Kịch bản")."""
    while section:
        head = heads.get(section)
        if head is not None and not (ROLE_RE.match(heading_text(head.vi)) and len(heading_text(head.vi).split()) <= 6):
            return section
        section = section.rsplit(".", 1)[0] if "." in section else ""
    return ""


def _sentence(text: str) -> str:
    """A list item as a sentence: without its number ("(1)", "2."), its closing ';' or ','
    becoming a full stop."""
    text = MARKER_RE.sub("", text.strip()).rstrip(";,")
    return text if text.endswith((".", "!", "?", "…")) else text + "."


def check_choice(cid: str, proposal: PathProposal, plan_blocks, sections: set[str]) -> str | None:
    """What is wrong with a person's choice for a path (in Vietnamese), or None."""
    if not proposal.offered:
        return None
    bad = [s for s in proposal.sections if s not in sections]
    if bad or not proposal.sections:
        return f"cites = {list(proposal.sections)}: không phải các mục của kế hoạch {cid} (ví dụ \"III.1\")"

    class _Plan:  # the blocks as the model's plan gives them
        id, blocks = cid, plan_blocks

    piece = not_in_plan(proposal.reason, _Plan, proposal.sections)
    if piece is not None:
        return (f"reason: “{piece[:80]}” không phải lời của kế hoạch trong mục {', '.join(proposal.sections)}")
    return None
