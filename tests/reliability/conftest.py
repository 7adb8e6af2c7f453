"""The web fixtures (sample store, TestClient) shared with tests/web."""

from tests.web.conftest import client, fresh_client, sample  # noqa: F401  (pytest fixtures)
