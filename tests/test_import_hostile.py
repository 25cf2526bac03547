"""Hostile and broken plan files (issue 19): a clear answer, bounded, nothing lost, nothing leaked.

Every input here is made by the test itself (zip bombs included: a deflate stream of a repeated,
fully flushed block is written straight into a zip, so a part that inflates to 1.2 GB costs a
1.2 MB file and no inflating). The importer runs in a subprocess under a 2 GB address-space cap,
with a temporary project root (--root: a copy of content/). Each ends in a clean import that
keeps every sentence, or a refusal: exit status 2, the file and the place (part, paragraph,
line) on the first line, a fix, no traceback, and content/ exactly as it was (no commune
folder, no staging folder left behind).
"""

from __future__ import annotations

import functools
import hashlib
import io
import os
import random
import re
import resource
import shutil
import stat
import struct
import subprocess
import sys
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import markdown
import pytest
import yaml
from lxml import html as lxml_html

import plan_fixtures
from conftest import ROOT
from handbook.importer import limits, package
from handbook.importer.read import roman
from handbook.model import load
from handbook.render import Renderer, md_escape
from test_faithful import missing_or_out_of_order, original_lines

MEMORY_CAP = 2 << 30  # bytes of address space for the importer: a plan at every bound needs far less
MB = 1 << 20


# --------------------------------------------------------------------------- running the importer


def project_root(path: Path) -> Path:
    """A project root for --root: the handbook's content/, copied (the real one is never written)."""
    shutil.copytree(ROOT / "content", path / "content")
    return path


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    return project_root(tmp_path_factory.mktemp("hostile-root"))


def run_import(root: Path, file: Path, cid: str, umask: int | None = None) -> subprocess.CompletedProcess:
    def bounded():
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))
        if umask is not None:
            os.umask(umask)

    return subprocess.run([sys.executable, "-m", "handbook.importer", str(file), cid, "--root", str(root)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120, preexec_fn=bounded,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


def snapshot(folder: Path) -> dict[str, str]:
    """Every entry under ``folder``, hidden ones too: a file's hash, a folder, a link's target."""
    out = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_symlink():
            out[rel] = f"link {os.readlink(path)}"
        elif path.is_dir():
            out[rel] = "dir"
        else:
            out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def refused(root: Path, file: Path, cid: str, where: tuple[str, ...], says: tuple[str, ...]) -> str:
    """Import ``file``; assert the refusal (the file and the place on the first line, ``says`` in
    the message, a fix, no traceback) and that nothing was written. Returns the message."""
    before = snapshot(root / "content")
    done = run_import(root, file, cid)
    message = done.stderr
    assert done.returncode == 2, f"exit {done.returncode}\n{message}\n{done.stdout[-2000:]}"
    assert "Traceback" not in message + done.stdout, message
    first = message.splitlines()[0]
    assert first.startswith("import-plan: ") and all(w in first for w in where), message
    assert all(s in message for s in says), message
    fix = re.search(r"^  cách sửa: (.+)$", message, re.MULTILINE)
    assert fix and len(fix[1]) > 20, message
    assert "chưa ghi gì cả" in message
    assert snapshot(root / "content") == before, "something was written under content/"
    assert not (root / "content" / "communes" / cid).exists()
    return message


def imported(root: Path, file: Path, cid: str, umask: int | None = None):
    """Import ``file``; assert it succeeded and that every line of the verbatim copy is in its
    blocks, in order; returns the model (every plan, this one's too)."""
    done = run_import(root, file, cid, umask)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    model = load(root)
    plan = model.plans[cid]
    original = plan.original.read_text(encoding="utf-8")
    blocks = " ".join(b.vi for b in plan.blocks)
    assert not missing_or_out_of_order(original_lines(original), blocks)
    assert not [p for p in (root / "content" / "communes").iterdir() if p.name.startswith(f".{cid}")]
    return model


def plan_lines(name: str = "letters") -> list[str]:
    """A fixture plan as the lines of a .txt."""
    return [f"- {text}" if kind == "li" else text for kind, text in plan_fixtures.FIXTURES[name]]


def write_txt(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# --------------------------------------------------------------------------- making .docx files


@dataclass(frozen=True)
class Inflating:
    """A deflated part made without deflating it all: ``chunk`` repeated ``count`` times. Each
    chunk is deflated once and fully flushed, so its compressed block is the same every time and
    is simply repeated. ``declared``: the size the zip's directory claims (a lie when given)."""

    chunk: bytes
    count: int
    declared: int | None = None

    def encode(self) -> tuple[bytes, int, int]:
        compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
        block = compressor.compress(self.chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
        data = block * self.count + compressor.flush()
        crc = 0
        for _ in range(self.count):
            crc = zlib.crc32(self.chunk, crc)
        size = len(self.chunk) * self.count
        return data, crc, self.declared if self.declared is not None else size


def zip_package(path: Path, parts: dict[str, bytes | Inflating]) -> Path:
    """A zip written entry by entry (PKZIP: local header, data; central directory; end record),
    so that a part's compressed data can be given as it is."""
    out, central = io.BytesIO(), []
    for name, content in parts.items():
        if isinstance(content, Inflating):
            data, crc, size = content.encode()
        else:
            compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
            data = compressor.compress(content) + compressor.flush()
            crc, size = zlib.crc32(content), len(content)
        offset, encoded = out.tell(), name.encode()
        # version 2.0, no flags, deflated, 1980-01-01 00:00, then the checksum and both sizes
        out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0x21, crc, len(data), size,
                              len(encoded), 0))
        out.write(encoded + data)
        central.append(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0x21, crc, len(data), size,
                                   len(encoded), 0, 0, 0, 0, 0, offset) + encoded)
    directory = b"".join(central)
    start = out.tell()
    out.write(directory)
    out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(parts), len(parts), len(directory), start, 0))
    path.write_bytes(out.getvalue())
    return path


def docx_parts(tmp_path: Path, name: str = "letters") -> dict[str, bytes]:
    """The parts of a fixture plan saved by python-docx."""
    path = plan_fixtures.write_docx(name, tmp_path / "fixture.docx")
    with zipfile.ZipFile(path) as archive:
        return {i.filename: archive.read(i) for i in archive.infolist()}


def with_body(parts: dict[str, bytes], xml: str, before: str = "<w:sectPr") -> dict[str, bytes]:
    """The parts with ``xml`` inserted in the body of word/document.xml, before ``before``."""
    document = parts["word/document.xml"].decode("utf-8")
    at = document.index(before)
    return {**parts, "word/document.xml": (document[:at] + xml + document[at:]).encode("utf-8")}


def paragraph(text: str) -> str:
    return f'<w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def nested_tables(depth: int, text: str = "ô") -> str:
    """A table in a cell of a table… ``depth`` deep, a paragraph at the bottom."""
    return "<w:tbl><w:tr><w:tc>" * depth + paragraph(text) + "</w:tc></w:tr></w:tbl>" * depth


def with_image(parts: dict[str, bytes], image: Inflating) -> dict[str, bytes | Inflating]:
    """The parts plus word/media/bomb.png, which the document points to (python-docx loads it)."""
    image_type = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
    rels = parts["word/_rels/document.xml.rels"].decode("utf-8").replace(
        "</Relationships>",
        f'<Relationship Id="rIdBomb" Type="{image_type}" Target="media/bomb.png"/></Relationships>')
    types = parts["[Content_Types].xml"].decode("utf-8").replace(
        "<Default ", '<Default Extension="png" ContentType="image/png"/><Default ', 1)
    return {**parts, "word/_rels/document.xml.rels": rels.encode(), "[Content_Types].xml": types.encode(),
            "word/media/bomb.png": image}


ZEROS = bytes(MB)


def patterned(every: int) -> bytes:
    """1 MB of zeros with a random byte every ``every`` bytes: deflates about 50 times at 128."""
    rng, data = random.Random(19), bytearray(MB)
    for i in range(0, MB, every):
        data[i] = rng.randrange(256)
    return bytes(data)


# --------------------------------------------------------------------------- 1. resources


def test_a_docx_whose_text_inflates_to_1_2_gb_is_refused_unread(root, tmp_path):
    parts = docx_parts(tmp_path)
    parts["word/document.xml"] = Inflating(ZEROS, 1200)
    path = zip_package(tmp_path / "bom-chu.docx", parts)
    assert path.stat().st_size < 2 * MB
    refused(root, path, "fx-bomb-text", ("bom-chu.docx", "phần word/document.xml"),
            ("giải nén ra 1258,3 MB", f"tối đa {limits.megabytes(limits.MAX_PART_BYTES)}"))


def test_a_docx_whose_picture_inflates_to_1_2_gb_is_refused_unread(root, tmp_path):
    path = zip_package(tmp_path / "bom-anh.docx", with_image(docx_parts(tmp_path), Inflating(ZEROS, 1200)))
    refused(root, path, "fx-bomb-image", ("bom-anh.docx", "phần word/media/bomb.png"),
            ("giải nén ra 1258,3 MB", "Nén ảnh"))


def test_a_part_that_shrank_a_thousandfold_is_refused(root, tmp_path):
    """Within the size bound, but no Word part compresses like that."""
    path = zip_package(tmp_path / "ti-le.docx", with_image(docx_parts(tmp_path), Inflating(ZEROS, 5)))
    refused(root, path, "fx-ratio", ("ti-le.docx", "phần word/media/bomb.png"), ("nén nhỏ đi", "zip bomb"))


def test_parts_within_every_bound_but_too_large_together_are_refused(root, tmp_path):
    chunk = patterned(128)
    part = Inflating(chunk, 19)
    ratio = len(chunk) / len(zlib.compress(chunk, 9))
    assert 20 < ratio < limits.MAX_RATIO and 19 * MB < limits.MAX_PART_BYTES  # only the total is past a bound
    parts = {**with_image(docx_parts(tmp_path), part), "word/media/b2.png": part, "word/media/b3.png": part}
    path = zip_package(tmp_path / "tong.docx", parts)
    refused(root, path, "fx-total", ("tong.docx",),
            ("tổng cộng", limits.megabytes(limits.MAX_PARTS_TOTAL_BYTES)))


def test_a_part_that_lies_about_its_size_is_refused(root, tmp_path):
    """The directory says 2 KB, the data inflates to 3 GB, past the memory cap: only a reader
    that stops at the declared size (and then finds the checksum wrong) can refuse it cleanly."""
    parts = docx_parts(tmp_path)
    parts["word/document.xml"] = Inflating(ZEROS, 3000, declared=2048)
    path = zip_package(tmp_path / "noi-doi.docx", parts)
    refused(root, path, "fx-liar", ("noi-doi.docx", "phần word/document.xml"), ("tệp bị hỏng",))


def test_a_docx_of_a_thousand_parts_is_refused(root, tmp_path):
    parts = docx_parts(tmp_path)
    parts.update({f"customXml/x{n}.bin": b"x" for n in range(limits.MAX_PARTS)})
    path = zip_package(tmp_path / "nhieu-phan.docx", parts)
    refused(root, path, "fx-parts", ("nhieu-phan.docx",), (f"{limits.number(len(parts))} phần",))


@pytest.mark.parametrize("suffix", ["txt", "docx"])
def test_a_file_past_20_mb_is_refused_without_reading_it(root, tmp_path, suffix):
    path = tmp_path / f"qua-lon.{suffix}"
    with path.open("wb") as handle:  # sparse: the size is what counts
        handle.truncate(limits.MAX_FILE_BYTES + 1)
    refused(root, path, f"fx-big-{suffix}", ("qua-lon",),
            (f"tối đa {limits.megabytes(limits.MAX_FILE_BYTES)}",))


# --------------------------------------------------------------------------- 2. XML

LAUGHS = ('<!DOCTYPE w:document [<!ENTITY lol0 "lol">'  # lol9: a billion lols
          + "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)) + "]>")
PASSWD = '<!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>'


def with_doctype(parts: dict[str, bytes], part: str, doctype: str, use: str = "") -> dict[str, bytes]:
    """``part`` with ``doctype`` after its XML declaration, and ``use`` (an entity) in a sentence."""
    text = parts[part].decode("utf-8")
    declaration = text.index("?>") + 2
    text = text[:declaration] + doctype + text[declaration:]
    if use:
        text = text.replace("Kiểm tra thông tin", f"Kiểm tra thông tin {use}", 1)
    return {**parts, part: text.encode("utf-8")}


@pytest.mark.parametrize("case,part,doctype,use", [
    ("laughs", "word/document.xml", LAUGHS, "&lol9;"),
    ("external", "word/document.xml", PASSWD, "&x;"),
    ("styles", "word/styles.xml", '<!DOCTYPE w:styles [<!ENTITY y "y">]>', ""),
    ("types", "[Content_Types].xml", '<!DOCTYPE Types SYSTEM "http://example.invalid/types.dtd">', ""),
])
def test_a_part_declaring_entities_was_not_saved_by_word(root, tmp_path, case, part, doctype, use):
    path = zip_package(tmp_path / "thuc-the.docx", with_doctype(docx_parts(tmp_path), part, doctype, use))
    message = refused(root, path, f"fx-entity-{case}", ("thuc-the.docx", f"phần {part}"),
                      ("<!DOCTYPE, <!ENTITY", package.RESAVE))
    assert "root:" not in message  # nothing of /etc/passwd


def test_malformed_xml_is_refused_with_its_line(root, tmp_path):
    parts = docx_parts(tmp_path)
    document = parts["word/document.xml"].decode("utf-8").replace("<w:body>", "<w:body>\n<w:p><w:r>", 1)
    path = zip_package(tmp_path / "hong.docx", {**parts, "word/document.xml": document.encode()})
    refused(root, path, "fx-malformed", ("hong.docx", "phần word/document.xml", "dòng "),
            ("XML bị hỏng", package.RESAVE))


def test_tables_nested_a_thousand_deep_are_refused(root, tmp_path):
    path = zip_package(tmp_path / "long-nhau.docx", with_body(docx_parts(tmp_path), nested_tables(1000)))
    refused(root, path, "fx-deep", ("long-nhau.docx", "phần word/document.xml"),
            ("lồng nhau quá sâu", package.TOO_DEEP))


def test_tables_nested_past_the_bound_are_refused_at_their_paragraph(root, tmp_path):
    """Deeper than the importer reads, not as deep as the XML parser stops."""
    path = zip_package(tmp_path / "long-nhau.docx",
                       with_body(docx_parts(tmp_path), nested_tables(limits.MAX_TABLE_DEPTH + 10)))
    refused(root, path, "fx-deep-60", ("long-nhau.docx", "đoạn "), (package.TOO_DEEP,))


def test_text_in_nested_and_merged_cells_is_imported_once_each(root, tmp_path):
    """Before: a table inside a cell was skipped, and a merged cell's text came once per column
    it spans (and again for each row it spans down)."""
    merged = ('<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="2"/><w:vMerge w:val="restart"/></w:tcPr>'
              f'{paragraph("UBND XÃ SƠN LONG")}</w:tc>'
              f'<w:tc>{paragraph("Số: 07/KH-UBND")}{nested_tables(2, "Ô lồng hai tầng")}</w:tc></w:tr>'
              '<w:tr><w:tc><w:tcPr><w:gridSpan w:val="2"/><w:vMerge/></w:tcPr><w:p/></w:tc>'
              f'<w:tc>{nested_tables(limits.MAX_TABLE_DEPTH - 1, "Ô lồng sâu nhất")}</w:tc></w:tr></w:tbl>')
    parts = with_body(docx_parts(tmp_path), merged, before="<w:tbl>")  # first in the body
    model = imported(root, zip_package(tmp_path / "bang.docx", parts), "fx-tables")
    meta = [b.vi for b in model.plans["fx-tables"].blocks if b.kind == "meta"]
    assert meta[:4] == ["UBND XÃ SƠN LONG", "Số: 07/KH-UBND", "Ô lồng hai tầng", "Ô lồng sâu nhất"]


def test_word_line_breaks_and_hostile_numbering_keep_the_text(root, tmp_path):
    """A line break inside a paragraph (Word's Shift+Enter) keeps the sentence whole; a style
    based on itself, a list level of two billion and a start of a billion end neither in a hang
    nor in a traceback."""
    parts = docx_parts(tmp_path)
    sentence = "Kiểm tra thông tin trên hệ thống:"
    document = parts["word/document.xml"].decode("utf-8").replace(
        sentence, 'Kiểm tra thông tin</w:t></w:r><w:r><w:br/><w:t xml:space="preserve">trên hệ thống:', 1)
    styles = parts["word/styles.xml"].decode("utf-8").replace(
        "</w:styles>", '<w:style w:type="paragraph" w:styleId="Loop1"><w:name w:val="Loop1"/>'
                       '<w:basedOn w:val="Loop2"/></w:style><w:style w:type="paragraph" w:styleId="Loop2">'
                       '<w:name w:val="Loop2"/><w:basedOn w:val="Loop1"/></w:style></w:styles>')
    levels = ('<w:lvl w:ilvl="2000000000"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
              '<w:lvlText w:val="%1."/></w:lvl><w:lvl w:ilvl="0"><w:start w:val="1000000000"/>'
              '<w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/></w:lvl>')
    numbering = parts["word/numbering.xml"].decode("utf-8").replace(
        "</w:numbering>", f'<w:abstractNum w:abstractNumId="77">{levels}</w:abstractNum>'
                          '<w:num w:numId="77"><w:abstractNumId w:val="77"/></w:num></w:numbering>')
    hostile = ('<w:p><w:pPr><w:pStyle w:val="Loop1"/></w:pPr><w:r><w:t>Ghi chú một.</w:t></w:r></w:p>'
               '<w:p><w:pPr><w:numPr><w:ilvl w:val="2000000000"/><w:numId w:val="77"/></w:numPr></w:pPr>'
               '<w:r><w:t>Ghi chú hai.</w:t></w:r></w:p>'
               '<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="77"/></w:numPr></w:pPr>'
               '<w:r><w:t>Ghi chú ba.</w:t></w:r></w:p>')
    document = document.replace("<w:sectPr", hostile + "<w:sectPr", 1)
    parts.update({"word/document.xml": document.encode(), "word/styles.xml": styles.encode(),
                  "word/numbering.xml": numbering.encode()})
    model = imported(root, zip_package(tmp_path / "ngat-dong.docx", parts), "fx-breaks")
    texts = [b.vi for b in model.plans["fx-breaks"].blocks]
    assert any(t.startswith("Kiểm tra thông tin trên hệ thống:") for t in texts)
    assert texts[-3:] == ["Ghi chú một.", "Ghi chú hai.", "1000000000. Ghi chú ba."]
    original = model.plans["fx-breaks"].original.read_text(encoding="utf-8")
    assert "Kiểm tra thông tin trên hệ thống:" in original  # one line, as in the blocks


# --------------------------------------------------------------------------- 3. text


def test_fifty_thousand_paragraphs_are_refused_at_the_first_past_the_bound(root, tmp_path):
    lines = plan_lines() + [f"- Việc thứ {n}." for n in range(50_000)]
    bound = limits.MAX_PARAGRAPHS
    refused(root, write_txt(tmp_path / "dai.txt", lines), "fx-many",
            ("dai.txt", f"dòng {bound + 1}"), (f"hơn {limits.number(bound)} đoạn",))


def test_a_plan_at_the_paragraph_bound_imports_whole(tmp_path):
    lines = ["PHƯƠNG ÁN", "Hỗ trợ người dân xã Thử Nghiệm"]
    for part in ("I", "II", "III", "IV", "V", "VI", "VII"):
        lines.append(f"{part}. PHẦN {part}")
        for n in range(1, 15):
            lines.append(f"{n}. Người dân cần hỗ trợ loại {part}{n}")
            lines += [f"- Hướng dẫn bước {k} thủ tục {part}{n}." for k in range(50)]
    lines = lines[:limits.MAX_PARAGRAPHS]
    assert len(lines) == limits.MAX_PARAGRAPHS
    root = project_root(tmp_path / "root")  # its own: 5,000 blocks would slow every later load
    model = imported(root, write_txt(tmp_path / "vua-du.txt", lines), "fx-at-bound")
    assert len(model.plans["fx-at-bound"].blocks) == limits.MAX_PARAGRAPHS


@pytest.mark.parametrize("suffix", ["txt", "docx"])
def test_a_two_megabyte_paragraph_is_refused_at_its_place(root, tmp_path, suffix):
    words = ["người", "dân", "cán", "bộ", "hồ", "sơ", "thủ", "tục", "hướng", "dẫn", "hỗ", "trợ", "giấy", "tờ"]
    rng = random.Random(2)  # varied words: a Word file of it compresses as text does, not as a bomb
    huge = " ".join(rng.choice(words) for _ in range(500_000))[:2_000_000].strip()
    if suffix == "txt":
        lines = plan_lines()
        lines.insert(5, huge)
        path, place = write_txt(tmp_path / "doan-dai.txt", lines), "dòng 6"
    else:
        path = zip_package(tmp_path / "doan-dai.docx", with_body(docx_parts(tmp_path), paragraph(huge)))
        place = "đoạn "
    refused(root, path, f"fx-long-{suffix}", ("doan-dai", place),
            (f"dài {limits.number(len(huge))} ký tự", f"tối đa {limits.number(limits.MAX_PARAGRAPH_CHARS)}"))


def test_a_plan_past_the_total_text_bound_is_refused(root, tmp_path):
    lines = plan_lines()
    lines[5:5] = [f"- Việc thứ {n}: " + "hướng dẫn người dân " * 45 + "." for n in range(400)]
    refused(root, write_txt(tmp_path / "nhieu-chu.txt", lines), "fx-text-total",
            ("nhieu-chu.txt", "dòng "), (f"{limits.MAX_PLAN_BYTES // 1000} KB",))


def test_a_plan_whose_files_would_pass_the_content_file_bound_is_refused(root, tmp_path):
    """Within every bound on its text, but its 2,000 situations' wording (title, summary and
    audience: the heading three times) would make a locales/vi.toml the handbook refuses."""
    lines = ["PHƯƠNG ÁN", "Hỗ trợ người dân xã Thử Nghiệm"]
    for part in range(1, 35):
        lines.append(f"{roman(part)}. PHẦN {roman(part)}")
        for n in range(1, 60):
            lines += [f"{n}. Trường hợp người dân cần được hỗ trợ đặc biệt số {part}-{n} tại trung tâm",
                      f"- Cán bộ hướng dẫn trường hợp {part}-{n}."]
    lines = lines[:4000]
    refused(root, write_txt(tmp_path / "nhieu-tinh-huong.txt", lines), "fx-wording",
            ("nhieu-tinh-huong.txt", "content/communes/fx-wording/locales/vi.toml"),
            (f"tối đa {limits.megabytes(limits.MAX_WRITTEN_BYTES)}",))


def test_control_characters_and_line_separators_keep_each_sentence_whole(root, tmp_path):
    """DEL and other control characters are dropped (json.dumps wrote DEL raw: invalid TOML);
    a vertical tab, form feed, NEL, U+2028 or U+2029 inside a sentence is a space in the blocks
    and in the verbatim copy alike (str.splitlines split the sentence in two)."""
    lines = plan_lines()
    at = lines.index(next(x for x in lines if x.startswith("Kiểm tra thông tin")))
    lines[at] = ("Kiểm tra\x7f thông\x01 tin\x9b trên\v hệ\f thống\x85 cơ\u2028sở\u2029dữ liệu\x1c quốc gia "
                 "về dân cư.")
    path = tmp_path / "dieu-khien.txt"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8"))  # Windows line ends, too
    model = imported(root, path, "fx-controls")
    plan = model.plans["fx-controls"]
    sentence = "Kiểm tra thông tin trên hệ thống cơ sở dữ liệu quốc gia về dân cư."
    assert [b.vi for b in plan.blocks].count(sentence) == 1
    original = plan.original.read_text(encoding="utf-8")
    assert len(original.splitlines()) == len(lines)  # one line per paragraph, none split
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]", original)
    folder = root / "content" / "communes" / "fx-controls"
    for toml in folder.rglob("*.toml"):
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", toml.read_text(encoding="utf-8")), toml


@pytest.mark.parametrize("cid,heading,bullet,known", [
    ("outage", "With papers", "Ghi lại thông tin người dân vào sổ.", "outage-with-papers"),
    ("seat", "Người dân chờ lâu", "And water.", "seat-and-water"),
])
def test_an_id_that_meets_a_known_situations_or_items_id_is_made_unique(root, tmp_path, cid, heading, bullet,
                                                                        known):
    lines = plan_lines()
    lines[-1:-1] = [f"4. {heading}", f"- {bullet}"]
    model = imported(root, write_txt(tmp_path / "trung.txt", lines), cid)
    mine = {*(s for s in model.situations if model.situations[s].commune == cid),
            *(i for i in model.items if model.items[i].commune == cid)}
    assert known not in mine and f"{known}-2" in mine
    assert model.situations.get(known, model.items.get(known)).commune == ""  # the known one, untouched


# --------------------------------------------------------------------------- 4. ids


@pytest.mark.parametrize("cid,says", [
    ("x" * 245, f"tối đa {limits.MAX_COMMUNE_ID_CHARS}"),
    ("a-" * 40 + "b", f"tối đa {limits.MAX_COMMUNE_ID_CHARS}"),
    ("ia-mo\n", "chữ thường"),
    ("Ia-Mo", "chữ thường"),
    ("ia--mo", "chữ thường"),
    ("index", "tên dành riêng"),
    ("assets", "tên dành riêng"),
    ("search", "tên dành riêng"),
    ("en", "mã một ngôn ngữ"),
    ("vi", "mã một ngôn ngữ"),
])
def test_ids_that_would_break_or_replace_pages_are_refused(root, tmp_path, cid, says):
    path = write_txt(tmp_path / "ke-hoach.txt", plan_lines())
    refused(root, path, cid, ("ID=",), (says,))


def test_the_reserved_names_cover_every_top_level_page_of_the_site(model):
    pages = Renderer(model).pages()
    tops = {path.split("/")[0].removesuffix(".md") for path in pages}
    assert tops <= limits.SITE_NAMES, tops - limits.SITE_NAMES
    assert "index" in limits.SITE_NAMES  # plans/index.md, the list of plans


def test_an_id_at_the_length_bound_imports_and_its_pages_fit_a_file_name(root, tmp_path):
    cid = "-".join(["xa"] * (limits.MAX_COMMUNE_ID_CHARS // 3)) + "-a"
    assert len(cid) <= limits.MAX_COMMUNE_ID_CHARS
    lines = plan_lines()
    lines[-1:-1] = ["4. " + "Rất" * 60 + " dài", "- Một câu."]  # a 180-letter word in a heading
    model = imported(root, write_txt(tmp_path / "dai.txt", lines), cid)
    for sid in model.situations:
        assert len(f"guides/{sid}.en.md".encode()) < 200, sid
    for iid in model.items:
        assert len(iid) <= limits.MAX_COMMUNE_ID_CHARS + 1 + limits.MAX_SLUG_CHARS + 4, iid


# --------------------------------------------------------------------------- 5. links, 6. permissions


def test_reimport_refuses_a_link_in_the_communes_folder(root, tmp_path):
    path = write_txt(tmp_path / "ke-hoach.txt", plan_lines())
    imported(root, path, "fx-link")
    folder = root / "content" / "communes" / "fx-link"
    for name, target in (("locales/passwd.toml", Path("/etc/passwd")), ("recordings", Path("/etc"))):
        link = folder / name
        link.parent.mkdir(exist_ok=True)
        link.symlink_to(target)
        before = snapshot(root / "content")
        done = run_import(root, path, "fx-link")
        assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
        first = done.stderr.splitlines()[0]
        assert f"content/communes/fx-link/{name}" in first and "liên kết" in first, done.stderr
        assert "root:" not in done.stderr + done.stdout
        assert snapshot(root / "content") == before  # the old folder as it was, link included
        link.unlink()
    imported(root, path, "fx-link")
    assert not any(p.is_symlink() for p in folder.rglob("*"))


@pytest.mark.parametrize("line,says", [
    ('[item."x"]\nreuse = 5', "reuse = 5"), ('[item."x"]\nreuse = "seat-and-water"', "reuse = 'seat-and-water'"),
    ('[item."x"]\nnetwork = "yes"', "network = 'yes'"), ('[situation."x"]\nsame_as = 1', "same_as = 1"),
    ('[item."x"]\ncolour = "red"', "colour = 'red'")])
def test_a_persons_mistake_in_choices_toml_is_theirs_to_fix_not_a_bug(root, tmp_path, line, says):
    """choices.toml is a person's file: a wrong value is named there, with the way to write it."""
    cid = f"fx-choices-{len(line)}-{len(says)}"
    path = write_txt(tmp_path / "ke-hoach.txt", plan_lines())
    imported(root, path, cid)
    choices = root / "content" / "communes" / cid / "choices.toml"
    choices.write_text(choices.read_text(encoding="utf-8") + line + "\n", encoding="utf-8")
    before = snapshot(root / "content")
    done = run_import(root, path, cid)
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    first = done.stderr.splitlines()[0]
    assert f"{cid}/choices.toml" in first and says in first, done.stderr
    assert "lỗi của chương trình nhập" not in done.stderr and "cách sửa:" in done.stderr
    assert snapshot(root / "content") == before  # the earlier import, as it was


def test_a_new_actions_phase_in_choices_toml_must_be_a_stage(root, tmp_path):
    cid = "fx-choices-phase"
    path = write_txt(tmp_path / "ke-hoach.txt", plan_lines())
    imported(root, path, cid)
    folder = root / "content" / "communes" / cid
    new = re.search(r'^id = "([^"]+)"', (folder / "items.toml").read_text(encoding="utf-8"), re.M)
    assert new, "the fixture plan proposes a new action"
    choices = folder / "choices.toml"
    choices.write_text(choices.read_text(encoding="utf-8") + f'[item."{new[1]}"]\nphase = "bogus"\n',
                       encoding="utf-8")
    done = run_import(root, path, cid)
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert f"{cid}/choices.toml" in done.stderr.splitlines()[0] and "phase = \"bogus\"" in done.stderr
    assert "lỗi của chương trình nhập" not in done.stderr


def test_a_communes_folder_that_is_a_link_is_refused(root, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "choices.toml").write_text("reviewed = false\n", encoding="utf-8")
    link = root / "content" / "communes" / "fx-folder-link"
    link.symlink_to(elsewhere, target_is_directory=True)
    try:
        path = write_txt(tmp_path / "ke-hoach.txt", plan_lines())
        before = snapshot(root / "content")
        done = run_import(root, path, "fx-folder-link")
        assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
        assert "liên kết" in done.stderr.splitlines()[0], done.stderr
        assert snapshot(root / "content") == before and os.listdir(elsewhere) == ["choices.toml"]
    finally:
        link.unlink()


@pytest.mark.parametrize("umask", [0o022, 0o027])
def test_imported_folders_and_files_get_the_umasks_permissions(root, tmp_path, umask):
    cid = f"fx-mode-{umask:o}"
    imported(root, write_txt(tmp_path / "ke-hoach.txt", plan_lines()), cid, umask=umask)
    folder = root / "content" / "communes" / cid
    modes = {p: stat.S_IMODE(p.stat().st_mode) for p in [folder, *folder.rglob("*")]}
    assert {m for p, m in modes.items() if p.is_dir()} == {0o777 & ~umask}, modes
    assert {m for p, m in modes.items() if p.is_file()} == {0o666 & ~umask}, modes


# --------------------------------------------------------------------------- 7. markup


@functools.cache
def project_markdown() -> markdown.Markdown:
    """Python-Markdown with the extensions mkdocs.yml enables, plus MkDocs' own (toc, tables,
    fenced_code), configured as there."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    names, configs = ["toc", "tables", "fenced_code"], {}
    for entry in config.get("markdown_extensions", []):
        name, options = (entry, {}) if isinstance(entry, str) else next(iter(entry.items()))
        names.append(name)
        configs[name] = options or {}
    return markdown.Markdown(extensions=list(dict.fromkeys(names)), extension_configs=configs)


CONSTRUCTS = [
    # admonition, details, attribute lists, abbreviations, footnotes, tables
    "!!! note", '!!! warning "Chú ý"', "!!!", "??? note", "???+ note Mở sẵn", "{: .hb-x }", "Tiêu đề {#id}",
    "Tiêu đề {: #id .lop }", "{#id}", "*[UBND]: Ủy ban nhân dân", "[^1]: chú thích", "Câu có chú thích[^1]",
    "a | b", "| a | b |", "|---|---|",
    # headings, lists, quotes, rules
    "# Tiêu đề", "###### Tiêu đề", "Tiêu đề #", "#hashtag", "- mục", "+ mục", "* mục", "1. mục", "12. mục",
    "1) mục", "- [ ] việc", "> trích", ">> trích", "***", "---", "___", "* * *", "- - -", "= = =",
    # HTML, entities, emphasis, code, fences
    "<b>đậm</b>", "<div markdown>x</div>", "<!-- chú thích -->", "<script>alert(1)</script>",
    "&amp; &copy; &#65; &", "AT&T", "*nghiêng* và **đậm**", "_nghiêng_ và __đậm__", "`mã`", "``mã``",
    "```python", "~~~", "    mã thụt lề", "\tmã",
    # links, images, references, the table of contents
    "[liên kết](http://x.vn)", "![ảnh](a.png)", "<https://x.vn>", "<a@b.vn>", "[TOC]", "[x]: http://x.vn",
    "[tham chiếu][1]",
    # backslashes
    "\\*không nghiêng\\*", "C:\\thu-muc\\tep", "\\",
    # extensions this site does not enable (pymdownx, def_list, snippets, emoji…): must stay text too
    "~~gạch~~", "==đánh dấu==", "^^chèn^^", "^trên^", "~dưới~", "H~2~O", "x^2^", '--8<-- "tep.md"',
    ": định nghĩa", "++ctrl+alt++", ":smile:", "$$x$$", "{{ jinja }}",
    # what plans write
    "1.5 triệu đồng", "Tình huống 1: Người dân quên mật khẩu", "I. MỤC TIÊU", "(1) Nhận hồ sơ", "Giá 100%",
]
MULTILINE = ["Tiêu đề\n===", "Tiêu đề\n---", "a  \nb", "Thuật ngữ\n: định nghĩa", "a\n- b", "a\n1. b",
             "a\n> b", "| a | b |\n|---|---|\n| c | d |", "!!! note\n    nội dung", "```\nmã\n```",
             "a\n~~~\nb\n~~~", "Tiêu đề\n{: #id }", "??? note\n    nội dung"]
# where the templates put text: a paragraph of its own (a line start), a heading, a quote, a
# list item, a link's text; with the elements each must make, and no other
CONTEXTS = {"{}": ["p"], "## {}": ["h2"], "> {}": ["blockquote", "p"], "- {}": ["ul", "li"],
            "[{}](#x)": ["p", "a"]}


def rendered(source: str) -> tuple[list[str], str]:
    """The elements Markdown made of ``source`` (toc's ¶ links aside) and their text."""
    page = lxml_html.fragment_fromstring(project_markdown().reset().convert(source), create_parent="div")
    for link in page.xpath('.//a[@class="headerlink"]'):
        link.drop_tree()
    return [e.tag for e in page.iterdescendants()], " ".join(page.text_content().split())


@pytest.mark.parametrize("context", sorted(CONTEXTS))
def test_md_escape_leaves_no_markup_for_the_markdown_this_site_reads(context):
    failures = []
    for text in CONSTRUCTS + (MULTILINE if context == "{}" else []):
        tags, shown = rendered(context.format(md_escape(text)))
        if tags != CONTEXTS[context] or shown != " ".join(text.split()):
            failures.append(f"{text!r}: {tags} {shown!r}")
    assert not failures, "\n".join(failures)


def test_the_markup_check_catches_markup():
    """The check fails on text that was not escaped."""
    assert rendered("!!! note")[0] != ["p"] and rendered("- mục")[0] != ["p"]
    assert rendered("## Tiêu đề {: #id }")[1] != "Tiêu đề {: #id }"


def test_an_imported_heading_that_looks_like_markup_stays_text_on_its_guide(root, tmp_path):
    heading = "!!! note Người dân *đến* muộn {: .x } | ngoài giờ"
    lines = plan_lines()
    lines[-1:-1] = [f"4. {heading}", "- Hẹn người dân quay lại vào giờ hành chính gần nhất."]
    model = imported(root, write_txt(tmp_path / "danh-dau.txt", lines), "fx-markup")
    situation = next(s for s in model.situations.values() if s.section == "4")
    page = Renderer(model).render(f"guides/{situation.id}.md", "guide.md.j2", {"situation": situation}, "vi")
    html = project_markdown().reset().convert(page.split("---", 2)[2])
    assert "admonition" not in html and "<em>" not in html and "<table" not in html
    text = " ".join(lxml_html.fragment_fromstring(html, create_parent="div").text_content().split())
    assert text.count(heading) >= 2  # the title and the audience, as the plan wrote them
