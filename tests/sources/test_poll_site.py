"""Acceptance: a local site that changes between two poll rounds.

Round 1 stores what is there; round 2 must store exactly the new and changed documents
(a feed item, a list page's new links — one of them a PDF —, a changed page, a DOCX added
to the sitemap, the item of a feed that failed in round 1 and recovered), never request the
path robots.txt forbids, raise the watch rule on a chain once with its quote, and the
digest must list that alert.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from click.testing import CliRunner
from tests.sources.docgen import make_docx, make_pdf
from tests.sources.fakesite import FakeSite, html_page, rss

from chainatlas.cli import cli
from chainatlas.settings import Settings
from chainatlas.sources.fetch import PoliteFetcher
from chainatlas.sources.poll import poll
from chainatlas.store import Store
from chainatlas.store import sources as db

T0 = datetime(2025, 4, 10, 8, 0, tzinfo=UTC)

F1 = ("滨海新区储能项目签约", "三月十八日，天津蓝岸储能科技有限公司与滨海新区签约，投资9亿元建设钠离子电池电芯生产线项目，"
      "主要生产大容量储能电池。该项目建成后预计年产储能电芯五吉瓦时，可带动上下游配套企业十余家落户，"
      "新区将为项目提供厂房代建和人才公寓等支持，推动储能产业集聚发展。")
F2 = ("西青区举办智能制造对接会", "三月二十日，西青区举办智能制造供需对接会，四十余家企业参加。会上发布了首批智能工厂"
      "应用场景清单，涵盖焊接、装配和检测等环节，区工信局负责人介绍了技术改造奖补政策，与会企业围绕工业软件和机器视觉"
      "开展了交流，现场达成合作意向二十余项。")
F3 = ("东丽区新材料项目开工", "四月八日，天津澄明新材料有限公司在东丽经济开发区开工建设高纯石英砂项目，总投资6亿元，"
      "达产后年产高纯石英砂三万吨，主要供应光伏坩埚企业。项目采用全自动提纯产线，预计明年三季度投产，"
      "投产后可实现年产值十二亿元，新增就业岗位约三百个。")
K1 = ("宝坻区物流枢纽建设提速", "四月五日，宝坻区冷链物流枢纽项目二期工程完成主体结构封顶，项目总投资3亿元，建成后"
      "冷库容量将达到十万吨，服务京津冀生鲜农产品流通。区发展改革委表示，将协调电力接入和道路配套，确保年内投入运营，"
      "并同步建设冷链信息平台。")
NOTICE_V1 = ["北辰区发布二〇二五年第一批工业企业技术改造项目申报通知。", "申报截止时间为四月三十日，逾期不予受理。"]
NOTICE_V2 = ["北辰区发布二〇二五年第一批工业企业技术改造项目申报通知。", "申报截止时间延长至五月十五日，逾期不予受理。"]
A1 = ["三月二十五日，天津恒远精密轴承有限公司在静海经济开发区签约落地高精度轴承生产项目，总投资2.8亿元。"]
A2 = ["静海区召开一季度经济运行分析会，通报了规模以上工业增加值等主要指标完成情况。"]
A3 = ["四月七日，天津星桥汽车零部件有限公司新能源汽车电驱壳体项目在静海区竣工，总投资1.6亿元。"]
SECRET = ["这是内部页面，不应被抓取。"]
PDF_PAGES = [["滨海新区二〇二五年四月重点项目进展通报。",
              "四月九日，天津蓝岸储能科技有限公司钠离子电池电芯生产线项目正式开工建设，总投资9亿元。"],
             ["下一步，新区将做好项目要素保障，推动项目早日投产。"]]
DOCX_BLOCKS = ["武清区四月招商工作例会纪要",
               "会议通报，四月二日，天津云杉生物制药有限公司投资7亿元的生物药制剂项目在武清开发区签约落地。",
               "会议要求各部门做好项目服务，加快推进前期手续办理。"]


def _rfc822(day: int) -> str:
    return f"{['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'][(day + 5) % 7]}, {day:02d} Mar 2025 09:00:00 +0800"


def _list_page(site: FakeSite, links: list[str]) -> str:
    items = "".join(f'<li><a href="{href}">{href.rsplit("/", 1)[-1]}</a></li>' for href in links)
    return (f"<html><head><meta charset='utf-8'><title>静海要闻</title></head><body>"
            f"<a href='/about'>关于我们</a><ul>{items}</ul></body></html>")


def _round1(site: FakeSite) -> None:
    site.put("/robots.txt", "User-agent: *\nDisallow: /private/\n", "text/plain")
    site.put("/feed.xml", rss("滨海动态", [(F1[0], site.url("/f/1.html"), _rfc822(18), F1[1]),
                                          (F2[0], site.url("/f/2.html"), _rfc822(20), F2[1])]),
             "application/rss+xml")
    site.put("/news/index.html", _list_page(site, ["/news/a1.html", "/news/a2.html", "/private/p1.html"]))
    site.put("/news/a1.html", html_page("静海区轴承项目签约", A1, "2025-03-25"))
    site.put("/news/a2.html", html_page("静海区经济运行分析会", A2, "2025-03-26"))
    site.put("/private/p1.html", html_page("内部", SECRET))
    site.put("/notice.html", html_page("北辰区技改项目申报通知", NOTICE_V1, "2025-03-28"))
    site.fail["/flaky.xml"] = 500
    site.put("/sitemap.xml", "<?xml version='1.0'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
             f"<url><loc>{site.url('/docs/old.html')}</loc><lastmod>2025-01-05</lastmod></url></urlset>",
             "application/xml")
    site.put("/docs/old.html", html_page("宁河区现代农业产业园建设情况", [
        "宁河区现代农业产业园已入驻农产品加工企业十二家，种业研发中心投入使用。"], "2025-01-05"))


def _round2(site: FakeSite) -> None:
    site.put("/feed.xml", rss("滨海动态", [(F3[0], site.url("/f/3.html"), _rfc822(31), F3[1]),
                                          (F1[0], site.url("/f/1.html"), _rfc822(18), F1[1]),
                                          (F2[0], site.url("/f/2.html"), _rfc822(20), F2[1])]),
             "application/rss+xml")
    site.put("/news/index.html", _list_page(site, ["/news/a3.html", "/files/report.pdf", "/news/a1.html",
                                                   "/news/a2.html", "/private/p1.html"]))
    site.put("/news/a3.html", html_page("静海区电驱壳体项目竣工", A3, "2025-04-07"))
    site.put("/files/report.pdf", make_pdf(PDF_PAGES), "application/pdf")
    site.put("/notice.html", html_page("北辰区技改项目申报通知", NOTICE_V2, "2025-03-28"))
    del site.fail["/flaky.xml"]
    site.put("/flaky.xml", rss("宝坻发布", [(K1[0], site.url("/k/1.html"), _rfc822(5), K1[1])]), "application/rss+xml")
    site.put("/docs/minutes.docx", make_docx(DOCX_BLOCKS),
             "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    site.put("/sitemap.xml", "<?xml version='1.0'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
             f"<url><loc>{site.url('/docs/old.html')}</loc><lastmod>2025-01-05</lastmod></url>"
             f"<url><loc>{site.url('/docs/minutes.docx')}</loc><lastmod>2025-04-03</lastmod></url></urlset>",
             "application/xml")


def _sources(conn, site: FakeSite) -> None:
    db.add_source(conn, site.url("/feed.xml"), "feed", name="滨海动态", now=T0)
    db.add_source(conn, site.url("/news/index.html"), "list", name="静海要闻", now=T0)
    db.add_source(conn, site.url("/notice.html"), "page", name="北辰通知", now=T0)
    db.add_source(conn, site.url("/flaky.xml"), "feed", name="宝坻发布", now=T0)
    db.add_source(conn, site.url("/sitemap.xml"), "sitemap", name="宁河站点地图", now=T0)


def _documents(conn) -> dict[str, str]:
    return {r[0]: r[1] for r in conn.execute("SELECT source, sha256 FROM documents")}


def test_two_poll_rounds_over_a_changing_site(tmp_path):
    db_path = str(tmp_path / "atlas.db")
    settings = Settings(db_path=db_path)
    with FakeSite() as site, Store.open(db_path) as store:
        _round1(site)
        _sources(store.conn, site)
        db.add_rule(store.conn, "zhang", "chain", "biomedicine", now=T0)
        db.add_rule(store.conn, "zhang", "stage", now=T0)
        fetcher = PoliteFetcher(min_interval=0.0, timeout=5)

        r1 = poll(store, settings, now=T0, fetcher=fetcher)
        t1 = r1.totals()
        assert t1["new"] == 6 and t1["changed"] == 0 and t1["failed_sources"] == 1, json.dumps(r1.as_dict(), ensure_ascii=False, indent=1)
        before = _documents(store.conn)
        assert set(before) == {site.url(p) for p in ("/f/1.html", "/f/2.html", "/news/a1.html", "/news/a2.html",
                                                     "/notice.html", "/docs/old.html")}
        flaky = db.get_source(store.conn, "宝坻发布")
        assert flaky["failures"] == 1 and "500" in flaky["last_error"]
        assert "连续失败 1 次" in db.health_line(flaky)
        assert db.list_alerts(store.conn) == []  # nothing on the chain yet

        _round2(site)
        site.clear_log()
        # nothing is due an hour later except the failing source (back-off: 15 minutes)
        early = poll(store, settings, now=T0 + timedelta(hours=1), fetcher=fetcher, evaluate=False)
        assert [r.url for r in early.rounds] == [site.url("/flaky.xml")]
        assert early.totals()["new"] == 1
        r2 = poll(store, settings, now=T0 + timedelta(hours=7), fetcher=fetcher)
        assert r2.ok, r2.as_dict()
        new = {s for r in r2.rounds for s in r.new_documents}
        changed = {s for r in r2.rounds for s in r.changed_documents}
        assert new == {site.url(p) for p in ("/f/3.html", "/news/a3.html", "/files/report.pdf",
                                             "/docs/minutes.docx")}
        assert changed == {site.url("/notice.html")}
        after = _documents(store.conn)
        assert set(after) - set(before) == new | {site.url("/k/1.html")}
        assert {s for s in before if after[s] != before[s]} == changed
        # unchanged pages were asked conditionally and answered 304; old.html not even asked
        assert ("/news/a1.html", 304) in site.log and ("/news/a2.html", 304) in site.log
        assert site.requested("/docs/old.html") == 0
        assert site.requested("/private/p1.html") == 0
        assert all(not p.startswith("/private/") for p, _ in site.log)

        # the page whose text changed keeps its history
        hist = db.page_history(store.conn, site.url("/notice.html"))
        assert len(hist) == 1
        assert any("五月十五日" in line for line in hist[0]["added"])
        assert any("四月三十日" in line for line in hist[0]["removed"])

        # the failing source recovered
        flaky = db.get_source(store.conn, "宝坻发布")
        assert flaky["failures"] == 0 and flaky["last_success"] is not None

        # the chain rule fired once, on the DOCX's signing, with its sentence and place
        alerts = db.list_alerts(store.conn, user="zhang")
        chain_alerts = [a for a in alerts if a["kind"] == "chain"]
        assert len(chain_alerts) == 1, chain_alerts
        a = chain_alerts[0]
        assert "天津云杉生物制药有限公司投资7亿元的生物药制剂项目在武清开发区签约落地" in a["quote"]
        assert a["source"] == site.url("/docs/minutes.docx") and a["place"] == "第2段"
        assert a["detail"]["chain"] == "biomedicine"
        # the project moved from 签约 (feed item, round 1) to 开工 (the PDF, round 2): page 1
        stage_alerts = [a for a in alerts if a["kind"] == "stage"]
        assert [(s["detail"]["from"], s["detail"]["to"]) for s in stage_alerts] == [("签约", "开工")]
        assert "钠离子电池电芯生产线项目正式开工建设" in stage_alerts[0]["quote"]
        assert stage_alerts[0]["place"] == "第1页"

        # a third round changes nothing and alerts nothing
        site.clear_log()
        r3 = poll(store, settings, now=T0 + timedelta(hours=14), fetcher=fetcher)
        assert r3.totals()["new"] == 0 and r3.totals()["changed"] == 0 and r3.alerts == 0
        assert len(db.list_alerts(store.conn)) == len(alerts)
        assert all(status == 304 for path, status in site.log if path != "/robots.txt"), site.log
        fetcher.close()

    # the digest lists the alert (CLI, as a user would run it)
    out = tmp_path / "digest.html"
    res = CliRunner().invoke(cli, ["--db", db_path, "digest", "--user", "zhang", "--since", "2025-04-01", "--out", str(out)])
    assert res.exit_code == 0, res.output
    page = out.read_text(encoding="utf-8")
    assert "天津云杉生物制药有限公司投资7亿元的生物药制剂项目在武清开发区签约落地" in page
    assert "第2段" in page and "生物医药" in page
    res = CliRunner().invoke(cli, ["--db", db_path, "alerts", "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert {a["kind"] for a in data} == {"chain", "stage"}


def test_cli_poll_and_watch_over_a_local_site(tmp_path):
    db_path = str(tmp_path / "cli.db")
    run = CliRunner().invoke
    with FakeSite() as site:
        site.put("/robots.txt", "User-agent: *\nDisallow: /private/\n", "text/plain")
        site.put("/notice.html", html_page("北辰区技改项目申报通知", NOTICE_V1, "2025-03-28"))
        site.put("/private/a.html", html_page("内部", SECRET))
        res = run(cli, ["--db", db_path, "sources", "add", site.url("/notice.html"), "--kind", "page",
                        "--name", "北辰通知"])
        assert res.exit_code == 0, res.output
        res = run(cli, ["--db", db_path, "sources", "add", site.url("/private/a.html"), "--kind", "page"])
        assert res.exit_code == 0, res.output
        res = run(cli, ["--db", db_path, "poll", "--host-interval", "0", "--format", "json"])
        data = json.loads(res.output)
        assert res.exit_code == 1  # the forbidden source counts as failed
        by_url = {s["url"]: s for s in data["sources"]}
        assert by_url[site.url("/notice.html")]["new"] == [site.url("/notice.html")]
        assert by_url[site.url("/private/a.html")]["disallowed"] == [site.url("/private/a.html")]
        assert site.requested("/private/a.html") == 0
        res = run(cli, ["--db", db_path, "sources", "remove", site.url("/private/a.html")])
        assert res.exit_code == 0
        res = run(cli, ["--db", db_path, "poll", "--host-interval", "0"])
        assert res.exit_code == 0 and "没有到期的来源" in res.output  # the page is not due for 6 hours
        site.put("/notice.html", html_page("北辰区技改项目申报通知", NOTICE_V2, "2025-03-28"))
        res = run(cli, ["--db", db_path, "watch", "--host-interval", "0", "--rounds", "1"])
        assert res.exit_code == 0, res.output  # nothing due: watch's one round changes nothing
        res = run(cli, ["--db", db_path, "poll", "--force", "--host-interval", "0"])
        assert res.exit_code == 0 and "更新 1" in res.output, res.output
        res = run(cli, ["--db", db_path, "history"])
        assert "+ 申报截止时间延长至五月十五日，逾期不予受理。" in res.output
        assert "- 申报截止时间为四月三十日，逾期不予受理。" in res.output
        res = run(cli, ["--db", db_path, "sources", "list"])
        assert "北辰通知" in res.output and "上轮新增/更新 1 篇（累计 2）" in res.output
