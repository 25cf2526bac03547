"""A .docx checked as a package before python-docx reads a byte of it.

A .docx is a zip of parts; python-docx reads every part it is pointed to (pictures included)
into memory and parses the XML ones. So first, from the zip's central directory alone: how many
parts, what each inflates to, how much it shrank (a zip bomb shrinks a thousandfold), and all
of them together (limits.py). Then every part is inflated once, in bounded chunks, so that its
checksum proves it is no larger than it declares; and every XML part is parsed with a parser
that resolves no entity, loads no DTD and reaches no network: a part that declares a DOCTYPE
or entities was not saved by Word (billion laughs, an external entity naming a file of this
machine), and a part that is not well-formed XML, or nests deeper than the parser allows, is
refused too. Each refusal names the file and the part, and asks for the file to be saved again
in Word.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib

from lxml import etree

from .errors import ReadError
from .limits import (
    MAX_PART_BYTES,
    MAX_PARTS,
    MAX_PARTS_TOTAL_BYTES,
    MAX_RATIO,
    MAX_RATIO_FROM,
    MAX_TABLE_DEPTH,
    megabytes,
    number,
)

CONTENT_TYPES = "[Content_Types].xml"
CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
UNLOCK = "mở bằng Word, gỡ mật khẩu (Tệp > Thông tin > Bảo vệ tài liệu) rồi lưu thành .docx"
RESAVE = "mở tệp bằng Word và lưu lại (Tệp > Lưu thành… > Tài liệu Word .docx), rồi nhập tệp vừa lưu"
NOT_WORD = "lưu kế hoạch từ Word thành .docx, hoặc nhập bản .txt chứa chữ của nó"
SMALLER = ("mở tệp bằng Word, nén hoặc xóa ảnh (chọn ảnh > Định dạng ảnh > Nén ảnh) và lưu lại; "
           "hoặc nhập bản .txt chứa chữ của kế hoạch")
TOO_DEEP = f"bảng lồng trong bảng quá {MAX_TABLE_DEPTH} tầng (chương trình nhập đọc tối đa {MAX_TABLE_DEPTH})"
TOO_DEEP_FIX = ("đưa chữ ra khỏi các bảng lồng nhau (chọn bảng > Bố cục > Chuyển thành văn bản), lưu lại "
                "rồi nhập")
READ_CHUNK = 1 << 20
# What reading a damaged zip entry raises: a bad CRC or header, a truncated or invalid deflate
# stream, an unknown compression method, an encrypted entry.
DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError, ValueError)


def check(name: str, data: bytes) -> None:
    """:class:`ReadError` unless ``data`` is a zip whose parts are within the bounds and whose
    XML parts are well-formed and declare no DOCTYPE or entity."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except DAMAGED as exc:
        raise ReadError(name, f"đây không phải tài liệu Word ({type(exc).__name__})", NOT_WORD) from None
    with archive:
        infos = [i for i in archive.infolist() if not i.is_dir()]
        check_sizes(name, infos)
        xml = xml_parts(name, archive, infos)
        for info in infos:  # every part inflated once, in chunks: its checksum proves its size
            if info.filename != CONTENT_TYPES:  # read and parsed by xml_parts
                data = read_part(name, archive, info, keep=info.filename in xml)
                if info.filename in xml:
                    parse(name, info.filename, data)


def check_sizes(name: str, infos: list[zipfile.ZipInfo]) -> None:
    """The bounds, from what the zip's directory declares (zipfile never inflates a part past
    its declared size: a part that lies about it fails its checksum)."""
    if len(infos) > MAX_PARTS:
        raise ReadError(name, f"tệp có {number(len(infos))} phần; một tài liệu Word có vài chục "
                              f"(tối đa {number(MAX_PARTS)})", RESAVE)
    total = 0
    for info in infos:
        where = f"{name}, phần {info.filename}"
        if info.flag_bits & 0x1:
            raise ReadError(where, "phần này được mã hóa (tệp có đặt mật khẩu)", UNLOCK)
        if info.file_size > MAX_PART_BYTES:
            raise ReadError(where, f"phần này giải nén ra {megabytes(info.file_size)}; mỗi phần của tệp Word "
                                   f"tối đa {megabytes(MAX_PART_BYTES)}", SMALLER)
        if info.file_size > MAX_RATIO_FROM and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            ratio = info.file_size // max(info.compress_size, 1)
            raise ReadError(where, f"phần này nén nhỏ đi {number(ratio)} lần (giải nén ra "
                                   f"{megabytes(info.file_size)}); Word không nén quá {MAX_RATIO} lần: "
                                   "đây là tệp được tạo ra để làm tràn bộ nhớ (zip bomb), hoặc tệp hỏng",
                            RESAVE)
        total += info.file_size
    if total > MAX_PARTS_TOTAL_BYTES:
        raise ReadError(name, f"các phần của tệp giải nén ra tổng cộng {megabytes(total)}; tối đa "
                              f"{megabytes(MAX_PARTS_TOTAL_BYTES)}", SMALLER)


def xml_parts(name: str, archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> set[str]:
    """The parts python-docx may parse as XML: those whose content type ([Content_Types].xml,
    itself XML) is an XML type, and any .xml or .rels part."""
    index = {i.filename: i for i in infos}
    if CONTENT_TYPES not in index:
        raise ReadError(name, f"đây không phải tài liệu Word (không có {CONTENT_TYPES})", NOT_WORD)
    types = parse(name, CONTENT_TYPES, read_part(name, archive, index[CONTENT_TYPES]))
    defaults = {d.get("Extension", "").lower(): d.get("ContentType", "") for d in types.iter(f"{CT}Default")}
    overrides = {o.get("PartName", "").lower(): o.get("ContentType", "") for o in types.iter(f"{CT}Override")}
    out = set()
    for info in infos:
        extension = posixpath.splitext(info.filename)[1].lstrip(".").lower()
        kind = overrides.get("/" + info.filename.lower(), defaults.get(extension, ""))
        if kind.endswith("xml") or extension in ("xml", "rels"):
            out.add(info.filename)
    return out


def read_part(name: str, archive: zipfile.ZipFile, info: zipfile.ZipInfo, keep: bool = True) -> bytes:
    """The part inflated in chunks of READ_CHUNK, never past the size it declares (zipfile's own
    read() inflates a part whole before cutting it to that size: a part that lies about it would
    fill the memory); a part that lies fails its checksum at its declared end. ``keep=False``:
    checked, not kept (a picture)."""
    chunks = []
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(READ_CHUNK):
                if keep:
                    chunks.append(chunk)
        return b"".join(chunks)
    except DAMAGED as exc:
        raise ReadError(f"{name}, phần {info.filename}",
                        f"tệp bị hỏng: không giải nén được phần này ({type(exc).__name__})", RESAVE) from None


# resolve no entity, load no DTD, reach no network, keep the parser's bounds (depth, text size)
PARSER = {"resolve_entities": False, "no_network": True, "huge_tree": False, "load_dtd": False}


def parse(name: str, part: str, data: bytes) -> etree._Element:
    """The part's root element; :class:`ReadError` for a DOCTYPE or entities, or XML that is
    not well-formed."""
    where = f"{name}, phần {part}"
    if declares_dtd(data):
        raise ReadError(where, "phần này khai báo DOCTYPE hoặc thực thể (<!DOCTYPE, <!ENTITY): Word không "
                               "bao giờ lưu như vậy; tệp đã bị sửa bằng công cụ khác", RESAVE)
    try:
        return etree.fromstring(data, etree.XMLParser(**PARSER))
    except etree.XMLSyntaxError as exc:
        where += f", dòng {exc.lineno}" if exc.lineno else ""
        if "depth" in str(exc).lower():
            raise ReadError(where, f"các thành phần lồng nhau quá sâu: {TOO_DEEP}", TOO_DEEP_FIX) from None
        raise ReadError(where, f"nội dung XML bị hỏng ({exc.msg})",
                        RESAVE + "; nếu Word không mở được, nhập bản .txt chứa chữ của kế hoạch") from None


def declares_dtd(data: bytes) -> bool:
    """Whether the XML's prolog has a DOCTYPE (the only place entities are declared): read up to
    its first element only."""
    events = etree.iterparse(io.BytesIO(data), events=("start",), **PARSER)
    try:
        for _, element in events:
            return bool(element.getroottree().docinfo.doctype)
    except etree.XMLSyntaxError:
        return False  # broken before its first element: parse() says where
    return False
