"""Fixtures for service tests: a running Baton app on a temporary data folder."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from baton.service.api.app import create_app
from baton.service.runtime import ModelSet
from baton.service.settings import Settings


@pytest.fixture
def client(settings: Settings, models: ModelSet) -> Iterator[TestClient]:
    """The real app (SQLite, Qdrant Edge, in-process consumer, real models) on a fresh folder."""
    with TestClient(create_app(settings, models)) as test_client:
        yield test_client
