"""The one error the importer reports: where (the file, the part, the paragraph or line), what
is wrong and the fix, in Vietnamese (the commune's IT officer reads them)."""

from __future__ import annotations

# The fix for a plan past a bound on its length (limits.py): what usually makes it so long
SPLIT_PLAN = ("nhập riêng kế hoạch, không kèm phụ lục hay văn bản khác; nếu kế hoạch thật sự dài như vậy, "
              "tách thành nhiều kế hoạch")
# The fix for an error of the importer itself, not of the plan
REPORT_BUG = "báo lỗi này cho người bảo trì sổ tay, kèm tệp kế hoạch"


class ReadError(Exception):
    """A plan that cannot be imported: ``where`` (file, paragraph), what is wrong, the fix."""

    def __init__(self, where: str, message: str, fix: str):
        super().__init__(f"{where}: {message}\n  cách sửa: {fix}")
        self.where, self.message, self.fix = where, message, fix
