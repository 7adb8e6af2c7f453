"""Small hand-written fixtures in the genre, and a fake extractor, shared by store/pipeline tests."""

from __future__ import annotations

import hashlib
import re

from chainatlas.model import (
    Amount,
    Article,
    ChainMapping,
    DecodedDocument,
    Entity,
    Extraction,
    Metric,
    Project,
    Relation,
)

STORY_A = (
    "本报讯 近日，滨江新区集成电路产业园迎来新项目。江城微电子有限公司与园区签约，"
    "计划投资12亿元建设12英寸晶圆封装测试基地，项目建成后预计年产值可达30亿元。"
    "园区负责人介绍，今年以来园区已引进芯片设计、封装测试等上下游企业46家，"
    "集成电路产业链条日益完善。江城微电子相关负责人表示，将依托园区人才和配套优势，"
    "力争明年二季度实现开工建设。"
)
# The same story republished by a portal: one sentence trimmed, a trailing chrome line.
STORY_A_REPOST = (
    "本报讯 近日，滨江新区集成电路产业园迎来新项目。江城微电子有限公司与园区签约，"
    "计划投资12亿元建设12英寸晶圆封装测试基地，项目建成后预计年产值可达30亿元。"
    "园区负责人介绍，今年以来园区已引进芯片设计、封装测试等上下游企业46家，"
    "集成电路产业链条日益完善。江城微电子相关负责人表示，将依托园区人才和配套优势，"
    "力争明年二季度实现开工建设。（责任编辑：王某）"
)
STORY_B = (
    "东湖市生物医药产业集群加速成长。上半年全市生物医药产业营业收入达到215亿元，同比增长8.6%。"
    "新落地的华康制药集团创新药研发中心已完成主体结构封顶，总投资5亿元，"
    "将重点开展抗体药物和细胞治疗研发。东湖市科技局表示，将继续完善临床试验和中试平台。"
)

_COMPANY = re.compile(r"[\u4e00-\u9fff]{2,8}(?:有限公司|集团)")
_PARK = re.compile(r"[\u4e00-\u9fff]{2,10}产业园")
_AMOUNT = re.compile(r"(\d+(?:\.\d+)?)亿元")


def decoded(source: str, text: str, fmt: str = "text") -> DecodedDocument:
    return DecodedDocument(source, text, "utf-8", fmt, hashlib.sha256(text.encode()).hexdigest())


def article(source: str, text: str, part: int = 0, published: str | None = "2024-03-05") -> Article:
    return Article(source=source, part=part, title=text[:12], published=published, text=text)


def fake_extract(text: str) -> Extraction:
    """Regex 'extractor' good enough to put real rows in every fact table."""
    ents: list[Entity] = []
    for m in _COMPANY.finditer(text):
        short = m.group(0)[:4]
        spans = [(m.start(), m.end())] + [(x.start(), x.end()) for x in re.finditer(short, text)
                                          if x.start() >= m.end()]
        ents.append(Entity("company", m.group(0), [short], spans))
    for m in _PARK.finditer(text):
        ents.append(Entity("park", m.group(0), [], [(m.start(), m.end())]))
    metrics = [Metric(None, float(m.group(1)) * 1e8, "元", m.group(0), (m.start(), m.end()))
               for m in _AMOUNT.finditer(text)]
    projects = []
    if ents and metrics and ents[0].type == "company":
        projects.append(Project(None, ents[0].name, None, Amount(metrics[0].value, "元"), "签约",
                                (0, metrics[0].span[1])))
    relations = []
    parks = [e for e in ents if e.type == "park"]
    if parks and ents[0].type == "company":
        relations.append(Relation("located_in", ents[0].name, parks[0].name))
    return Extraction(ents, metrics, projects, relations)


def fake_mappings(extraction: Extraction) -> list[ChainMapping]:
    return [ChainMapping("entity", e.name, e.type, "integrated_circuits", "midstream", 0.7, (0, 10), "证据")
            for e in extraction.entities if e.type == "company"]
