"""The store's article marks and the analyses cut sentences at the same characters (the store
cannot import the analysis layer, so it keeps its own copy of the set)."""

from __future__ import annotations

from chainatlas.analysis.common import SENTENCE_END
from chainatlas.store import marks


def test_marks_and_analyses_share_the_sentence_ends() -> None:
    assert set(marks.SENTENCE_END) == set(SENTENCE_END)


def test_sentences_end_at_their_mark_and_a_lone_mark_is_none() -> None:
    text = "甲项目签约。乙项目开工！丙项目投产？\n丁项目；末句无标点"
    assert [text[s:e] for s, e in marks.sentences(text)] == [
        "甲项目签约。", "乙项目开工！", "丙项目投产？", "丁项目；", "末句无标点"]
