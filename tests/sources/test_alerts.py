"""Watch rules raise alerts once, with quotes; digests as HTML, Atom and e-mail (local SMTP server)."""

from __future__ import annotations

import socket
import xml.etree.ElementTree as ET
from email import message_from_bytes
from email.policy import default as default_policy

import pytest
from click.testing import CliRunner

from chainatlas.cli import cli
from chainatlas.pipeline import ingest_targets
from chainatlas.settings import Settings
from chainatlas.store import Store
from chainatlas.store import sources as db
from chainatlas.watch.digest import render_atom
from chainatlas.watch.mail import SmtpConfig, send_digest
from chainatlas.watch.rules import evaluate_rules, sentence_at

OLD = {
    "old1.txt": "二〇二四年三月，天津拓维芯片封装有限公司在西青区签约建设先进封装测试项目，总投资15亿元。",
    "old2.txt": "2024年天津市规模以上工业增加值增长5.6%。全市工业运行总体平稳。",
}
NEW = {
    "new1.txt": "二〇二五年四月，天津拓维芯片封装有限公司先进封装测试项目在西青区开工建设。",
    "new2.txt": "市统计局发布数据，2024年天津市规模以上工业增加值增长6.2%。",
    "new3.txt": "四月十日，天津拓维芯片封装有限公司与南开大学签署产学研合作协议，共建封装材料联合实验室。",
}


def _write(tmp_path, files):
    paths = []
    for name, text in files.items():
        p = tmp_path / name
        p.write_text(text, encoding="utf-8")
        paths.append(str(p))
    return paths


def _new_ids(store, paths):
    ids = []
    for p in paths:
        ids += [r[0] for r in store.conn.execute(
            "SELECT a.id FROM articles a JOIN documents d ON d.id = a.document_id WHERE d.source = ?", (p,))]
    return ids


@pytest.fixture()
def store(tmp_path):
    s = Store.open(str(tmp_path / "a.db"))
    report = ingest_targets(_write(tmp_path, OLD), s, Settings(), progress=False)
    assert report.documents_ok == 2
    yield s
    s.close()


def test_stage_region_company_and_figure_rules(store, tmp_path):
    conn = store.conn
    r_stage = db.add_rule(conn, "li", "stage")
    r_region = db.add_rule(conn, "li", "region", "西青区")
    r_company = db.add_rule(conn, "li", "company", "天津拓维芯片封装有限公司")
    r_figure = db.add_rule(conn, "li", "figure", "工业增加值")
    paths = _write(tmp_path, NEW)
    ingest_targets(paths, store, Settings(), progress=False)
    ids = _new_ids(store, paths)
    assert evaluate_rules(store, ids) > 0
    alerts = db.list_alerts(conn, user="li")
    by_rule: dict[int, list] = {}
    for a in alerts:
        by_rule.setdefault(a["rule_id"], []).append(a)

    stage = by_rule[r_stage]
    assert len(stage) == 1 and (stage[0]["detail"]["from"], stage[0]["detail"]["to"]) == ("签约", "开工")
    assert stage[0]["quote"] == NEW["new1.txt"]
    assert [a["detail"]["stage"] for a in by_rule[r_region]] == ["开工"]
    company = by_rule[r_company]
    assert {a["source"] for a in company} == {paths[0], paths[2]}  # new1 and new3 name it; new2 does not
    figure = by_rule[r_figure]
    assert len(figure) == 1
    assert "6.2%" in figure[0]["quote"] and "5.6%" in figure[0]["detail"]["other_quote"]

    # evaluating the same articles again raises nothing new
    assert evaluate_rules(store, ids) == 0
    assert len(db.list_alerts(conn, user="li")) == len(alerts)


def test_rules_do_not_fire_on_what_was_known_before(store, tmp_path):
    conn = store.conn
    db.add_rule(conn, "wang", "chain", "integrated_circuits")
    # the old article's project is already on the chain: re-reading it in a batch is not news
    old_ids = _new_ids(store, [str(tmp_path / "old1.txt")])
    # a different article (not a near-duplicate of old1, which the store would fold into one)
    other = _write(tmp_path, {"same.txt": "西青区召开重点项目调度会，通报一季度各园区招商进展和用地保障情况。"
                                          "会上提到，天津拓维芯片封装有限公司先进封装测试项目总投资15亿元，"
                                          "主要从事芯片封装测试，目前正在办理规划许可。"})
    ingest_targets(other, store, Settings(), progress=False)
    ids = _new_ids(store, other)
    named = conn.execute("SELECT count(*) FROM mentions m JOIN entities e ON e.id = m.entity_id "
                         "WHERE m.article_id = ? AND e.name = '天津拓维芯片封装有限公司'", (ids[0],)).fetchone()[0]
    assert named and old_ids  # the new article names the chain's company …
    assert evaluate_rules(store, ids) == 0  # … which was on the chain already
    # a company new to the chain does alert
    fresh = _write(tmp_path, {"fresh.txt": "天津镜湖光刻材料有限公司在滨海新区签约建设光刻胶生产线项目，总投资8亿元。"})
    ingest_targets(fresh, store, Settings(), progress=False)
    assert evaluate_rules(store, _new_ids(store, fresh)) == 1
    (alert,) = db.list_alerts(conn, user="wang")
    assert "光刻胶生产线项目" in alert["title"] and alert["quote"].startswith("天津镜湖光刻材料有限公司")


def test_sentence_at_cuts_one_sentence():
    text = "第一句话。天津某公司签约建设新项目，总投资5亿元。第三句。"
    start = text.index("签约")
    assert sentence_at(text, start, start + 2) == "天津某公司签约建设新项目，总投资5亿元。"


def _alerts_for_digest():
    return [{"id": "x1", "rule_id": 1, "user": "zhao", "kind": "chain", "title": "生物医药中游新增项目：生物药制剂项目",
             "quote": "天津云杉生物制药有限公司投资7亿元的生物药制剂项目签约落地。<script>alert(1)</script>",
             "source": "https://gov.example/a.docx", "url": "https://gov.example/a.docx", "place": "第2段",
             "created_at": "2025-04-10T08:00:00+00:00", "article_id": "abc", "detail": {"published": "2025-04-02"}}]


def test_atom_feed_is_valid_xml_with_entries():
    xml = render_atom(_alerts_for_digest(), "zhao")
    root = ET.fromstring(xml)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = root.findall("a:entry", ns)
    assert len(entries) == 1
    assert entries[0].find("a:title", ns).text.startswith("生物医药中游新增项目")
    assert "第2段" in entries[0].find("a:summary", ns).text
    assert "<script>" in entries[0].find("a:summary", ns).text  # text content, escaped in the XML


def test_digest_html_escapes_document_text():
    from chainatlas.watch.digest import render_html

    page = render_html(_alerts_for_digest())
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_digest_mail_through_a_local_smtp_server():
    aiosmtpd = pytest.importorskip("aiosmtpd.controller")
    from aiosmtpd.handlers import Message

    received = []

    class Keep(Message):
        def handle_message(self, message):
            received.append(message)

    port = _free_port()
    controller = aiosmtpd.Controller(Keep(message_class=None), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        cfg = SmtpConfig.from_env({"CHAINATLAS_SMTP_HOST": "127.0.0.1", "CHAINATLAS_SMTP_PORT": str(port),
                                   "CHAINATLAS_SMTP_FROM": "atlas@example.org"})
        send_digest(_alerts_for_digest(), ["zhao@example.org"], cfg)
    finally:
        controller.stop()
    assert len(received) == 1
    msg = message_from_bytes(received[0].as_bytes(), policy=default_policy)
    assert msg["To"] == "zhao@example.org" and "1 条提醒" in msg["Subject"]
    html = msg.get_body(("html",)).get_content()
    text = msg.get_body(("plain",)).get_content()
    assert "生物药制剂项目签约落地" in html and "第2段" in text


def test_cli_sources_and_rules(tmp_path):
    db_path = str(tmp_path / "c.db")
    run = CliRunner().invoke
    res = run(cli, ["--db", db_path, "sources", "add", "https://gov.example/news/", "--kind", "list",
                    "--every", "2h", "--name", "要闻", "--pattern", r"/news/\d+\.html"])
    assert res.exit_code == 0, res.output
    assert "每 2h" in res.output
    res = run(cli, ["--db", db_path, "sources", "add", "ftp://x", "--kind", "feed"])
    assert res.exit_code == 2 and "http" in res.output
    res = run(cli, ["--db", db_path, "sources", "add", "https://x.example/", "--every", "5s"])
    assert res.exit_code == 2 and "太短" in res.output
    res = run(cli, ["--db", db_path, "sources", "list"])
    assert "要闻" in res.output and "上次成功 从未" in res.output
    res = run(cli, ["--db", db_path, "rules", "add", "--user", "zhao", "--kind", "chain", "--value", "集成电路",
                    "--segment", "上游"])
    assert res.exit_code == 0, res.output
    with Store.open(db_path) as s:
        (rule,) = db.list_rules(s.conn)
    assert rule["value"] == "integrated_circuits" and rule["segment"] == "upstream"
    res = run(cli, ["--db", db_path, "rules", "add", "--user", "zhao", "--kind", "chain", "--value", "不存在的链"])
    assert res.exit_code == 2
    res = run(cli, ["--db", db_path, "sources", "remove", "要闻"])
    assert res.exit_code == 0
    res = run(cli, ["--db", db_path, "sources", "remove", "要闻"])
    assert res.exit_code == 1
