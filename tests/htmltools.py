"""Small readers for the built HTML (standard library only)."""

from __future__ import annotations

import html.parser
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]


@dataclass
class Page:
    path: Path
    url: str  # site-relative URL of the page, e.g. "/en/guides/x/"
    elements: list[Element] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    text: str = ""
    article_text: str = ""

    def find(self, tag: str | None = None, **attrs: str) -> list[Element]:
        out = []
        for el in self.elements:
            if tag and el.tag != tag:
                continue
            if all(el.attrs.get(k.replace("_", "-")) == v if v is not True else
                   k.replace("_", "-") in el.attrs for k, v in attrs.items()):
                out.append(el)
        return out

    def with_class(self, cls: str) -> list[Element]:
        return [el for el in self.elements if cls in el.attrs.get("class", "").split()]


class _Parser(html.parser.HTMLParser):
    SKIP = {"script", "style"}

    def __init__(self, page: Page):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.skip = 0
        self.article = 0
        self.chunks: list[str] = []
        self.article_chunks: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = {k: (v or "") for k, v in attrs}
        self.page.elements.append(Element(tag, attrs))
        if "id" in attrs:
            self.page.ids.add(attrs["id"])
        if tag in self.SKIP:
            self.skip += 1
        if tag == "article":
            self.article += 1
        if tag in ("p", "li", "h1", "h2", "h3", "h4", "br", "div", "dd", "dt", "blockquote"):
            self.chunks.append("\n")
            if self.article:
                self.article_chunks.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.skip:
            self.skip -= 1
        if tag == "article" and self.article:
            self.article -= 1

    def handle_data(self, data):
        if not self.skip:
            self.chunks.append(data)
            if self.article:
                self.article_chunks.append(data)


def read_page(site: Path, path: Path) -> Page:
    rel = path.relative_to(site).as_posix()
    url = "/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)
    page = Page(path, url)
    parser = _Parser(page)
    parser.feed(path.read_text(encoding="utf-8"))
    page.text = "".join(parser.chunks)
    page.article_text = "".join(parser.article_chunks)
    return page


def all_pages(site: Path) -> list[Page]:
    return [read_page(site, p) for p in sorted(site.rglob("*.html"))]


def resolve(page: Page, href: str) -> tuple[str, str]:
    """Site-relative path and fragment that ``href`` on ``page`` points to."""
    absolute = urljoin(page.url, href)
    parts = urlsplit(absolute)
    path = posixpath.normpath(parts.path)
    if parts.path.endswith("/") and path != "/":
        path += "/"
    return path, parts.fragment


def target_file(site: Path, url_path: str) -> Path:
    rel = url_path.lstrip("/")
    candidate = site / rel
    return candidate / "index.html" if url_path.endswith("/") or candidate.is_dir() else candidate


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
