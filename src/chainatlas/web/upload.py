"""Editor uploads: size cap, extension + content check, then the pipeline on a temp copy.

The file is written under a fresh temporary directory with a sanitised name (never a path
from the user) and removed afterwards; the store keeps the decoded text, so nothing needs
the temp file later.  The document's source in the store is that sanitised original file
name, never the temp path: uploading a file of the same name again replaces the earlier
version's facts, as re-ingesting a changed file does on the command line.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from chainatlas.ingest import SUPPORTED_EXTENSIONS
from chainatlas.settings import Settings
from chainatlas.web.services import optional_attr

ZIP_EXTS = {".xlsx", ".docx"}
ALLOWED_EXTS = set(SUPPORTED_EXTENSIONS)  # exactly what the pipeline reads
TEXT_EXTS = ALLOWED_EXTS - ZIP_EXTS


class UploadRejected(ValueError):
    """The upload is refused; the message is shown to the editor."""


@dataclass
class SavedUpload:
    path: Path
    size: int

    @property
    def name(self) -> str:
        """The sanitised original file name: the document's source in the store."""
        return self.path.name


def safe_name(filename: str | None) -> str:
    """Basename with path separators and control characters stripped (keeps Chinese)."""
    name = Path((filename or "").replace("\\", "/")).name
    name = re.sub(r"[\x00-\x1f/:*?\"<>|]", "_", name).strip(". ") or "upload.txt"
    return name[:120]


def check_content(ext: str, head: bytes) -> None:
    """Refuse binaries posing as text and non-zip files posing as .xlsx."""
    if ext in ZIP_EXTS:
        if not head.startswith(b"PK\x03\x04"):
            raise UploadRejected(f"文件内容不是 {ext[1:].upper()}（缺少 ZIP 文件头）")
        return
    if ext == ".pdf":
        if not head.startswith(b"%PDF"):
            raise UploadRejected("文件内容不是 PDF（缺少 %PDF 文件头）")
        return
    if b"\x00" in head[:8192] and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UploadRejected("文件内容不是文本（含二进制字节）")
    if head.startswith((b"%PDF", b"PK\x03\x04", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"MZ")):
        raise UploadRejected("文件内容不是文本")


def save_upload(stream: BinaryIO, filename: str | None, max_bytes: int) -> SavedUpload:
    """Copy the upload to a temp dir in chunks, refusing it as soon as it exceeds max_bytes."""
    name = safe_name(filename)
    ext = Path(name).suffix.lower()
    if ext not in ALLOWED_EXTS:
        raise UploadRejected(f"不支持的文件类型 {ext or '(无扩展名)'}；允许：{'、'.join(sorted(ALLOWED_EXTS))}")
    tmpdir = Path(tempfile.mkdtemp(prefix="chainatlas-upload-"))
    path = tmpdir / name
    size = 0
    head = b""
    try:
        with path.open("wb") as out:
            while chunk := stream.read(64 * 1024):
                size += len(chunk)
                if size > max_bytes:
                    raise UploadRejected(f"文件超过大小上限 {max_bytes} 字节")
                if len(head) < 8192:
                    head += chunk[: 8192 - len(head)]
                out.write(chunk)
        if size == 0:
            raise UploadRejected("文件为空")
        check_content(ext, head)
    except BaseException:
        shutil.rmtree(tmpdir, ignore_errors=True)
        raise
    return SavedUpload(path=path, size=size)


def run_pipeline(saved: SavedUpload, settings: Settings) -> dict[str, Any]:
    """Ingest the saved file into the store; returns the pipeline's report as plain data."""
    from chainatlas.model import to_plain

    ingest_targets = optional_attr("chainatlas.pipeline", "ingest_targets")
    store_cls = optional_attr("chainatlas.store", "Store")
    if ingest_targets is None or store_cls is None:
        raise UploadRejected("导入流水线尚不可用（chainatlas.pipeline 未安装）")
    try:
        store = store_cls.open(settings.db_path, lock_timeout=settings.lock_timeout)
        try:
            report = ingest_targets([str(saved.path)], store, settings, progress=False,
                                    sources={str(saved.path): saved.name}, lease_timeout=settings.lock_timeout)
        finally:
            close = getattr(store, "close", None)
            if close:
                close()
    finally:
        shutil.rmtree(saved.path.parent, ignore_errors=True)
    plain = to_plain(report)
    return plain if isinstance(plain, dict) else {"report": plain}
