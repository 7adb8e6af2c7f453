"""The acceptance journey in real headless Chromium (Debian /usr/bin/chromium, never `playwright install`).

An editor logs in with a named account, merges two duplicate companies, corrects a project's stage
and amount, rejects a spurious park, adds a missing project with its quote and accepts from the
queue with the keyboard; the store is then rebuilt from the same documents and every change is
still there; a viewer sees no action.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from tests.web.conftest import serve

from .conftest import BASE_DOCS, DOCS, build, eid, pid

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync"]

pytestmark = pytest.mark.browser

if not Path(CHROMIUM).exists():
    if os.environ.get("CI") == "true":
        raise RuntimeError(f"{CHROMIUM} missing on CI: browser tests must run")
    pytest.skip(f"{CHROMIUM} not installed", allow_module_level=True)


@pytest.fixture()
def server(tmp_path):


    from chainatlas.settings import Settings
    from chainatlas.users import add_user
    from chainatlas.web import create_app

    docs = tmp_path / "docs"
    shutil.copytree(DOCS, docs)
    db = tmp_path / "atlas.db"
    store = build(db, docs)
    add_user(store.conn, "alice", "editor", "correct-horse")
    add_user(store.conn, "victor", "viewer", "viewer-pass")
    app = create_app(Settings(db_path=str(db), editor_token="browser-token"))
    with serve(app) as port:
        yield f"http://127.0.0.1:{port}", store, docs
    store.close()


@pytest.fixture()
def page(server):
    from playwright.sync_api import sync_playwright

    base = server[0]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        ctx = browser.new_context(base_url=base, viewport={"width": 1280, "height": 900})
        pg = ctx.new_page()
        pg.errors = []  # type: ignore[attr-defined]
        pg.on("pageerror", lambda e: pg.errors.append(str(e)))
        yield pg
        browser.close()


def login(page, name: str, password: str) -> None:
    page.goto("/login")
    page.fill("#username", name)
    page.fill("#password", password)
    page.click("form.card button[type=submit]")
    page.wait_for_url("**/")


def rebuild(store, docs: Path) -> None:
    """Drop every extracted fact and ingest the same documents again (judgements and leads stay)."""
    conn = store.conn
    for table in ("documents", "entities", "entity_aliases", "entity_merges", "projects", "project_events",
                  "relations", "chain_mappings", "entities_fts", "articles_fts"):
        conn.execute(f"DELETE FROM {table}")
    assert conn.execute("SELECT count(*) FROM mentions").fetchone()[0] == 0
    build(Path(store.path), docs, BASE_DOCS).close()
    assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 3


def project_card(page, name: str):
    return page.locator(".pcard", has_text=name).first


def test_editor_journey_survives_rebuild(page, server):
    base, store, docs = server
    conn = store.conn
    dup, keep = eid(conn, "远帆装备有限公司"), eid(conn, "远帆智能装备有限公司")
    park = eid(conn, "光谷", "park")
    center = pid(conn, "智能装备研发中心")
    login(page, "alice", "correct-horse")
    assert "alice" in page.locator(".who").inner_text()

    # merge two duplicate companies from the duplicate's page
    page.goto(f"/entities/{dup}")
    page.locator("#entity-review summary", has_text="合并到").click()
    page.fill("#entity-review input[name=other_id]", keep)
    page.locator("#entity-review button", has_text="合并").click()
    page.wait_for_url(f"**/entities/{keep}")
    assert "远帆装备有限公司" in page.locator("dl.facts").inner_text()  # now an alias

    # correct the project's stage and amount on the project board
    for field, value in (("stage", "签约"), ("amount", "3.2亿元")):
        page.goto("/projects")
        box = page.locator(f".project-review[data-id='{center}']")
        box.locator("summary", has_text="更正").click()
        box.locator("select[name=field]").select_option(field)
        box.locator("input[name=value]").fill(value)
        box.locator("button", has_text="保存").click()
        page.wait_for_url("**/projects")
    assert "3.2亿" in project_card(page, "智能装备研发中心").inner_text()

    # reject the spurious park
    page.goto(f"/entities/{park}")
    page.locator("#entity-review button", has_text="否决").click()
    page.wait_for_url("**/entities")

    # add the missing project with its quote, from its article
    art = conn.execute("SELECT a.id FROM articles a JOIN documents d ON d.id = a.document_id "
                       "WHERE d.source LIKE '%d3.txt'").fetchone()[0]
    page.goto(f"/articles/{art}")
    page.click("#review-add-link")
    page.fill("#add-name", "青岚港冷链物流枢纽")
    page.select_option("#add-stage", "规划")
    page.fill("#add-quote", "年内还要推动青岚港冷链物流枢纽尽快动工")
    page.locator("#add-form button[type=submit]").click()
    page.wait_for_url("**/review/log")
    assert page.locator("#judgements tbody tr").count() == 5
    assert "alice" in page.locator("#judgements").inner_text()

    # the review queue: A accepts the highlighted item, the count goes down
    page.goto("/review")
    left = int(page.locator("#review-left").inner_text())
    first = page.locator(".review-item").first.get_attribute("data-id")
    assert page.locator(".review-item.current").count() == 1 and page.locator(".review-item mark").count() >= 1
    page.keyboard.press("a")
    page.wait_for_load_state("load")
    page.wait_for_function(f"document.querySelector('#review-left').textContent.trim() === '{left - 1}'")
    assert page.locator(f".review-item[data-id='{first}']").count() == 0

    # rebuild the store from the same documents: every change is still there
    rebuild(store, docs)
    page.goto("/projects")
    card = project_card(page, "智能装备研发中心")
    assert "3.2亿" in card.inner_text()
    assert page.locator("section.column[aria-label='签约'] .pcard", has_text="智能装备研发中心").count() == 1
    assert page.locator("section.column", has_text="青岚港冷链物流枢纽").count() >= 1
    page.goto("/entities?type=park")
    assert "星汇光谷产业园" in page.locator("main").inner_text()
    names = page.locator("main a").all_inner_texts()
    assert "光谷" not in names
    page.goto("/entities?type=company")
    body = page.locator("main").inner_text()
    assert "远帆智能装备有限公司" in body and "远帆装备有限公司" not in [t.strip() for t in
                                                            page.locator("main a").all_inner_texts()]
    page.goto("/review/log")
    assert "目标已不存在" not in page.locator("#judgements").inner_text()
    assert page.errors == []

    # a viewer sees the facts but no action
    page.goto("/")
    page.locator(".who button", has_text="退出").click()
    login(page, "victor", "viewer-pass")
    page.goto(f"/entities/{keep}")
    assert page.locator("#entity-review").count() == 0
    page.goto("/review")
    assert page.locator("button.accept").count() == 0
    page.goto("/projects")
    assert page.locator(".project-review").count() == 0
