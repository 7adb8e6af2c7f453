"""The paged web pages (/projects, /indicators, an entity's mentions) show every card exactly once over
their pages, and their totals are those of the whole, unpaged data — as the CLI and the API count them."""

from __future__ import annotations

import html
import json
import re
import shutil
import sqlite3
from urllib.parse import parse_qs, urlsplit

import pytest
from click.testing import CliRunner

from chainatlas.cli import cli

MONTHS = 6  # Settings().stalled_months, as the app uses it


@pytest.fixture(scope="module")
def client(invariant_db_path, tmp_path_factory):
    from fastapi.testclient import TestClient

    from chainatlas.settings import Settings
    from chainatlas.web import create_app

    copy = tmp_path_factory.mktemp("paging") / "web.db"
    shutil.copy(invariant_db_path, copy)  # the app may write kept rows; the shared store stays as built
    with TestClient(create_app(Settings(db_path=str(copy)))) as c:
        yield c


@pytest.fixture(scope="module")
def plain(invariant_db_path):
    """A copy of the store in memory: the unpaged answers, computed without the app or kept results."""
    mem = sqlite3.connect(":memory:", check_same_thread=False)
    src = sqlite3.connect(invariant_db_path)
    src.backup(mem)
    src.close()
    mem.row_factory = sqlite3.Row
    yield mem
    mem.close()


def _text(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def _columns(page: str) -> dict[str, tuple[int, str]]:
    """stage → (total in its heading, the column's html)."""
    out = {}
    for stage, body in re.findall(r'<section class="column" aria-label="([^"]+)">(.*?)</section>', page, flags=re.S):
        total = re.search(r'<span class="muted">（(\d+)）</span></h2>', body)
        assert total, stage
        out[stage] = (int(total.group(1)), body)
    return out


def _card_labels(body: str) -> list[str]:
    return [_text(m).strip() for m in re.findall(r'<div class="pcard[^"]*">\s*(?:{%.*?%})?\s*<strong>(.*?)</strong>', body,
                                         flags=re.S)]


def _label(p: dict) -> str:
    if p.get("name"):
        return p["name"]
    if p.get("aggregate"):
        return f"批量{p.get('stage') or '签约'}（{p.get('location') or '地区未注明'}）"
    return "（未命名项目）"


def _pager(page: str) -> dict[str, str]:
    """rel → href of the first pager on the page."""
    nav = re.search(r'<nav class="pager"[^>]*>(.*?)</nav>', page, flags=re.S)
    assert nav, "no pager"
    return {rel: html.unescape(href) for rel, href in re.findall(r'<a rel="(prev|next)" href="([^"]+)"', nav.group(1))}


def _page_of(page: str) -> tuple[int, int]:
    m = re.search(r"第 (\d+) 页 / 共 (\d+) 页", page)
    assert m, "no 第N页/共M页"
    return int(m.group(1)), int(m.group(2))


@pytest.mark.parametrize("region", [None, "天津"])
def test_board_pages_hold_every_card_once_in_order(client, plain, region):
    from chainatlas.web.queries import project_board

    board = project_board(plain, stalled_months=MONTHS, region=region)
    params = {"region": region} if region else {}
    first = client.get("/projects", params=params).text
    _, pages = _page_of(first) if "页 / 共" in first else (1, 1)
    seen: dict[str, list[str]] = {s: [] for s in board}
    for n in range(1, pages + 1):
        page = client.get("/projects", params={**params, "page": n}).text
        if pages > 1:
            assert _page_of(page) == (n, pages)
        for stage, (total, body) in _columns(page).items():
            assert total == len(board[stage]), (stage, total, len(board[stage]))  # the heading counts the column
            seen[stage] += _card_labels(body)
    for stage, cards in board.items():
        assert seen[stage] == [_label(p) for p in cards], stage
    assert pages > 1 or region  # the demo + seeds board does not fit on one page


def test_page_two_holds_the_next_cards(client, plain):
    from chainatlas.web.pages import PROJECTS_PER_COLUMN
    from chainatlas.web.queries import project_board

    board = project_board(plain, stalled_months=MONTHS)
    stage, cards = max(board.items(), key=lambda kv: len(kv[1]))
    assert len(cards) > PROJECTS_PER_COLUMN
    one = _card_labels(_columns(client.get("/projects").text)[stage][1])
    two_html = client.get(_pager(client.get("/projects").text)["next"]).text
    two = _card_labels(_columns(two_html)[stage][1])
    assert one == [_label(p) for p in cards[:PROJECTS_PER_COLUMN]]
    assert two == [_label(p) for p in cards[PROJECTS_PER_COLUMN: 2 * PROJECTS_PER_COLUMN]]
    assert _page_of(two_html)[0] == 2


def test_board_totals_are_the_cli_and_api_totals(client, plain, invariant_db_path):
    from chainatlas.web.queries import AGGREGATE_COLUMN, project_board

    res = CliRunner().invoke(cli, ["--db", str(invariant_db_path), "projects", "--format", "json"],
                             catch_exceptions=False)
    rows = [r for r in json.loads(res.output) if not r["aggregate"]]
    stalled = sum(1 for r in rows if r["stalled"])
    batches = sum(1 for p in project_board(plain, stalled_months=MONTHS)[AGGREGATE_COLUMN])
    assert rows and stalled and batches
    for n in (1, 2):  # every page says the same totals
        text = _text(client.get("/projects", params={"page": n}).text)
        assert f"共 {len(rows)} 个项目（多篇报道已合并），停滞 {stalled} 个；另有批量签约/开工活动 {batches} 条" in text
    api = [r for r in client.get("/api/projects", params={"region": "天津", "limit": 1000}).json()
           if not r["aggregate"]]
    assert api and len(api) < 1000
    text = _text(client.get("/projects", params={"region": "天津", "page": 2}).text)
    assert f"共 {len(api)} 个项目（多篇报道已合并），停滞 {sum(1 for r in api if r['stalled'])} 个" in text


def test_a_page_beyond_the_end_shows_the_last_page_and_says_so(client):
    first = client.get("/projects").text
    _, pages = _page_of(first)
    last = client.get("/projects", params={"page": pages}).text
    beyond = client.get("/projects", params={"page": pages + 40})
    assert beyond.status_code == 200
    assert f"没有第 {pages + 40} 页；下面是最后一页（第 {pages} 页）" in _text(beyond.text)
    assert _page_of(beyond.text) == (pages, pages)
    assert {s: _card_labels(b) for s, (_, b) in _columns(beyond.text).items()} == \
        {s: _card_labels(b) for s, (_, b) in _columns(last).items()}
    assert "没有第" not in _text(last)


def test_filters_survive_paging(client, plain):
    from chainatlas.web.pages import PROJECTS_PER_STAGE
    from chainatlas.web.queries import project_board

    # one stage at a time, 50 cards a page; the region and chain filters stay in the links
    board = project_board(plain, stalled_months=MONTHS)
    stage = max(board, key=lambda s: len(board[s]))
    page = client.get("/projects", params={"stage": stage, "region": "天津"}).text
    assert list(_columns(page)) == [stage]
    assert f'<option value="{stage}" selected>' in page and '<option value="天津" selected>' in page
    full = client.get("/projects", params={"stage": stage, "page": 1}).text
    assert len(_card_labels(_columns(full)[stage][1])) == min(PROJECTS_PER_STAGE, len(board[stage]))
    one_stage = client.get("/projects", params={"stage": stage}).text
    if len(board[stage]) > PROJECTS_PER_STAGE:
        assert parse_qs(urlsplit(_pager(one_stage)["next"]).query) == {"stage": [stage], "page": ["2"]}
    else:
        assert "页 / 共" not in one_stage  # one page: no pager
    tianjin = client.get("/projects", params={"region": "天津"}).text
    links = _pager(tianjin) if "页 / 共" in tianjin else {}
    for href in links.values():
        assert parse_qs(urlsplit(href).query)["region"] == ["天津"]
    # a column's heading link keeps the region and picks the stage
    head = re.search(r'<a href="([^"]+)" title="只看这一阶段">', tianjin)
    assert head and {k: v for k, v in parse_qs(urlsplit(html.unescape(head.group(1))).query).items()
                     if k != "stage"} == {"region": ["天津"], "page": ["1"]}


def test_indicator_pages_keep_filters_and_totals(client, plain):
    from chainatlas.analysis.figures import check_figures
    from chainatlas.web import analyses as A
    from chainatlas.web.pages import INDICATORS_PER_PAGE
    from chainatlas.web.services import taxonomy

    tax = taxonomy()
    whole = A.indicator_table(plain, tax)["rows"]
    assert len(whole) > INDICATORS_PER_PAGE  # the demo + seeds table takes two pages
    one = client.get("/indicators").text
    assert f"共 {len(whole)} 条指标数据" in _text(one)
    two = client.get(_pager(one)["next"]).text
    assert f"共 {len(whole)} 条指标数据" in _text(two)  # the same total on every page
    n_one = one.split('id="indicator-table"', 1)[1].split("</table>", 1)[0].count("<tr><td>")
    n_two = two.split('id="indicator-table"', 1)[1].split("</table>", 1)[0].count("<tr><td>")
    assert n_one == INDICATORS_PER_PAGE and n_two == min(INDICATORS_PER_PAGE, len(whole) - INDICATORS_PER_PAGE)
    # a filter with more than one page keeps itself (and the other pager's page) in the links
    rows = A.indicator_table(plain, tax, status="actual")["rows"]
    status = "actual" if len(rows) > INDICATORS_PER_PAGE else None
    params = {"status": status} if status else {}
    page = client.get("/indicators", params={**params, "cpage": 1}).text
    nxt = parse_qs(urlsplit(_pager(page)["next"]).query)
    assert nxt == {**({"status": [status]} if status else {}), "page": ["2"]}
    beyond = client.get("/indicators", params={**params, "page": 999}).text
    assert "指标表共" in _text(beyond) and "没有第 999 页" in _text(beyond)
    # the figure checks: their total by verdict, over the whole list
    checks = check_figures(plain)
    text = _text(one)
    assert f"共 {len(checks)} 项核对" in text
    bad = sum(1 for c in checks if c["verdict"] == "inconsistent")
    if bad:
        assert f"不一致 {bad} 项" in text


def test_figure_checks_page_in_order(plain):
    from chainatlas.analysis.figures import check_figures
    from chainatlas.web import analyses as A
    from chainatlas.web.services import taxonomy

    checks = check_figures(plain)
    assert len(checks) >= 2
    got = []
    for n in range(1, len(checks) + 1):
        ctx = A.indicators_page(plain, taxonomy(), check_page=n, checks_per_page=1)
        assert ctx["checks_total"] == len(checks) and ctx["check_pages"] == len(checks)
        got += ctx["checks"]
    assert got == checks
    last = A.indicators_page(plain, taxonomy(), check_page=len(checks) + 5, checks_per_page=1)
    assert last["check_page"] == len(checks) and last["checks"] == checks[-1:]


def test_entity_mentions_beyond_the_end(client, plain):
    eid, n = plain.execute("SELECT entity_id, count(*) FROM mentions GROUP BY entity_id ORDER BY 2 DESC LIMIT 1"
                           ).fetchone()
    pages = -(-n // 50)
    assert pages > 1
    page = client.get(f"/entities/{eid}", params={"page": pages + 3}).text
    assert f"提及共 {pages} 页，没有第 {pages + 3} 页" in _text(page)
    assert _page_of(page) == (pages, pages)
    assert page.count('<li class="mention">') == n - (pages - 1) * 50


def test_a_failing_list_is_shown_empty_and_not_kept(invariant_db_path, tmp_path, monkeypatch):
    """The list page keeps its tables per store generation; an analysis that fails is not kept as "no rows"."""
    from fastapi.testclient import TestClient

    from chainatlas.settings import Settings
    from chainatlas.web import create_app, services

    copy = tmp_path / "lists.db"
    shutil.copy(invariant_db_path, copy)
    real = services.find_analysis

    def broken(name):
        if name != "key_enterprises":
            return real(name)

        def fail(conn, taxonomy=None, region=None, chain=None, limit=50):
            raise RuntimeError("broken on purpose")
        return fail

    def rows(page: str) -> int:
        section = page.split('id="key_enterprises"', 1)[1].split("</section>", 1)[0]
        return section.count("<tr>") - 1  # minus the header row

    with TestClient(create_app(Settings(db_path=str(copy)))) as c:
        monkeypatch.setattr(services, "find_analysis", broken)
        failed = c.get("/lists", params={"region": "天津"})
        assert failed.status_code == 200 and "暂无条目" in failed.text.split('id="key_enterprises"', 1)[1]
        monkeypatch.setattr(services, "find_analysis", real)
        again = c.get("/lists", params={"region": "天津"}).text  # same generation: computed, not the failure
        assert rows(again) > 0
        assert rows(c.get("/lists", params={"region": "天津"}).text) == rows(again)  # now read as kept


def test_drawn_pages_follow_a_write_and_editors_get_their_forms(invariant_db_path, tmp_path):
    """The drawn data part of a page is reused only at the same store generation: an ingest through the CLI
    while the app runs shows on the next request; an editor's board carries the review forms, a reader's not."""
    from fastapi.testclient import TestClient

    from chainatlas.settings import Settings
    from chainatlas.web import create_app

    copy = tmp_path / "drawn.db"
    shutil.copy(invariant_db_path, copy)
    doc = tmp_path / "new.txt"  # our own sentences
    doc.write_text("天津讯 2025年8月30日，天津澄川精密轴承有限公司年产90万套风电主轴轴承项目在天津西青经济技术开发区"
                   "签约，项目总投资12亿元。\n", encoding="utf-8")
    with TestClient(create_app(Settings(db_path=str(copy), editor_token="tok-drawn"))) as c:
        before = [c.get(p).text for p in ("/projects", "/lists", "/indicators")]
        assert before == [c.get(p).text for p in ("/projects", "/lists", "/indicators")]  # drawn once, read again
        assert "project-review" not in before[0]
        res = CliRunner().invoke(cli, ["--db", str(copy), "ingest", "--no-progress", str(doc)], catch_exceptions=False)
        assert res.exit_code == 0, res.output
        board = c.get("/projects", params={"stage": "签约"}).text
        assert "风电主轴轴承项目" in board
        m = re.search(r"共 (\d+) 个项目", _text(before[0]))
        assert m and f"共 {int(m.group(1)) + 1} 个项目" in _text(c.get("/projects").text)
        login = c.get("/login").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', login).group(1)
        c.post("/login", data={"token": "tok-drawn", "csrf_token": token})
        assert "project-review" in c.get("/projects").text


def test_an_entity_page_says_when_its_relations_are_cut(client, plain, monkeypatch):
    from chainatlas.web import queries as Q

    eid, n = plain.execute(
        "SELECT e, count(*) FROM (SELECT source_entity_id AS e FROM relations UNION ALL SELECT target_entity_id "
        "FROM relations) WHERE e IS NOT NULL GROUP BY e ORDER BY 2 DESC LIMIT 1").fetchone()
    n = plain.execute("SELECT count(*) FROM relations WHERE source_entity_id = ? OR target_entity_id = ?",
                      (eid, eid)).fetchone()[0]  # a relation of the entity with itself counts once
    assert n > 3
    page = _text(client.get(f"/entities/{eid}").text)
    assert "关系出处" not in page  # nothing cut on the demo store
    monkeypatch.setattr(Q, "RELATION_ROWS", 3)
    page = _text(client.get(f"/entities/{eid}").text)
    assert f"该实体共有 {n} 处关系出处；本页只汇总其中最早的 3 处" in page
