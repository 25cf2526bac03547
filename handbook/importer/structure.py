"""A plan's paragraphs as blocks with sections: the numbering these plans use, whatever the mix.

Numbering styles, each a level of its own: ``I.`` (Roman parts), ``1.`` (items), ``1.1.`` and
``1.1.1.`` (dotted, under the item whose number they extend), ``a)`` (letters), ``(1)``
(bracketed), ``Tình huống N`` (situations), and the parts of a document: ``PHẦN I.`` / ``Phần thứ
nhất``, ``Chương I``, ``Mục 1``, ``Điều 1.`` (numbered through the document), ``Bước 1:`` (the
steps of one procedure). A style met again closes every deeper level (a
sibling): so the lists inside "PHẦN II" start again at 1. A style not open yet opens a level
under the current one, starting at 1 (an article, at the number after the last one). Anything
else is an error naming the paragraph: a number that is neither the next of its series nor
the first of a new one, a dotted number under another item.

A numbered line that does not end a sentence (no final ``.`` or ``;``) is a heading (h2, h3,
h4 by depth); one that does is a numbered paragraph of its section. Unnumbered lines are list
items (typed dash or Word bullet) or paragraphs of the section they follow. Before the first
section: the letterhead (meta), the title, the preamble. From the closing ("Trên đây", "Vậy,",
"Nơi nhận") on, with the free paragraphs just before it: the back matter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .read import Para, ReadError, roman

ROMAN_RE = re.compile(r"^(?P<n>[IVXL]+)\.\s+\S")
DOTTED_RE = re.compile(r"^(?P<n>\d{1,2}(?:\.\d{1,2}){1,2})\.?\s+\S")
ITEM_RE = re.compile(r"^(?P<n>\d{1,2})[.)]\s+\S")
LETTER_RE = re.compile(r"^(?P<n>[a-zđ])\)\s+\S")
BRACKET_RE = re.compile(r"^\((?P<n>\d{1,2})\)\s+\S")
CASE_RE = re.compile(r"^(?:Tình huống|TÌNH HUỐNG)\s+(?P<n>\d{1,2})\s*[:.\-–]", re.UNICODE)
# Parts of a document, each restarting the numbered lists inside it: "PHẦN I.", "Phần thứ nhất",
# "Chương II", "Mục 1", "Điều 3." (articles are numbered through the whole document), and the
# steps of one procedure, "Bước 1:".
ORDINALS = {"nhất": 1, "một": 1, "hai": 2, "ba": 3, "tư": 4, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7,
            "tám": 8, "chín": 9, "mười": 10}
_NUM = r"(?P<n>[IVXL]+|\d{1,3}|(?:thứ|THỨ)\s+(?P<w>\w+))"
_AFTER = r"(?:\s*[.:\-–]\s*|\s+|$)"
PART_RES = (
    ("part", re.compile(rf"^(?:PHẦN|Phần)\s+{_NUM}{_AFTER}", re.UNICODE)),
    ("chapter", re.compile(rf"^(?:CHƯƠNG|Chương)\s+{_NUM}{_AFTER}", re.UNICODE)),
    ("division", re.compile(r"^(?:MỤC|Mục)\s+(?P<n>\d{1,2}|[IVXL]+)(?:\s*[.:\-–]\s*|$)", re.UNICODE)),
    ("article", re.compile(r"^(?:ĐIỀU|Điều)\s+(?P<n>\d{1,3})(?:\s*[.:\-–]\s*|$)", re.UNICODE)),
    ("step", re.compile(r"^(?:BƯỚC|Bước)\s+(?P<n>\d{1,2})(?:\s*[.:\-–]\s*|$)", re.UNICODE)),
)
STEP_RE = PART_RES[-1][1]
CONTINUOUS = frozenset({"article"})  # numbered through the document, not restarting in each part
LETTERS = "abcdđefghiklmnopqrstuvxy"  # a), b), c), d), đ), e)… as Vietnamese documents count
TITLE_WORDS = ("PHƯƠNG ÁN", "KẾ HOẠCH", "KỊCH BẢN", "HƯỚNG DẪN", "QUY TRÌNH", "QUYẾT ĐỊNH")
CLOSING_RE = re.compile(r"^(Trên đây|Vậy,|Nơi nhận)", re.UNICODE)
RECIPIENTS_RE = re.compile(r"^Nơi nhận", re.UNICODE)
PREAMBLE_RE = re.compile(r"^(Căn cứ|Thực hiện|Nhằm|Để)\b", re.UNICODE)


@dataclass(frozen=True)
class Block:
    section: str
    kind: str
    vi: str
    where: str  # the paragraph it comes from


@dataclass(frozen=True)
class Marker:
    style: str   # roman, item, dotted2, dotted3, letter, bracket, case
    number: int
    dotted: tuple[int, ...] = ()


def marker(text: str) -> Marker | None:
    for style, pattern in PART_RES:
        if m := pattern.match(text):
            if m.groupdict().get("w"):
                value = ORDINALS.get(m["w"].lower(), 0)
            elif m["n"].isdigit():
                value = int(m["n"])
            else:
                value = _roman_value(m["n"])
            return Marker(style, value) if value else None
    if m := CASE_RE.match(text):
        return Marker("case", int(m["n"]))
    if m := DOTTED_RE.match(text):
        parts = tuple(int(x) for x in m["n"].split("."))
        return Marker(f"dotted{len(parts)}", parts[-1], parts)
    if m := ITEM_RE.match(text):
        return Marker("item", int(m["n"]))
    if m := ROMAN_RE.match(text):
        value = _roman_value(m["n"])
        return Marker("roman", value) if value else None
    if m := BRACKET_RE.match(text):
        return Marker("bracket", int(m["n"]))
    if m := LETTER_RE.match(text):
        return Marker("letter", LETTERS.index(m["n"]) + 1)
    return None


def _roman_value(text: str) -> int:
    for value in range(1, 40):
        if roman(value) == text:
            return value
    return 0


def is_heading(text: str) -> bool:
    return not text.rstrip().endswith((".", ";", "…"))


def parse(name: str, paras: list[Para]) -> list[Block]:
    """The plan's blocks, or :class:`ReadError` naming the paragraph whose numbering cannot be
    resolved, or saying that the file has no numbered sections (not a plan)."""
    paras = [p for p in paras if p.text]
    first = None
    for n, p in enumerate(paras):
        if not p.table and not p.bullet and (m := marker(p.text)) and m.style != "case":
            if _title_seen(paras[:n]) or n > 0:
                first = n
                break
    if first is None:
        raise ReadError(name, "không có mục nào được đánh số (I., 1., 1.1., a), (1), Tình huống 1)",
                        "nhập chính bản kế hoạch: các phần và mục của nó phải được đánh số như một văn bản "
                        "chính thức")
    closing = _closing_start(paras, first)
    blocks = _front(paras[:first])
    blocks += _body(name, paras[first:closing])
    blocks += _back(paras[closing:])
    return blocks


def _title_seen(paras: list[Para]) -> bool:
    return any(p.text.upper() == p.text and p.text.startswith(TITLE_WORDS) for p in paras)


def _front(paras: list[Para]) -> list[Block]:
    out = []
    title_at = next((n for n, p in enumerate(paras) if not p.table and p.text.startswith(TITLE_WORDS)
                     and p.text.upper() == p.text), None)
    in_title = False
    for n, p in enumerate(paras):
        if title_at is None:
            kind = "meta" if p.table else "p"
        elif n < title_at:
            kind = "meta"
        elif n == title_at:
            kind, in_title = "title", True
        elif in_title and not PREAMBLE_RE.match(p.text) and is_heading(p.text) and not p.text.endswith(":") \
                and len(p.text.split()) <= 40:
            kind = "title"
        else:
            kind, in_title = ("li" if p.bullet else "p"), False
        out.append(Block("front", kind, p.text, p.where))
    return out


def _closing_start(paras: list[Para], first: int) -> int:
    end = next((n for n in range(first, len(paras)) if not paras[n].bullet and CLOSING_RE.match(paras[n].text)),
               len(paras))
    start = end
    # free paragraphs just before the closing, after the last list item or numbered paragraph
    while start - 1 > first and _free(paras[start - 1]):
        start -= 1
    if start < end:
        before = paras[start - 1]
        if not (before.bullet or ((m := marker(before.text)) and not is_heading(before.text) and m)):
            start = end
    return start


def _free(p: Para) -> bool:
    return not p.bullet and not p.table and marker(p.text) is None


def _body(name: str, paras: list[Para]) -> list[Block]:
    stack: list[tuple[Marker, str]] = []  # open levels: (marker, section id)
    last: dict[str, int] = {}  # the last number of each style numbered through the document (Điều)
    out: list[Block] = []
    for p in paras:
        m = marker(p.text)
        if m is None and p.bullet and (cm := CASE_RE.match(p.text)):
            m = Marker("case", int(cm["n"]))
        if m is None:
            if not stack:  # cannot happen: the body starts at a numbered paragraph
                raise ReadError(f"{name}, {p.where}", "có chữ trước mục đầu tiên", "đánh số mục đầu tiên")
            out.append(Block(stack[-1][1], "li" if p.bullet else "p", p.text, p.where))
            continue
        section = _open(name, p, m, stack, last)
        depth = len(stack)
        if is_heading(p.text):
            kind = f"h{min(depth + 1, 4)}"
        else:
            kind = "p"
        out.append(Block(section, kind, p.text, p.where))
    return out


def _open(name: str, p: Para, m: Marker, stack: list[tuple[Marker, str]], last: dict[str, int]) -> str:
    where = f"{name}, {p.where}"
    label = _show(m) if m.style in STYLE_WORDS else p.text.split()[0]
    same = next((n for n in range(len(stack) - 1, -1, -1) if stack[n][0].style == m.style), None)
    if same is not None:
        previous = stack[same][0]
        if m.number != previous.number + 1:
            following = Marker(m.style, previous.number + 1, previous.dotted[:-1] + (previous.number + 1,))
            raise ReadError(where, f"'{label}' đứng sau '{_show(previous)}': số thứ tự bị nhảy hoặc lặp lại",
                            f"đánh số mục này là {_show(following)}, hoặc sửa các số đứng trước")
        del stack[same:]
    elif m.style in CONTINUOUS and m.number == last.get(m.style, 0) + 1:
        pass  # "Điều 4." opening the second part after "Điều 3." ended the first
    elif m.number != 1:
        parent = f" dưới '{_show(stack[-1][0])}'" if stack else ""
        raise ReadError(where, f"'{label}' mở một cấp đánh số mới{parent} nhưng không phải số đầu tiên "
                               "của cấp đó",
                        "đánh số mục đầu tiên của mỗi cấp là 1 (hoặc I., a), (1)), hoặc sửa số gõ nhầm")
    if m.dotted:
        # 2.1. belongs under the item 2., 2.1.3. under 2.1.
        prefix = m.dotted[:-1]
        parents = [mk for mk, _ in stack if mk.style == "item" or mk.style.startswith("dotted")]
        owner = parents[-1] if parents else None
        owner_number = (owner.dotted or (owner.number,)) if owner else None
        if owner_number != prefix:
            raise ReadError(where, f"'{label}' không nằm dưới mục {'.'.join(map(str, prefix))}"
                            + (f" (nó đứng sau '{_show(owner)}')" if owner else ""),
                            "đánh số lại cho khớp với mục bên trên, hoặc kiểm tra mục "
                            + ".".join(map(str, prefix)))
    last[m.style] = m.number
    parent_section = stack[-1][1] if stack else ""
    # a part is "I", "II" at the top (as the plans' Roman parts); below it every level is a number
    own = roman(m.number) if m.style in ("roman", "part", "chapter") and not parent_section else str(m.number)
    section = f"{parent_section}.{own}" if parent_section else own
    stack.append((m, section))
    return section


def _show(m: Marker) -> str:
    if m.style == "roman":
        return f"{roman(m.number)}."
    if m.dotted:
        return ".".join(map(str, m.dotted)) + "."
    if m.style == "letter":
        return f"{LETTERS[m.number - 1]})"
    if m.style == "bracket":
        return f"({m.number})"
    if m.style == "case":
        return f"Tình huống {m.number}"
    if m.style in STYLE_WORDS:
        return f"{STYLE_WORDS[m.style]} {roman(m.number) if m.style in ('part', 'chapter') else m.number}"
    return f"{m.number}."


STYLE_WORDS = {"part": "Phần", "chapter": "Chương", "division": "Mục", "article": "Điều", "step": "Bước"}


def _back(paras: list[Para]) -> list[Block]:
    out = []
    recipients = False
    for p in paras:
        if RECIPIENTS_RE.match(p.text):
            recipients = True
            out.append(Block("back", "meta", p.text, p.where))
        elif p.bullet:
            out.append(Block("back", "li", p.text, p.where))
        else:
            out.append(Block("back", "meta" if recipients else "p", p.text, p.where))
    return out
