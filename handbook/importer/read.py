"""Read a plan file (.docx, .txt, .md, or a .pdf with a text layer) into its paragraphs, in order.

A paragraph is its text as the reader sees it, plus what the file says about it: a bullet from a
Word list style (no typed dash), a number from Word's automatic numbering (not in the text), a
cell of a table (the letterhead; a table inside a cell too). Nothing is reworded: the only
changes are conversion debris (Word bookmarks, Markdown bold marks), runs of white space, and
control characters (see ``visible``). The file is read within the bounds of limits.py: a .docx
is checked as a package first (package.py), and reading stops at the paragraph past a bound. A
.pdf is read with pypdf, page by page, its lines joined back into paragraphs where a sentence
runs on to the next line; a PDF without text (a scan) is refused with the fix: save it as .docx
or .txt.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, replace
from pathlib import Path

from . import package
from .errors import SPLIT_PLAN, ReadError
from .limits import (
    MAX_FILE_BYTES,
    MAX_PDF_PAGES,
    MAX_PDF_SECONDS,
    MAX_PARAGRAPH_CHARS,
    MAX_PARAGRAPHS,
    MAX_PLAN_BYTES,
    MAX_TABLE_DEPTH,
    megabytes,
    number,
)

__all__ = ["Para", "ReadError", "clean", "read", "roman", "visible"]

SUFFIXES = (".docx", ".txt", ".md", ".pdf")
DEBRIS = (re.compile(r"\[bookmark: [^\]]*\]"), re.compile(r"\*\*"), re.compile(r"__(?=\S)|(?<=\S)__"))
BULLET_RE = re.compile(r"^[-–•*+]\s+")
MD_HEADING_RE = re.compile(r"^#{1,6}\s+")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an encrypted .docx, or an old binary .doc
# Inside a paragraph, a character that breaks or separates lines (Word's line break, a vertical
# tab, a form feed, U+2028/U+2029, NEL) is a space: the sentence stays whole, in the blocks and
# in the verbatim copy alike (a .txt's paragraphs are its lines: \n, \r\n or \r, nothing else).
LINE_BREAKS_RE = re.compile(r"[\n\r\v\f\x1c-\x1f\x85\u2028\u2029]")
# Every other control character (C0 but the tab, DEL, C1) shows nothing and means nothing in a
# plan: removed from both copies, so that what is written is valid TOML and text.
CONTROLS_RE = re.compile(r"[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WORD_LEVELS = 9  # Word's list levels, ilvl 0-8


@dataclass(frozen=True)
class Para:
    text: str            # cleaned text (no debris, single spaces), without a typed bullet
    raw: str             # the line as written in the verbatim copy (typed bullet and Word number included)
    bullet: bool = False  # a list item (typed dash or Word bullet)
    number: str = ""     # Word's automatic number ("1.", "a)"), already part of `raw` and `text`
    table: bool = False  # a cell of a table (the letterhead)
    where: str = ""      # "dòng 12" or "đoạn 12": for messages


def visible(text: str) -> str:
    """The text as the reader sees it on one line: line breaks inside it are spaces, control
    characters are gone."""
    return CONTROLS_RE.sub("", LINE_BREAKS_RE.sub(" ", text))


def clean(text: str) -> str:
    for pattern in DEBRIS:
        text = pattern.sub("", text)
    return " ".join(text.split())


def read(path: Path) -> list[Para]:
    """The paragraphs of ``path``; :class:`ReadError` for a file that is not a readable plan, or
    one past a bound (limits.py), as soon as the bound is reached."""
    name = path.name
    if path.suffix.lower() not in SUFFIXES:
        raise ReadError(name, f"'{path.suffix or 'không có phần mở rộng'}' không phải định dạng kế hoạch "
                              "mà chương trình đọc được",
                        "lưu kế hoạch thành .docx (Word) hoặc .txt (văn bản thuần, UTF-8) rồi nhập tệp đó "
                        "(.pdf cũng được nếu có lớp chữ)")
    if not path.is_file():
        raise ReadError(name, "không có tệp này",
                        "ghi đúng đường dẫn tới tệp kế hoạch: FILE=thu-muc/ke-hoach.docx")
    data = _read_bounded(name, path)
    bounds = _Bounds(name)
    if path.suffix.lower() == ".docx":
        paras = _read_docx(name, data, bounds)
    elif path.suffix.lower() == ".pdf":
        paras = _read_pdf(name, data, bounds)
    else:
        paras = _read_text(name, data, bounds, markdown=path.suffix.lower() == ".md")
    if not any(p.text for p in paras):
        raise ReadError(name, "tài liệu không có chữ (trống, hoặc chỉ có ảnh hay bản scan)",
                        "nhập bản có chữ của kế hoạch: tệp Word đã soạn, hoặc bản .txt gõ lại")
    return paras


def _read_bounded(name: str, path: Path) -> bytes:
    """The file's bytes, reading no more than the bound (whatever its size claims to be)."""
    with path.open("rb") as handle:
        data = handle.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise ReadError(name, f"tệp nặng hơn {megabytes(MAX_FILE_BYTES)}; tệp kế hoạch tối đa "
                              f"{megabytes(MAX_FILE_BYTES)}",
                        "lưu kế hoạch không kèm ảnh hay văn bản khác (trong Word: nén hoặc xóa ảnh), hoặc "
                        "nhập bản .txt chỉ có chữ")
    return data


class _Bounds:
    """What has been read so far: a plan past a bound is refused at the paragraph that passes it."""

    def __init__(self, name: str):
        self.name, self.count, self.size = name, 0, 0

    def add(self, para: Para) -> Para:
        where = f"{self.name}, {para.where}"
        self.count += 1
        if self.count > MAX_PARAGRAPHS:
            raise ReadError(where, f"kế hoạch có hơn {number(MAX_PARAGRAPHS)} đoạn (kể cả dòng trống); kế "
                                   "hoạch dài nhất hiện có 101 đoạn", SPLIT_PLAN)
        if len(para.text) > MAX_PARAGRAPH_CHARS:
            raise ReadError(where, f"đoạn này dài {number(len(para.text))} ký tự; một đoạn tối đa "
                                   f"{number(MAX_PARAGRAPH_CHARS)}",
                            "xuống dòng giữa các ý (mỗi ý một đoạn), hoặc xóa phần dán nhầm vào")
        self.size += len(para.text.encode("utf-8"))
        if self.size > MAX_PLAN_BYTES:
            raise ReadError(where, f"chữ của kế hoạch tới đây đã quá {number(MAX_PLAN_BYTES // 1000)} KB, "
                                   "giới hạn của một kế hoạch (kế hoạch dài nhất hiện có 12 KB)", SPLIT_PLAN)
        return para


def _read_text(name: str, data: bytes, bounds: _Bounds, markdown: bool) -> list[Para]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise ReadError(f"{name}, dòng {line}", "tệp không phải văn bản UTF-8",
                        "lưu lại tệp với mã UTF-8 (trong Notepad: Lưu thành…, Mã hóa: UTF-8)") from None
    if "\x00" in text:
        raise ReadError(name, "đây không phải tệp văn bản",
                        "nhập chính tệp .docx, hoặc bản .txt chứa chữ của nó")
    paras = []
    # universal newlines: a line ends at \n, \r\n or \r (and at nothing else: see LINE_BREAKS_RE)
    for n, line in enumerate(io.StringIO(text, newline=None), 1):
        raw = visible(line).rstrip()
        body = MD_HEADING_RE.sub("", raw.strip()) if markdown else raw.strip()
        body = clean(body)
        bullet = bool(BULLET_RE.match(body))
        if bullet:
            body = BULLET_RE.sub("", body)
        paras.append(bounds.add(Para(body, raw, bullet=bullet, where=f"dòng {n}")))
    return paras


SCANNED = "lưu kế hoạch thành .docx hoặc .txt (mở bản Word gốc, Tệp > Lưu thành…) rồi nhập tệp đó; nếu chỉ có bản " \
          "scan, gõ lại kế hoạch thành .txt"
PDF_BULLET_RE = re.compile(r"^[\uf0b7\uf0a7\uf076\uf0d8●○◦▪■►•·]\s*")
COLUMNS_RE = re.compile(r"\s{6,}")  # text this far apart on one printed line: two columns
PAGE_NUMBER_RE = re.compile(r"^(?:trang\s+)?\d{1,3}(?:\s*/\s*\d{1,3})?$", re.I)
ENDS_SENTENCE = (".", ";", ":", "!", "?", "…")
RUN_ON_CHARS = 60  # a line of a printed page holds 80 to 100 characters: one this long may be cut


def _read_pdf(name: str, data: bytes, bounds: _Bounds) -> list[Para]:
    """The text layer of a PDF, as paragraphs: pypdf's lines, a line that runs on from the one
    before (a sentence wrapped at the page's margin) joined back to it, page numbers dropped."""
    import logging
    import time

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError, PyPdfError

    if not data.startswith(b"%PDF-"):
        raise ReadError(name, "đây không phải tệp PDF", "lưu kế hoạch thành .docx hoặc .txt rồi nhập tệp đó")
    started = time.monotonic()
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings about a damaged file: said below, once
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ReadError(name, "tệp PDF có đặt mật khẩu", "mở bằng phần mềm đọc PDF, bỏ mật khẩu rồi lưu lại; "
                                                            "hoặc " + SCANNED.split("; nếu")[0])
        pages = len(reader.pages)
        if pages > MAX_PDF_PAGES:
            raise ReadError(name, f"tệp PDF có {number(pages)} trang; một kế hoạch tối đa {MAX_PDF_PAGES} trang",
                            SPLIT_PLAN)
        lines: list[tuple[str, str]] = []  # ("", …): a blank line, where a paragraph surely ends
        for n, page in enumerate(reader.pages, 1):
            if time.monotonic() - started > MAX_PDF_SECONDS:
                raise ReadError(f"{name}, trang {n}", f"đọc tệp PDF quá {MAX_PDF_SECONDS} giây (tệp bất thường)",
                                SCANNED.split("; nếu")[0])
            # the layout mode places the glyphs as printed: words whole, a blank line between paragraphs
            text = page.extract_text(extraction_mode="layout") or ""
            for m, line in enumerate(text.splitlines(), 1):
                for column in COLUMNS_RE.split(visible(line).strip()):  # a letterhead's two cells
                    lines.append((column.strip(), f"trang {n}, dòng {m}"))
            lines.append(("", f"trang {n}"))
    except ReadError:
        raise
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError,
            RecursionError, OSError, ZeroDivisionError) as exc:
        raise ReadError(name, f"không đọc được tệp PDF ({type(exc).__name__})",
                        "lưu lại tệp PDF từ bản gốc, hoặc " + SCANNED.split("; nếu")[0]) from None
    if not any(text for text, _ in lines):
        raise ReadError(name, f"tệp PDF {number(pages)} trang không có lớp chữ: đây là bản scan hoặc ảnh chụp, "
                              "chương trình không đọc được chữ trong ảnh", SCANNED)
    paras: list[Para] = []
    broken = True  # a blank line since the last paragraph: the next line starts a new one
    for text, where in lines:
        if not text or PAGE_NUMBER_RE.match(text):
            broken = broken or not text
            continue
        bullet = bool(PDF_BULLET_RE.match(text) or BULLET_RE.match(text))
        body = clean(BULLET_RE.sub("", PDF_BULLET_RE.sub("", text)))
        joins = paras and not bullet and not broken and _runs_on(paras[-1].text, body)
        broken = False
        if joins:
            last = paras.pop()
            bounds.count -= 1
            bounds.size -= len(last.text.encode("utf-8"))
            joined = f"{last.text} {body}"
            paras.append(bounds.add(replace(last, text=joined, raw=f"{last.raw} {body}")))
            continue
        raw = f"- {body}" if bullet else body
        paras.append(bounds.add(Para(body, raw, bullet=bullet, where=where)))
    return paras


def _runs_on(before: str, line: str) -> bool:
    """Whether ``line`` continues the sentence of the line before it: it starts in lower case
    (a Vietnamese sentence, a heading or a numbered item starts with a capital or a number), or
    the line before stopped mid-sentence (a comma, or a long line without a full stop) and this
    one is no numbered item."""
    if not line or not before:
        return False
    if line[0].islower():
        return True
    from .structure import marker  # noqa: PLC0415 - structure imports this module

    if marker(line) is not None:
        return False
    # a comma, or a long line stopped without a sentence's end: the margin cut it (a heading or a
    # title line is short, or followed by a number)
    return before.endswith(",") or (len(before) >= RUN_ON_CHARS and not before.endswith(ENDS_SENTENCE))


def _read_docx(name: str, data: bytes, bounds: _Bounds) -> list[Para]:
    if data.startswith(OLE_MAGIC):
        raise ReadError(name, "tài liệu có đặt mật khẩu (hoặc là tệp .doc cũ)", package.UNLOCK)
    package.check(name, data)  # bounded and well-formed before python-docx reads it
    try:
        import docx  # python-docx
        from docx.oxml.exceptions import InvalidXmlError
    except ImportError:  # pragma: no cover - make installs it
        raise ReadError(name, "cần python-docx để đọc .docx", "chạy qua make: make import-plan ...") from None
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - python-docx failing on a checked package: not a Word file
        raise ReadError(name, f"đây không phải tài liệu Word ({type(exc).__name__})",
                        package.NOT_WORD) from None
    walk = _Walk(name, document, bounds)
    try:
        walk.container(document.element.body, 0)
    except (ValueError, KeyError, InvalidXmlError) as exc:  # an attribute Word never writes
        raise ReadError(f"{name}, đoạn {bounds.count + 1}",
                        f"tài liệu Word bị hỏng ở đoạn này ({type(exc).__name__}: {exc})",
                        package.RESAVE) from None
    return walk.paras


class _Walk:
    """The document's paragraphs in reading order: the body's, and each table cell's (each cell
    once, whatever it spans), tables inside cells included."""

    def __init__(self, name: str, document, bounds: _Bounds):
        self.name, self.document, self.bounds = name, document, bounds
        self.numbering = _Numbering(document)
        self.paras: list[Para] = []

    def container(self, element, depth: int) -> None:
        from docx.text.paragraph import Paragraph

        for child in element.iterchildren(f"{W}p", f"{W}tbl"):
            if child.tag == f"{W}p":
                where = f"đoạn {self.bounds.count + 1}" + (" (bảng)" if depth else "")
                para = _docx_para(Paragraph(child, self.document), self.numbering, where)
                self.paras.append(self.bounds.add(replace(para, table=True) if depth else para))
            elif depth >= MAX_TABLE_DEPTH:
                where = f"{self.name}, đoạn {self.bounds.count + 1}"
                raise ReadError(where, package.TOO_DEEP, package.TOO_DEEP_FIX)
            else:
                for row in child.iterchildren(f"{W}tr"):
                    for cell in row.iterchildren(f"{W}tc"):
                        self.container(cell, depth + 1)


def _docx_para(p, numbering: "_Numbering", where: str) -> Para:
    text = visible(p.text).replace("\t", " ")
    body = clean(text)
    kind, label = numbering.label(p)
    if kind == "bullet" and body:
        return Para(BULLET_RE.sub("", body), f"- {text.strip()}", bullet=True, where=where)
    if label and body:
        return Para(f"{label} {body}", f"{label} {text.strip()}", number=label, where=where)
    bullet = bool(BULLET_RE.match(body))
    return Para(BULLET_RE.sub("", body) if bullet else body, text.rstrip(), bullet=bullet, where=where)


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


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
                ilvl = _int(lvl.get(f"{w}ilvl"), 0)
                if not 0 <= ilvl < WORD_LEVELS:
                    continue
                fmt = lvl.find(f"{w}numFmt")
                text = lvl.find(f"{w}lvlText")
                start = lvl.find(f"{w}start")
                lv[ilvl] = (fmt.get(f"{w}val") if fmt is not None else "decimal",
                            text.get(f"{w}val") if text is not None else "",
                            _int(start.get(f"{w}val"), 1) if start is not None else 1)
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
            style, seen = p.style, set()
            while style is not None and numpr is None and style.style_id not in seen:  # basedOn may loop
                seen.add(style.style_id)
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
    if fmt in ("upperRoman", "lowerRoman") and 0 < value < 4000:  # no roman number past 3999: digits
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
