"""chainatlas gen-corpus: deterministic documents whose known facts are really in them."""

from __future__ import annotations

import json

from click.testing import CliRunner

from chainatlas.cli import cli
from chainatlas.gencorpus import iter_files
from chainatlas.ingest import iter_inputs
from chainatlas.settings import Settings


def _generate(out) -> list[bytes]:
    result = CliRunner().invoke(cli, ["gen-corpus", "--articles", "40", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return [p.read_bytes() for p in iter_files(out)]


def test_same_seed_same_bytes_and_known_facts_are_in_the_text(tmp_path):
    first, second = _generate(tmp_path / "a"), _generate(tmp_path / "b")
    assert len(first) == 40 and first == second
    facts = [json.loads(line) for line in (tmp_path / "a" / "facts.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(facts) == 40
    named = 0
    for fact in facts:
        text = (tmp_path / "a" / fact["file"]).read_text(encoding="utf-8")
        assert fact["published"] in text and fact["title"] in text  # "" when the page has its own
        for names in fact["names"].values():
            for name in names:
                assert name in text
                named += 1
    assert named >= 40  # the documents carry organisation names to find
    assert sum(1 for f in facts if f["published"]) >= len(facts) // 2  # plain-text documents state it


def test_ingest_reads_the_documents_not_the_paperwork(tmp_path):
    _generate(tmp_path / "c")
    skipped: list = []
    read = [item.source for item in iter_inputs([str(tmp_path / "c")], Settings(), skipped)]
    assert len(read) == 40
    assert not any(s.endswith(("manifest.json", "facts.jsonl")) for s in read)


def test_refuses_to_replace_a_folder_that_is_not_a_corpus(tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "notes.txt").write_text("分析师的笔记", encoding="utf-8")
    result = CliRunner().invoke(cli, ["gen-corpus", "--articles", "5", "--out", str(tmp_path / "d")])
    assert result.exit_code != 0
    assert (tmp_path / "d" / "notes.txt").exists()
