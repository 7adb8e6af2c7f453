"""`chainatlas eval` end to end on a tiny gold folder and a JSONL prediction file."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from chainatlas.commands.evaluate import eval_cmd


def _write_gold(root: Path) -> None:
    (root / "own").mkdir(parents=True)
    for name, entity in (("a.txt", "甲公司"), ("b.txt", "乙公司")):
        doc = {"file": f"demo/{name}", "articles": [{"part": 0, "title": None, "metrics": [], "projects": [],
               "entities": [{"type": "company", "name": entity, "aliases": []}]}]}
        (root / "own" / name.replace(".txt", ".json")).write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    (root / "split.json").write_text(json.dumps({"dev": ["a.txt"], "heldout": ["b.txt"]}), "utf-8")


def test_eval_json_and_split(tmp_path: Path) -> None:
    _write_gold(tmp_path / "gold")
    pred = tmp_path / "pred.jsonl"
    pred.write_text(json.dumps({"source": "/x/a.txt", "part": 0, "title": None,
                                "entities": [{"type": "company", "name": "甲公司"}]}, ensure_ascii=False) + "\n\n",
                    "utf-8")
    runner = CliRunner()
    res = runner.invoke(eval_cmd, [str(tmp_path / "gold" / "own"), str(pred), "--format", "json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert out["scores"]["company"]["recall"] == 0.5 and out["scores"]["company"]["precision"] == 1.0
    assert out["files"]["missing"] == ["b.txt"]

    res = runner.invoke(eval_cmd, [str(tmp_path / "gold" / "own"), str(pred), "--format", "json", "--split", "dev"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["scores"]["company"]["f1"] == 1.0

    res = runner.invoke(eval_cmd, [str(tmp_path / "gold" / "own"), str(pred)])
    assert res.exit_code == 0 and "company" in res.output


def test_eval_needs_exactly_one_source(tmp_path: Path) -> None:
    _write_gold(tmp_path / "gold")
    res = CliRunner().invoke(eval_cmd, [str(tmp_path / "gold")])
    assert res.exit_code != 0 and "exactly one" in res.output


def test_eval_reports_bad_jsonl_line(tmp_path: Path) -> None:
    _write_gold(tmp_path / "gold")
    pred = tmp_path / "pred.jsonl"
    pred.write_text('{"source": "a.txt"}\n{not json\n', "utf-8")
    res = CliRunner().invoke(eval_cmd, [str(tmp_path / "gold"), str(pred)])
    assert res.exit_code != 0 and "pred.jsonl:2" in res.output


def test_eval_docs_runs_extraction_on_gold_files_only(tmp_path: Path, monkeypatch) -> None:
    _write_gold(tmp_path / "gold")
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in ("a.txt", "b.txt", "other.txt"):
        (docs / name).write_text("x", "utf-8")
    seen: list[list[str]] = []

    def fake_run(targets: list[str], settings: object) -> list[dict]:
        seen.append(sorted(Path(t).name for t in targets))
        return [{"source": t, "part": 0, "title": None, "entities": [{"type": "company", "name": "甲公司"}]}
                for t in targets]

    monkeypatch.setattr("chainatlas.commands.evaluate._run_extraction", fake_run)
    res = CliRunner().invoke(eval_cmd, [str(tmp_path / "gold"), "--docs", str(docs), "--format", "json"])
    assert res.exit_code == 0, res.output
    assert seen == [["a.txt", "b.txt"]]
    scores = json.loads(res.output)["scores"]["company"]
    assert (scores["pred"], scores["pred_correct"], scores["gold_found"]) == (2, 1, 1)
