"""Commune plans written for the tests, in three numbering styles, as .txt and as .docx.

Each is made up (no real commune) in the shape of the plans communes adapt from one another:
the situations the handbook knows, in the plan's own wording, plus local additions the
handbook has never seen (home visits with the village board, an interpreter, …). A fixture is
a list of lines: ``("meta"|"title"|"p"|"li", text)``; ``write_txt`` types the bullets as "- ",
``write_docx`` puts the letterhead in a two-column table, makes bullets a Word list style (no
typed dash) and the first fixture's parts Word-numbered headings (numbers not in the text).

``EXPECTED`` says what the importer must find: the sections in order, the known situations
(heading section → known id), the sections that must become new situations, the commune.
"""

from __future__ import annotations

from pathlib import Path

LETTERHEAD = {
    "roman": (["ỦY BAN NHÂN DÂN", "XÃ IA MƠ"], ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]),
    "cases": (["ỦY BAN NHÂN DÂN", "PHƯỜNG HÒA BÌNH"], ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]),
    "letters": (["ỦY BAN NHÂN DÂN", "XÃ SƠN LONG"], ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]),
}

FIXTURES: dict[str, list[tuple[str, str]]] = {
    # I. / 1. / 1.1. / dashes: the Ngọk Réo shape, with local additions
    "roman": [
        ("meta", "Số: 12/PA-UBND"),
        ("meta", "Ia Mơ, ngày 5 tháng 11 năm 2025"),
        ("title", "PHƯƠNG ÁN"),
        ("title", "Hỗ trợ người dân yếu thế và xử lý các tình huống thường gặp trên địa bàn xã Ia Mơ"),
        ("p", "Thực hiện chỉ đạo của Ủy ban nhân dân tỉnh về chuyển đổi số, Ủy ban nhân dân xã Ia Mơ xây dựng phương án như sau:"),
        ("p", "I. MỤC TIÊU"),
        ("li", "Bảo đảm người yếu thế được tiếp cận thủ tục hành chính thuận lợi, công bằng."),
        ("p", "II. ĐỐI TƯỢNG"),
        ("li", "Người cao tuổi, người già sức khỏe yếu;"),
        ("li", "Người dân tộc thiểu số gặp khó khăn về ngôn ngữ."),
        ("p", "III. KỊCH BẢN VÀ PHƯƠNG ÁN HỖ TRỢ"),
        ("p", "1. Người cao tuổi đi lại khó khăn khi đến UBND xã để giải quyết thủ tục hành chính"),
        ("p", "1.1. Kịch bản"),
        ("li", "Công chức tiếp nhận hồ sơ ưu tiên giải quyết nhanh TTHC cho công dân, tránh để công dân chờ đợi lâu;"),
        ("li", "Phối hợp với Ban quản lý thôn đến tận nhà hỗ trợ người cao tuổi không thể đi lại."),
        ("p", "1.2. Phương án hỗ trợ"),
        ("li", "Bố trí ghế ngồi chờ nơi thoáng, mát, thuận tiện; nước uống;"),
        ("li", "Liên hệ người thân hỗ trợ (nếu cần)."),
        ("p", "2. Công dân phản ánh, kiến nghị gay gắt hoặc có dấu hiệu bức xúc"),
        ("p", "2.1. Kịch bản xử lý"),
        ("li", "Cán bộ, công chức trực tiếp tiếp công dân bình tĩnh, lắng nghe, không tranh cãi;"),
        ("li", "Mời vào khu làm việc riêng (nếu cần);"),
        ("p", "2.2. Phương án hỗ trợ"),
        ("li", "Bố trí công chức có kinh nghiệm trong công tác tiếp công dân trực tiếp tiếp nhận."),
        ("p", "3. Người dân tộc thiểu số không thông thạo tiếng Việt"),
        ("p", "3.1. Kịch bản xử lý"),
        ("li", "Mời người phiên dịch tiếng Jrai của thôn hỗ trợ trao đổi với người dân;"),
        ("li", "Đoàn Thanh niên xã bố trí phương tiện đưa đón người dân ở thôn xa khi cần."),
        ("p", "IV. TỔ CHỨC THỰC HIỆN"),
        ("p", "1. Giao Trung tâm Phục vụ hành chính công xã chủ trì thực hiện phương án này."),
        ("p", "Trên đây là Phương án hỗ trợ người dân yếu thế của UBND xã Ia Mơ."),
        ("meta", "Nơi nhận:"),
        ("li", "TT. Đảng ủy xã;"),
        ("li", "Lưu: VT."),
    ],
    # 1. / (1) / Tình huống N: the Thái Hòa shape
    "cases": [
        ("meta", "Số: 30/PA-UBND"),
        ("meta", "Hòa Bình, ngày 20 tháng 8 năm 2025"),
        ("title", "PHƯƠNG ÁN"),
        ("title", "Hướng dẫn, hỗ trợ người dân yếu thế tại Trung tâm Phục vụ hành chính công phường Hòa Bình"),
        ("p", "UBND phường Hòa Bình xây dựng phương án như sau:"),
        ("p", "1. Phương án: Hỗ trợ người dân yếu thế (người cao tuổi, người khuyết tật, người không có điện thoại thông minh):"),
        ("li", "Nguyên tắc: \"Phục vụ tại chỗ, trọn gói\"."),
        ("p", "(1) Nhận hồ sơ giấy từ người dân."),
        ("p", "(2) Scan hồ sơ và nhập liệu, nộp hồ sơ trực tuyến thay cho người dân."),
        ("p", "(3) In giấy hẹn điện tử và trao tận tay cho người dân."),
        ("p", "2. Phương án: Xử lý các tình huống thường gặp:"),
        ("li", "Tình huống 1: Người dân quên mật khẩu tài khoản Cổng DVC quốc gia/ứng dụng VNeID"),
        ("li", "Hướng dẫn: Hướng dẫn cho người dân sử dụng chức năng \"Quên mật khẩu\" trên giao diện đăng nhập và hỗ trợ từng bước để lấy lại mật khẩu."),
        ("li", "Tình huống 2: Hệ thống chạy chậm, người dân phải chờ lâu"),
        ("li", "Hướng dẫn: Luôn giữ thái độ niềm nở, chủ động giải thích nguyên nhân, mời người dân ngồi chờ và quan tâm trong lúc chờ."),
        ("li", "Tình huống 3: Người dân đến nộp hồ sơ ngoài giờ hành chính"),
        ("li", "Hướng dẫn: Ghi lại số điện thoại và hẹn người dân quay lại vào giờ hành chính gần nhất."),
        ("p", "Vậy, UBND phường Hòa Bình ban hành Phương án để các đơn vị thực hiện."),
        ("meta", "Nơi nhận:"),
        ("li", "Các phòng, ban, đơn vị liên quan;"),
        ("li", "Lưu: VT."),
    ],
    # 1. / a) b) / free paragraphs: letters under numbered situations
    "letters": [
        ("meta", "Số: 07/KH-UBND"),
        ("title", "KẾ HOẠCH"),
        ("title", "Hỗ trợ người dân yếu thế tiếp cận dịch vụ công trực tuyến tại xã Sơn Long"),
        ("p", "Căn cứ tình hình thực tế, UBND xã Sơn Long ban hành kế hoạch như sau."),
        ("p", "1. Trường hợp người dân không có giấy tờ tùy thân"),
        ("p", "a) Kịch bản xử lý"),
        ("p", "Kiểm tra thông tin trên hệ thống: Dựa vào thông tin cá nhân, cán bộ hỗ trợ kiểm tra trên hệ thống cơ sở dữ liệu quốc gia về dân cư."),
        ("p", "b) Phương án hỗ trợ"),
        ("p", "Hỗ trợ cấp lại giấy tờ: Trong trường hợp cần thiết, cán bộ hỗ trợ hướng dẫn người dân làm thủ tục cấp lại giấy tờ bị mất."),
        ("p", "2. Trường hợp người dân mất kết nối mạng/mất điện nhưng vẫn có giấy tờ"),
        ("p", "a) Kịch bản xử lý"),
        ("p", "Ưu tiên hỗ trợ tại điểm giao dịch: Cán bộ hỗ trợ mở hồ sơ thủ công bằng giấy và nhập liệu sau."),
        ("p", "b) Phương án hỗ trợ"),
        ("p", "Tạm thời bỏ qua các bước trực tuyến: Nếu không có internet, có thể tạm thời bỏ qua các bước yêu cầu kết nối mạng."),
        ("p", "Báo ngay cho Tổ công nghệ số cộng đồng của xã để khắc phục sự cố."),
        ("p", "3. Người dân không biết sử dụng điện thoại thông minh"),
        ("li", "Tổ công nghệ số cộng đồng cử thành viên cầm tay chỉ việc cho người dân ngay tại Trung tâm."),
        ("p", "Trên đây là Kế hoạch của UBND xã Sơn Long."),
    ],
}

# per fixture: every section in order, known situations by section, new situations, the commune
EXPECTED = {
    "roman": {"sections": ["I", "II", "III", "III.1", "III.1.1", "III.1.2", "III.2", "III.2.1", "III.2.2",
                           "III.3", "III.3.1", "IV", "IV.1"],
              "known": {"III.1": "elderly-mobility", "III.2": "upset-citizen"}, "new": ["III.3"],
              "commune": ("xa", "Ia Mơ")},
    "cases": {"sections": ["1", "1.1", "1.2", "1.3", "2", "2.1", "2.2", "2.3"],
              "known": {"1": "full-service", "2.1": "forgot-password", "2.2": "system-slow"}, "new": ["2.3"],
              "commune": ("phuong", "Hòa Bình")},
    "letters": {"sections": ["1", "1.1", "1.2", "2", "2.1", "2.2", "3"],
                "known": {"1": "no-id-papers", "2": "outage-with-papers"}, "new": ["3"],
                "commune": ("xa", "Sơn Long")},
}


def write_txt(name: str, path: Path) -> Path:
    lines = []
    for kind, text in FIXTURES[name]:
        lines.append(f"- {text}" if kind == "li" else text)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_docx(name: str, path: Path) -> Path:
    """A Word document as a commune types it: letterhead table, Word bullets, bold headings; the
    roman fixture's parts and items are Word-numbered (I., 1.: not typed)."""
    import docx

    document = docx.Document()
    left, right = LETTERHEAD[name]
    table = document.add_table(rows=1, cols=2)
    for cell, lines in zip(table.rows[0].cells, (left, right)):
        cell.paragraphs[0].add_run(lines[0]).bold = True
        for line in lines[1:]:
            cell.add_paragraph().add_run(line).bold = True
    numbered = _roman_numbering(document) if name == "roman" else None
    for kind, text in FIXTURES[name]:
        if kind == "li":
            document.add_paragraph(text, style="List Bullet")
            continue
        para = document.add_paragraph()
        if numbered and (level := _auto_level(text)) is not None:
            text = text.split(" ", 1)[1]  # Word shows the number; the text does not hold it
            _number(para, numbered, level)
        run = para.add_run(text)
        run.bold = kind == "title" or (numbered is not None and text.isupper())
    document.save(path)
    return path


def _auto_level(text: str) -> int | None:
    first = text.split(" ", 1)[0]
    if first in ("I.", "II.", "III.", "IV."):
        return 0
    if first[:-1].isdigit() and first.endswith(".") and "." not in first[:-1]:
        return 1
    return None


def _roman_numbering(document) -> str:
    """A numbering definition: level 0 'I.', level 1 '1.' (restarting under each part)."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    numbering = document.part.numbering_part.element
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%2."/></w:lvl>'
        '</w:abstractNum>')
    num = parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>')
    first_num = numbering.find(num.tag)
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(num)
    return "90"


def _number(para, num_id: str, level: int) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    ppr = para._p.get_or_add_pPr()
    ppr.append(parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'))
