"""Reading inputs: files, directories (recursive) and http(s) URLs → RawDocument.

Every bad input becomes an ``InputError`` with a reason a person can act on, and the
iteration goes on: one unreadable file must never cost a user the rest of a batch.
Decoding is separate (``chainatlas.ingest.detect.decode``) so callers can report
"read" and "decode" failures as different stages.
"""

from __future__ import annotations

import fnmatch
import os
import stat
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from chainatlas.errors import InputRejected
from chainatlas.ingest.detect import _looks_utf16, extension_of
from chainatlas.model import InputError, RawDocument
from chainatlas.settings import Settings

__all__ = ["IGNORE_FILE", "SUPPORTED_EXTENSIONS", "InputRejected", "SkippedInput", "iter_inputs", "read_file",
           "read_url"]

SUPPORTED_EXTENSIONS = frozenset(
    {".txt", ".htm", ".html", ".shtml", ".xhtml", ".md", ".markdown", ".xml", ".rss", ".atom", ".csv", ".tsv", ".xlsx",
     ".pdf", ".docx"}
)
_MEDIA_BY_EXT = {
    ".htm": "text/html",
    ".html": "text/html",
    ".shtml": "text/html",
    ".xhtml": "application/xhtml+xml",
    ".txt": "text/plain",
    ".md": "text/markdown",
    ".markdown": "text/markdown",
    ".xml": "application/xml",
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".csv": "text/csv",
    ".tsv": "text/csv",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
# documents read by their own decoders (ingest.pdf, ingest.docx): magic bytes they must start with
_DOCUMENT_MAGIC = {".pdf": (b"%PDF", "not a PDF file (no %PDF signature)"),
                   ".docx": (b"PK\x03\x04", "not a DOCX document (no ZIP signature)"),
                   ".xlsx": (b"PK\x03\x04", "not an XLSX workbook (no ZIP signature)")}
_EXT_BY_MEDIA = {v: k for k, v in _MEDIA_BY_EXT.items() if k in _DOCUMENT_MAGIC}
_BINARY_MAGIC = (
    (b"%PDF", "a PDF file"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xd0\xcf\x11\xe0", "an old Office (OLE) file"),
    (b"\x7fELF", "an executable"),
)


# Inside a directory these are the project's own paperwork, not news: never ingested
# unless named explicitly (compared case-insensitively, any extension: README.md, LICENSE).
DOC_FILE_PREFIXES = ("readme", "license", "licence", "changelog", "copying", "contributing")
IGNORE_FILE = ".chainatlasignore"


@dataclass(frozen=True, slots=True)
class SkippedInput:
    """An entry of a walked directory that was deliberately not read (not an error)."""

    path: str
    reason: str


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _is_url(target: str) -> bool:
    return target.lower().startswith(("http://", "https://"))


def binary_reason(data: bytes, ext: str) -> str | None:
    """Why ``data`` is not a text document (None when it looks like text)."""
    if ext in _DOCUMENT_MAGIC:
        magic, why = _DOCUMENT_MAGIC[ext]
        return None if data.startswith(magic) else why
    for magic, what in _BINARY_MAGIC:
        if data.startswith(magic):
            return f"binary file ({what}), not text"
    head = data[:8192]
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")) and not _looks_utf16(head):
        return "binary file (NUL bytes), not text"
    return None


def display_path(path: str) -> str:
    """``path`` as text that can be stored and shown: bytes of a file name that are not valid
    UTF-8 (kept by Python as lone surrogates, which SQLite and hashing refuse) become ``\\xNN``
    escapes, so distinct names stay distinct."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return path


def _not_regular(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "is a directory"
    what = ("a named pipe (FIFO)", "命名管道") if stat.S_ISFIFO(mode) else (
        ("a socket", "套接字") if stat.S_ISSOCK(mode) else (
            ("a device", "设备文件") if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else ("not a file", "非普通文件")))
    return f"不是普通文件（{what[1]}），已拒绝；not a regular file ({what[0]}): refused"


def read_file(path: str, settings: Settings, *, explicit: bool = True) -> RawDocument | InputError | None:
    """Read one file.  Returns None for files silently skipped inside a directory.

    Only regular files are read (a FIFO or a device named ``*.txt`` would block or never end):
    the file is opened without blocking and checked on the open descriptor, so it cannot be
    swapped in between."""
    p = Path(path)
    shown = display_path(path)
    ext = p.suffix.lower()
    if ext not in SUPPORTED_EXTENSIONS:
        if not explicit:
            return None
        supported = " ".join(sorted(SUPPORTED_EXTENSIONS))
        return InputError(shown, "read", f"unsupported file type '{ext or '(none)'}' (supported: {supported})")
    path, given = shown, path
    try:
        if p.is_symlink() and not p.exists():
            return InputError(path, "read", f"broken symbolic link (points to {display_path(os.readlink(p))})")
        fd = os.open(given, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        with os.fdopen(fd, "rb") as fh:
            st = os.fstat(fh.fileno())
            refused = _not_regular(st.st_mode)
            if refused:
                return InputError(path, "read", refused)
            size = st.st_size
            if size > settings.max_bytes:
                return InputError(path, "read", f"file too large: {size} bytes > limit {settings.max_bytes} bytes")
            os.set_blocking(fh.fileno(), True)
            data = fh.read(settings.max_bytes + 1)
    except FileNotFoundError:
        return InputError(path, "read", "no such file or directory")
    except PermissionError:
        return InputError(path, "read", "permission denied (file is not readable)")
    except IsADirectoryError:
        return InputError(path, "read", "is a directory")
    except OSError as exc:
        return InputError(path, "read", f"cannot read file: {exc.strerror or exc}")
    if len(data) > settings.max_bytes:
        return InputError(path, "read", f"file too large: more than {settings.max_bytes} bytes")
    if not data.strip():
        return InputError(path, "read", "empty file" if not data else "file holds only whitespace")
    reason = binary_reason(data, ext)
    if reason:
        return InputError(path, "read", reason)
    return RawDocument(source=path, data=data, media_type=_MEDIA_BY_EXT.get(ext), fetched_at=_now())


def _doc_file(name: str) -> bool:
    stem = name.lower().split(".", 1)[0]
    return any(stem == p or stem.startswith((p + "-", p + "_")) for p in DOC_FILE_PREFIXES)


def _read_ignore(directory: Path) -> list[tuple[Path, str, bool]]:
    """(base dir, glob, directories only) per line of ``directory/.chainatlasignore``.

    gitignore-like: blank lines and ``#`` comments are ignored; a pattern with a ``/`` is
    matched against the path relative to the ignore file's directory, one without it
    against the entry's name at any depth; a trailing ``/`` matches directories only.
    """
    try:
        text = (directory / IGNORE_FILE).read_text(encoding="utf-8-sig", errors="replace")
    except OSError:
        return []
    rules = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        dir_only = line.endswith("/")
        line = line.strip("/")
        if line:
            rules.append((directory, line, dir_only))
    return rules


def _ignored(path: Path, is_dir: bool, rules: list[tuple[Path, str, bool]]) -> bool:
    for base, pattern, dir_only in rules:
        if dir_only and not is_dir:
            continue
        if "/" in pattern:
            try:
                rel = path.relative_to(base).as_posix()
            except ValueError:
                continue
            if fnmatch.fnmatchcase(rel, pattern):
                return True
        elif fnmatch.fnmatchcase(path.name, pattern):
            return True
    return False


def _iter_dir(root: Path, settings: Settings,
              skipped: list[SkippedInput] | None = None) -> Iterator[RawDocument | InputError]:
    """Recursive, sorted (deterministic order), symlink loops avoided.

    Skipped (and listed in ``skipped``): hidden entries, documentation files (README*,
    LICENSE*, CHANGELOG* …), unsupported file types and whatever ``.chainatlasignore``
    names.  Explicitly named files are never skipped: that is ``read_file(explicit=True)``.
    """
    def skip(path: Path, reason: str) -> None:
        if skipped is not None:
            skipped.append(SkippedInput(str(path), reason))

    rules_at: dict[str, list[tuple[Path, str, bool]]] = {}
    real_root = root.resolve()
    for dirpath, dirnames, filenames in os.walk(root, onerror=None, followlinks=False):
        here = Path(dirpath)
        rules = rules_at.pop(str(here), []) + _read_ignore(here)
        kept = []
        for d in sorted(dirnames):
            full = here / d
            if d.startswith("."):
                skip(full, "hidden directory")
            elif _ignored(full, True, rules):
                skip(full, f"listed in {IGNORE_FILE}")
            else:
                kept.append(d)
                rules_at[str(full)] = rules
        dirnames[:] = kept
        for name in sorted(filenames):
            full = here / name
            if name == IGNORE_FILE:
                continue
            if name.startswith("."):
                skip(full, "hidden file")
                continue
            if _ignored(full, False, rules):
                skip(full, f"listed in {IGNORE_FILE}")
                continue
            if full.is_symlink():
                if not full.exists():
                    if full.suffix.lower() in SUPPORTED_EXTENSIONS or not full.suffix:
                        yield InputError(display_path(str(full)), "read",
                                         f"broken symbolic link (points to {display_path(os.readlink(full))})")
                    continue
                if not _inside(full.resolve(), real_root):
                    yield InputError(display_path(str(full)), "read",
                                     "符号链接指向所导入目录之外，已拒绝；symbolic link points outside the "
                                     f"folder being read ({display_path(str(full.resolve()))}): refused")
                    continue
            if _doc_file(name):
                skip(full, "documentation file (README/LICENSE/CHANGELOG), not news")
                continue
            if full.suffix.lower() not in SUPPORTED_EXTENSIONS:
                skip(full, f"unsupported file type '{full.suffix.lower() or '(none)'}'")
                continue
            item = read_file(str(full), settings, explicit=False)
            if item is not None:
                yield item


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def read_url(url: str, settings: Settings) -> RawDocument | InputError:
    """GET a URL with a timeout, redirects followed and the body capped at max_bytes.

    ``http_timeout`` bounds each connect and each read; ``http_deadline`` bounds the whole
    download (a server sending one byte every few seconds never trips a read timeout)."""
    import httpx

    deadline = time.monotonic() + settings.http_deadline
    try:
        with (
            httpx.Client(follow_redirects=True, timeout=settings.http_timeout, headers={"User-Agent": "chainatlas/0.1"}) as client,
            client.stream("GET", url) as resp,
        ):
            if resp.status_code >= 400:
                return InputError(url, "read", f"HTTP error {resp.status_code} {resp.reason_phrase}".strip())
            declared = resp.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > settings.max_bytes:
                return InputError(url, "read", f"response too large: {declared} bytes > limit {settings.max_bytes} bytes")
            chunks: list[bytes] = []
            total = 0
            for chunk in resp.iter_bytes():
                if time.monotonic() > deadline:
                    return InputError(url, "read", f"下载超时：{settings.http_deadline:g} 秒内未收完（设置 http_deadline）；"
                                      f"download not finished within {settings.http_deadline:g} s "
                                      "(setting http_deadline)")
                total += len(chunk)
                if total > settings.max_bytes:
                    return InputError(url, "read", f"response too large: more than {settings.max_bytes} bytes")
                chunks.append(chunk)
            media = resp.headers.get("content-type")
            final = str(resp.url)
    except httpx.TimeoutException:
        return InputError(url, "read", f"timed out after {settings.http_timeout:g} s")
    except httpx.ConnectError as exc:
        return InputError(url, "read", f"cannot connect: {exc}")
    except httpx.HTTPError as exc:
        return InputError(url, "read", f"HTTP failure: {exc}")
    data = b"".join(chunks)
    if not data.strip():
        return InputError(url, "read", "empty response body")
    media_type = media.split(";")[0].strip().lower() if media else None
    ext = extension_of(final)
    if ext not in _DOCUMENT_MAGIC:
        ext = _EXT_BY_MEDIA.get(media_type or "", "")
    reason = binary_reason(data, ext)
    if reason and not (media_type or "").startswith("text/"):
        return InputError(url, "read", reason)
    return RawDocument(source=url, data=data, media_type=media, fetched_at=_now())


def iter_inputs(targets: list[str], settings: Settings,
                skipped: list[SkippedInput] | None = None) -> Iterator[RawDocument | InputError]:
    """Yield a RawDocument or an InputError for every file/URL the targets name, in order.

    Entries of a directory that are deliberately not read are appended to ``skipped``.
    """
    for target in targets:
        if _is_url(target):
            yield read_url(target, settings)
            continue
        p = Path(target)
        if p.is_dir():
            try:
                yield from _iter_dir(p, settings, skipped)
            except PermissionError:
                yield InputError(display_path(target), "read", "permission denied (directory is not readable)")
            continue
        if not p.exists() and not p.is_symlink():
            yield InputError(display_path(target), "read", "no such file or directory")
            continue
        item = read_file(target, settings, explicit=True)
        if item is not None:
            yield item
