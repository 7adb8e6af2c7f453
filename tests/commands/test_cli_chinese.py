"""What `chainatlas stats | projects | lists | flows | atlas` print is Chinese.

A small store is built by the real pipeline from part of the demo corpus. Every run of Latin
letters in the table output must be data (a token of the store's articles, entities, projects,
metrics or document sources, or of the chain taxonomy's terms), a unit, the store's path, or
an option the message tells the user to type (``--today``). The label vocabulary's codes
(company, region, invests_in …) and chain ids (integrated_circuits …) are refused outright.

With ``--format json`` the keys stay English (they are the API); string values that are
sentences (they hold Chinese) must not embed a code, while a value that is itself a code
(``"status": "absent"``) is data for programs and stays as is.
"""

from __future__ import annotations

import json
import re
import sqlite3
from importlib import resources
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from chainatlas.cli import cli

LATIN = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
UNITS = {"GW", "GWh", "MW", "MWh", "kW", "kWh", "GDP", "PCT", "Excel", "CSV", "JSON", "PDF", "API"}
DEMO = Path(str(resources.files("chainatlas") / "data" / "demo"))
DOCS = ["tj_binhai_ic_2023.html", "tj_xiqing_battery_sign.html", "tj_wuqing_batch_sign_gov.html",
        "bj_zgc_software.html", "baoding_hydrogen_production.html", "companies.csv", "projects.csv"]


def _tokens(text: str | None) -> set[str]:
    return set(LATIN.findall(text or ""))


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    from chainatlas.pipeline import ingest_targets
    from chainatlas.settings import Settings
    from chainatlas.store import Store

    db = tmp_path_factory.mktemp("cli_zh") / "atlas.db"
    st = Store.open(str(db))
    try:
        report = ingest_targets([str(DEMO / d) for d in DOCS if (DEMO / d).exists()], st, Settings(), progress=False)
    finally:
        st.close()
    assert report.documents_ok >= 5 and not report.errors
    return db


@pytest.fixture(scope="module")
def vocab(store):
    from chainatlas.chains import load_taxonomy

    conn = sqlite3.connect(store)
    allowed = set(UNITS) | _tokens(str(store))
    for q in ("SELECT title || ' ' || text FROM articles", "SELECT name FROM entities", "SELECT alias FROM entity_aliases",
              "SELECT COALESCE(name, '') || ' ' || COALESCE(investor, '') FROM projects",
              "SELECT raw || ' ' || unit || ' ' || COALESCE(indicator, '') FROM metrics", "SELECT source FROM documents"):
        for (v,) in conn.execute(q):
            allowed |= _tokens(v)
    conn.close()
    ids = set()
    for c in load_taxonomy():
        ids.add(c.id)
        for seg in c.segments.values():
            for t, _ in seg.terms():
                allowed |= _tokens(t)
    data = yaml.safe_load((resources.files("chainatlas") / "data" / "labels_zh.yaml").read_text("utf-8"))
    forbidden = {code for section in data.values() for code in section if len(code) > 2} | ids
    return allowed - forbidden, forbidden


def _english(text: str, vocab) -> list[str]:
    allowed, forbidden = vocab
    text = re.sub(r"--[a-z][a-z-]*", " ", text)  # an option the message tells the user to type
    return [f"{m.group()!r} in …{text[max(0, m.start() - 25): m.end() + 25]}…".replace("\n", " ⏎ ")
            for m in LATIN.finditer(text) if m.group() in forbidden or m.group() not in allowed]


def _run(store: Path, *args: str) -> str:
    res = CliRunner().invoke(cli, ["--db", str(store), *args], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    return res.output


COMMANDS = [
    ["stats"], ["projects"], ["projects", "--stalled"], ["flows"], ["flows", "--region", "天津"],
    ["atlas"], ["atlas", "--region", "天津"], ["atlas", "--region", "天津", "--chain", "集成电路"],
]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a))
def test_table_output_is_chinese(store, vocab, args):
    out = _run(store, *args)
    assert out.strip()
    assert re.search(r"[\u4e00-\u9fff]", out), out[:200]
    bad = _english(out, vocab)
    assert not bad, "\n".join(bad[:20])


def test_lists_messages_are_chinese(store, vocab, tmp_path):
    for suffix in (".xlsx", ".csv", ".json"):
        out = _run(store, "lists", "--region", "天津", "--out", str(tmp_path / f"l{suffix}"))
        lines = out.strip().splitlines()
        assert lines and all(line.startswith(f"已写入 {tmp_path}") for line in lines), out  # the paths written
    res = CliRunner().invoke(cli, ["--db", str(store), "lists", "--out", str(tmp_path / "l.txt")])
    assert res.exit_code != 0 and "不支持" in res.output


def _strings(data):
    if isinstance(data, dict):
        for v in data.values():
            yield from _strings(v)
    elif isinstance(data, list):
        for v in data:
            yield from _strings(v)
    elif isinstance(data, str):
        yield data


@pytest.mark.parametrize("args", [["stats"], ["projects"], ["flows"], ["atlas", "--region", "天津"]],
                         ids=lambda a: " ".join(a))
def test_json_keys_english_sentences_chinese(store, vocab, args):
    data = json.loads(_run(store, *args, "--format", "json"))
    sentences = [s for s in _strings(data) if re.search(r"[\u4e00-\u9fff]", s)]
    assert sentences or args == ["stats"]
    bad = [b for s in sentences for b in _english(s, vocab)]
    assert not bad, "\n".join(bad[:20])
