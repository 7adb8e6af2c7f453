"""Build a small store for the web tests by direct INSERTs (independent of extraction quality).

The article texts are the hand-written documents in tests/web/docs; every span is found
in the text at build time (str.find), so offsets are real, never typed in by hand.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from chainatlas.model import make_id
from chainatlas.store import fts
from chainatlas.web.db import ensure_schema

DOCS = Path(__file__).parent / "docs"

# (file, region, entities [(type, name, region, aliases)], metrics [(indicator, raw, value, unit, period)],
#  projects [(name, investor, raw-evidence, amount, stage, date)], mappings [(entity, chain, segment, conf)])
SPEC = [
    (
        "binhai_chip.txt", "滨海新区",
        [("company", "芯辰微电子（天津）有限公司", "滨海新区", []), ("company", "华拓封测科技有限公司", "滨海新区", []),
         ("park", "天开高教科创园", "南开区", ["天开园"]), ("institution", "天津大学", "南开区", []),
         ("government", "滨海新区科技局", "滨海新区", [])],
        [("集成电路产业规模", "420亿元", 4.2e10, "元", "2023"), ("集成电路产业规模增速", "12.6%", 12.6, "%", "2023")],
        [("12英寸晶圆制造项目", "芯辰微电子（天津）有限公司", "投资18亿元建设12英寸晶圆制造项目", 1.8e9, "签约", "2024-03-15"),
         ("先进封装测试基地", "华拓封测科技有限公司", "投资6.5亿元建设先进封装测试基地", 6.5e8, "签约", "2022-03-15")],
        [("芯辰微电子（天津）有限公司", "integrated_circuits", "midstream", 0.9),
         ("华拓封测科技有限公司", "integrated_circuits", "downstream", 0.8)],
    ),
    (
        "xiqing_battery.txt", "西青区",
        [("company", "锐能新能源科技股份有限公司", "西青区", ["锐能"]), ("region", "西青区", "西青区", []),
         ("government", "西青区工业和信息化局", "西青区", [])],
        [("锂离子动力电池产能", "10GWh", 10.0, "GWh", "2023")],
        [("锐能动力电池西青生产基地项目", "锐能新能源科技股份有限公司", "总投资30亿元的锐能动力电池西青生产基地项目开工建设", 3e9, "开工",
          "2023-06-01")],
        [("锐能新能源科技股份有限公司", "new_energy", "midstream", 0.85)],
    ),
    (
        "xss_probe.txt", "天津",
        [("company", "明光电子材料有限公司", "天津", []),
         ("company", "<img src=x onerror=alert(1)>", "天津", [])],
        [],
        [],
        [("明光电子材料有限公司", "integrated_circuits", "upstream", 0.7),
         ("<img src=x onerror=alert(1)>", "integrated_circuits", "upstream", 0.6)],
    ),
]


def article_parts(path: Path) -> tuple[str, str, str]:
    """(title, date, body) of a test document: first line title, second date, rest body minus byline."""
    lines = path.read_text(encoding="utf-8").splitlines()
    body = "\n".join(line for line in lines[2:] if not line.startswith("责任编辑"))
    return lines[0], lines[1], body


def build(db_path: str | Path) -> dict[str, dict[str, str]]:
    """Create the store at db_path; returns ids by name: {"articles": {file: id}, "entities": {name: id}}."""
    db_path = str(db_path)
    ensure_schema(db_path)
    conn = sqlite3.connect(db_path)
    ids: dict[str, dict[str, str]] = {"articles": {}, "entities": {}, "projects": {}}
    with conn:
        for file, region, ents, metrics, projects, mappings in SPEC:
            path = DOCS / file
            raw = path.read_text(encoding="utf-8")
            title, date, body = article_parts(path)
            doc_id = make_id(str(path))
            art_id = make_id(doc_id, 0)
            ids["articles"][file] = art_id
            conn.execute(
                "INSERT INTO documents (id, source, sha256, encoding, format, raw_text, size, ingested_at) "
                "VALUES (?, ?, ?, 'utf-8', 'text', ?, ?, '2024-05-01T00:00:00')",
                (doc_id, str(path), make_id(raw), raw, len(raw.encode())),
            )
            cur = conn.execute(
                "INSERT INTO articles (id, document_id, part, title, published, text, content_hash, removed, region) "
                "VALUES (?, ?, 0, ?, ?, ?, ?, ?, ?)",
                (art_id, doc_id, title, date, body, make_id(body), json.dumps(["责任编辑：略"], ensure_ascii=False),
                 region),
            )
            conn.execute("INSERT INTO articles_fts (rowid, article_id, title, body) VALUES (?, ?, ?, ?)",
                         (cur.lastrowid, art_id, fts.bigram_text(title), fts.bigram_text(body)))
            conn.execute("INSERT INTO article_sources (article_id, document_id, part, similarity) VALUES (?, ?, 0, 1.0)",
                         (art_id, doc_id))
            for etype, name, eregion, aliases in ents:
                eid = "CA-" + make_id(etype, name)
                ids["entities"][name] = eid
                cur = conn.execute("INSERT OR IGNORE INTO entities (id, type, name, region) VALUES (?, ?, ?, ?)",
                                   (eid, etype, name, eregion))
                for alias in [name, *aliases]:
                    conn.execute("INSERT OR IGNORE INTO entity_aliases (entity_id, alias) VALUES (?, ?)", (eid, alias))
                    start = body.find(alias)
                    while start >= 0:
                        conn.execute(
                            "INSERT OR IGNORE INTO mentions (id, entity_id, article_id, start, \"end\", surface) "
                            "VALUES (?, ?, ?, ?, ?, ?)",
                            (make_id(art_id, eid, start), eid, art_id, start, start + len(alias), alias),
                        )
                        start = body.find(alias, start + len(alias))
                rowid = conn.execute("SELECT rowid FROM entities WHERE id = ?", (eid,)).fetchone()[0]
                conn.execute("INSERT OR REPLACE INTO entities_fts (rowid, entity_id, names) VALUES (?, ?, ?)",
                             (rowid, eid, fts.bigram_text(" | ".join([name, *aliases]))))
            for indicator, raw_fig, value, unit, period in metrics:
                s = body.find(raw_fig)
                assert s >= 0, raw_fig
                conn.execute(
                    "INSERT INTO metrics (id, article_id, indicator, value, unit, raw, start, \"end\", region, period) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (make_id(art_id, s, s + len(raw_fig), unit), art_id, indicator, value, unit, raw_fig, s,
                     s + len(raw_fig), region, period),
                )
            for pname, investor, evidence, amount, stage, pdate in projects:
                s = body.find(evidence)
                assert s >= 0, evidence
                pid = "PJ-" + make_id(pname)
                ids["projects"][pname] = pid
                conn.execute(
                    "INSERT INTO projects (id, name, investor, investor_entity_id, location, amount_value, amount_unit, "
                    "stage, last_date) VALUES (?, ?, ?, ?, ?, ?, '元', ?, ?)",
                    (pid, pname, investor, ids["entities"].get(investor), region, amount, stage, pdate),
                )
                conn.execute(
                    "INSERT INTO project_events (id, project_id, article_id, stage, date, amount_value, amount_unit, "
                    "start, \"end\") VALUES (?, ?, ?, ?, ?, ?, '元', ?, ?)",
                    (make_id(pid, art_id, s), pid, art_id, stage, pdate, amount, s, s + len(evidence)),
                )
            for ename, chain, segment, conf in mappings:
                eid = ids["entities"][ename]
                s = max(0, body.find(ename))
                end = body.find("。", s) + 1 or len(body)
                conn.execute(
                    "INSERT INTO chain_mappings (id, subject_kind, subject_id, chain, segment, confidence, article_id, "
                    "start, \"end\", evidence) VALUES (?, 'entity', ?, ?, ?, ?, ?, ?, ?, ?)",
                    (make_id("entity", eid, chain, segment), eid, chain, segment, conf, art_id, s, end, body[s:end]),
                )
        art = ids["articles"]["xiqing_battery.txt"]
        text = conn.execute("SELECT text FROM articles WHERE id = ?", (art,)).fetchone()[0]
        s = text.find("研发在北京")
        conn.execute(
            "INSERT INTO relations (id, type, source, target, article_id, start, \"end\", attrs) "
            "VALUES (?, 'flow', '北京', '天津', ?, ?, ?, ?)",
            (make_id("flow", "北京", "天津", art, s), art, s, s + 12, json.dumps({"kind": "研发→转化"}, ensure_ascii=False)),
        )
    conn.close()
    return ids
