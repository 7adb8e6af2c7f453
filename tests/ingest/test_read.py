from __future__ import annotations

import os
import socket

import pytest

from chainatlas.ingest import iter_inputs
from chainatlas.ingest.detect import decode
from chainatlas.model import InputError, RawDocument
from chainatlas.settings import Settings

SETTINGS = Settings(max_bytes=4096, http_timeout=3.0)


def _one(target: str, settings: Settings = SETTINGS):
    items = list(iter_inputs([target], settings))
    assert len(items) == 1
    return items[0]


def test_reads_text_file(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("西湖区集成电路项目签约。", encoding="utf-8")
    raw = _one(str(p))
    assert isinstance(raw, RawDocument)
    assert raw.data.decode("utf-8") == "西湖区集成电路项目签约。"
    assert raw.media_type == "text/plain"


def test_empty_file(tmp_path):
    p = tmp_path / "empty.txt"
    p.write_bytes(b"")
    err = _one(str(p))
    assert isinstance(err, InputError) and err.stage == "read"
    assert "empty" in err.reason


def test_binary_file(tmp_path):
    p = tmp_path / "blob.txt"
    p.write_bytes(b"\x00\x01\x02binary\x00\xff" * 10)
    err = _one(str(p))
    assert isinstance(err, InputError)
    assert "binary" in err.reason


def test_pdf_disguised_as_html(tmp_path):
    p = tmp_path / "x.html"
    p.write_bytes(b"%PDF-1.7\n...")
    err = _one(str(p))
    assert isinstance(err, InputError) and "PDF" in err.reason


def test_file_over_size_cap(tmp_path):
    p = tmp_path / "big.txt"
    p.write_bytes(("产业" * 2000).encode("utf-8"))
    err = _one(str(p))
    assert isinstance(err, InputError)
    assert "too large" in err.reason and "4096" in err.reason


def test_missing_file(tmp_path):
    err = _one(str(tmp_path / "nope.txt"))
    assert isinstance(err, InputError) and "no such file" in err.reason


def test_unsupported_extension_only_when_explicit(tmp_path):
    p = tmp_path / "report.pdfx"
    p.write_text("x", encoding="utf-8")
    err = _one(str(p))
    assert isinstance(err, InputError) and "unsupported" in err.reason
    (tmp_path / "ok.md").write_text("# 标题\n正文。", encoding="utf-8")
    items = list(iter_inputs([str(tmp_path)], SETTINGS))
    assert [os.path.basename(i.source) for i in items] == ["ok.md"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_unreadable_file(tmp_path):
    p = tmp_path / "secret.txt"
    p.write_text("内容", encoding="utf-8")
    p.chmod(0)
    err = _one(str(p))
    assert isinstance(err, InputError) and "permission" in err.reason


def test_directory_recursive_with_broken_symlink(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.html").write_text("<p>高新区</p>", encoding="utf-8")
    (tmp_path / "a.txt").write_text("经开区", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "skip.png").write_bytes(b"\x89PNG....")
    os.symlink(tmp_path / "gone.txt", tmp_path / "dangling.txt")
    items = list(iter_inputs([str(tmp_path)], SETTINGS))
    by_name = {os.path.basename(i.source): i for i in items}
    assert set(by_name) == {"a.txt", "b.html", "empty.txt", "dangling.txt"}
    assert isinstance(by_name["a.txt"], RawDocument)
    assert isinstance(by_name["b.html"], RawDocument)
    assert isinstance(by_name["dangling.txt"], InputError)
    assert "broken symbolic link" in by_name["dangling.txt"].reason
    assert isinstance(by_name["empty.txt"], InputError)


def test_iteration_continues_after_errors(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("东丽区", encoding="utf-8")
    items = list(iter_inputs([str(tmp_path / "missing.txt"), str(good)], SETTINGS))
    assert isinstance(items[0], InputError)
    assert isinstance(items[1], RawDocument)


def _free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def test_unreachable_url():
    err = _one(f"http://127.0.0.1:{_free_port()}/x.html")
    assert isinstance(err, InputError) and err.stage == "read"
    assert "connect" in err.reason


def test_good_url(http_base):
    raw = _one(f"{http_base}/page.html")
    assert isinstance(raw, RawDocument)
    assert raw.media_type.startswith("text/html")
    doc = decode(raw)
    assert doc.format == "html"
    assert "滨江区新材料产业园项目今日开工" in doc.text


def test_redirect_followed(http_base):
    raw = _one(f"{http_base}/redirect")
    assert isinstance(raw, RawDocument)
    assert "滨江区".encode() in raw.data


def test_gbk_url_uses_header_charset(http_base):
    raw = _one(f"{http_base}/gbk.html")
    doc = decode(raw)
    assert "滨江区新材料产业园项目今日开工" in doc.text


def test_url_404(http_base):
    err = _one(f"{http_base}/missing")
    assert isinstance(err, InputError) and "404" in err.reason


def test_url_over_size_cap(http_base):
    err = _one(f"{http_base}/big")
    assert isinstance(err, InputError) and "too large" in err.reason
