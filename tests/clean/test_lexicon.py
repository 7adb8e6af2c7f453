from __future__ import annotations

import pytest

from chainatlas.clean.lexicon import chrome_lexicon, parse_chrome
from chainatlas.errors import DataFileError
from chainatlas.ingest.tables import column_synonyms, parse_column_synonyms


def test_shipped_lexicons_load():
    assert chrome_lexicon().line_patterns
    assert column_synonyms()["企业名称"] == "company"
    assert column_synonyms()["总投资"] == "amount"


def test_bad_regex_names_file_and_key():
    with pytest.raises(DataFileError, match=r"chrome.yaml: line_patterns\[0\]"):
        parse_chrome({"line_patterns": [{"re": "(unclosed"}]})


def test_missing_key_named():
    doc = {"line_patterns": [{"re": "x"}], "block_headings": "x", "photo_credit": "x", "byline": "x",
           "headline_list_item": "x"}
    with pytest.raises(DataFileError, match="dateline"):
        parse_chrome(doc)


def test_bad_columns_file():
    with pytest.raises(DataFileError, match="table_columns.yaml: key 'company'"):
        parse_column_synonyms({"company": "企业名称"})
    with pytest.raises(DataFileError, match="both"):
        parse_column_synonyms({"company": ["名称"], "project": ["名称"]})
