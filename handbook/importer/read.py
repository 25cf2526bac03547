"""Read a plan file (.docx, .txt, .md) into its paragraphs, in document order.

A paragraph is its text as the reader sees it, plus what the file says about it: a bullet from a
Word list style (no typed dash), a number from Word's automatic numbering (not in the text), a
cell of the letterhead table. Nothing is reworded: the only changes are conversion debris
(Word bookmarks, Markdown bold marks) and runs of white space.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

SUFFIXES = (".docx", ".txt", ".md")
DEBRIS = (re.compile(r"\[bookmark: [^\]]*\]"), re.compile(r"\*\*"), re.compile(r"__(?=\S)|(?<=\S)__"))
BULLET_RE = re.compile(r"^[-–•*+]\s+")
MD_HEADING_RE = re.compile(r"^#{1,6}\s+")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an encrypted .docx, or an old binary .doc


class ReadError(Exception):
    """A plan file that cannot be read: ``where`` (file, paragraph), what is wrong, the fix."""

    def __init__(self, where: str, message: str, fix: str):
        super().__init__(f"{where}: {message}\n  fix: {fix}")
        self.where, self.message, self.fix = where, message, fix


@dataclass(frozen=True)
class Para:
    text: str            # cleaned text (no debris, single spaces), without a typed bullet
    raw: str             # the line as written in the verbatim copy (typed bullet and Word number included)
    bullet: bool = False  # a list item (typed dash or Word bullet)
    number: str = ""     # Word's automatic number ("1.", "a)"), already part of `raw` and `text`
    table: bool = False  # a cell of a table (the letterhead)
    where: str = ""      # "line 12" or "paragraph 12": for messages


def clean(text: str) -> str:
    for pattern in DEBRIS:
        text = pattern.sub("", text)
    return " ".join(text.split())


def read(path: Path) -> list[Para]:
    """The paragraphs of ``path``; :class:`ReadError` for a file that is not a readable plan."""
    name = path.name
    if path.suffix.lower() not in SUFFIXES:
        raise ReadError(name, f"'{path.suffix or 'no suffix'}' is not a plan format this reads",
                        "save the plan as .docx (Word) or .txt (plain text, UTF-8) and import that")
    if not path.is_file():
        raise ReadError(name, "there is no such file", "give the path of the plan file: FILE=path/to/plan.docx")
    data = path.read_bytes()
    if path.suffix.lower() == ".docx":
        paras = _read_docx(name, data)
    else:
        paras = _read_text(name, data, markdown=path.suffix.lower() == ".md")
    if not any(p.text for p in paras):
        raise ReadError(name, "the document has no text (empty, or only images or scans)",
                        "import the plan's text: the Word file it was typed in, or a typed .txt copy")
    return paras


def _read_text(name: str, data: bytes, markdown: bool) -> list[Para]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise ReadError(f"{name}, line {line}", "the file is not UTF-8 text",
                        "save it again as UTF-8 (in Notepad: Save as, Encoding: UTF-8)") from None
    if "\x00" in text:
        raise ReadError(name, "this is not a text file", "import the .docx itself, or a .txt copy of its text")
    paras = []
    for n, line in enumerate(text.splitlines(), 1):
        raw = line.rstrip()
        body = MD_HEADING_RE.sub("", raw.strip()) if markdown else raw.strip()
        body = clean(body)
        bullet = bool(BULLET_RE.match(body))
        if bullet:
            body = BULLET_RE.sub("", body)
        paras.append(Para(body, raw, bullet=bullet, where=f"line {n}"))
    return paras


def _read_docx(name: str, data: bytes) -> list[Para]:
    if data.startswith(OLE_MAGIC):
        raise ReadError(name, "the document is password-protected (or an old .doc)",
                        "open it in Word, remove the password (File, Info, Protect document) and save as .docx")
    try:
        import docx  # python-docx
        from docx.opc.exceptions import PackageNotFoundError
    except ImportError:  # pragma: no cover - make installs it
        raise ReadError(name, "reading .docx needs python-docx", "run it through make: make import-plan ...")
    try:
        from io import BytesIO
        document = docx.Document(BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ReadError(name, f"this is not a Word document ({type(exc).__name__})",
                        "save the plan from Word as .docx, or import a .txt copy of its text") from None
    numbering = _Numbering(document)
    paras: list[Para] = []
    body = document.element.body
    count = 0
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            count += 1
            paras.append(_docx_para(docx.text.paragraph.Paragraph(child, document), numbering, f"paragraph {count}"))
        elif tag == "tbl":
            table = docx.table.Table(child, document)
            for row in table.rows:
                for cell in row.cells:
                    for p in cell.paragraphs:
                        count += 1
                        para = _docx_para(p, numbering, f"paragraph {count} (table)")
                        paras.append(Para(para.text, para.raw, table=True, where=para.where))
    return paras


def _docx_para(p, numbering: "_Numbering", where: str) -> Para:
    text = p.text.replace("\t", " ")
    body = clean(text)
    kind, label = numbering.label(p)
    if kind == "bullet" and body:
        return Para(BULLET_RE.sub("", body), f"- {text.strip()}", bullet=True, where=where)
    if label and body:
        return Para(f"{label} {body}", f"{label} {text.strip()}", number=label, where=where)
    bullet = bool(BULLET_RE.match(body))
    return Para(BULLET_RE.sub("", body) if bullet else body, text.rstrip(), bullet=bullet, where=where)


class _Numbering:
    """Word's automatic numbering: which list paragraphs are bullets, and the number each shows."""

    FORMATS = {"decimal", "upperRoman", "lowerRoman", "lowerLetter", "upperLetter", "bullet", "none"}

    def __init__(self, document):
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}
        self.counters: dict[str, list[int]] = {}
        try:
            root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            return
        ns = root.nsmap.get("w") or "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
        w = "{%s}" % ns
        abstract = {}
        for a in root.findall(f"{w}abstractNum"):
            lv = {}
            for lvl in a.findall(f"{w}lvl"):
                ilvl = int(lvl.get(f"{w}ilvl", "0"))
                fmt = lvl.find(f"{w}numFmt")
                text = lvl.find(f"{w}lvlText")
                start = lvl.find(f"{w}start")
                lv[ilvl] = (fmt.get(f"{w}val") if fmt is not None else "decimal",
                            text.get(f"{w}val") if text is not None else "",
                            int(start.get(f"{w}val")) if start is not None else 1)
            abstract[a.get(f"{w}abstractNumId")] = lv
        for num in root.findall(f"{w}num"):
            ref = num.find(f"{w}abstractNumId")
            if ref is not None:
                for ilvl, spec in abstract.get(ref.get(f"{w}val"), {}).items():
                    self.levels[(num.get(f"{w}numId"), ilvl)] = spec

    def label(self, p) -> tuple[str, str]:
        """("bullet", "") for a Word bullet, ("number", "1.") for a numbered paragraph, else ("", "")."""
        ppr = p._p.pPr
        numpr = ppr.numPr if ppr is not None else None
        if numpr is None and p.style is not None:  # numbering from the paragraph's style
            style = p.style
            while style is not None and numpr is None:
                spp = style.element.pPr
                numpr = spp.numPr if spp is not None else None
                style = style.base_style
        if numpr is None or numpr.numId is None:
            return "", ""
        num_id = str(numpr.numId.val)
        ilvl = numpr.ilvl.val if numpr.ilvl is not None else 0
        spec = self.levels.get((num_id, ilvl))
        if spec is None or num_id == "0":
            return "", ""
        fmt, pattern, start = spec
        if fmt == "bullet":
            return "bullet", ""
        counters = self.counters.setdefault(num_id, [])
        while len(counters) <= ilvl:
            counters.append(self.levels.get((num_id, len(counters)), ("", "", 1))[2] - 1)
        counters[ilvl] += 1
        del counters[ilvl + 1:]
        label = pattern
        for level, value in enumerate(counters):
            lfmt = self.levels.get((num_id, level), ("decimal", "", 1))[0]
            label = label.replace(f"%{level + 1}", _format(value, lfmt))
        return "number", label.strip()


def _format(value: int, fmt: str) -> str:
    if fmt in ("upperRoman", "lowerRoman"):
        out = roman(value)
        return out if fmt == "upperRoman" else out.lower()
    if fmt in ("lowerLetter", "upperLetter"):
        letter = "abcdefghijklmnopqrstuvwxyz"[(value - 1) % 26]  # Word counts in the Latin alphabet
        return letter if fmt == "lowerLetter" else letter.upper()
    return str(value)


def roman(value: int) -> str:
    out = ""
    for n, s in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                 (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while value >= n:
            out, value = out + s, value - n
    return out
