"""A small hand-made store for the analysis/export tests; expected answers are worked out in the tests.

Texts are written for these tests (genre-like, invented companies), never copied from seeds.
"""

from __future__ import annotations

import json
import sqlite3
from importlib import resources
from pathlib import Path

from chainatlas.model import make_id

ARTICLES = {
    "A1": ("天津", "2024-01-10", "天津集成电路产业观察",
           "天津芯源半导体有限公司是国家级单项冠军企业，主营光刻胶。\n"
           "天津芯源半导体有限公司投资20亿元建设高端光刻胶产线项目，该项目于2023年3月15日签约。\n"
           "公司攻克了高端光刻胶配方技术，实现国产替代。"),
    "A2": ("天津", "2024-04-01", "滨海新区芯片设计企业加速成长",
           "海河微电子科技有限公司从事芯片设计，主要产品为MCU。\n"
           "海河微电子科技有限公司突破车规级MCU芯片设计关键核心技术。\n"
           "津城封测科技有限公司位于西青区，提供封装测试服务。\n"
           "海河微电子科技有限公司12英寸晶圆项目于2023年11月1日签约，2024年4月1日开工。"),
    "A3": ("北京", "2023-09-01", "北京装备企业观察",
           "北京晶测装备有限公司是专精特新“小巨人”企业，主营刻蚀设备。\n"
           "北京晶测装备有限公司正在攻关光刻胶涂胶显影设备，加快国产替代。\n"
           "北京终端智联科技有限公司生产智能终端，与海河微电子科技有限公司开展合作。\n"
           "北京研发成果加速向天津转化。\n"
           "北京智造机器人有限公司在宝坻区设立工业机器人生产基地。"),
    "A4": ("广东", "2023-12-01", "消费电子", "深圳华南消费电子有限公司主营消费电子产品。"),
    "A5": ("天津", "2024-05-01", "数据",
           "京津两地技术交易额由2013年的71.2亿元增长至2023年的748.7亿元，年均增长率为26.5%。\n"
           "某园区营业收入由2019年的50亿元增长至2023年的80亿元，年均增长20%。\n"
           "2023年天津规上工业营业收入1万亿元。海河微电子科技有限公司营收增长较快。"),
    "A6": ("天津", "2024-05-02", "数据二", "2023年天津规上工业营业收入1.2万亿元。"),
}

# key: (type, name, home region)
ENTITIES = {
    "E1": ("company", "天津芯源半导体有限公司", "天津"),
    "E2": ("company", "海河微电子科技有限公司", "滨海新区"),
    "E3": ("company", "津城封测科技有限公司", "西青区"),
    "E4": ("company", "北京晶测装备有限公司", "北京"),
    "E5": ("company", "北京终端智联科技有限公司", "北京"),
    "E6": ("company", "深圳华南消费电子有限公司", "深圳"),
    "E7": ("company", "北京智造机器人有限公司", "北京"),
}

PROJECTS = {
    # id: (name, investor, location, amount, stage, last_date, events[(article, stage, date, anchor)])
    "P1": ("高端光刻胶产线项目", "E1", "天津", 2e9, "签约", "2023-03-15",
           [("A1", "签约", "2023-03-15", "高端光刻胶产线项目")]),
    "P2": ("12英寸晶圆项目", "E2", "滨海新区", None, "开工", "2024-04-01",
           [("A2", "签约", "2023-11-01", "12英寸晶圆项目"), ("A2", "开工", "2024-04-01", "2024年4月1日开工")]),
    "P3": ("刻蚀设备产业化项目", "E4", "北京", 5e8, "投产", "2023-09-01",
           [("A3", "开工", "2023-01-01", "刻蚀设备"), ("A3", "竣工", "2023-06-01", "北京晶测装备"),
            ("A3", "投产", "2023-09-01", "攻关光刻胶")]),
}

# (subject kind, subject key, chain, segment, confidence, article)
MAPPINGS = [
    ("entity", "E1", "integrated_circuits", "upstream", 0.9, "A1"),
    ("project", "P1", "integrated_circuits", "upstream", 0.85, "A1"),
    ("entity", "E2", "integrated_circuits", "midstream", 0.9, "A2"),
    ("project", "P2", "integrated_circuits", "midstream", 0.8, "A2"),
    ("entity", "E3", "integrated_circuits", "midstream", 0.85, "A2"),
    ("entity", "E4", "integrated_circuits", "upstream", 0.9, "A3"),
    ("project", "P3", "integrated_circuits", "upstream", 0.8, "A3"),
    ("entity", "E5", "integrated_circuits", "downstream", 0.8, "A3"),
    ("entity", "E6", "integrated_circuits", "downstream", 0.9, "A4"),
    ("entity", "E7", "robotics", "midstream", 0.85, "A3"),
]


def eid(key: str) -> str:
    return "CA-" + make_id(key)


def pid(key: str) -> str:
    return "PJ-" + make_id(key)


def aid(key: str) -> str:
    return make_id("doc", key)


def build_db(path: Path) -> sqlite3.Connection:
    schema = (resources.files("chainatlas") / "store" / "schema.sql").read_text("utf-8")
    conn = sqlite3.connect(path)
    conn.executescript(schema)
    texts = {}
    for key, (region, published, title, text) in ARTICLES.items():
        doc = make_id("doc-src", key)
        conn.execute("INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?)",
                     (doc, f"https://example.gov.cn/{key}.html", "0" * 64, "utf-8", "html", text, len(text), "[]",
                      "2024-06-01"))
        conn.execute("INSERT INTO articles (id, document_id, part, title, published, text, content_hash, region) "
                     "VALUES (?,?,?,?,?,?,?,?)", (aid(key), doc, 0, title, published, text, key, region))
        texts[key] = text
    for key, (etype, name, region) in ENTITIES.items():
        conn.execute("INSERT INTO entities (id, type, name, region, attrs) VALUES (?,?,?,?,?)",
                     (eid(key), etype, name, region, json.dumps({})))
        for akey, text in texts.items():
            i = text.find(name)
            while i >= 0:
                conn.execute("INSERT INTO mentions VALUES (?,?,?,?,?,?,?)",
                             (make_id(akey, key, i), eid(key), aid(akey), i, i + len(name), name, None))
                i = text.find(name, i + len(name))
    for key, (name, inv, loc, amount, stage, last, events) in PROJECTS.items():
        conn.execute("INSERT INTO projects (id, name, investor, investor_entity_id, location, amount_value,"
                     " amount_unit, stage, last_date) VALUES (?,?,?,?,?,?,?,?,?)",
                     (pid(key), name, ENTITIES[inv][1], eid(inv), loc, amount, "元" if amount else None, stage, last))
        for akey, st, date, anchor in events:
            i = texts[akey].find(anchor)
            conn.execute("INSERT INTO project_events (id, project_id, article_id, stage, date, amount_value,"
                         ' amount_unit, start, "end") VALUES (?,?,?,?,?,?,?,?,?)',
                         (make_id(key, akey, st), pid(key), aid(akey), st, date, amount, "元", i, i + len(anchor)))
    for kind, key, chain, seg, conf, akey in MAPPINGS:
        sid = eid(key) if kind == "entity" else pid(key)
        name = ENTITIES[key][1] if kind == "entity" else PROJECTS[key][0]
        i = texts[akey].find(name)
        conn.execute("INSERT INTO chain_mappings VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                     (make_id(kind, sid, chain, seg), kind, sid, chain, seg, conf, aid(akey), i, i + len(name),
                      None, "auto"))

    def rel(rtype, src, dst, src_id, dst_id, akey, anchor, attrs=None):
        i = texts[akey].find(anchor)
        conn.execute("INSERT INTO relations VALUES (?,?,?,?,?,?,?,?,?,?)",
                     (make_id(rtype, src, dst, akey), rtype, src, dst, src_id, dst_id, aid(akey), i,
                      i + len(anchor), json.dumps(attrs or {}, ensure_ascii=False)))

    rel("cooperates_with", ENTITIES["E5"][1], ENTITIES["E2"][1], eid("E5"), eid("E2"), "A3", "开展合作")
    rel("flow", "北京", "天津", None, None, "A3", "北京研发成果", {"kind": "研发→转化"})
    rel("located_in", ENTITIES["E7"][1], "宝坻区", eid("E7"), None, "A3", "在宝坻区设立")
    for akey, value, anchor in (("A5", 1e12, "1万亿元"), ("A6", 1.2e12, "1.2万亿元")):
        i = texts[akey].find(anchor)
        conn.execute("INSERT INTO metrics (id, article_id, indicator, value, unit, raw, start, \"end\", region, period)"
                     " VALUES (?,?,?,?,?,?,?,?,?,?)",
                     (make_id(akey, i), aid(akey), "规上工业营业收入", value, "元", anchor, i, i + len(anchor), "天津",
                      "2023"))
    conn.commit()
    return conn
