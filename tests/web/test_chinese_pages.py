"""Every page a user opens, walked in real headless Chromium on the demo store, shows Chinese.

For each page the test reads what a person sees — ``document.body.innerText``, the page title,
tooltips (``title``), placeholders, ``aria-label`` texts and the options of drop-down lists —
and finds every run of Latin letters in it. A run is allowed only when it is

* part of the data: a token of an article's title or text, an entity or alias, a project, a
  metric as written, a document's source (file name, URL) or the chain taxonomy's own terms
  (EDA, IGBT…) — all read from the store and the taxonomy, never listed by hand;
* a unit or format users know by that name (GW, GDP, Excel, CSV, JSON, API…: ``ALLOWED``);
* a literal the user has to type: a ``chainatlas`` command line (``chainatlas poll``; the
  command names are read from the CLI and pass only right after ``chainatlas``), a
  ``CHAINATLAS_*`` environment variable, a file type the upload accepts (read from the app).

Codes of the label vocabulary (company, region, invests_in, phrase, documents_ok…) and chain
ids (aerospace, integrated_circuits…) are refused even if some document happened to contain
them: those are exactly what used to leak into the UI.

What is not checked, and why:

* ``/docs`` is Swagger UI. Its own controls are English and it has no Chinese translation:
  the HTTP method badges (GET/POST), the URL paths (/api/…), the OpenAPI version badges and the
  link to /openapi.json are hidden before reading (they are identifiers, like JSON keys, or
  Swagger's chrome); so are Swagger's own tooltips and aria-labels, which are therefore not read
  there. Everything we write there — the page's heading and notes, the API
  description, group names and every operation's summary — is checked. Swagger is configured
  without its top bar and without the schema (model) section, whose field names are JSON keys.
* ``/redoc`` is not walked: ReDoc has no way to translate its interface ("Response samples",
  "Expand all" …) and it shows FastAPI's schema titles, which are the English JSON field names.
  /docs links to it, saying that its interface is English.
* Text drawn inside ECharts canvases (chain map, flow chart, indicator charts) is not part of
  the page's text; the same labels appear in the pages' tables and legends, which are checked.
"""

from __future__ import annotations

import re
import sqlite3
from importlib import resources
from urllib.parse import quote

import pytest
import yaml

from .test_browser import CHROMIUM, shot
from .test_demo_journey import demo_server  # noqa: F401  (the demo server; its store is conftest's demo_db)

pytestmark = pytest.mark.browser

FILE_PATH = re.compile(r"[\w./\\-]*\.(?:xlsx|xls|csv|tsv|txt|html?|md|xml|rss|atom|pdf|docx|json)\b")
LATIN = re.compile(r"[A-Za-z][A-Za-z0-9_]*")  # invests_in, CHAINATLAS_DB: one token each

# units, measures and formats Chinese users read by these names
ALLOWED = {
    "GW", "GWh", "MW", "MWh", "kW", "kWh", "TWh", "GDP", "PCT", "CPI", "PPI", "R", "D", "MB", "KB", "GB",
    "API", "OpenAPI", "CSV", "Excel", "xlsx", "PDF", "JSON", "HTML", "XML", "RSS", "Atom", "URL", "ID",
    "Swagger", "ReDoc", "YAML", "chainatlas", "robots", "txt",
}

JS_TEXTS = """() => {
  const out = [document.body.innerText, document.title];
  for (const el of document.querySelectorAll('[title],[placeholder],[aria-label]')) {
    for (const a of ['title', 'placeholder', 'aria-label']) { const v = el.getAttribute(a); if (v) out.push(v); }
  }
  for (const o of document.querySelectorAll('option')) out.push(o.textContent);
  return out.join('\\n');
}"""

# Swagger UI's own chrome on /docs (see the module docstring): identifiers and version badges
SWAGGER_CHROME = [".opblock-summary-method", ".opblock-summary-path", ".opblock-summary-path__deprecated",
                  ".version-stamp", ".version", ".info .link", ".info .main .url", ".scheme-container",
                  ".opblock-summary-control .arrow", ".models", ".expand-operation"]


def _tokens(text: str | None) -> set[str]:
    return set(LATIN.findall(text or ""))


def _taxonomy_terms() -> tuple[set[str], set[str]]:
    """(Latin tokens of the chains' labels, aliases and terms; chain ids)."""
    from chainatlas.chains import load_taxonomy

    terms: set[str] = set()
    ids: set[str] = set()
    for c in load_taxonomy():
        ids.add(c.id)
        for n in c.names:
            terms |= _tokens(n) if n != c.id else set()
        for seg in c.segments.values():
            terms |= _tokens(seg.label)
            for t, _ in seg.terms():
                terms |= _tokens(t)
    return terms, ids


def _command_line() -> re.Pattern[str]:
    """``chainatlas`` followed by command and subcommand names of the real CLI."""
    import click

    from chainatlas.cli import cli

    names: set[str] = set()

    def walk(cmd: click.Command) -> None:
        if isinstance(cmd, click.Group):
            for name, sub in cmd.commands.items():
                names.add(name)
                walk(sub)

    walk(cli)
    alt = "|".join(sorted(map(re.escape, names), key=len, reverse=True))
    # the command, then its arguments and options up to the end of the line or a closing bracket
    return re.compile(rf"\bchainatlas(?:\s+(?:{alt})\b)+(?:[ \t]+[^\s（）()，。；]+)*")


def _forbidden(chain_ids: set[str]) -> set[str]:
    """Codes of the label vocabulary and the chain ids: never shown as text."""
    data = yaml.safe_load((resources.files("chainatlas") / "data" / "labels_zh.yaml").read_text("utf-8"))
    codes = {code for section in data.values() for code in section}
    return {c for c in codes | chain_ids if len(c) > 2}


@pytest.fixture(scope="module")
def vocabulary(demo_db):  # noqa: F811
    """(allowed tokens, forbidden tokens, command-line pattern) for the demo store."""
    from chainatlas.web.upload import ALLOWED_EXTS

    db = str(demo_db)
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    allowed = set(ALLOWED)
    queries = ["SELECT title || ' ' || text FROM articles", "SELECT name FROM entities",
               "SELECT alias FROM entity_aliases", "SELECT COALESCE(name, '') || ' ' || COALESCE(investor, '') "
               "|| ' ' || COALESCE(location, '') FROM projects",
               "SELECT raw || ' ' || unit || ' ' || COALESCE(indicator, '') FROM metrics",  # periods: shown in Chinese
               "SELECT source FROM documents", "SELECT COALESCE(url, '') FROM articles"]
    for q in queries:
        for (value,) in conn.execute(q):
            allowed |= _tokens(value)
    conn.close()
    terms, chain_ids = _taxonomy_terms()
    allowed |= terms | {e.lstrip(".") for e in ALLOWED_EXTS} | _tokens(db)
    forbidden = _forbidden(chain_ids)
    # a data token may be short for something else, but never one of our codes
    return allowed - forbidden, forbidden, _command_line()


def _english(text: str, vocab: tuple[set[str], set[str], re.Pattern[str]], extra: set[str] = frozenset()) -> list[str]:
    allowed, forbidden, command = vocab
    allowed = allowed | extra
    text = command.sub(lambda m: "　" * len(m.group()), text)  # a command line the user types
    # a file path as the user named it (…/demo/projects.xlsx): its words are the user's, even one
    # that happens to equal one of our codes
    text = FILE_PATH.sub(lambda m: "　" * len(m.group()), text)
    bad = []
    for m in LATIN.finditer(text):
        tok = m.group()
        if re.fullmatch(r"CHAINATLAS_[A-Z_]+", tok):
            continue  # an environment variable the user sets
        if tok in forbidden or tok not in allowed:
            line = text[max(0, m.start() - 30): m.end() + 30].replace("\n", " ⏎ ")
            bad.append(f"{tok!r} in …{line}…")
    return bad


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    from .test_browser import ARGS

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


def _pages(db: str) -> list[tuple[str, str]]:
    """(name, path): every page of the app, with an entity of each type and two kinds of article."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    out = [("总览", "/"), ("产业链图谱", "/chains"), ("天津图谱", "/chains?region=" + quote("天津")),
           ("实体列表", "/entities"), ("文章列表", "/articles"), ("搜索", "/search?q=" + quote("集成电路")),
           ("清单", "/lists"), ("天津清单", "/lists?region=" + quote("天津")), ("项目", "/projects"),
           ("指标", "/indicators"), ("流向", "/flows"), ("天津流向", "/flows?region=" + quote("天津")),
           ("分类体系", "/taxonomy"), ("登录", "/login"), ("来源", "/sources"), ("提醒", "/alerts")]
    for etype in ("company", "park", "government", "institution", "person"):
        row = conn.execute("SELECT e.id FROM entities e JOIN mentions m ON m.entity_id = e.id WHERE e.type = ? "
                           "GROUP BY e.id ORDER BY COUNT(*) DESC, e.id LIMIT 1", (etype,)).fetchone()
        if row:
            out.append((f"实体:{etype}", f"/entities/{row[0]}"))
    prose = conn.execute("SELECT a.id FROM articles a JOIN mentions m ON m.article_id = a.id JOIN documents d "
                         "ON d.id = a.document_id WHERE d.format <> 'table' GROUP BY a.id ORDER BY COUNT(*) DESC, "
                         "a.id LIMIT 1").fetchone()
    table = conn.execute("SELECT a.id FROM articles a JOIN documents d ON d.id = a.document_id "
                         "WHERE d.format = 'table' ORDER BY a.id LIMIT 1").fetchone()
    out += [("文章", f"/articles/{prose[0]}"), ("表格行", f"/articles/{table[0]}")]
    conn.close()
    return out


def test_every_page_is_chinese(demo_server, demo_db, browser, vocabulary):  # noqa: F811
    ctx = browser.new_context(base_url=demo_server, viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    problems: dict[str, list[str]] = {}
    try:
        for name, path in _pages(str(demo_db)):
            resp = page.goto(path)
            assert resp is not None and resp.status == 200, (path, resp and resp.status)
            page.wait_for_load_state("networkidle")
            bad = _english(page.evaluate(JS_TEXTS), vocabulary)
            if bad:
                problems[f"{name} {path}"] = bad
        # the upload page as an editor (with its file types and limits)
        page.goto("/login")
        page.evaluate("() => document.querySelectorAll('form details').forEach(d => { d.open = true; })")
        page.fill("input[name=token]", "journey")
        page.click("button[type=submit]")
        for name, path in (("导入", "/ingest"), ("分类体系（编辑）", "/taxonomy")):
            page.goto(path)
            bad = _english(page.evaluate(JS_TEXTS), vocabulary)
            if bad:
                problems[f"{name} {path}"] = bad
    finally:
        ctx.close()
    assert not problems, "English on the pages:\n" + "\n".join(
        f"{p}:\n  " + "\n  ".join(v[:12]) for p, v in problems.items())


def test_api_docs_page_is_chinese_apart_from_swagger_chrome(demo_server, browser, vocabulary):  # noqa: F811
    ctx = browser.new_context(base_url=demo_server, viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    try:
        page.goto("/docs")
        page.wait_for_selector(".swagger-ui .opblock-tag", timeout=15000)
        assert page.locator(".swagger-ui .topbar").count() == 0
        assert page.locator(".swagger-ui .models").count() == 0  # schemas (JSON field names) not shown
        # our own heading and the link to ReDoc, labelled as an English interface
        heading = page.locator("#docs-intro").inner_text()
        assert "接口文档" in heading and "英文" in heading
        assert page.locator("#docs-intro a[href='/redoc']").count() == 1
        summaries = page.locator(".opblock-summary-description").all_inner_texts()
        assert len(summaries) >= 10 and all(re.search(r"[\u4e00-\u9fff]", s) for s in summaries), summaries
        page.evaluate("(sels) => { for (const s of sels) for (const el of document.querySelectorAll('.swagger-ui ' + s)) "
                      "el.style.display = 'none'; }", SWAGGER_CHROME)
        # innerText only: Swagger's tooltips and aria-labels ("Copy path to clipboard") are its chrome
        text = page.evaluate("() => document.title + '\\n' + document.body.innerText")
        bad = _english(text, vocabulary, {"Bearer", "UI"})  # HTTP's scheme name; "Swagger UI", the component
        shot(page, "api-docs")
        # ReDoc (linked above, English interface) renders from the vendored bundle, not blank
        page.goto("/redoc")
        page.wait_for_selector(".api-content", timeout=15000)
        assert "产业链" in page.locator(".api-content").inner_text()
    finally:
        ctx.close()
    assert not bad, "English on /docs outside Swagger's chrome:\n  " + "\n  ".join(bad)


def test_the_walk_catches_english(vocabulary, demo_db):  # noqa: F811
    """The checker itself: label codes, chain ids and unknown words are caught; data passes."""
    assert _english("类型：company；地区：region", vocabulary)
    assert _english("航空航天 aerospace", vocabulary)
    assert _english("关系 invests_in", vocabulary)
    assert _english("Loading…", vocabulary)
    assert _english("projects：3", vocabulary)  # a command's name is no label
    assert not _english("用 chainatlas rules add 添加", vocabulary)
    assert not _english("（chainatlas users add 姓名 --role editor）：查看者", vocabulary)
    assert _english("chainatlas 产业链图谱 · 企业（company）", vocabulary)
    assert not _english("装机 12GWh，设置 CHAINATLAS_DB，导出 Excel", vocabulary)
    assert not _english(str(demo_db), vocabulary)
