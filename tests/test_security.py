"""No string from content ever runs as code: markup written into every string of the
authoritative language (and a commune's profile) shows as text in every page, the wizard, the
kiosk, the cards and search; the policy allows only the inline scripts the build writes."""

from __future__ import annotations

import re
import urllib.parse

import pytest

from conftest import copy_project, mkdocs_build

MARK = "<script>alert(1)</script><img/src=x/onerror=alert(2)>"  # no space: word limits hold
SHOWN = "&lt;script&gt;alert(1)&lt;/script&gt;"  # how it must appear in HTML: as text
STRING = re.compile(r'^(?P<key>[A-Za-z0-9_."-]+) = "(?P<value>.*)"$', re.M)


def poison(text: str) -> str:
    """Append MARK to every string (step labels, which have a word limit, excepted)."""
    def add(match):
        if match["key"] == "short" or match["key"].endswith(".short"):
            return match[0]
        return f'{match["key"]} = "{match["value"]}{MARK}"'
    return STRING.sub(add, text)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    project = copy_project(root / "project")
    locale = project / "content" / "locales" / "vi.toml"
    locale.write_text(poison(locale.read_text(encoding="utf-8")), encoding="utf-8")
    profile = project / "content" / "communes" / "ngok-reo.toml"
    profile.write_text(profile.read_text(encoding="utf-8").replace('address = ""', f'address = "{MARK}"'),
                       encoding="utf-8")
    result = mkdocs_build(project, root / "site")
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}"
    return project, root / "site"


def test_markup_in_content_reaches_every_page_as_text(hostile):
    _, site = hostile
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 40
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "<script>alert(" not in text and "<img/src=x" not in text, page.relative_to(site)
    for page in ("index.html", "guides/disability/index.html", "wizard/index.html", "kiosk/index.html",
                 "glossary/index.html", "contacts/index.html", "wizard/rules/index.html"):
        assert SHOWN in (site / page).read_text(encoding="utf-8"), page  # the string is there, as text
    index = "".join(path.read_text(encoding="utf-8") for path in site.glob("search/search_index*.json"))
    assert "<script>alert(" not in index and SHOWN in index
    # the wizard's strings travel as JSON data and are set as text, never parsed as markup
    for script in ("wizard.js", "worker.mjs"):
        source = (site / "assets" / "wizard" / script).read_text(encoding="utf-8")
        assert not re.search(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write", source), script


def test_markup_in_content_is_text_on_the_cards(hostile):
    from handbook.cards import CardRenderer
    from handbook.model import load

    project, _ = hostile
    model = load(project, commune="ngok-reo")
    renderer = CardRenderer(model, "https://example.invalid/")
    for situation in model.situations.values():
        html = renderer.card_html(model.reference, situation)
        assert "<script>alert(" not in html and SHOWN in html, situation.id
    assert "<script>alert(" not in renderer.sheet_html(model.reference)


@pytest.mark.browser
def test_markup_in_content_never_runs(hostile, browser):
    import serve

    _, site = hostile
    httpd = serve.start(site)
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    injected = """() => [...document.querySelectorAll('img[src="x"], script:not([src]):not([type="application/json"])')]
        .filter(el => el.tagName === 'IMG' || el.textContent.includes('alert(')).length"""
    try:
        for path in ("/", "/guides/disability/", "/glossary/", "/contacts/", "/wizard/rules/"):
            page.goto(base + path)
            assert page.evaluate(injected) == 0, path
        assert MARK in page.title()  # the site's name, shown as written
        from conftest import complete_wizard

        for path in ("/wizard/", "/kiosk/"):
            page.goto(base + path)
            page.wait_for_selector("#hb-wizard[data-engine=ready]", timeout=60_000)
            complete_wizard(page, who=["elderly"], situation=["no-id-papers"])
            assert MARK in page.inner_text(".hb-result") and page.evaluate(injected) == 0, path
        page.goto(base + "/")
        page.click(".md-search__input")
        # typed: the theme searches on key events. Words of a guide's title, whose results show the
        # poisoned strings ("alert" alone matched only an icon's name, mdi:home-alert, since replaced)
        page.keyboard.type("mat khau")
        page.wait_for_selector(".md-search-result__item", timeout=10_000)
        assert page.evaluate(injected) == 0
    finally:
        context.close()
        httpd.shutdown()
    assert dialogs == []


def test_an_inline_script_the_build_does_not_write_stops_it(tmp_path):
    project = copy_project(tmp_path / "project")
    template = project / "handbook" / "templates" / "glossary.md.j2"
    template.write_text(template.read_text(encoding="utf-8") + "\n<script>alert(3)</script>\n", encoding="utf-8")
    result = mkdocs_build(project, tmp_path / "site")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "an inline script the build does not write" in output and "glossary/index.html" in output, output


@pytest.mark.parametrize("text", ["a < b & c > d", "2 * 3 = 6_x", "[link](x) `code` #tag", "a | b", "1. first",
                                  "back\\slash {brace}", "<b>bold</b> &amp;"])
def test_escaped_markdown_shows_the_text_exactly(text):
    """md_escape: what Markdown shows is the text as written, with no visible backslash."""
    import html

    import markdown

    from handbook.render import md_escape

    rendered = markdown.markdown(md_escape(text), extensions=["tables", "attr_list", "md_in_html"])
    assert html.unescape(re.sub(r"</?p>", "", rendered)) == text


# ---- the servers' headers: one source (handbook/headers.py), WebAssembly only in the worker ---------

def test_the_nginx_configuration_says_what_headers_json_says(tmp_path):
    from conftest import ROOT
    from handbook.headers import Policies

    policies = Policies()
    policies.hashes.update({"'sha256-b25l'", "'sha256-dHdv'"})
    data = policies.write(tmp_path, ROOT / "deploy" / "nginx.conf.in")
    conf = (tmp_path / "nginx.conf").read_text(encoding="utf-8")
    assert not re.search(r"^\s*@[A-Z_]+@", conf, re.M)
    policy_map = re.search(r"map \$uri \$handbook_policy \{(.*?)\n\}", conf, re.S)[1]
    entries = dict(re.findall(r'^\s*("[^"]*"|default)\s+"([^"]*)";$', policy_map, re.M))
    csp = data["content_security_policy"]
    assert entries == {"default": csp["default"],
                       **{f'"{path}"': value for path, value in csp["paths"].items()}}
    redirect, https = re.findall(r"^server \{(.*?)^\}", conf, re.S | re.M)
    assert "return 301 https://" in redirect and "listen 443" in https

    def added(block):
        return dict(re.findall(r'^\s*add_header (\S+) "?(.*?)"? always;$', block, re.M))

    assert added(redirect) == data["redirect_to_https"]
    assert added(https) == {"Content-Security-Policy": "$handbook_policy", "Cache-Control": "$handbook_cache",
                            **data["every_response"], **data["https_only"]}
    assert "frame-ancestors 'none'" in csp["default"] and "wasm-unsafe-eval" not in csp["default"]
    assert all("'wasm-unsafe-eval'" in value for value in csp["paths"].values())


def test_a_template_or_a_value_nginx_would_misread_is_refused(tmp_path):
    from conftest import ROOT
    from handbook import headers

    template = (ROOT / "deploy" / "nginx.conf.in").read_text(encoding="utf-8")
    data = headers.Policies().data()
    with pytest.raises(headers.PolicyError, match="@REDIRECT_HEADERS@"):
        headers.nginx_config(template.replace("@REDIRECT_HEADERS@", ""), data)
    data["every_response"]["X-Test"] = 'a"b'
    with pytest.raises(headers.PolicyError, match="nginx would read differently"):
        headers.nginx_config(template, data)


def test_the_worker_given_webassembly_is_the_one_the_wizard_starts(tmp_path):
    from conftest import ROOT
    from handbook import headers

    started = set()
    for script in (ROOT / "docs" / "assets").rglob("*.js"):
        base = "/" + script.relative_to(ROOT / "docs").parent.as_posix() + "/"
        source = script.read_text(encoding="utf-8")
        for name in re.findall(r'new Worker\(new URL\("([^"]+)", import\.meta\.url\)', source):
            started.add(urllib.parse.urljoin(base, name))
    assert started == set(headers.WASM_WORKERS)
    # and a build whose site lacks it stops, rather than send a policy for nothing
    with pytest.raises(headers.PolicyError, match="WASM_WORKERS"):
        headers.Policies().write(tmp_path / "deploy", ROOT / "deploy" / "nginx.conf.in", tmp_path / "site")
