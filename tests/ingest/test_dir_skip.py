"""Walking a directory: paperwork, hidden entries, other file types and .chainatlasignore are skipped."""

from __future__ import annotations

import os
from pathlib import Path

from chainatlas.ingest import IGNORE_FILE, SkippedInput, iter_inputs
from chainatlas.model import RawDocument
from chainatlas.settings import Settings

SETTINGS = Settings(max_bytes=4096)
NEWS = "东丽区新材料产业园今日举行项目签约仪式，三家企业集中入驻。"


def _walk(root: Path) -> tuple[list[str], dict[str, str]]:
    skipped: list[SkippedInput] = []
    items = list(iter_inputs([str(root)], SETTINGS, skipped))
    read = sorted(os.path.relpath(i.source, root) for i in items)
    return read, {os.path.relpath(s.path, root): s.reason for s in skipped}


def test_readme_license_changelog_hidden_and_other_types_are_skipped(tmp_path):
    for name in ("news.txt", "README.md", "readme_cn.txt", "LICENSE", "License.txt", "CHANGELOG.md",
                 "notes.pptx", ".draft.txt"):
        (tmp_path / name).write_text(NEWS, encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD.txt").write_text(NEWS, encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "README.txt").write_text(NEWS, encoding="utf-8")
    (tmp_path / "sub" / "list.csv").write_text("企业名称,所在区\n甲公司,西青区\n", encoding="utf-8")

    read, skipped = _walk(tmp_path)

    assert read == ["news.txt", os.path.join("sub", "list.csv")]
    assert set(skipped) == {"README.md", "readme_cn.txt", "LICENSE", "License.txt", "CHANGELOG.md", "notes.pptx",
                            ".draft.txt", ".git", os.path.join("sub", "README.txt")}
    assert "documentation" in skipped["README.md"]
    assert "unsupported" in skipped["notes.pptx"] and ".pptx" in skipped["notes.pptx"]
    assert "hidden" in skipped[".git"]


def test_a_readme_named_explicitly_is_still_read(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(NEWS, encoding="utf-8")
    skipped: list[SkippedInput] = []
    items = list(iter_inputs([str(readme)], SETTINGS, skipped))
    assert len(items) == 1 and isinstance(items[0], RawDocument) and not skipped


def test_demo_folder_readme_is_not_ingested():
    demo = Path(__file__).resolve().parents[2] / "src" / "chainatlas" / "data" / "demo"
    skipped: list[SkippedInput] = []
    sources = [i.source for i in iter_inputs([str(demo)], Settings(), skipped)]
    assert sources and not any(os.path.basename(s) == "README.md" for s in sources)
    assert any(os.path.basename(s.path) == "README.md" for s in skipped)


def test_chainatlasignore_globs(tmp_path):
    (tmp_path / IGNORE_FILE).write_text(
        "# drafts and scratch\n\n*_draft.txt\ndrafts/\narchive/2019/*.html\n", encoding="utf-8")
    for rel in ("a.txt", "b_draft.txt", "drafts/c.txt", "archive/2019/old.html", "archive/2020/new.html",
                "deep/x_draft.txt"):
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(NEWS, encoding="utf-8")
    # an ignore file deeper down adds rules for its own folder
    (tmp_path / "deep" / IGNORE_FILE).write_text("keep?.txt\n", encoding="utf-8")
    (tmp_path / "deep" / "keep1.txt").write_text(NEWS, encoding="utf-8")
    (tmp_path / "keep1.txt").write_text(NEWS, encoding="utf-8")

    read, skipped = _walk(tmp_path)

    assert read == ["a.txt", os.path.join("archive", "2020", "new.html"), "keep1.txt"]
    assert set(skipped) == {"b_draft.txt", "drafts", os.path.join("archive", "2019", "old.html"),
                            os.path.join("deep", "x_draft.txt"), os.path.join("deep", "keep1.txt")}
    assert all(IGNORE_FILE in reason for reason in skipped.values())
