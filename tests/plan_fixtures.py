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

import re
from pathlib import Path

LETTERHEAD = {
    "roman": (["ỦY BAN NHÂN DÂN", "XÃ IA MƠ"], ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]),
    "cases": (["ỦY BAN NHÂN DÂN", "PHƯỜNG HÒA BÌNH"], ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]),
    "letters": (["ỦY BAN NHÂN DÂN", "XÃ SƠN LONG"], ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]),
    "parts": (["ỦY BAN NHÂN DÂN", "XÃ TÂN PHÚ"], ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]),
    "articles": (["ỦY BAN NHÂN DÂN", "PHƯỜNG AN KHÊ"], ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]),
    "steps": (["ỦY BAN NHÂN DÂN", "PHƯỜNG ĐÔNG HẢI"], ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]),
    "plus": (["ỦY BAN NHÂN DÂN", "XÃ PHƯỚC SƠN"], ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]),
    "teams": (["ỦY BAN NHÂN DÂN", "XÃ BÌNH MINH"], ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]),
    "steps-top": (["ỦY BAN NHÂN DÂN", "XÃ HÒA LẠC"], ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]),
    "only-new": (["ỦY BAN NHÂN DÂN", "XÃ SƠN TÂY"], ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]),
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
    for kind, text, *_ in FIXTURES[name]:
        lines.append(f"- {text}" if kind == "li" else f"+ {text}" if kind == "li2" else text)
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
    shape = WORD_NUMBERING.get(name)
    if shape:
        numbered = _numbering(document, shape[1])
    for kind, text, *_ in FIXTURES[name]:
        if kind in ("li", "li2"):  # "+" items: Word's second bullet level
            document.add_paragraph(text, style="List Bullet" if kind == "li" else "List Bullet 2")
            continue
        para = document.add_paragraph()
        level = _auto_level(text) if name == "roman" else _shape_level(shape, text) if shape else None
        if numbered and level is not None:
            if shape:  # Word shows "PHẦN I.", "Bước 1:"; the text does not hold it
                text = re.sub(next(p for p, lv in shape[0] if lv == level and re.match(p, text)), "", text, count=1)
            else:
                text = text.split(" ", 1)[1]
            _number(para, numbered, level)
        run = para.add_run(text)
        run.bold = kind == "title" or (numbered is not None and text.isupper())
    document.save(path)
    return path


def _shape_level(shape, text: str) -> int | None:
    return next((level for pattern, level in shape[0] if re.match(pattern, text)), None)


def _numbering(document, levels: list[tuple[str, str]]) -> str:
    """A multilevel numbering definition: each level's format and text ("PHẦN %1.", "%2.")."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    numbering = document.part.numbering_part.element
    lvls = "".join(f'<w:lvl w:ilvl="{n}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
                   f'<w:lvlText w:val="{text}"/></w:lvl>' for n, (fmt, text) in enumerate(levels))
    abstract = parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="91">{lvls}</w:abstractNum>')
    num = parse_xml(f'<w:num {nsdecls("w")} w:numId="91"><w:abstractNumId w:val="91"/></w:num>')
    first_num = numbering.find(num.tag)
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(num)
    return "91"


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


# ---------------------------------------------------------------- the shapes of other communes' plans
# (issue 22). A line may carry a third element: the known actions (content/checklist.toml) the
# sentence states, any of which is a right match ("" or absent: it states none of them, it is new).
# The measurement in tests/test_import_shapes.py counts them.

SHAPES: dict[str, list[tuple[str, ...]]] = {
    # "PHẦN I … PHẦN IV", each part's list numbered again from 1.
    "parts": [
        ("meta", "Số: 45/KH-UBND"),
        ("meta", "Tân Phú, ngày 12 tháng 9 năm 2025"),
        ("title", "KẾ HOẠCH"),
        ("title", "Hỗ trợ người dân yếu thế và xử lý các tình huống thường gặp tại Trung tâm Phục vụ hành chính công xã Tân Phú"),
        ("p", "Thực hiện Kế hoạch cải cách hành chính năm 2025 của Ủy ban nhân dân tỉnh, Ủy ban nhân dân xã Tân Phú ban hành kế hoạch như sau:"),
        ("p", "PHẦN I. MỤC ĐÍCH, YÊU CẦU"),
        ("p", "1. Mục đích"),
        ("li", "Bảo đảm mọi người dân, nhất là người yếu thế, được hỗ trợ tận tình khi giải quyết thủ tục hành chính."),
        ("p", "2. Yêu cầu"),
        ("li", "Cán bộ, công chức của Trung tâm nắm vững quy trình, giữ thái độ niềm nở, tận tình."),
        ("p", "PHẦN II. HỖ TRỢ NGƯỜI DÂN YẾU THẾ"),
        ("p", "1. Người cao tuổi, người già yếu"),
        ("li", "Mời ngồi chờ ở ghế ưu tiên, có nước uống.", "seat-and-water"),
        ("li", "Ưu tiên giải quyết hồ sơ trước, không để người cao tuổi phải chờ lâu.", "prioritise-file"),
        ("li", "Hỗ trợ đưa xe lăn vào Trung tâm.", "wheelchair-help"),
        ("li", "Hỗ trợ điền thông tin vào tờ khai, biểu mẫu thay cho người dân.", "help-fill-forms"),
        ("p", "2. Người không biết chữ, không biết dùng điện thoại thông minh"),
        ("li", "Hướng dẫn trực tiếp bằng lời nói dễ hiểu, không dùng thuật ngữ chuyên môn.", "plain-words"),
        ("li", "Cán bộ hỗ trợ người dân tạo tài khoản dịch vụ công trực tuyến.", "help-create-account"),
        ("li", "Scan hồ sơ, nhập liệu và nộp hồ sơ trực tuyến thay cho người dân.", "scan-and-submit"),
        ("p", "3. Người dân khiếm thính, khó nói"),
        ("li", "Giao tiếp bằng cử chỉ hoặc viết ra giấy để trao đổi với người dân.", "sign-or-write"),
        ("li", "Dùng hình ảnh minh họa các bước của thủ tục trên máy tra cứu.", "picture-materials"),
        ("p", "PHẦN III. XỬ LÝ CÁC TÌNH HUỐNG THƯỜNG GẶP"),
        ("p", "1. Mất điện, mất mạng"),
        ("li", "Mở hồ sơ giấy ngay tại chỗ để tiếp nhận cho người dân.", "paper-file-now receive-paper-file"),
        ("li", "Dùng máy phát điện hoặc thiết bị 4G dự phòng để truy cập dịch vụ công (nếu có).", "backup-equipment"),
        ("li", "Khi có mạng trở lại, nhập liệu hồ sơ đã tiếp nhận lên hệ thống.", "enter-data-later"),
        ("p", "2. Người dân không có tài khoản ngân hàng"),
        ("li", "Thu phí, lệ phí bằng tiền mặt tại quầy (nếu có) và thanh toán trực tuyến bằng tài khoản của đơn vị.",
         "collect-cash pay-with-unit-account guide-pay-cash counter-takes-cash help-pay-other-ways"),
        ("p", "3. Người dân chờ nhận kết quả"),
        ("li", "In giấy hẹn và trao tận tay cho người dân.", "print-e-appointment appointment-slip"),
        ("li", "Khi có kết quả, gọi điện báo người dân hoặc gửi qua bưu điện.", "call-when-ready"),
        ("p", "PHẦN IV. TỔ CHỨC THỰC HIỆN"),
        ("p", "1. Trung tâm Phục vụ hành chính công xã chủ trì, phân công công chức trực hỗ trợ hằng ngày."),
        ("p", "2. Đoàn Thanh niên xã cử đoàn viên tình nguyện hỗ trợ người dân vào các ngày cao điểm."),
        ("p", "3. Văn phòng HĐND và UBND xã theo dõi, tổng hợp kết quả thực hiện."),
        ("p", "Trên đây là Kế hoạch hỗ trợ người dân yếu thế của Ủy ban nhân dân xã Tân Phú."),
        ("meta", "Nơi nhận:"),
        ("li", "Thường trực Đảng ủy xã;"),
        ("li", "Lưu: VT."),
    ],
    # "Phần thứ nhất", "Mục 1", "Điều N." numbered through the document, clauses 1. 2. in each
    "articles": [
        ("meta", "Số: 18/QĐ-UBND"),
        ("title", "PHƯƠNG ÁN"),
        ("title", "Hỗ trợ người dân yếu thế tại Trung tâm Phục vụ hành chính công phường An Khê"),
        ("p", "Căn cứ tình hình thực tế, Ủy ban nhân dân phường An Khê ban hành phương án như sau."),
        ("p", "Phần thứ nhất: QUY ĐỊNH CHUNG"),
        ("p", "Điều 1. Phạm vi áp dụng"),
        ("p", "1. Phương án này áp dụng tại Trung tâm Phục vụ hành chính công phường An Khê."),
        ("p", "2. Cán bộ, công chức, đoàn viên tình nguyện tại Trung tâm thực hiện phương án này."),
        ("p", "Điều 2. Nguyên tắc"),
        ("p", "1. Người yếu thế được ưu tiên, phục vụ tận tình, không phân biệt đối xử."),
        ("p", "Phần thứ hai: HỖ TRỢ NGƯỜI DÂN"),
        ("p", "Mục 1. NGƯỜI YẾU THẾ"),
        ("p", "Điều 3. Người cao tuổi đi lại khó khăn"),
        ("p", "1. Mời ngồi chờ, có ghế và nước uống.", "seat-and-water"),
        ("p", "2. Liên hệ người thân đến hỗ trợ khi cần.", "contact-relatives"),
        ("p", "3. Cán bộ đến tận nhà tiếp nhận hồ sơ của người cao tuổi nằm liệt giường."),
        ("p", "Điều 4. Người khiếm thị, người khiếm thính"),
        ("p", "1. Giao tiếp bằng cử chỉ, hoặc viết ra giấy cho người khiếm thính.", "sign-or-write"),
        ("p", "2. Đọc to nội dung giấy tờ cho người khiếm thị nghe trước khi ký."),
        ("p", "Mục 2. SỰ CỐ TẠI TRUNG TÂM"),
        ("p", "Điều 5. Hệ thống chạy chậm"),
        ("p", "1. Giữ thái độ niềm nở với người dân.", "stay-friendly"),
        ("p", "2. Chủ động giải thích nguyên nhân hệ thống chậm cho người dân.", "explain-slowness"),
        ("p", "Điều 6. Người dân thắc mắc về thủ tục sau sáp nhập"),
        ("p", "1. Chỉ dẫn người dân đến đúng nơi cần đến, hoặc cho số điện thoại của bộ phận có thẩm quyền.",
         "direct-to-right-place"),
        ("p", "2. Không trả lời qua loa, không nói “không biết”.", "never-say-dont-know"),
        ("p", "Phần thứ ba: TỔ CHỨC THỰC HIỆN"),
        ("p", "Điều 7. Trách nhiệm thi hành"),
        ("p", "1. Giám đốc Trung tâm Phục vụ hành chính công phường tổ chức thực hiện phương án này."),
        ("p", "Trên đây là Phương án của Ủy ban nhân dân phường An Khê."),
    ],
    # one numbered procedure: "Bước 1: …" to "Bước 6: …"
    "steps": [
        ("meta", "Số: 09/QT-UBND"),
        ("title", "QUY TRÌNH"),
        ("title", "Hỗ trợ người dân yếu thế tại Bộ phận Một cửa phường Đông Hải"),
        ("p", "Căn cứ chỉ đạo của Ủy ban nhân dân thành phố, Ủy ban nhân dân phường Đông Hải ban hành quy trình như sau:"),
        ("p", "I. ĐỐI TƯỢNG ÁP DỤNG"),
        ("li", "Người cao tuổi, người khuyết tật, người không biết chữ, người không có điện thoại thông minh."),
        ("p", "II. CÁC BƯỚC HỖ TRỢ NGƯỜI DÂN YẾU THẾ"),
        ("p", "Bước 1: Đón tiếp"),
        ("li", "Mời người dân ngồi chờ, có ghế và nước uống.", "seat-and-water"),
        ("li", "Hỏi nhu cầu và phân loại người dân để bố trí cán bộ phù hợp."),
        ("p", "Bước 2: Hướng dẫn hồ sơ"),
        ("li", "Giải thích nội dung thủ tục cần giải quyết bằng lời dễ hiểu.", "explain-procedure plain-words"),
        ("li", "Hỗ trợ người dân điền thông tin vào tờ khai, biểu mẫu.", "help-fill-forms"),
        ("p", "Bước 3: Tiếp nhận hồ sơ"),
        ("li", "Nhận hồ sơ giấy từ người dân.", "receive-paper-file"),
        ("li", "Scan hồ sơ, nhập liệu và nộp hồ sơ trực tuyến thay cho người dân.", "scan-and-submit"),
        ("p", "Bước 4: Thu phí, lệ phí"),
        ("li", "Thu phí, lệ phí bằng tiền mặt tại quầy và thanh toán trực tuyến bằng tài khoản của đơn vị.",
         "collect-cash pay-with-unit-account guide-pay-cash counter-takes-cash help-pay-other-ways"),
        ("p", "Bước 5: In giấy hẹn"),
        ("li", "In giấy hẹn điện tử và trao tận tay cho người dân.", "print-e-appointment appointment-slip"),
        ("p", "Bước 6: Trả kết quả"),
        ("li", "Khi có kết quả, gọi điện báo người dân đến nhận, hoặc gửi qua bưu điện.", "call-when-ready"),
        ("p", "III. TỔ CHỨC THỰC HIỆN"),
        ("p", "1. Công chức Bộ phận Một cửa thực hiện đúng quy trình này."),
        ("p", "Trên đây là Quy trình hỗ trợ người dân yếu thế của phường Đông Hải."),
    ],
    # the whole plan one numbered procedure, "Bước 1: …" to "Bước 5: …" under no heading
    "steps-top": [
        ("meta", "Số: 14/QT-UBND"),
        ("meta", "Hòa Lạc, ngày 3 tháng 10 năm 2025"),
        ("title", "QUY TRÌNH"),
        ("title", "Hỗ trợ người dân yếu thế làm thủ tục hành chính tại Trung tâm Phục vụ hành chính công xã Hòa Lạc"),
        ("p", "Để phục vụ người cao tuổi, người khuyết tật và người không biết chữ, Ủy ban nhân dân xã Hòa Lạc ban hành quy trình như sau:"),
        ("p", "Bước 1: Đón tiếp"),
        ("li", "Mời người dân ngồi chờ, có ghế và nước uống.", "seat-and-water"),
        ("li", "Ưu tiên giải quyết hồ sơ của người yếu thế trước, không để người dân chờ lâu.", "prioritise-file"),
        ("p", "Bước 2: Tiếp nhận hồ sơ"),
        ("li", "Nhận hồ sơ giấy từ người dân.", "receive-paper-file"),
        ("li", "Scan hồ sơ, nhập liệu và nộp hồ sơ trực tuyến thay cho người dân.", "scan-and-submit"),
        ("p", "Bước 3: Thu phí, lệ phí"),
        ("li", "Thu phí, lệ phí bằng tiền mặt tại quầy và thanh toán trực tuyến bằng tài khoản của đơn vị.",
         "collect-cash pay-with-unit-account guide-pay-cash counter-takes-cash help-pay-other-ways"),
        ("p", "Bước 4: Hẹn trả kết quả"),
        ("li", "In giấy hẹn điện tử và trao tận tay cho người dân.", "print-e-appointment appointment-slip"),
        ("li", "Đọc to ngày hẹn trên giấy hẹn cho người dân nghe."),
        ("p", "Bước 5: Trả kết quả"),
        ("li", "Khi có kết quả, gọi điện báo người dân đến nhận.", "call-when-ready"),
        ("p", "Trên đây là Quy trình hỗ trợ người dân yếu thế của Ủy ban nhân dân xã Hòa Lạc."),
    ],
    # "Tình huống N - …" with "+" bullets
    "plus": [
        ("meta", "Số: 21/KB-UBND"),
        ("title", "KỊCH BẢN"),
        ("title", "Xử lý các tình huống thường gặp tại Trung tâm Phục vụ hành chính công xã Phước Sơn"),
        ("p", "Để nâng cao chất lượng phục vụ, Ủy ban nhân dân xã Phước Sơn xây dựng kịch bản như sau:"),
        ("p", "I. CÁC TÌNH HUỐNG VÀ CÁCH XỬ LÝ"),
        ("p", "Tình huống 1 - Mất điện, mất mạng khi người dân đang làm thủ tục"),
        ("li2", "Thông báo cho người dân biết sự cố và thời gian dự kiến khắc phục."),
        ("li2", "Mở hồ sơ thủ công bằng giấy ngay tại chỗ.", "paper-file-now"),
        ("li2", "Tạm thời bỏ qua các bước cần kết nối mạng.", "skip-online-steps"),
        ("li2", "Hướng dẫn người dân thanh toán phí, lệ phí trực tuyến khi có mạng trở lại.", "explain-pay-later"),
        ("p", "Tình huống 2 - Người dân quên mật khẩu ứng dụng VNeID"),
        ("li2", "Mở màn hình đăng nhập ứng dụng VNeID cùng người dân.", "open-login-screen"),
        ("li2", "Hướng dẫn dùng chức năng “Quên mật khẩu” để lấy lại mật khẩu.", "use-forgot-password help-recover-steps"),
        ("p", "Tình huống 3 - Người dân bức xúc, to tiếng tại quầy"),
        ("li2", "Giữ bình tĩnh, lắng nghe, không tranh luận với người dân.", "stay-calm-listen"),
        ("li2", "Mời người dân vào khu làm việc riêng nếu cần.", "private-room"),
        ("li2", "Ghi nhận ý kiến phản ánh và xử lý theo thẩm quyền.", "record-feedback"),
        ("p", "Tình huống 4 - Người dân không mang căn cước"),
        ("li2", "Kiểm tra thông tin cá nhân trên cơ sở dữ liệu quốc gia về dân cư.", "check-population-db"),
        ("li2", "Xác minh thông tin qua người thân hoặc người làm chứng.", "verify-via-relatives"),
        ("p", "Tình huống 5 - Người dân mang theo trẻ nhỏ"),
        ("li2", "Bố trí góc chờ có đồ chơi cho trẻ em."),
        ("p", "II. TỔ CHỨC THỰC HIỆN"),
        ("p", "1. Công chức Trung tâm học thuộc kịch bản này và thực hiện nghiêm túc."),
        ("p", "Trên đây là Kịch bản xử lý tình huống của Ủy ban nhân dân xã Phước Sơn."),
    ],
    # by team: leader, members, duties
    "teams": [
        ("meta", "Số: 33/PA-UBND"),
        ("title", "PHƯƠNG ÁN"),
        ("title", "Thành lập các tổ hỗ trợ người dân tại Trung tâm Phục vụ hành chính công xã Bình Minh"),
        ("p", "Căn cứ tình hình thực tế, Ủy ban nhân dân xã Bình Minh thành lập các tổ hỗ trợ như sau:"),
        ("p", "I. MỤC ĐÍCH"),
        ("li", "Hỗ trợ kịp thời người dân khi đến làm thủ tục hành chính."),
        ("p", "II. CÁC TỔ VÀ NHIỆM VỤ"),
        ("p", "1. Tổ hỗ trợ người cao tuổi"),
        ("li", "Tổ trưởng: Ông Trần Văn Hùng, Phó Giám đốc Trung tâm."),
        ("li", "Thành viên: 02 công chức Bộ phận Một cửa, 03 đoàn viên thanh niên."),
        ("li", "Nhiệm vụ:"),
        ("li2", "Mời người cao tuổi ngồi chờ, có ghế và nước uống.", "seat-and-water"),
        ("li2", "Cùng người nhà đưa xe lăn vào Trung tâm khi cần.", "wheelchair-help"),
        ("li2", "Liên hệ người thân hỗ trợ khi cần thiết.", "contact-relatives"),
        ("p", "2. Tổ ứng cứu sự cố mất điện, mất mạng"),
        ("li", "Tổ trưởng: Bà Lê Thị Mai, công chức Văn phòng - Thống kê."),
        ("li", "Thành viên: 01 công chức phụ trách công nghệ thông tin, 01 nhân viên kỹ thuật viễn thông."),
        ("li", "Nhiệm vụ:"),
        ("li2", "Khắc phục sự cố điện, đường truyền trong thời gian sớm nhất."),
        ("li2", "Vận hành máy phát điện, thiết bị 4G dự phòng để truy cập dịch vụ công.", "backup-equipment"),
        ("li2", "Mở hồ sơ thủ công bằng giấy tại chỗ.", "paper-file-now"),
        ("li2", "Nhập liệu hồ sơ đã làm tại chỗ lên hệ thống khi có mạng trở lại.", "enter-data-later"),
        ("p", "3. Tổ hỗ trợ tài khoản, mật khẩu VNeID"),
        ("li", "Tổ trưởng: Ông Phạm Văn Nam, công chức Công an xã."),
        ("li", "Nhiệm vụ:"),
        ("li2", "Hướng dẫn người dân dùng chức năng “Quên mật khẩu” trên màn hình đăng nhập.", "use-forgot-password"),
        ("li2", "Hỗ trợ người dân làm từng bước để lấy lại mật khẩu.", "help-recover-steps"),
        ("p", "4. Tổ hỗ trợ đồng bào dân tộc thiểu số"),
        ("li", "Tổ trưởng: Bà Thạch Thị Sa Ri, cán bộ Hội Phụ nữ xã."),
        ("li", "Nhiệm vụ:"),
        ("li2", "Phiên dịch tiếng Khmer cho người dân trong khi làm thủ tục."),
        ("p", "III. TỔ CHỨC THỰC HIỆN"),
        ("p", "1. Các tổ trực tại Trung tâm theo lịch do Giám đốc Trung tâm phân công."),
        ("p", "Trên đây là Phương án thành lập các tổ hỗ trợ của Ủy ban nhân dân xã Bình Minh."),
    ],
    # nothing the handbook knows: every situation and action is the commune's own
    "only-new": [
        ("meta", "Số: 05/PA-UBND"),
        ("title", "PHƯƠNG ÁN"),
        ("title", "Hỗ trợ người dân tại Trung tâm Phục vụ hành chính công xã Sơn Tây"),
        ("p", "Ủy ban nhân dân xã Sơn Tây xây dựng phương án như sau:"),
        ("p", "I. CÁC TRƯỜNG HỢP CẦN HỖ TRỢ"),
        ("p", "1. Người dân đến ngoài giờ hành chính"),
        ("li", "Ghi lại số điện thoại, hẹn người dân quay lại vào giờ hành chính gần nhất."),
        ("p", "2. Người dân mang theo trẻ nhỏ"),
        ("li", "Bố trí góc chờ an toàn cho trẻ em."),
        ("li", "Ưu tiên người dân bế con nhỏ được làm trước."),
        ("p", "3. Gia đình làm thủ tục cho người đã mất"),
        ("li", "Tiếp đón nhẹ nhàng, chia buồn cùng gia đình."),
        ("p", "Trên đây là Phương án của Ủy ban nhân dân xã Sơn Tây."),
    ],
}
FIXTURES.update(SHAPES)

# Word's automatic numbering for the shapes' .docx: per fixture, (pattern, level) of the typed
# numbers Word shows instead, and each level's number format and text (a multilevel list: a
# level's number restarts when the level above it moves on)
WORD_NUMBERING: dict[str, tuple[list[tuple[str, int]], list[tuple[str, str]]]] = {
    "parts": ([(r"^PHẦN [IVX]+\. ", 0), (r"^\d+\. ", 1)], [("upperRoman", "PHẦN %1."), ("decimal", "%2.")]),
    "articles": ([(r"^Điều \d+\. ", 0)], [("decimal", "Điều %1.")]),
    "steps": ([(r"^Bước \d+: ", 0)], [("decimal", "Bước %1:")]),
    "steps-top": ([(r"^Bước \d+: ", 0)], [("decimal", "Bước %1:")]),
    "plus": ([(r"^Tình huống \d+ - ", 0)], [("decimal", "Tình huống %1 -")]),
    "teams": ([(r"^\d+\. (?=Tổ )", 0)], [("decimal", "%1.")]),
}

# per shape: what the importer must find (as EXPECTED), plus the step procedure's section
EXPECTED.update({
    "parts": {"sections": ["I", "I.1", "I.2", "II", "II.1", "II.2", "II.3", "III", "III.1", "III.2", "III.3",
                           "IV", "IV.1", "IV.2", "IV.3"],
              "known": {"II.1": "elderly-mobility", "II.2": "cannot-read", "II.3": "disability",
                        "III.1": "outage-with-papers", "III.2": "no-bank-account"},
              "new": ["III.3"], "commune": ("xa", "Tân Phú")},
    "articles": {"sections": ["I", "I.1", "I.1.1", "I.1.2", "I.2", "I.2.1", "II", "II.1", "II.1.3", "II.1.3.1",
                              "II.1.3.2", "II.1.3.3", "II.1.4", "II.1.4.1", "II.1.4.2", "II.2", "II.2.5",
                              "II.2.5.1", "II.2.5.2", "II.2.6", "II.2.6.1", "II.2.6.2", "III", "III.7", "III.7.1"],
                 "known": {"II.1.3": "elderly-mobility", "II.1.4": "disability", "II.2.5": "system-slow",
                           "II.2.6": "merger-questions"},
                 "new": [], "commune": ("phuong", "An Khê")},
    "steps": {"sections": ["I", "II", "II.1", "II.2", "II.3", "II.4", "II.5", "II.6", "III", "III.1"],
              "known": {"II": "full-service"}, "new": [], "commune": ("phuong", "Đông Hải"), "procedure": "II"},
    "steps-top": {"sections": ["1", "2", "3", "4", "5"], "known": {"1": "full-service"}, "new": [],
                  "commune": ("xa", "Hòa Lạc"), "procedure": "1"},
    "plus": {"sections": ["I", "I.1", "I.2", "I.3", "I.4", "I.5", "II", "II.1"],
             "known": {"I.1": "outage-with-papers", "I.2": "forgot-password", "I.3": "upset-citizen",
                       "I.4": "no-id-papers"},
             "new": ["I.5"], "commune": ("xa", "Phước Sơn")},
    "teams": {"sections": ["I", "II", "II.1", "II.2", "II.3", "II.4", "III", "III.1"],
              "known": {"II.1": "elderly-mobility", "II.2": "outage-with-papers", "II.3": "forgot-password"},
              "new": ["II.4"], "commune": ("xa", "Bình Minh")},
    "only-new": {"sections": ["I", "I.1", "I.2", "I.3"], "known": {}, "new": ["I.1", "I.2", "I.3"],
                 "commune": ("xa", "Sơn Tây")},
})


def expected_actions(name: str) -> dict[str, frozenset[str]]:
    """The fixture's sentences (as the importer reads them) → the known actions each states."""
    return {line[1]: frozenset(line[2].split()) for line in FIXTURES[name]
            if line[0] in ("li", "li2", "p") and len(line) > 2}


def write_html(name: str, path: Path) -> Path:
    """The fixture as a web page a commune might print to PDF: letterhead, title, paragraphs,
    bullets as a list (the browser draws the bullet; the text does not hold it)."""
    from html import escape

    left, right = LETTERHEAD[name]
    body = [f"<table><tr><td><b>{'<br>'.join(map(escape, left))}</b></td>"
            f"<td><b>{'<br>'.join(map(escape, right))}</b></td></tr></table>"]
    items: list[str] = []
    for kind, text, *_ in FIXTURES[name]:
        if kind in ("li", "li2"):
            items.append(f"<li>{escape(text)}</li>")
            continue
        if items:
            body.append("<ul>" + "".join(items) + "</ul>")
            items = []
        tag = "h1" if kind == "title" else "p"
        body.append(f"<{tag}>{escape(text)}</{tag}>")
    if items:
        body.append("<ul>" + "".join(items) + "</ul>")
    path.write_text("<!doctype html><html lang='vi'><meta charset='utf-8'><style>body{font:12pt serif;margin:2cm}"
                    "h1{font-size:13pt;text-align:center}</style>" + "".join(body) + "</html>", encoding="utf-8")
    return path
