"""Choosing the index engine from configuration."""

from __future__ import annotations

from pathlib import Path

import pytest

from baton.service.index.edge import EdgeIndex
from baton.service.index.factory import open_index
from baton.service.index.server import ServerIndex


def test_no_qdrant_url_means_the_embedded_edge_index(tmp_path: Path) -> None:
    assert isinstance(open_index(None, None, tmp_path / "edge"), EdgeIndex)


def test_memory_url_means_the_server_adapter(tmp_path: Path) -> None:
    index = open_index(":memory:", None, tmp_path / "edge")

    assert isinstance(index, ServerIndex)
    index.close()


def test_a_url_without_scheme_is_refused_with_what_to_write(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="http"):
        open_index("localhost:6333", None, tmp_path / "edge")
