"""Fixtures for service tests: a running Baton app on a temporary data folder."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from baton.service.runtime import ModelSet
from baton.service.settings import Settings
from tests.support.api import signed_in_client


@pytest.fixture
def client(settings: Settings, models: ModelSet) -> Iterator[TestClient]:
    """The real app (SQLite, Qdrant Edge, in-process consumer, real models) on a fresh folder,
    signed in as its admin."""
    with signed_in_client(settings, models) as test_client:
        yield test_client
