"""``make import-plan FILE=plan.docx ID=some-id``: a commune's own plan becomes its handbook.

Writes ``content/communes/ID/`` (nothing else): the commune's profile, the verbatim text and the
blocks of its plan, its situations and checklist items, their Vietnamese wording, and a
``choices.toml`` a person edits to confirm or change what was proposed (kept on re-import).
Everything proposed is a draft until ``reviewed = true`` there. Prints the review report (also
written to ``build/import/ID/review.md``). Any problem: a message in Vietnamese naming the
file, the place (part, paragraph, line) and the fix, exit status 2, and nothing written; the
file is read within the bounds of limits.py, and an error of the importer itself is said in one
line too, never as a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import sys
import time
import tomllib
import traceback
import unicodedata
from pathlib import Path

from handbook.model.base import ID_RE

from . import paths as path_proposals
from . import propose
from .errors import REPORT_BUG, SPLIT_PLAN, ReadError
from .limits import MAX_COMMUNE_ID_CHARS, MAX_SLUG_CHARS, MAX_WRITTEN_BYTES, SITE_NAMES, megabytes
from .read import read
from .structure import parse

# a heading about a group of people (not a happening): its answer goes under "who"
# a line that states a principle or sums up the steps after it ("Nguyên tắc: …", "Hành động: …")
SUMMARY_LINE = re.compile(r"^(nguyên tắc|hành động|mục tiêu|mục đích|yêu cầu|phương châm)\s*:", re.IGNORECASE)
# ("Người dân …" is anyone: a happening, unless "Người dân tộc …")
WHO_HEADING = re.compile(r"^(người(?! dân\b(?! tộc))|hộ|trẻ em|phụ nữ)\b", re.IGNORECASE)

ROOT = Path(__file__).resolve().parents[2]
GENERATED = ("commune.toml", "plan.toml", "plan.original.txt", "situations.toml", "items.toml",
             "paths.toml", "locales/vi.toml")
PHASE_WORDS = (  # a new action's stage, proposed from its words (the person confirms it)
    ("identify", ("giấy tờ tùy thân", "căn cước", "định danh", "xác minh", "dữ liệu dân cư")),
    ("account", ("tài khoản", "đăng nhập", "mật khẩu", "vneid")),
    ("payment", ("phí", "thanh toán", "tiền mặt", "ngân hàng")),
    ("result", ("giấy hẹn", "trả kết quả", "hẹn trả", "nhận kết quả", "có kết quả")),
    ("submit", ("nộp hồ sơ", "tiếp nhận hồ sơ", "scan", "nhập liệu")),
    ("prepare", ("điền", "biểu mẫu", "tờ khai", "thành phần hồ sơ")),
)
NETWORK_WORDS = ("trực tuyến", "hệ thống", "mạng", "điện tử", "internet", "cổng dịch vụ công", "vneid")


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("file", type=Path)
    args.add_argument("id")
    args.add_argument("--root", type=Path, default=ROOT, help="the project (its content/ is written)")
    args.add_argument("--report", type=Path, help="where to write the review report "
                      "(default: build/import/ID/review.md)")
    opts = args.parse_args(argv)
    started = time.perf_counter()
    try:
        result = run(opts.file, opts.id, opts.root)
    except ReadError as exc:
        return _refused(str(exc))
    except Exception as exc:  # noqa: BLE001 - a bug of the importer: said plainly, where, without a traceback
        return _refused(f"{opts.file.name}: {_bug(exc)}\n  cách sửa: {REPORT_BUG}")
    report = opts.report or opts.root / "build" / "import" / opts.id / "review.md"
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(result.report, encoding="utf-8")
    print(result.report)
    seconds = f"{time.perf_counter() - started:.1f}".replace(".", ",")
    print(f"đã nhập {opts.file} thành content/communes/{opts.id}/ trong {seconds} giây; "
          f"báo cáo: {report}\ntiếp theo: xem lại và xác nhận trong content/communes/{opts.id}/choices.toml, "
          f"rồi chạy make site COMMUNE={opts.id}")
    return 0


def _refused(message: str) -> int:
    print(f"import-plan: {message}", file=sys.stderr)
    print("  chưa ghi gì cả: content/ vẫn như trước", file=sys.stderr)
    return 2


def _bug(exc: BaseException) -> str:
    """An unexpected error in one line: what and where in the importer's code."""
    frame = traceback.extract_tb(exc.__traceback__)[-1]
    path = Path(frame.filename)
    at = path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else path.name
    detail = str(exc).splitlines()[0][:200] if str(exc) else ""
    return (f"lỗi của chương trình nhập, không phải của kế hoạch ({type(exc).__name__}"
            f"{': ' + detail if detail else ''}, ở {at}:{frame.lineno})")


class Result:
    def __init__(self, folder: Path, report: str, stats: dict):
        self.folder, self.report, self.stats = folder, report, stats


def run(file: Path, cid: str, root: Path) -> Result:
    from handbook import model as model_module

    name = file.name
    check_id(cid)
    content = root / "content"
    folder = content / "communes" / cid
    if (content / "communes" / f"{cid}.toml").exists() or (content / "plans" / f"{cid}.toml").exists():
        raise ReadError(f"ID={cid}", f"đã có xã hoặc kế hoạch '{cid}' trong content/ (không phải do nhập)",
                        "chọn mã khác (muốn cập nhật một kế hoạch đã nhập thì nhập lại với đúng mã của nó)")
    check_folder(folder, cid)
    paras = read(file)
    blocks = parse(name, paras)
    _check_faithful(name, paras, blocks)
    try:
        model = model_module.load(root)
    except model_module.ContentError as exc:
        raise ReadError("content/", f"nội dung của sổ tay không tải được:\n{exc}",
                        "sửa content/ trước (make site báo cùng lỗi này)") from None
    if cid in model.languages:
        raise ReadError(f"ID={cid}", f"'{cid}' là mã một ngôn ngữ của sổ tay (thư mục {cid}/ của trang web)",
                        "chọn mã khác: tên xã viết không dấu, ví dụ ID=dak-ha")
    choices = _read_choices(folder)
    known_situations, known_items = known(model)
    proposals = propose.situations(blocks, known_situations, known_items, model.lexicon)
    commune = _commune(blocks)
    files, report, stats = _write_plan(cid, name, paras, blocks, proposals, commune, choices, model)
    if not (folder / "choices.toml").is_file():  # a person's file is copied as it is
        files["choices.toml"] = CHOICES
    _check_written(name, cid, files)
    built = install(root, cid, files, model_module)
    pairs, stats["pairs"] = _pairs(cid, built)
    return Result(folder, report + "\n" + "\n".join(pairs), stats)


def known(model) -> tuple[list, list]:
    """The handbook's own situations and checklist actions, as the proposals compare them."""
    situations = [
        propose.KnownSituation(s.id, (_heading(model, s.plan, s.section),
                                      model.t("vi", "situations", s.id, "title"),
                                      model.t("vi", "situations", s.id, "audience")),
                               model.t("vi", "situations", s.id, "title"))
        for s in model.situations.values() if not s.commune]
    items = [propose.KnownItem(i, model.t("vi", "items", i, "text"), _sources(model, item))
             for i, item in model.items.items() if not item.commune]
    return situations, items


def check_id(cid: str) -> None:
    """The commune's id names folders and pages: lower-case-with-dashes, short, and none of the
    site's own names (limits.py)."""
    shown = _q(cid if len(cid) <= 80 else cid[:80] + "…")
    fix = "dùng tên xã viết không dấu, chữ thường, nối bằng dấu gạch ngang, ví dụ ID=dak-ha"
    if len(cid) > MAX_COMMUNE_ID_CHARS:  # first: the model's id pattern refuses very long ids too
        raise ReadError(f"ID={shown}", f"mã xã dài {len(cid)} ký tự; tối đa {MAX_COMMUNE_ID_CHARS}",
                        "dùng tên ngắn của xã, viết không dấu, ví dụ ID=dak-ha")
    if not ID_RE.match(cid):
        raise ReadError(f"ID={shown}", "mã xã chỉ gồm chữ thường không dấu (a-z), chữ số và dấu gạch ngang "
                                       "giữa các chữ", fix)
    if cid in SITE_NAMES:
        raise ReadError(f"ID={cid}", f"'{cid}' là tên dành riêng cho các trang và thư mục của chính sổ tay "
                                     f"({', '.join(sorted(SITE_NAMES))}; plans/index/ là danh sách các kế hoạch)",
                        fix)


def check_folder(folder: Path, cid: str) -> None:
    """An earlier import's folder may be imported over, as long as it holds only files and
    folders: a link (to /etc/passwd, say) is never followed, nor copied into the new folder."""
    shown = f"content/communes/{cid}"
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise ReadError(shown, "không phải một thư mục (có thể là liên kết): chương trình nhập không đi theo "
                               "liên kết", f"xóa {shown} hoặc chuyển nó đi nơi khác, rồi nhập lại")
    if not folder.exists():
        return
    choices = folder / "choices.toml"
    if choices.is_symlink() or not choices.is_file():
        raise ReadError(shown, f"thư mục {shown}/ đã có nhưng không phải do chương trình nhập tạo ra",
                        "chọn mã khác, hoặc chuyển thư mục đó đi nơi khác")
    for top, dirs, names in os.walk(folder):
        for entry in (*dirs, *names):
            path = Path(top) / entry
            rel = f"{shown}/{path.relative_to(folder).as_posix()}"
            if path.is_symlink():
                raise ReadError(rel, "là một liên kết (symlink): chương trình nhập không đi theo liên kết, "
                                     "cũng không chép nó sang thư mục mới",
                                "xóa liên kết; nếu cần tệp đó, đặt một bản sao của tệp vào chỗ của nó")
            if not (path.is_dir() or path.is_file()):
                raise ReadError(rel, "không phải tệp hay thư mục thường", "xóa nó khỏi thư mục")


def install(root: Path, cid: str, files: dict[str, str], model_module):
    """Write everything into a fresh folder beside the commune's, keep what a person wrote in
    the old one (choices, translations, recordings), validate it as the build will, then swap it
    in: never half a commune. Folders and files get the usual permissions (the umask's). Returns the
    commune's handbook as make site COMMUNE=ID builds it."""
    communes = root / "content" / "communes"
    folder = communes / cid
    staging = _fresh_folder(communes, f".{cid}-")
    try:
        for rel, text in files.items():
            (staging / rel).parent.mkdir(parents=True, exist_ok=True)
            (staging / rel).write_text(text, encoding="utf-8")
        if folder.is_dir():  # check_folder found only files and folders there
            for path in sorted(folder.rglob("*")):
                rel = path.relative_to(folder).as_posix()
                if path.is_file() and not path.is_symlink() and rel not in files and rel not in GENERATED:
                    (staging / rel).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(path, staging / rel, follow_symlinks=False)
        try:  # as the whole handbook, and as this commune's own (make site COMMUNE=ID)
            model_module.load(root, extra_commune=(cid, staging))
            built = model_module.load(root, extra_commune=(cid, staging), commune=cid)
        except model_module.ContentError as exc:  # name the folder it was to be, not the staging one
            shown, final = staging.relative_to(root).as_posix(), folder.relative_to(root).as_posix()
            message = str(exc).replace(str(staging), str(folder)).replace(shown, final)
            raise ReadError(f"content/communes/{cid}/", "kế hoạch đã nhập không hợp lệ (lỗi của chương trình "
                                                        f"nhập):\n{message}", REPORT_BUG) from None
        old = communes / f".{cid}.old"
        _remove(old)  # left by an import stopped half-way
        if folder.exists():
            folder.rename(old)
        staging.rename(folder)
        _remove(old)
    finally:
        _remove(staging)
    return built


def _fresh_folder(parent: Path, prefix: str) -> Path:
    """A new, empty folder: mode 0777 less the umask (tempfile.mkdtemp's 0700 would hide the
    commune's files from the web server's and the other editors' accounts)."""
    parent.mkdir(parents=True, exist_ok=True)
    while True:
        path = parent / f"{prefix}{secrets.token_hex(4)}"
        try:
            path.mkdir()
            return path
        except FileExistsError:
            continue


def _remove(path: Path) -> None:
    if path.is_symlink():
        path.unlink()
    elif path.exists():
        shutil.rmtree(path, ignore_errors=True)


def _check_written(name: str, cid: str, files: dict[str, str]) -> None:
    """Every TOML file written is a content file the handbook reads: within its bound."""
    for rel, text in files.items():
        size = len(text.encode("utf-8"))
        if rel.endswith(".toml") and size > MAX_WRITTEN_BYTES:
            raise ReadError(name, f"kế hoạch này sẽ thành content/communes/{cid}/{rel} nặng "
                                  f"{megabytes(size)}; sổ tay chỉ đọc tệp nội dung tối đa "
                                  f"{megabytes(MAX_WRITTEN_BYTES)}", SPLIT_PLAN)


def _heading(model, plan: str, section: str) -> str:
    blocks = model.plans[plan].section_blocks(section)
    heads = [b.vi for b in blocks if b.kind in ("h2", "h3", "h4")]
    return propose.heading_text(heads[0]) if heads else ""


def _known_headings(model) -> dict[str, tuple[str, str]]:
    """Every headed part of the known plans: its heading (without its number) and its text."""
    return {f"{pid}:{b.section}": (propose.heading_text(b.vi), propose.body(plan.blocks, b.section))
            for pid, plan in model.plans.items() if pid in _known_plans(model)
            for b in plan.blocks if b.kind in ("h2", "h3", "h4")}


def _known_plans(model) -> set[str]:
    """The shared plans (content/plans/), not the communes' own."""
    return {pid for pid in model.plans if (model.root / "content" / "plans" / f"{pid}.toml").is_file()}


def _sources(model, item) -> tuple[str, ...]:
    """The plan sentences an item was taken from: in each cited section, the one holding most of its words."""
    mine = propose.words(model.t("vi", "items", item.id, "text"))
    known_plans = _known_plans(model)
    out = []
    for c in item.cites:
        plan = model.plans.get(c.plan)
        if plan is None or c.plan not in known_plans:
            continue
        texts = [b.vi for b in plan.blocks if (b.section == c.section or b.section.startswith(c.section + "."))
                 and b.kind in ("li", "p")]
        best = max(texts, key=lambda t: propose.contained(mine, propose.words(t)), default="")
        if best and propose.contained(mine, propose.words(best)) >= propose.COPY_ITEM:
            out.append(best)
    return tuple(out)


def _check_faithful(name: str, paras, blocks) -> None:
    """Every line of the original is one block, in order (the build checks the page the same way)."""
    texts = [p.text for p in paras if p.text]
    got = [b.vi for b in blocks]
    if texts != got:  # pragma: no cover - a bug in structure.parse, never the plan's fault
        at = next(n for n, (a, b) in enumerate(zip(texts + [""], got + [""])) if a != b)
        raise ReadError(name, f"các khối làm mất hoặc đổi đoạn {at + 1} (lỗi của chương trình nhập)",
                        REPORT_BUG)


def _read_choices(folder: Path) -> dict:
    path = folder / "choices.toml"
    if not path.is_file():
        return {}
    shown = f"content/communes/{folder.name}/choices.toml"
    keep = "(tệp này giữ các lựa chọn của người duyệt: chương trình nhập không bao giờ ghi đè nó)"
    if path.stat().st_size > MAX_WRITTEN_BYTES:
        raise ReadError(shown, f"tệp nặng hơn {megabytes(MAX_WRITTEN_BYTES)}, giới hạn của một tệp nội dung",
                        f"xóa phần dán nhầm vào {keep}")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ReadError(shown, f"tệp lựa chọn không phải TOML hợp lệ ({exc})",
                        f"sửa dòng đó {keep}") from None
    for table in ("situation", "item", "path"):
        entries = data.get(table, {})
        if not isinstance(entries, dict) or not all(isinstance(v, dict) for v in entries.values()):
            raise ReadError(shown, f"[{table}] phải là các bảng [{table}.\"…\"], mỗi bảng một {table}",
                            f"viết lại như các dòng chú thích ở đầu tệp {keep}")
        for key, values in entries.items():  # a person's values, checked where they are read
            for name, value in values.items():
                kind = CHOICE_KINDS.get((table, name))
                if kind is None or not kind[0](value):
                    raise ReadError(shown, f"[{table}.{_q(key)}] {name} = {value!r}: "
                                    + (f"phải là {kind[1]}" if kind else "không phải một lựa chọn"),
                                    f"viết như các dòng chú thích ở đầu tệp {keep}")
    return data


# What a person may write in choices.toml, and how (checked before anything is proposed)
CHOICE_KINDS = {
    ("situation", "same_as"): (lambda v: isinstance(v, str), "một chuỗi: mã tình huống đã biết, hoặc \"new\""),
    ("item", "reuse"): (lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v),
                        "một danh sách mã việc đã biết, ví dụ [\"seat-and-water\"] (hoặc [])"),
    ("item", "short"): (lambda v: isinstance(v, str), "một chuỗi"),
    ("item", "phase"): (lambda v: isinstance(v, str), "một chuỗi: mã một bước của hồ sơ"),
    ("item", "network"): (lambda v: isinstance(v, bool), "true hoặc false"),
    ("path", "offered"): (lambda v: isinstance(v, bool), "true hoặc false"),
    ("path", "cites"): (lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v),
                        "một danh sách mục của kế hoạch, ví dụ [\"III.1\"]"),
    ("path", "reason"): (lambda v: isinstance(v, str) and v.strip() != "", "một câu: lời của kế hoạch"),
}


KIND_RE = re.compile(r"\b(xã|phường|XÃ|PHƯỜNG)\s+((?:[A-ZĐÀ-Ỹ][\wÀ-ỹ'’-]*)(?:\s+[A-ZĐÀ-Ỹ][\wÀ-ỹ'’-]*)*)")


def _commune(blocks) -> tuple[str, str]:
    """(kind, name) from the title, then the preamble, then the letterhead; ("", "") if none says."""
    front = [b for b in blocks if b.section == "front"]
    for kinds in (("title",), ("p",), ("meta",)):
        for b in front:
            if b.kind in kinds and (m := KIND_RE.search(b.vi)):
                kind = "xa" if m[1].lower() == "xã" else "phuong"
                name = m[2]
                if name.isupper():
                    name = name.title()
                return kind, name
    return "", ""


def slug(text: str, words: int = 6) -> str:
    """The first words of ``text`` without accents, lower-case-with-dashes, at most MAX_SLUG_CHARS."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if unicodedata.category(c) != "Mn").lower()
    parts = re.findall(r"[a-z0-9]+", text)[:words]
    out = ""
    for part in parts:
        if len(f"{out}-{part}") > MAX_SLUG_CHARS:
            break
        out = f"{out}-{part}" if out else part
    return out or (parts[0][:MAX_SLUG_CHARS] if parts else "x")


def _unique(base: str, taken: set[str]) -> str:
    """``base``, else ``base-2``, ``base-3``…: the first id no other situation (or item) has."""
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


# json.dumps escapes C0 control characters but leaves DEL, C1 and the Unicode line separators
# as they are: TOML forbids DEL raw in a string, and none of them should be invisible (or break
# a line) in a file a person reads.
UNESCAPED_CONTROLS_RE = re.compile(r"[\x7f-\x9f\u2028\u2029]")


def _q(value: str) -> str:
    """A TOML basic string (JSON's string syntax is TOML's, once DEL and C1 are escaped too)."""
    return UNESCAPED_CONTROLS_RE.sub(lambda m: f"\\u{ord(m[0]):04x}", json.dumps(value, ensure_ascii=False))


def _key(key: str) -> str:
    """A TOML key: bare when it can be, quoted otherwise."""
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else _q(key)


def _list(values) -> str:
    return "[" + ", ".join(_q(v) for v in values) + "]"


def _phase(text: str, phases: list[str]) -> str:
    low = text.lower()
    for phase, keys in PHASE_WORDS:
        if any(k in low for k in keys):
            if phase in phases:
                return phase
    return phases[0]


def _write_plan(cid, name, paras, blocks, proposals, commune, choices, model):
    kind, cname = commune
    phases = list(model.phases)
    files: dict[str, str] = {}
    files["plan.original.txt"] = "\n".join(p.raw for p in paras).rstrip("\n") + "\n"
    lines = [f"# Văn bản chính thức của {name}, mỗi đoạn, tiêu đề hay gạch đầu dòng một khối.",
             "# Do `make import-plan` tạo từ plan.original.txt (nguyên văn kế hoạch); mã khối là MỤC/N.",
             "# Muốn sửa thì nhập lại kế hoạch; ở đây chỉ sửa lỗi chuyển đổi (ký tự thừa).",
             f"id = {_q(cid)}", 'original = "plan.original.txt"', ""]
    for b in blocks:
        lines += ["[[block]]", f"section = {_q(b.section)}", f"kind = {_q(b.kind)}", f"vi = {_q(b.vi)}", ""]
    files["plan.toml"] = "\n".join(lines)
    files["commune.toml"] = "\n".join([
        "# Thông tin của xã, do `make import-plan` lấy từ tiêu đề và phần đầu của kế hoạch.",
        "# Để trống (\"\") điều xã chưa cung cấp. Không bao giờ điền điều xã chưa xác nhận.",
        f"id = {_q(cid)}", f"kind = {_q(kind or 'xa')}            # xa (xã) or phuong (phường)"
        + ("" if kind else "  -- kế hoạch không nói: kiểm tra lại"),
        f"name = {_q(cname or cid)}" + ("" if cname else "  # kế hoạch không ghi tên xã: điền tên"),
        'province = ""', 'address = ""', 'hotline = ""', 'hours = ""', 'site_url = ""',
        f"plans = [{_q(cid)}]", ""])
    title_lines = [b.vi for b in blocks if b.section == "front" and b.kind == "title"]
    doc_title = (title_lines[0].capitalize() + (": " + " ".join(title_lines[1:]) if title_lines[1:] else "")) \
        if title_lines else name
    kind_word = {"xa": "xã", "phuong": "phường"}.get(kind, "xã")
    vi = {"plans": {cid: {"title": doc_title, "short": f"Phương án {kind_word} {cname or cid}",
                          "label": cname or cid}},
          "situations": {}, "items": {}}
    choice_sit = choices.get("situation", {})
    choice_item = choices.get("item", {})
    known_ids = {sid for sid, s in model.situations.items() if not s.commune}
    # ids this commune may not take: every other one's (an earlier import of it is replaced)
    taken_sids = {sid for sid, s in model.situations.items() if s.commune != cid}
    taken_iids = {iid for iid, i in model.items.items() if i.commune != cid}
    item_ids: dict[str, str] = {}  # a new action's text -> its id (one action, stated twice)
    sit_lines = ["# Các tình huống của kế hoạch, do `make import-plan` đề xuất (bản nháp cho đến khi người duyệt",
                 "# xác nhận trong choices.toml). same_as: tình huống sổ tay đã biết mà trợ lý dẫn tới đây.",
                 "# slip (tình huống mới): việc riêng của tình huống mà câu của nó, đúng lời kế hoạch, là dòng của",
                 "# tình huống trên phiếu hỗ trợ (ki-ốt).", ""]
    item_lines = ["# Các việc cần làm của kế hoạch, do `make import-plan` đề xuất (bản nháp).",
                  "#   [[item]]   việc mới, dùng đúng câu của kế hoạch (locales/vi.toml), dẫn mục của câu đó",
                  "#   [[reuse]]  việc sổ tay đã biết (content/checklist.toml) mà kế hoạch này cũng nêu", ""]
    reuse: dict[str, list[str]] = {}
    new_items: dict[str, dict] = {}
    reviewed = choices.get("reviewed") is True
    report = [f"# Duyệt kết quả nhập: {name} → content/communes/{cid}/", "",
              (f"**Đã duyệt** (`reviewed = true` trong `content/communes/{cid}/choices.toml`): người duyệt đã "
               "xác nhận các tình huống và các việc dưới đây; sổ tay của xã không còn ghi “bản nháp”. "
               + _confirmed(choices))
              if reviewed else
              ("Mọi điều dưới đây là **đề xuất** của chương trình nhập (bản nháp). Xác nhận hoặc sửa trong "
               f"`content/communes/{cid}/choices.toml` (tệp này được giữ lại khi nhập lại kế hoạch), rồi "
               "ghi `reviewed = true` ở đó."), ""]
    stats = {"situations": 0, "matched_situations": 0, "bullets": 0, "matched_bullets": 0, "new_items": 0,
             "sections": len({b.section for b in blocks} - {"front", "back"}), "procedures": 0}
    resolved = []  # per situation: (proposal, same_as, [(sentence, the known actions it states)])
    for p in proposals:
        chosen = choice_sit.get(p.heading, {})
        same_as = chosen.get("same_as", p.same_as or "new")
        if same_as != "new" and same_as not in known_ids:
            raise ReadError(f"content/communes/{cid}/choices.toml",
                            f"[situation.{_q(p.heading)}] same_as = {_q(same_as)} không phải một tình huống "
                            "đã biết",
                            f"dùng một trong: {', '.join(sorted(known_ids))}; hoặc \"new\"")
        local = same_as if same_as != "new" else slug(p.heading, 5)
        sid = _unique(f"{cid}-{local}", taken_sids)
        taken_sids.add(sid)
        stats["situations"] += 1
        stats["matched_situations"] += same_as != "new"
        report.append(f"## Mục {p.section}: {p.heading} ({p.where})")
        by_person = " (do người duyệt chọn trong choices.toml)" if "same_as" in chosen else ""
        known_title = model.t("vi", "situations", same_as, "title") if same_as != "new" else ""
        report.append(f"- hướng dẫn `{sid}`: " + (f"tình huống sổ tay đã biết **{known_title}** (`{same_as}`)"
                                                   if same_as != "new" else "tình huống **mới** của xã")
                      + (by_person or (f" — {p.why}" if p.why else "")))
        if p.steps:
            stats["procedures"] += 1
            report.append(f"- quy trình theo bước: {len(p.steps)} bước (mục {', '.join(p.steps)}) là một hướng "
                          "dẫn, mỗi bước một phần của nó; các việc của mọi bước là danh sách việc của hướng dẫn")
        checklist: list[str] = []
        stated: list = []
        resolved.append((p, same_as, stated))
        for bullet in p.bullets:
            stats["bullets"] += 1
            iid = item_ids.get(bullet.text) or _unique(f"{cid}-{slug(bullet.text)}", taken_iids)
            pick = choice_item.get(iid, {})
            matched = pick.get("reuse", [m for m, _ in bullet.matches])
            matched = [m for m in matched if m in model.items]
            stated.append((bullet, matched))
            if matched:
                stats["matched_bullets"] += 1
                for m in matched:
                    cites = reuse.setdefault(m, [])
                    if f"{cid}:{bullet.section}" not in cites:
                        cites.append(f"{cid}:{bullet.section}")
                    if m not in checklist:
                        checklist.append(m)
                report.append(f"  - {bullet.where}, mục {bullet.section}: “{_short(bullet.text, 12)}” ứng với việc "
                              "đã biết " + "; ".join(
                                  f"`{m}` “{_short(model.t('vi', 'items', m, 'text'), 10)}” ("
                                  + (bullet.why.get(m, "") if "reuse" not in pick else "do người duyệt chọn") + ")"
                                  for m in matched))
                continue
            stats["new_items"] += iid not in new_items
            phase = pick.get("phase", _phase(bullet.text, phases))
            if phase not in model.phases:
                raise ReadError(f"content/communes/{cid}/choices.toml", f"[item.{_q(iid)}] phase = {_q(phase)} "
                                "không phải một bước của hồ sơ", f"dùng một trong: {', '.join(model.phases)}")
            network = pick.get("network", any(w in bullet.text.lower() for w in NETWORK_WORDS))
            short = pick.get("short", _short(bullet.text, model_short_words()))
            new_items[iid] = {"text": bullet.text, "section": bullet.section, "phase": phase,
                              "network": network, "short": short}
            item_ids[bullet.text] = iid
            taken_iids.add(iid)
            if iid not in checklist:
                checklist.append(iid)
            report.append(f"  - {bullet.where}, mục {bullet.section}: “{_short(bullet.text, 12)}” là việc **mới** "
                          f"`{iid}` (ở bước “{model.t('vi', 'phases', phase)}” của hồ sơ"
                          f"{', cần mạng' if network else ''})")
        known = model.situations.get(same_as)
        if known:  # a known situation's guide: its own actions in its order, then the commune's own,
            # then other known actions the section states, no longer than the known guide (its card
            # must fit on A6); the rest still cite this section ([[reuse]]) for the wizard
            own = [i for i in checklist if i not in model.items]
            ordered = [i for i in known.checklist if i in checklist] + own
            ordered += [i for i in checklist if i not in ordered]
            room = max(len(known.checklist), len([i for i in known.checklist if i in checklist]) + len(own))
            left = ordered[room:]
            checklist = ordered[:room]
            if left:
                report.append(f"  - không đưa vào danh sách việc của hướng dẫn (thẻ quầy khổ A6 không đủ chỗ; "
                              f"trợ lý vẫn dùng): {', '.join(f'`{i}`' for i in left)}")
        pictogram = known.pictogram if known else "helpers"
        steps = [i for i in (known.steps if known else ()) if i in checklist] or checklist
        steps = (steps + [i for i in checklist if i not in steps])[:6]
        sit_lines += ["[[situation]]", f"id = {_q(sid)}", f"plan = {_q(cid)}", f"pictogram = {_q(pictogram)}",
                      f"section = {_q(p.section)}", f"staff = {_list(p.staff)}", f"support = {_list(p.support)}",
                      f"checklist = {_list(checklist)}", f"steps = {_list(steps)}"]
        if same_as != "new":
            sit_lines.append(f"same_as = {_q(same_as)}")
        else:  # a new situation is an answer of the commune's wizard: who the person is, or what happens
            question = "who" if WHO_HEADING.match(p.heading) else "situation"
            sit_lines.append(f"question = {_q(question)}   # câu hỏi của trợ lý: \"who\" (ai cần hỗ trợ) "
                             "hoặc \"situation\" (chuyện gì đang xảy ra)")
            report.append(f"  - trợ lý của xã hỏi tình huống này trong câu “"
                          f"{model.t('vi', 'questions', question, 'title')}”; đề xuất: câu trả lời này dùng chung "
                          "được với mọi câu trả lời khác (xem mục “Từng cặp câu trả lời” ở cuối báo cáo)")
            slip = next((i for i in checklist if i in new_items and not SUMMARY_LINE.match(new_items[i]["text"])
                         and len(new_items[i]["text"].split()) <= slip_words()), "")
            if slip:
                sit_lines.append(f"slip = {_q(slip)}")
                report.append(f"  - phiếu hỗ trợ ở ki-ốt ghi cho tình huống này: “{new_items[slip]['text']}” "
                              "(đúng lời kế hoạch)")
            else:
                report.append("  - phiếu hỗ trợ ở ki-ốt không có dòng riêng cho tình huống này (kế hoạch không nêu "
                              f"việc riêng nào của nó ngắn hơn {slip_words()} chữ); phiếu ghi các việc đã biết")
        sit_lines.append("")
        if same_as == "new":
            vi["situations"][sid] = {"title": p.heading, "summary": p.heading, "audience": p.heading}
        report.append("")
    # parts that are not situations but say the same as a known plan's part (same heading)
    used = {p.section for p in proposals} | {s for p in proposals for s in (*p.staff, *p.support)}
    same = propose.same_sections(blocks, used, _known_headings(model))
    if same:
        sit_lines += ["# Các mục cùng tiêu đề và nội dung với một mục của kế hoạch đã có: điều trợ lý dẫn ở đó",
                      "# (ví dụ các đối tượng của kế hoạch) thì ở xã này dẫn mục tương ứng.", "[sections]"]
        sit_lines += [f"{_q(cited)} = {_q(own)}" for cited, own in same.items()]
        sit_lines.append("")
        report.append("## Các phần khác")
        report += [f"- mục {own}: cùng tiêu đề và nội dung với mục {cited} của một kế hoạch đã có trong sổ tay"
                   for cited, own in same.items()] + [""]
    proposed = path_proposals.propose(model, blocks, resolved, same, choices.get("path", {}))
    path_lines, path_report = _paths(cid, proposed, blocks, model)
    files["paths.toml"] = "\n".join(path_lines)
    report += path_report
    vi["paths"] = {pp.id: {"reason": pp.reason} for pp in proposed if pp.offered}
    stats["paths"] = {pp.id: (pp.reason, pp.sections) for pp in proposed if pp.offered}
    for iid, it in new_items.items():
        item_lines += ["[[item]]", f"id = {_q(iid)}", f"phase = {_q(it['phase'])}",
                       f"network = {'true' if it['network'] else 'false'}",
                       f"cites = [{_q(cid + ':' + it['section'])}]", 'pictogram = "helpers"']
        if SUMMARY_LINE.match(it["text"]):  # "Nguyên tắc: …", "Hành động: …": not one step of the procedure
            item_lines.append("wizard = false   # nguyên tắc hoặc lời tóm tắt: hướng dẫn có, trợ lý không đưa vào các bước")
        item_lines.append("")
        vi["items"][iid] = {"text": it["text"], "short": it["short"]}
    for iid, cites in reuse.items():
        item_lines += ["[[reuse]]", f"id = {_q(iid)}", f"cites = {_list(cites)}", ""]
    files["situations.toml"] = "\n".join(sit_lines)
    files["items.toml"] = "\n".join(item_lines)
    files["locales/vi.toml"] = _toml_tables(vi, "# Lời tiếng Việt của kế hoạch, các tình huống và các việc của xã: "
                                                "đúng lời của kế hoạch (do make import-plan soạn).")
    share = stats["matched_bullets"] / stats["bullets"] if stats["bullets"] else 0
    summary = (f"Tìm thấy {stats['sections']} mục đánh số; {stats['situations']} tình huống "
               f"({stats['matched_situations']} sổ tay đã biết, {stats['situations'] - stats['matched_situations']} "
               f"mới); {stats['bullets']} câu nêu việc cần làm, {stats['matched_bullets']} câu ứng với việc đã biết "
               f"({share:.0%}), {stats['new_items']} việc mới.\n")
    if not stats["matched_situations"]:
        summary += ("\nKế hoạch này không có tình huống nào sổ tay đã biết: trợ lý (wizard) của xã hỏi các tình "
                    "huống riêng của xã và đưa ra các việc kế hoạch nêu cho từng tình huống, nhưng không chỉ ra "
                    "cách làm hồ sơ nào (kế hoạch không nêu); sổ tay của xã vẫn có các hướng dẫn theo tình huống "
                    "và toàn văn kế hoạch. Nếu một tình huống của xã chính là một tình huống sổ tay đã biết, "
                    "ghi `same_as` cho nó trong choices.toml rồi nhập lại.\n")
    report.insert(4, summary)
    stats["share"] = share
    return files, "\n".join(report), stats


def _pairs(cid: str, model) -> tuple[list[str], dict]:
    """The report's part on the commune's new answers with every other answer: proposed
    compatible (the steps of both kept), unless a known rule settles the pair (a conflict, a
    path or a fact that rules steps out, a one-way stage done the pair's way), as the pairs
    table of /wizard/rules/ shows them for a person to confirm."""
    from wizard.data import export  # noqa: PLC0415 - the wizard builds on the model
    from wizard.pairs import pairs  # noqa: PLC0415

    new = [a for q in model.wizard.questions for a in q.answers
           if a in model.situations and model.situations[a].commune == cid]
    lines = ["## Từng cặp câu trả lời", ""]
    if not new:
        return lines + ["Kế hoạch không có tình huống mới nào: các cặp câu trả lời là của sổ tay.", ""], {}
    rows = pairs(export(model))
    label = {a: model.t("vi", "answers", a, "label") for _, a in model.wizard.answers()}
    settled: dict[str, list[str]] = {}
    for answer in new:
        mine = [r for r in rows if any(x.split(":", 1)[1] == answer for x in r["answers"])]
        lost = [r for r in mine if r["conflicts"] or r["excluded"] or r["dropped"] or r["ways"] or r["unexplained"]]
        settled[answer] = [next(x.split(":", 1)[1] for x in r["answers"] if x.split(":", 1)[1] != answer) for r in lost]
        if not lost:
            lines.append(f"- “{label[answer]}”: đề xuất dùng chung được với mọi câu trả lời khác ({len(mine)} cặp, "
                         "không xung đột đã biết nào áp dụng): việc của cả hai câu trả lời đều được giữ.")
            continue
        how = []
        for r in lost:
            other = next(x.split(":", 1)[1] for x in r["answers"] if x.split(":", 1)[1] != answer)
            why = [model.t("vi", "conflicts", c, "text") for c in r["conflicts"]]
            why += [f"không làm {', '.join(i)} vì " + (model.t("vi", "facts", by.split(":", 1)[1], "label")
                    if by.startswith("fact:") else model.t("vi", "paths", by.split(":", 1)[1], "title"))
                    for by, i in r["excluded"].items()]
            why += [f"bước “{model.t('vi', 'phases', st)}” làm theo một cách" for st in r["ways"]]
            why += [f"mất việc không rõ lý do: {', '.join(r['unexplained'])}"] if r["unexplained"] else []
            how.append(f"với “{label[other]}”: {'; '.join(why)}")
        lines.append(f"- “{label[answer]}”: dùng chung được với các câu trả lời khác, trừ các cặp một quy tắc đã "
                     "biết giải quyết — " + " · ".join(how))
    lines += ["", "Xác nhận ở bảng “Từng cặp câu trả lời” của trang “Trợ lý quyết định thế nào” trong sổ tay của xã: "
              f"chạy `make site COMMUNE={cid}` rồi mở /wizard/rules/#pairs (các cặp có câu trả lời mới ghi “Đề xuất của "
              "chương trình nhập, chờ người duyệt xác nhận” cho đến khi ghi `reviewed = true` trong choices.toml).", ""]
    return lines, settled


def _paths(cid: str, proposed, blocks, model) -> tuple[list[str], list[str]]:
    """paths.toml's lines and the report's part on the procedure paths."""
    lines = ["# Các cách xử lý (procedure paths) của trợ lý mà kế hoạch của xã nêu căn cứ, do `make import-plan`",
             "# đề xuất (bản nháp). cites: các mục của kế hoạch làm căn cứ; lý do trợ lý nêu là lời của kế hoạch trong",
             "# các mục đó: locales/vi.toml [paths.MÃ] reason. Cách nào kế hoạch không nêu căn cứ thì không có ở đây:",
             "# trợ lý của xã không đưa ra cách đó. Xã không thêm cách mới; sửa trong choices.toml [path.\"MÃ\"].", ""]
    report = ["## Các cách xử lý của trợ lý", ""]
    sections = {b.section for b in blocks}
    offered = [p for p in proposed if p.offered]
    default = model.wizard.default
    fallback = (f"trợ lý dùng cách “{model.t('vi', 'paths', default, 'title')}” (cách mặc định), với lý do của cách đó"
                if any(p.id == default for p in offered) else
                "trợ lý không nêu cách xử lý nào, cũng không nêu lý do: chỉ đưa ra các việc kế hoạch nêu")
    for p in proposed:
        title = model.t("vi", "paths", p.id, "title")
        by = " (do người duyệt chọn trong choices.toml)" if p.chosen else f" — {p.why}"
        problem = path_proposals.check_choice(cid, p, blocks, sections) if p.chosen else None
        if problem:
            raise ReadError(f"content/communes/{cid}/choices.toml", f"[path.{_q(p.id)}] {problem}",
                            "dùng đúng lời của kế hoạch trong các mục được dẫn (cites), hoặc dẫn mục có câu đó")
        if p.offered:
            lines += ["[[path]]", f"id = {_q(p.id)}", f"cites = {_list(f'{cid}:{s}' for s in p.sections)}", ""]
            report.append(f"- **{title}** (`{p.id}`): có, căn cứ mục {', '.join(p.sections)}; trợ lý nêu lý do: "
                          f"“{p.reason}”{by}")
        else:
            report.append(f"- **{title}** (`{p.id}`): không có ở xã này{by}; với câu trả lời dẫn tới cách này, "
                          f"{fallback}")
    report += ["", "Lý do là lời của kế hoạch; muốn dùng câu khác của cùng mục, hoặc không đưa ra một cách, ghi "
               f"trong `content/communes/{cid}/choices.toml`: `[path.\"MÃ\"]` reason = \"…\", cites = [\"MỤC\"], "
               "offered = true|false.", ""]
    return lines, report


def slip_words() -> int:
    from handbook.model.procedure import SLIP_WORDS
    return SLIP_WORDS


def _confirmed(choices: dict) -> str:
    """What the person wrote in choices.toml, said for the report of a reviewed import."""
    situations, items = choices.get("situation", {}), choices.get("item", {})
    if not situations and not items and not choices.get("path"):
        return "Người duyệt giữ nguyên mọi đề xuất."
    parts = [f"tình huống “{h}” → {v['same_as'] if v.get('same_as') != 'new' else 'mới'}"
             for h, v in situations.items() if "same_as" in v]
    parts += [f"việc `{i}`: " + ", ".join(f"{k} = {v}" for k, v in values.items()) for i, values in items.items()]
    parts += [f"cách xử lý `{i}`: " + ", ".join(f"{k} = {v}" for k, v in values.items())
              for i, values in choices.get("path", {}).items()]
    return "Người duyệt đã chọn: " + "; ".join(parts) + "."


def model_short_words() -> int:
    from handbook.model import SHORT_WORDS
    return SHORT_WORDS


def _short(text: str, n: int) -> str:
    parts = propose.heading_text(text).split()
    out = " ".join(parts[:n]).rstrip(".,;:")
    return out + ("…" if len(parts) > n else "")


def _toml_tables(data: dict, comment: str) -> str:
    lines = [comment, ""]
    for top, tables in data.items():
        for key, values in tables.items():
            lines.append(f"[{top}.{_key(key)}]")
            lines += [f"{k} = {_q(v)}" for k, v in values.items()]
            lines.append("")
    return "\n".join(lines)


# A new import's choices.toml: what a person may write there (an existing one is never rewritten)
CHOICES = "\n".join([
    "# Lựa chọn của người duyệt cho kế hoạch đã nhập. `make import-plan` không bao giờ ghi đè tệp này.",
    "#   reviewed = true          khi đã xem hết các đề xuất trong báo cáo (bỏ dòng “bản nháp” của sổ tay)",
    "#   [situation.\"TIÊU ĐỀ\"]    same_as = \"MÃ-TÌNH-HUỐNG\" (một tình huống sổ tay đã biết) hoặc \"new\" (mới);",
    "#                            TIÊU ĐỀ: tiêu đề của mục trong kế hoạch, như trong báo cáo (review.md)",
    "#   [item.\"MÃ\"]              reuse = [\"MÃ-VIỆC\", …] (việc đã biết; [] nếu là việc mới), short = \"…\" (tên",
    "#                            ngắn), phase = \"BƯỚC\" (bước của hồ sơ: on-arrival, identify, prepare, account,",
    "#                            submit, payment, result, when-back-online), network = true|false (cần mạng)",
    "#   [path.\"MÃ\"]              cách xử lý của trợ lý (urgent-direct, paper-first, assisted-online, guided-online):",
    "#                            offered = true|false (có đưa ra ở xã này không), cites = [\"MỤC\", …] (mục làm căn",
    "#                            cứ), reason = \"…\" (lý do trợ lý nêu: đúng lời kế hoạch trong các mục đó)",
    "",
    "reviewed = false", ""])


if __name__ == "__main__":
    sys.exit(main())
