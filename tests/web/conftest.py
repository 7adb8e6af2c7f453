"""Fixtures: a small store built by direct INSERTs, a TestClient, and a live uvicorn server."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from chainatlas.settings import Settings
from chainatlas.web import create_app

from . import sample_db

TOKEN = "test-editor-token"


@pytest.fixture(scope="session")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, dict[str, str]]]:
    path = tmp_path_factory.mktemp("webdb") / "atlas.db"
    ids = sample_db.build(path)
    return path, ids


@pytest.fixture()
def client(sample):
    from fastapi.testclient import TestClient

    path, _ = sample
    app = create_app(Settings(db_path=str(path), editor_token=TOKEN))
    with TestClient(app) as c:
        yield c


@pytest.fixture()
def fresh_client(tmp_path):
    """A client on its own copy of the sample store, for tests that write."""
    from fastapi.testclient import TestClient

    path = tmp_path / "atlas.db"
    ids = sample_db.build(path)
    app = create_app(Settings(db_path=str(path), editor_token=TOKEN))
    with TestClient(app) as c:
        c.ids = ids  # type: ignore[attr-defined]
        yield c


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve(app) -> Iterator[int]:  # type: ignore[no-untyped-def]
    """Run ``app`` with uvicorn in a background thread on a free 127.0.0.1 port; yield the port."""
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=_free_port(), log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield server.config.port
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, dict[str, str]]]]:
    """uvicorn in a background thread on a free 127.0.0.1 port, over its own sample store."""
    path = tmp_path_factory.mktemp("livedb") / "atlas.db"
    ids = sample_db.build(path)
    with serve(create_app(Settings(db_path=str(path), editor_token=TOKEN))) as port:
        yield f"http://127.0.0.1:{port}", ids


@pytest.fixture()
def pipeline_client(tmp_path):
    """A factory: write the given documents, ingest them with the real pipeline, return a client.

    For tests whose point is what users see of facts the extractor really derives (regions,
    merged projects), rather than rows inserted by hand.
    """
    from fastapi.testclient import TestClient

    from chainatlas.pipeline import ingest_targets
    from chainatlas.store import Store

    clients = []

    def make(docs: dict[str, str]):
        for name, text in docs.items():
            (tmp_path / name).write_text(text, encoding="utf-8")
        db = tmp_path / "pipeline.db"
        settings = Settings(db_path=str(db), editor_token=TOKEN)
        store = Store.open(str(db))
        try:
            report = ingest_targets([str(tmp_path / n) for n in docs], store, settings, progress=False)
        finally:
            store.close()
        assert not report.errors and report.documents_ok == len(docs)
        client = TestClient(create_app(settings))
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for c in clients:
        c.__exit__(None, None, None)


DEMO = Path(__file__).resolve().parents[2] / "src" / "chainatlas" / "data" / "demo"


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The store `make demo` builds: the bundled demo corpus through the real pipeline."""
    from chainatlas.pipeline import ingest_targets
    from chainatlas.store import Store

    db = tmp_path_factory.mktemp("demo") / "chainatlas.db"
    store = Store.open(str(db))
    try:
        report = ingest_targets([str(DEMO)], store, Settings(db_path=str(db)), progress=False)
    finally:
        store.close()
    assert not report.errors and report.documents_ok >= 30
    return db
