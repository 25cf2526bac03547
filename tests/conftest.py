"""Shared fixtures: the content model, a strict build of the site, a local server, Chromium."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from chromium import ARGS as CHROMIUM_ARGS  # noqa: E402
from chromium import CHROMIUM  # noqa: E402
from build_communes import copy_project  # noqa: E402,F401 - for fixture and broken-content builds
from chromium import complete_wizard  # noqa: E402,F401 - shared with the tests
from handbook.model import COMMUNE_ENV, load  # noqa: E402

@pytest.fixture(scope="session")
def model():
    return load(ROOT)


def mkdocs_build(project: Path, site_dir: Path, commune: str | None = None,
                 ) -> subprocess.CompletedProcess:
    """``mkdocs build --strict`` of ``project``: the handbook of every plan, or of ``commune``."""
    # copies of the project share the real one's cache of slow, deterministic results
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "HANDBOOK_CACHE": str(ROOT / "build" / "cache"),
           COMMUNE_ENV: commune or ""}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
        cwd=project, capture_output=True, text=True, env=env, timeout=300,
    )


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The real project built with ``mkdocs build --strict`` into a temporary directory."""
    site_dir = tmp_path_factory.mktemp("site")
    result = mkdocs_build(ROOT, site_dir)
    assert result.returncode == 0, f"strict build failed:\n{result.stdout}\n{result.stderr}"
    return site_dir


@pytest.fixture(scope="session")
def server(site):
    import serve

    httpd = serve.start(site)
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def chromium_or_skip() -> str:
    if Path(CHROMIUM).is_file():
        return CHROMIUM
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} is missing in CI: .ci/run must install Debian's chromium")
    pytest.skip(f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium) "
                "or set CHROMIUM=/path/to/chromium")


@pytest.fixture(scope="session")
def browser():
    executable = chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 375, "height": 812})
    pg = context.new_page()
    yield pg
    context.close()



# The theme's line under the search box once its worker is ready ("Type to start searching")
SEARCH_READY = """() => {
  const meta = document.querySelector('.md-search-result__meta');
  const ready = JSON.parse(document.getElementById('__config').textContent).translations['search.result.placeholder'];
  return meta && meta.textContent.trim() === ready;
}"""


def open_search(page) -> None:
    """Click the search box and wait until the search is ready: the index is loaded only when a
    person starts to search (handbook/search_index.py), and a query typed while it loads would be
    answered in pieces (the letters typed so far), which a test could take for the answer."""
    page.click(".md-search__input")
    page.wait_for_function(SEARCH_READY, timeout=20_000)


def search_on(page, base: str) -> None:
    """The search box of ``base``, open, ready and empty: the page is opened once, then its box
    emptied as a person does (the index is built once per page, not once per query)."""
    if page.url != base:
        page.goto(base)
        open_search(page)
        return
    page.click(".md-search__input")
    page.keyboard.press("Control+A")
    page.keyboard.press("Backspace")
    page.wait_for_function(SEARCH_READY, timeout=20_000)


def search_for(page, query: str) -> None:
    """Type ``query`` into the open search box as a person does, then wait for its results: the
    theme searches on every key, and answers to the letters typed so far come first."""
    page.keyboard.type(query)
    page.wait_for_selector(".md-search-result__item", timeout=20_000)
    page.evaluate("""async () => {  // the list unchanged for 400 ms: the last answer is in
      const list = document.querySelector('.md-search-result__list');
      for (let last = null; ;) {
        if (list.innerHTML === last) return;
        last = list.innerHTML;
        await new Promise((resolve) => setTimeout(resolve, 400));
      }
    }""")
