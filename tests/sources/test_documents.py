"""PDF and DOCX inputs: text with page/paragraph provenance, tables as rows, scans refused."""

from __future__ import annotations

from tests.sources.docgen import make_docx, make_pdf, make_scanned_pdf

from chainatlas.ingest import iter_inputs
from chainatlas.ingest.detect import decode
from chainatlas.ingest.layout import label, locate
from chainatlas.model import InputError, RawDocument
from chainatlas.pipeline import Processor
from chainatlas.settings import Settings
from chainatlas.store import Store

PAGE1 = ["临港经济区管委会发布二〇二五年一季度重点项目进展情况。",
         "三月十八日，天津蓝岸储能科技有限公司与临港经济区签约，投资9亿元建设钠离子电池电芯生产线项目。"]
PAGE2 = ["同日，天津北辰精工机械有限公司数控机床整机项目开工建设，总投资4.5亿元。"]
TABLE = [["项目名称", "建设单位", "总投资（亿元）", "阶段"],
         ["储能电池包装配项目", "天津海畔新能源有限公司", "6", "签约"],
         ["氢燃料电池双极板项目", "天津氢途动力科技有限公司", "3.2", "开工"]]


def _process(path: str):
    raw = next(iter_inputs([path], Settings()))
    assert not isinstance(raw, InputError), raw
    return Processor().process(raw)


def test_pdf_pages_keep_their_place_and_tables_become_rows(tmp_path):
    p = tmp_path / "一季度项目.pdf"
    p.write_bytes(make_pdf([PAGE1, PAGE2], table=TABLE, table_page=0))
    result = _process(str(p))
    assert not isinstance(result, InputError), result
    assert result.decoded.format == "pdf"
    text = "\n".join(a.text for a in result.articles)
    assert "钠离子电池电芯生产线项目" in text and "数控机床整机项目" in text
    assert "\u2029" not in text  # page marks never reach article text
    assert "储能电池包装配项目\t天津海畔新能源有限公司\t6\t签约" in text
    projects = {pr.name: pr for ex in result.extractions for pr in ex.projects}
    row = projects.get("储能电池包装配项目")
    assert row is not None and row.investor == "天津海畔新能源有限公司" and row.stage == "签约"
    assert row.amount is not None and row.amount.value == 6e8
    # the page of a quote, derived from the stored raw text
    raw = result.decoded.text
    assert label(locate(raw, "pdf", "天津北辰精工机械有限公司数控机床整机项目开工建设")) == "第2页"
    assert label(locate(raw, "pdf", "天津蓝岸储能科技有限公司与临港经济区签约")) == "第1页"


def test_scanned_pdf_is_rejected_not_ingested_empty(tmp_path):
    p = tmp_path / "扫描件.pdf"
    p.write_bytes(make_scanned_pdf(2))
    store = Store.open(str(tmp_path / "s.db"))
    from chainatlas.pipeline import ingest_targets

    report = ingest_targets([str(p)], store, Settings(), progress=False)
    assert report.documents_ok == 0
    assert len(report.errors) == 1 and "OCR" in report.errors[0].reason and "2" in report.errors[0].reason
    assert store.conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 0
    assert store.conn.execute("SELECT count(*) FROM rejections").fetchone()[0] == 1


def test_broken_pdf_is_reported(tmp_path):
    raw = RawDocument("坏文件.pdf", b"%PDF-1.7\n1 0 obj << >> endobj\n")
    try:
        decode(raw)
    except Exception as exc:  # InputRejected
        assert "PDF" in str(exc)
    else:
        raise AssertionError("a broken PDF must be rejected")


def test_docx_paragraphs_and_tables(tmp_path):
    p = tmp_path / "会议纪要.docx"
    p.write_bytes(make_docx([
        "武清区招商工作推进会纪要",
        "会议通报，天津云杉生物制药有限公司投资7亿元的生物药制剂项目已于四月签约落地武清开发区。",
        TABLE,
        "会议要求各部门加快推进项目手续办理。",
    ]))
    result = _process(str(p))
    assert not isinstance(result, InputError), result
    assert result.decoded.format == "docx"
    text = "\n".join(a.text for a in result.articles)
    assert "氢燃料电池双极板项目\t天津氢途动力科技有限公司\t3.2\t开工" in text
    projects = {pr.name: pr for ex in result.extractions for pr in ex.projects}
    assert projects["氢燃料电池双极板项目"].stage == "开工"
    raw = result.decoded.text
    assert label(locate(raw, "docx", "天津云杉生物制药有限公司投资7亿元")) == "第2段"
    assert label(locate(raw, "docx", "氢燃料电池双极板项目｜天津氢途动力科技有限公司")) == "表1第3行"
    assert label(locate(raw, "docx", "加快推进项目手续办理")) == "第3段"


def test_docx_named_but_not_a_zip_is_reported(tmp_path):
    p = tmp_path / "假文档.docx"
    p.write_bytes("这不是一个真正的文档".encode())
    item = next(iter_inputs([str(p)], Settings()))
    assert isinstance(item, InputError) and "DOCX" in item.reason
