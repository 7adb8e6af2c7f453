"""The new user's journey after `make demo`, in real headless Chromium, on the real demo store.

The store is built by the same pipeline `make demo` runs, from the bundled demo corpus (not
from hand-made rows), so this checks what a user actually sees: the 天津 chain map has
companies, a click leads to an entity with a highlighted quote and its article, a Chinese
search finds articles, and the three lists download as an xlsx with their sheets.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from urllib.parse import quote

import pytest

from .conftest import serve
from .test_browser import ARGS, CHROMIUM, shot

pytestmark = pytest.mark.browser

if not Path(CHROMIUM).exists():
    if os.environ.get("CI") == "true":
        raise RuntimeError(f"{CHROMIUM} missing on CI: browser tests must run")
    pytest.skip(f"{CHROMIUM} not installed", allow_module_level=True)




@pytest.fixture(scope="module")
def demo_server(demo_db: Path):

    from chainatlas.settings import Settings
    from chainatlas.web import create_app

    settings = Settings(db_path=str(demo_db), editor_token="journey")
    with serve(create_app(settings)) as port:
        yield f"http://127.0.0.1:{port}"


@pytest.fixture()
def page(demo_server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        ctx = browser.new_context(base_url=demo_server, viewport={"width": 1280, "height": 900},
                                  accept_downloads=True)
        pg = ctx.new_page()
        pg.errors = []  # type: ignore[attr-defined]
        pg.on("pageerror", lambda e: pg.errors.append(str(e)))
        yield pg
        browser.close()


def test_tianjin_chain_map_to_company_to_quote_to_article(page) -> None:
    page.goto("/chains?region=" + quote("天津"))
    page.wait_for_selector("#atlas.ready canvas")
    # One chain at a time: the default is the chain with most companies in the region; the tabs
    # carry each chain's count of distinct companies.
    tabs = page.locator("nav.chain-tabs a")
    assert tabs.count() >= 3
    counts = [int(re.search(r"（(\d+)）", t).group(1)) for t in tabs.all_inner_texts()]
    assert sum(counts) >= 10  # the demo corpus places many companies in Tianjin's districts
    links = page.locator("a.node-link")
    # the default chain is the one with the most companies (a company may sit in two segments)
    assert len(set(links.all_inner_texts())) == max(counts)
    names = links.all_inner_texts()
    assert any(n.startswith("天津") for n in names)
    shot(page, "demo-chain-map-tianjin")
    first = next(i for i, n in enumerate(names) if n.startswith("天津"))
    company = names[first]
    links.nth(first).click()
    page.wait_for_url("**/entities/**")
    assert page.locator("h1").inner_text().startswith(company)
    assert page.locator("ol.mentions mark").count() >= 1
    page.locator("ol.mentions a.quote-link").first.click()
    page.wait_for_url("**/articles/**")
    assert page.locator("#article-text mark.f-target").count() == 1
    assert page.errors == []


def test_search_and_lists_download(page) -> None:
    page.goto("/search")
    page.fill("#q", "集成电路")
    page.press("#q", "Enter")
    page.wait_for_url("**/search?**")
    assert page.locator("#article-results mark").count() >= 3
    page.goto("/lists?region=" + quote("天津"))
    with page.expect_download() as info:
        page.click("#export-xlsx")
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()))
    assert len(book.sheetnames) >= 3
    key_sheet = book[book.sheetnames[0]]
    assert key_sheet.max_row > 5  # ranked companies, not an empty template
    shot(page, "demo-lists-tianjin")
    assert page.errors == []
