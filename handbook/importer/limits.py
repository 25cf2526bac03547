"""Every bound the importer puts on a plan file and on what it makes of it, in one place.

A plan is read only after these are checked, from what the file declares (a .docx's parts are
measured in its zip directory before one byte of them is inflated): a hostile or broken file is
refused with the bound and the fix, it never costs more than about these sizes in memory.
The official plans set the scale: the longest (ngok-reo) is a 12 KB text of 101 paragraphs,
the longest paragraph 800 characters.
"""

from __future__ import annotations

from handbook.model.base import MAX_FILE_BYTES as MAX_CONTENT_FILE_BYTES
from handbook.model.base import MAX_TEXT_CHARS
from handbook.model.base import MAX_ID_CHARS as MODEL_MAX_ID_CHARS

# The plan file itself (.docx, .txt, .md): a Word plan with its letterhead, a logo and a few
# photographs is well under 5 MB; more is pictures or another document attached by mistake.
MAX_FILE_BYTES = 20_000_000
# A .docx is a zip of parts. What any one part inflates to: the text of the longest plan is a
# document.xml of about 200 KB; a photograph is stored as it is (JPEG, PNG), so no larger than
# the file. A part larger than this is a zip bomb or a picture nobody needs in a plan.
MAX_PART_BYTES = 20_000_000
# What all the parts inflate to together (python-docx reads every part it is pointed to,
# pictures included): the file's pictures (at most MAX_FILE_BYTES, stored as they are) plus
# its XML (Word's XML shrinks about tenfold: a few MB) fits easily.
MAX_PARTS_TOTAL_BYTES = 50_000_000
# How much a part may shrink in the zip: Word's XML compresses 5-20 times, pictures hardly at
# all; a zip bomb compresses a thousand times. Only parts above MAX_RATIO_FROM are measured:
# below it, whatever the ratio, the part costs nothing.
MAX_RATIO = 100
MAX_RATIO_FROM = 1_000_000
# Parts in one .docx: Word writes about a dozen, plus one per picture and per header/footer.
MAX_PARTS = 1_000
# Tables inside tables: a plan's letterhead is one table; Word lets a cell hold a table and so
# on, and the text of every level is imported. Far deeper is a generated file (the XML parser
# itself stops at 256 nested elements, about 80 tables deep).
MAX_TABLE_DEPTH = 50

# A PDF plan: a plan prints on 2 to 10 pages; a hundred is a report with annexes. Its text is
# taken page by page (pypdf, whose own bounds cap what any stream inflates to), and reading
# stops past this time: a PDF made to be slow to read is refused, not waited for.
MAX_PDF_PAGES = 100
MAX_PDF_SECONDS = 20

# Paragraphs (lines of a .txt, including empty ones): 50 times the longest plan.
MAX_PARAGRAPHS = 5_000
# One paragraph: a block of the plan is a text of the handbook, bounded as every text is
# (README, "Bounds"; handbook/model/base.py).
MAX_PARAGRAPH_CHARS = MAX_TEXT_CHARS
# All the plan's text, in UTF-8 bytes: plan.toml holds each paragraph once (a quote or a
# backslash escaped: at most twice its bytes) plus about 60 bytes of TOML per block (5,000
# blocks: 300 KB), and must stay within the handbook's bound on a content file (1 MB).
# 25 times the longest plan.
MAX_PLAN_BYTES = 300_000
# Each file the importer writes is a content file the handbook reads: the same bound.
MAX_WRITTEN_BYTES = MAX_CONTENT_FILE_BYTES

# A commune's id names its folder, its plan's pages (plans/ID/, en/plans/ID/) and the prefix
# of its situations' pages (guides/ID-…/): short enough that every such name stays far below
# the 255 bytes a file name may have, long enough for any commune's name without accents.
MAX_COMMUNE_ID_CHARS = 64
# The part of a proposed situation or item id taken from its words (after "ID-"): with the
# commune's id and a "-NN" suffix it stays well within a file name.
MAX_SLUG_CHARS = 40
# a commune's item or situation id: "ID-" + the words + "-NN" at most, within any content id's bound
assert MAX_COMMUNE_ID_CHARS + 1 + MAX_SLUG_CHARS + len("-9999") <= MODEL_MAX_ID_CHARS
# Names the site gives its own pages and folders: plans/index.md is the list of plans (a plan
# "index" would replace it); the top level holds the pages below, assets, search, the sitemap,
# the 404 page, the service worker (sw.js) and a folder per language (checked against
# content/handbook.toml). A commune's id names plans/ID/ and a folder beside the site's
# (build/communes/ID/): none of these may be one.
SITE_NAMES = frozenset({"index", "guides", "plans", "glossary", "contacts", "wizard", "kiosk", "licences",
                        "cards", "assets", "search", "sitemap", "404", "sw"})


def number(value: int) -> str:
    """A count as Vietnamese writes it: 5.000."""
    return f"{value:,}".replace(",", ".")


def megabytes(size: int) -> str:
    """A size in MB as Vietnamese writes it: 1,2 MB (one decimal, a comma)."""
    return f"{size / 1e6:.1f}".replace(".", ",") + " MB"
