"""Hostile and broken inputs: each is refused (or read in bounded time) with a per-file error in
Chinese and English, and the other files of the same run are stored."""

from __future__ import annotations

import http.server
import os
import sqlite3
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from tests.reliability.hostile import GOOD_TEXT, long_line, nested_html, xlsx

from chainatlas import limits
from chainatlas.clean.html import flatten_deep, html_to_page
from chainatlas.errors import InputRejected
from chainatlas.ingest import read_file, read_url
from chainatlas.ingest.tables import csv_rows, read_table, xlsx_rows
from chainatlas.model import InputError, RawDocument, make_id
from chainatlas.settings import Settings, load_settings

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _default_limits():
    limits.activate(Settings())
    yield
    limits.activate(Settings())


def _ingest(targets: list[str], db: Path, settings: Settings | None = None):
    from chainatlas.pipeline import ingest_targets
    from chainatlas.store import Store

    store = Store.open(str(db))
    try:
        return ingest_targets(targets, store, settings or Settings(db_path=str(db)), progress=False)
    finally:
        store.close()


def _sources(db: Path) -> set[str]:
    with sqlite3.connect(db) as conn:
        return {r[0] for r in conn.execute("SELECT source FROM documents")}


def _with_timeout(fn, seconds: float):
    """fn() in a daemon thread; (finished, result).  A hang leaves the thread behind, not the run."""
    out: list[object] = []
    t = threading.Thread(target=lambda: out.append(fn()), daemon=True)
    t.start()
    t.join(seconds)
    return (not t.is_alive()), (out[0] if out else None)


# ------------------------------------------------------------------ files that are not files

def test_fifo_named_txt_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "news.txt"
    os.mkfifo(fifo)
    finished, result = _with_timeout(lambda: read_file(str(fifo), Settings()), 10)
    assert finished, "reading a FIFO blocked"
    assert isinstance(result, InputError)
    assert "FIFO" in result.reason and "命名管道" in result.reason


def test_fifo_in_a_folder_does_not_stop_the_run(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    os.mkfifo(folder / "a_pipe.txt")
    (folder / "b_good.txt").write_text(GOOD_TEXT, encoding="utf-8")
    finished, report = _with_timeout(lambda: _ingest([str(folder)], tmp_path / "s.db"), 120)
    assert finished, "ingest hung on a FIFO"
    assert [e.source for e in report.errors] == [str(folder / "a_pipe.txt")]
    assert _sources(tmp_path / "s.db") == {str(folder / "b_good.txt")}


def test_undecodable_file_name_is_ingested_with_an_escaped_source(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    bad = os.path.join(os.fsencode(folder), b"\xff\xfe\xb9\xe3.txt")
    with open(bad, "wb") as fh:
        fh.write(GOOD_TEXT.encode("utf-8"))
    (folder / "good.txt").write_text(GOOD_TEXT.replace("12亿元", "15亿元"), encoding="utf-8")
    report = _ingest([str(folder)], tmp_path / "s.db")
    assert report.errors == []
    sources = _sources(tmp_path / "s.db")
    assert str(folder / "good.txt") in sources
    assert str(folder / "\\xff\\xfe\\xb9\\xe3.txt") in sources


def test_make_id_accepts_lone_surrogates_and_keeps_ids_of_valid_text() -> None:
    assert make_id("a\udcffb") != make_id("a\udcfeb")
    assert make_id("滨江", 3) == __import__("hashlib").sha1("滨江\x1f3".encode()).hexdigest()[:16]


def test_symlink_out_of_the_walked_folder_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "outside" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("机密文件内容，不应被导入。滨江新区某公司计划投资3亿元。", encoding="utf-8")
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "inside.txt").write_text(GOOD_TEXT, encoding="utf-8")
    (folder / "link_out.txt").symlink_to(secret)
    (folder / "link_in.txt").symlink_to(folder / "sub" / "inside.txt")
    report = _ingest([str(folder)], tmp_path / "s.db")
    refused = {e.source: e.reason for e in report.errors}
    assert list(refused) == [str(folder / "link_out.txt")]
    assert "outside" in refused[str(folder / "link_out.txt")] and "之外" in refused[str(folder / "link_out.txt")]
    stored = _sources(tmp_path / "s.db")
    assert str(folder / "link_out.txt") not in stored
    assert str(folder / "sub" / "inside.txt") in stored


# ------------------------------------------------------------------ tables

def test_unterminated_csv_quote_is_reported_with_its_line() -> None:
    text = "企业名称,所在区\n甲方科技有限公司,\"滨海\n" + "".join(f"乙{i}科技有限公司,南开\n" for i in range(1000))
    with pytest.raises(InputRejected) as err:
        csv_rows(text)
    assert "第 2 行" in err.value.reason and "line 2" in err.value.reason
    assert "1,000" in err.value.reason


def test_quoted_cells_over_several_lines_still_read() -> None:
    rows = csv_rows('企业名称,地址\n甲方科技有限公司,"滨海新区\n第二大街"\n乙方科技有限公司,"x"y\n')
    assert rows == [["企业名称", "地址"], ["甲方科技有限公司", "滨海新区 第二大街"], ["乙方科技有限公司", "xy"]]


def test_oversized_csv_cell_has_a_clear_message() -> None:
    limit = Settings().max_cell_chars
    with pytest.raises(InputRejected) as err:
        csv_rows("企业名称,简介\n甲方科技有限公司," + "长" * (limit + 10) + "\n")
    assert "max_cell_chars" in err.value.reason and "过长" in err.value.reason
    assert "field larger than field limit" not in err.value.reason


def test_csv_row_and_cell_counts_are_bounded() -> None:
    limits.activate(Settings(max_table_rows=100))
    text = "企业名称,所在区\n" + "".join(f"企业{i}有限公司,南开\n" for i in range(200))
    with pytest.raises(InputRejected, match="max_table_rows"):
        csv_rows(text)
    limits.activate(Settings(max_table_cells=150))
    with pytest.raises(InputRejected, match="max_table_cells"):
        csv_rows(text)


def test_xlsx_zip_bomb_is_refused_before_parsing() -> None:
    # ~170 KB on disk, ~60 MB unpacked (an XML comment of one repeated byte)
    bomb = xlsx([["企业名称", "所在区"], ["甲方科技有限公司", "南开"]], padding=b"A" * (60 * 1024 * 1024))
    assert len(bomb) < 200_000
    finished, result = _with_timeout(lambda: _catch(lambda: xlsx_rows(bomb)), 30)
    assert finished
    assert isinstance(result, InputRejected)
    assert "max_unpacked_bytes" in result.reason and "解压" in result.reason


def test_xlsx_cell_count_is_checked_before_openpyxl_reads_the_sheet() -> None:
    limits.activate(Settings(max_table_cells=5_000))
    data = xlsx([["企业名称", "所在区"]], repeat_row=["甲方科技有限公司", "南开"], times=10_000)
    with pytest.raises(InputRejected, match="max_table_cells"):
        xlsx_rows(data)


def test_xlsx_declared_dimension_does_not_pad_rows() -> None:
    data = xlsx([["企业名称", "所在区"], ["甲方科技有限公司", "南开"]])
    assert xlsx_rows(data) == [["企业名称", "所在区"], ["甲方科技有限公司", "南开"]]
    arts = read_table(RawDocument(source="list.xlsx", data=data))
    assert [a.meta["table_row"]["company"] for a in arts] == ["甲方科技有限公司"]


def _catch(fn):
    try:
        return fn()
    except InputRejected as exc:
        return exc


# ------------------------------------------------------------------ HTML and long lines

def test_deeply_nested_html_is_flattened_and_keeps_its_text() -> None:
    html = nested_html(100_000)  # 1.1 MB
    flat, dropped = flatten_deep(html, 512)
    # <html> and <body> are open: 510 <div> fit under the limit; every deeper start tag and
    # the end tags that close them go (the <p> and its end tag too)
    assert dropped == 2 * (100_000 - 510 + 1)
    assert flat.count("<div>") == 510
    page = html_to_page(html)
    assert "滨江新区新材料产业园项目开工" in page.text


def test_shallow_html_is_untouched() -> None:
    html = nested_html(200) * 200  # long enough to be scanned, never deeper than 201
    assert flatten_deep(html, 512) == (html, 0)


def test_unclosed_paragraphs_do_not_count_as_depth() -> None:
    html = "<html><body>" + "<p>段落内容" * 20_000 + "</body></html>"
    assert flatten_deep(html, 512)[1] == 0


def test_long_line_is_broken_for_later_stages() -> None:
    from chainatlas.clean import clean_text

    arts = clean_text(long_line(50_000), "long.txt")
    lines = arts[0].text.split("\n")
    assert max(len(x) for x in lines) <= 2000
    assert "".join(lines[1:]) == long_line(50_000).split("\n")[1]  # nothing lost, nothing added


# ------------------------------------------------------------------ URLs

class _Trickle(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", "200")
        self.end_headers()
        try:
            for _ in range(200):
                self.wfile.write(b"a")
                self.wfile.flush()
                threading.Event().wait(0.2)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, *args: object) -> None:
        pass


def test_a_trickling_server_hits_the_download_deadline() -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Trickle)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/slow.txt"
        finished, result = _with_timeout(
            lambda: read_url(url, Settings(http_timeout=5.0, http_deadline=1.5)), 20)
    finally:
        server.shutdown()
    assert finished
    assert isinstance(result, InputError)
    assert "http_deadline" in result.reason and "超时" in result.reason


def test_limits_are_read_from_the_environment() -> None:
    s = load_settings({"CHAINATLAS_HTTP_DEADLINE": "7.5", "CHAINATLAS_MAX_HTML_DEPTH": "64",
                       "CHAINATLAS_MAX_TABLE_ROWS": "10", "CHAINATLAS_MAX_CELL_CHARS": "99"})
    assert (s.http_deadline, s.max_html_depth, s.max_table_rows, s.max_cell_chars) == (7.5, 64, 10, 99)
    with pytest.raises(ValueError, match="CHAINATLAS_MAX_TABLE_ROWS"):
        load_settings({"CHAINATLAS_MAX_TABLE_ROWS": "many"})


# ------------------------------------------------------------------ the whole run, as a user runs it

def test_one_run_over_every_hostile_file_is_bounded_and_stores_the_good_ones(tmp_path: Path) -> None:
    """The CLI over a folder of hostile files: finishes (within the 30 s a file allows), memory
    under 500 MB, one clear error per hostile file, the good files stored."""
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "a_good.txt").write_text(GOOD_TEXT, encoding="utf-8")
    (folder / "b_nested.html").write_text(nested_html(100_000), encoding="utf-8")
    (folder / "c_long.txt").write_text(long_line(1_000_000), encoding="utf-8")
    (folder / "d_bomb.xlsx").write_bytes(
        xlsx([["企业名称", "所在区"]], repeat_row=["甲方科技有限公司", "南开"], times=400_000))
    os.mkfifo(folder / "e_fifo.txt")
    with open(os.path.join(os.fsencode(folder), b"f_\xb9\xe3\xb6\xab.txt"), "wb") as fh:
        fh.write(GOOD_TEXT.replace("12亿元", "18亿元").encode("utf-8"))
    (folder / "g_quote.csv").write_text(
        "企业名称,所在区\n甲方科技有限公司,\"滨海\n" + "乙方科技有限公司,南开\n" * 1000, encoding="utf-8")
    (folder / "h_link.txt").symlink_to("/etc/hostname" if Path("/etc/hostname").exists() else "/etc/passwd")
    db = tmp_path / "run.db"
    code = ("import resource, subprocess, sys\n"
            "p = subprocess.run(sys.argv[1:], capture_output=True, text=True, timeout=240)\n"
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
            "sys.stderr.write(p.stdout + p.stderr)\n"
            "sys.exit(p.returncode)\n")
    exe = Path(sys.executable).parent / "chainatlas"
    proc = subprocess.run([sys.executable, "-c", code, str(exe), "--db", str(db), "ingest", "--no-progress",
                           str(folder)], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "CHAINATLAS_PURE_PYTHON": "1"})
    rss_mb = int(proc.stdout.strip().splitlines()[-1]) / 1024
    assert rss_mb < 500, f"peak memory {rss_mb:.0f} MB"
    with sqlite3.connect(db) as conn:
        stored = {Path(r[0]).name for r in conn.execute("SELECT source FROM documents")}
        rejected = {Path(r[0]).name: r[1] for r in conn.execute("SELECT source, reason FROM rejections")}
    odd_name = b"f_\xb9\xe3\xb6\xab.txt".decode("utf-8", "backslashreplace")  # GBK bytes: not UTF-8
    assert {"a_good.txt", "b_nested.html", "c_long.txt", odd_name} <= stored, proc.stderr
    assert set(rejected) == {"d_bomb.xlsx", "e_fifo.txt", "g_quote.csv", "h_link.txt"}, proc.stderr
    assert "max_table_cells" in rejected["d_bomb.xlsx"]
    assert "FIFO" in rejected["e_fifo.txt"]
    assert "引号" in rejected["g_quote.csv"]
    assert "outside" in rejected["h_link.txt"]
    assert stat.S_ISFIFO(os.stat(folder / "e_fifo.txt").st_mode)


# ------------------------------------------------------------------ DOCX, PDF, polled sources

def test_docx_zip_bomb_is_refused_before_python_docx_reads_it() -> None:
    import io
    import zipfile

    from chainatlas.ingest.docx import docx_lines

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"<w:document><!--" + b"A" * (60 * 1024 * 1024) + b"--></w:document>")
    bomb = buf.getvalue()
    assert len(bomb) < 200_000
    finished, result = _with_timeout(lambda: _catch(lambda: docx_lines(bomb)), 30)
    assert finished and isinstance(result, InputRejected)
    assert "DOCX" in result.reason and "max_unpacked_bytes" in result.reason


def test_pdf_page_count_is_bounded() -> None:
    import io

    import pypdfium2 as pdfium

    from chainatlas.ingest.pdf import pdf_pages

    pdf = pdfium.PdfDocument.new()
    for _ in range(12):
        pdf.new_page(200, 200)
    buf = io.BytesIO()
    pdf.save(buf)
    limits.activate(Settings(max_pdf_pages=10))
    with pytest.raises(InputRejected, match="max_pdf_pages"):
        pdf_pages(buf.getvalue())
    limits.activate(Settings(max_pdf_pages=12))
    assert len(pdf_pages(buf.getvalue())) == 12


class _TrickleWithRobots(_Trickle):
    def do_GET(self) -> None:  # noqa: N802
        if self.path == "/robots.txt":
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        super().do_GET()


def test_polled_sources_have_a_download_deadline_too() -> None:
    from chainatlas.sources.fetch import PoliteFetcher

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _TrickleWithRobots)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/feed.xml"
        with PoliteFetcher(timeout=5.0, min_interval=0.0, deadline=1.5) as fetcher:
            finished, result = _with_timeout(lambda: fetcher.fetch(url), 20)
    finally:
        server.shutdown()
    assert finished
    assert result.error is not None and "超时" in result.error
