"""The project board shows one card per real-world project, merged across articles."""

from __future__ import annotations

import re

import pytest

DOCS = {
    "sign.txt": (
        "高新区签约储能电池项目\n2024年3月5日，江门远航储能科技有限公司年产8GWh储能电池项目在江门高新区签约，"
        "项目总投资32亿元。\n"
    ),
    "start.txt": (
        "储能电池项目开工\n2024年9月18日，江门远航储能科技有限公司年产8GWh储能电池项目在江门高新区开工，"
        "项目总投资32亿元，计划明年投产。\n"
    ),
}


@pytest.fixture()
def client(pipeline_client):
    return pipeline_client(DOCS)


def test_two_reports_of_one_project_make_one_card_with_its_timeline(client) -> None:
    html = client.get("/projects").text
    cards = re.findall(r'<div class="pcard[^"]*">(.*?)</div>\s*</div>', html, flags=re.S)
    mine = [c for c in cards if "年产8GWh储能电池项目" in c]
    assert len(mine) == 1, mine
    assert "签约 → 开工" in mine[0] and "2篇报道" in mine[0]
    # the card sits in the 开工 column, not in 签约
    column = html.split('aria-label="开工"', 1)[1].split("</section>", 1)[0]
    assert "年产8GWh储能电池项目" in column


def test_dashboard_lists_the_merged_project_once(client) -> None:
    html = client.get("/").text
    newest = html.split("最新项目", 1)[1].split("</table>", 1)[0]
    assert newest.count("年产8GWh储能电池项目") == 1
    assert "（未命名项目）" not in newest
