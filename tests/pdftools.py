"""Readers for the PDFs the handbook prints (the support slip, checklists, the counter cards)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

FAMILY = "NotoSans"  # the family of the handbook's one text font (handbook/fonts.py) as a PDF names it
SUBSET_TAG = re.compile(r"^[A-Z]{6}\+")  # a subset font's name starts with six letters and "+"


def fonts(path: Path) -> set[str]:
    """The PostScript names of every font the PDF's pages draw text with (subset tags removed)."""
    from pypdf import PdfReader

    names = set()
    for page in PdfReader(str(path)).pages:
        resources = page.get("/Resources")
        pending = [resources.get_object()] if resources is not None else []
        seen = set()
        while pending:  # the page's fonts, and those of any form XObject it draws
            res = pending.pop()
            if id(res) in seen:
                continue
            seen.add(id(res))
            for font in (res.get("/Font") or {}).values():
                names.add(SUBSET_TAG.sub("", str(font.get_object().get("/BaseFont", "?")).lstrip("/")))
            for xobject in (res.get("/XObject") or {}).values():
                inner = xobject.get_object().get("/Resources")
                if inner is not None:
                    pending.append(inner.get_object())
    return names


def families(path: Path) -> set[str]:
    """The font families of ``fonts(path)``: "NotoSans-Bold" and "NotoSans-Regular" are one."""
    return {name.split("-")[0].split(",")[0] for name in fonts(path)}


def text(path: Path, page: int | None = None) -> str:
    """The PDF's text (or one ``page``'s, from 1), in NFC with runs of white space as one space,
    for robust comparison.

    Read by poppler's ``pdftotext`` (Debian's poppler-utils, which .ci/run installs): it maps each
    glyph back to its letters as a person copying the text gets them. pypdf does not, for a letter
    that Chromium draws as a base glyph and a combining mark ("Ph\x00\u0323c" for "Phục")."""
    tool = shutil.which("pdftotext")
    if tool is None:
        message = "pdftotext is missing: install Debian's poppler-utils (apt-get install poppler-utils)"
        if os.environ.get("CI"):
            pytest.fail(f"{message}; .ci/run must install it")
        pytest.skip(message)
    pages = ["-f", str(page), "-l", str(page)] if page else []
    result = subprocess.run([tool, "-enc", "UTF-8", *pages, str(path), "-"], capture_output=True, timeout=60)
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    return normal(result.stdout.decode("utf-8"))


def normal(value: str) -> str:
    """A string as ``text`` gives it: NFC, white space collapsed."""
    return " ".join(unicodedata.normalize("NFC", value).split())
