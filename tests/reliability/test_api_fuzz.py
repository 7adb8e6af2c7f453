"""Schemathesis against the app's own OpenAPI spec: no generated request may get a 5xx.

Bounded (a few dozen examples per operation) so it runs in CI; writes are fuzzed with the
editor token on a throwaway copy of the sample store, uploads without it (each accepted upload
would run the whole pipeline)."""

from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, settings  # noqa: E402
from tests.web import sample_db  # noqa: E402
from tests.web.conftest import TOKEN  # noqa: E402

from chainatlas.settings import Settings  # noqa: E402
from chainatlas.web import create_app  # noqa: E402


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory):
    path = tmp_path_factory.mktemp("fuzz") / "atlas.db"
    sample_db.build(path)
    app = create_app(Settings(db_path=str(path), editor_token=TOKEN))
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def _no_server_error(case) -> None:
    headers = {} if case.path == "/api/ingest" else {"Authorization": f"Bearer {TOKEN}"}
    response = case.call(headers=headers)
    assert response.status_code < 500, (case.method, case.path, case.query, response.status_code,
                                        response.text[:300])


def test_api_never_answers_a_server_error(api_schema) -> None:
    from hypothesis import given

    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 10
    for op in operations:
        run = settings(max_examples=25, deadline=None, database=None,
                       suppress_health_check=list(HealthCheck))(given(case=op.as_strategy())(_no_server_error))
        run()
