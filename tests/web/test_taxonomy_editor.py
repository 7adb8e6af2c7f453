"""The taxonomy view (/taxonomy) and the editor's YAML form (/taxonomy/{chain}/edit, /taxonomy/copy)."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from chainatlas.chains import load_taxonomy
from chainatlas.settings import Settings, load_settings
from chainatlas.web import create_app
from chainatlas.web.services import chain_labels
from chainatlas.web.taxonomy_editor import builtin_dir

from . import sample_db
from .conftest import TOKEN

ENV = "CHAINATLAS_CHAINS_DIR"
NEW_TERM = "测试用仿生关节模组"


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def _login(c) -> None:
    r = c.post("/login", data={"token": TOKEN, "csrf_token": _csrf(c.get("/login").text)})
    assert r.status_code == 200


def _chain_files(folder: Path) -> set[str]:
    return {f.name for f in folder.iterdir() if f.suffix == ".yaml"}


@pytest.fixture()
def user_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "mychains"
    shutil.copytree(builtin_dir(), folder)
    monkeypatch.setenv(ENV, str(folder))  # restored after the test
    return folder


def _client(tmp_path, **settings):
    from fastapi.testclient import TestClient

    db = tmp_path / "atlas.db"
    if not db.exists():
        sample_db.build(db)
    return TestClient(create_app(Settings(db_path=str(db), editor_token=TOKEN, **settings)))


@pytest.fixture()
def editor(tmp_path, user_dir):
    with _client(tmp_path, chains_dir=str(user_dir)) as c:
        _login(c)
        yield c


@pytest.fixture()
def builtin_client(tmp_path, monkeypatch):
    monkeypatch.delenv(ENV, raising=False)
    with _client(tmp_path) as c:
        yield c


def test_settings_read_the_chains_dir_from_the_environment():
    assert load_settings({ENV: "/data/chains"}).chains_dir == "/data/chains"
    assert load_settings({}).chains_dir is None


def test_taxonomy_page_shows_every_chain_to_anonymous_users(builtin_client):
    r = builtin_client.get("/taxonomy")
    assert r.status_code == 200
    tax = load_taxonomy()
    for chain in tax:
        assert f'id="chain-{chain.id}"' in r.text and chain.label in r.text
    robotics = tax.chains["robotics"]
    html = r.text.split('id="chain-robotics"')[1].split("</section>")[0]
    assert "上游" in html and "中游" in html and "下游" in html
    assert robotics.segments["upstream"].label in html and robotics.segments["upstream"].products[0] in html
    assert robotics.aliases[0] in html
    assert 'href="#chain-high_end_equipment"' in html  # its link to another chain
    assert "内置" in r.text and "创建可编辑副本" not in r.text  # anonymous: no edit actions
    assert 'href="/taxonomy"' in r.text and "分类体系" in r.text  # nav link


def test_taxonomy_page_names_the_user_folder(editor, user_dir):
    r = editor.get("/taxonomy")
    assert str(user_dir) in r.text and 'href="/taxonomy/robotics/edit"' in r.text


def test_edit_page_requires_the_editor(tmp_path, user_dir):
    with _client(tmp_path, chains_dir=str(user_dir)) as c:
        r = c.get("/taxonomy/robotics/edit", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login?next=/taxonomy/robotics/edit")
        before = (user_dir / "robotics.yaml").read_bytes()
        r = c.post("/taxonomy/robotics/edit", data={"csrf_token": _csrf(c.get("/login").text), "yaml_text": "id: x"})
        assert r.status_code == 401
        assert (user_dir / "robotics.yaml").read_bytes() == before


def test_valid_edit_is_saved_and_shown(editor, user_dir):
    page = editor.get("/taxonomy/robotics/edit")
    assert page.status_code == 200
    text = (user_dir / "robotics.yaml").read_text(encoding="utf-8")
    assert "keywords: [机器人零部件]" in text and "<textarea" in page.text
    edited = text.replace("keywords: [机器人零部件]", f"keywords: [机器人零部件, {NEW_TERM}]")
    labels_before = chain_labels()
    r = editor.post("/taxonomy/robotics/edit", data={"csrf_token": _csrf(page.text), "yaml_text": edited},
                    follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/taxonomy?saved=robotics")
    assert load_taxonomy(user_dir).chains["robotics"].segments["upstream"].keywords[-1] == NEW_TERM
    assert not [f for f in user_dir.iterdir() if f.name.endswith(".tmp")]  # temp file was moved, not left
    shown = editor.get(r.headers["location"]).text
    assert NEW_TERM in shown and "新导入的文档" in shown and "重新导入" in shown
    assert labels_before == chain_labels()  # same labels, reloaded from the edited folder
    # the built-in files inside the package are untouched
    assert NEW_TERM not in (builtin_dir() / "robotics.yaml").read_text(encoding="utf-8")


def test_label_change_reaches_the_cached_chain_labels(editor, user_dir):
    assert chain_labels()["robotics"] == "机器人"
    text = (user_dir / "robotics.yaml").read_text(encoding="utf-8").replace("label: 机器人\n", "label: 机器人产业链\n")
    r = editor.post("/taxonomy/robotics/edit", data={"csrf_token": _csrf(editor.get("/taxonomy").text),
                                                     "yaml_text": text})
    assert r.status_code == 200
    assert chain_labels()["robotics"] == "机器人产业链"


@pytest.mark.parametrize("mutate, expect", [
    (lambda t: t + "\n  bad: [unclosed\n", "(yaml)"),
    (lambda t: t.replace("  upstream:", "  upperstream:"), "segments.upperstream"),
    (lambda t: t.replace("groups: [", "groups: [no_such_group, "), "groups[0]"),
    (lambda t: t.replace("{chain: high_end_equipment,", "{chain: no_such_chain,"), "links[0]"),
    (lambda t: t.replace("id: robotics", "id: robots"), "id 不能修改"),
    (lambda t: "", "内容为空"),
])
def test_invalid_edit_shows_the_error_and_changes_nothing(editor, user_dir, mutate, expect):
    before = (user_dir / "robotics.yaml").read_bytes()
    files_before = sorted(os.listdir(user_dir))
    text = before.decode("utf-8")
    r = editor.post("/taxonomy/robotics/edit", data={"csrf_token": _csrf(editor.get("/taxonomy").text),
                                                     "yaml_text": mutate(text)})
    assert r.status_code == 422
    error = re.search(r'id="edit-error">([^<]*)<', r.text).group(1)
    assert "未保存" in error and expect in error
    assert (user_dir / "robotics.yaml").read_bytes() == before
    assert sorted(os.listdir(user_dir)) == files_before
    assert "<textarea" in r.text  # the form is shown again with the user's text


def test_edit_without_csrf_is_rejected(editor, user_dir):
    before = (user_dir / "robotics.yaml").read_bytes()
    text = before.decode("utf-8").replace("keywords: [机器人零部件]", f"keywords: [{NEW_TERM}]")
    for data in ({"yaml_text": text}, {"yaml_text": text, "csrf_token": "forged"}):
        assert editor.post("/taxonomy/robotics/edit", data=data).status_code == 403
    assert (user_dir / "robotics.yaml").read_bytes() == before


def test_unknown_chain_is_404_and_no_path_from_the_url(editor, user_dir):
    csrf = _csrf(editor.get("/taxonomy").text)
    assert editor.get("/taxonomy/no_such_chain/edit").status_code == 404
    assert editor.get("/taxonomy/..%2F_groups/edit").status_code == 404
    r = editor.post("/taxonomy/_groups/edit", data={"csrf_token": csrf, "yaml_text": "x: {label: y}\n"})
    assert r.status_code == 404


def test_oversized_edit_is_refused(editor, user_dir):
    before = (user_dir / "robotics.yaml").read_bytes()
    r = editor.post("/taxonomy/robotics/edit", data={"csrf_token": _csrf(editor.get("/taxonomy").text),
                                                     "yaml_text": "# " + "x" * 300_000})
    assert r.status_code == 413
    assert (user_dir / "robotics.yaml").read_bytes() == before


def test_copy_action_creates_an_editable_folder(tmp_path, monkeypatch):
    monkeypatch.delenv(ENV, raising=False)
    with _client(tmp_path) as c:
        _login(c)
        page = c.get("/taxonomy/robotics/edit")
        assert page.status_code == 200 and "创建可编辑副本" in page.text and "<textarea" not in page.text
        assert c.post("/taxonomy/copy", data={}).status_code == 403  # CSRF
        assert not (tmp_path / "chains").exists()
        r = c.post("/taxonomy/copy", data={"csrf_token": _csrf(page.text)})
        target = tmp_path / "chains"
        assert r.status_code == 200 and str(target) in r.text and f"{ENV}={target}" in r.text
        assert _chain_files(target) == _chain_files(builtin_dir())
        assert os.environ[ENV] == str(target)  # uploads processed by this server use the copy
        assert c.app.state.web.settings.chains_dir == str(target)
        assert len(load_taxonomy(target)) == len(load_taxonomy(builtin_dir()))
        page = c.get("/taxonomy/robotics/edit")
        assert "<textarea" in page.text and "id: robotics" in page.text


def test_copy_action_requires_the_editor(builtin_client, tmp_path):
    r = builtin_client.post("/taxonomy/copy", data={"csrf_token": _csrf(builtin_client.get("/login").text)})
    assert r.status_code == 401
    assert not (tmp_path / "chains").exists()


@pytest.mark.browser
def test_taxonomy_page_in_a_real_browser(live_server):
    """Reached from the nav in headless Chromium, rendered without script errors (CSP intact)."""
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("/usr/bin/chromium not installed")
    from playwright.sync_api import sync_playwright

    base, _ = live_server
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                              args=["--no-sandbox", "--disable-gpu", "--no-first-run"])
        try:
            page = b.new_page(base_url=base)
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto("/")
            page.click("nav >> text=分类体系")
            assert page.locator("h1").first.inner_text().strip() == "产业链分类体系"
            assert page.locator("section.chain").count() == len(load_taxonomy(builtin_dir()))
            assert page.locator("#chain-robotics h3").first.inner_text().startswith("上游")
            assert errors == []
        finally:
            b.close()
