"""Fixtures for the passage index: every contract test runs on both engines."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from qdrant_client import QdrantClient

from baton.models.sparse import SparseEmbedder
from baton.service.index.base import PassageIndex
from baton.service.index.edge import EdgeIndex
from baton.service.index.server import ServerIndex
from tests.service.index.builders import DIM


@pytest.fixture(scope="session")
def sparse_embedder() -> SparseEmbedder:
    """One BM25 model for the whole run (it is stateless once built)."""
    return SparseEmbedder()


@pytest.fixture(params=["edge", "server"])
def index(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[PassageIndex]:
    """A ready, empty index of 8-dim points: Qdrant Edge in tmp_path, or an in-memory server."""
    engine: PassageIndex
    if request.param == "edge":
        engine = EdgeIndex(tmp_path / "edge")
    else:
        engine = ServerIndex(QdrantClient(":memory:"))
    engine.ensure_ready(DIM)
    yield engine
    engine.close()
