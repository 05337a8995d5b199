"""Pick the passage index engine from configuration: Edge in-process, or a Qdrant server."""

from __future__ import annotations

import logging
from pathlib import Path

from baton.service.index.base import PassageIndex
from baton.service.index.edge import EdgeIndex
from baton.service.index.server import ServerIndex

logger = logging.getLogger(__name__)


def open_index(qdrant_url: str | None, qdrant_api_key: str | None, edge_path: Path) -> PassageIndex:
    """Edge in `edge_path` when no URL is set; else a server at the URL (":memory:" for tests).

    The caller still calls `ensure_ready(dim)` once it knows the embedding size.
    """
    if qdrant_url is None or not qdrant_url.strip():
        logger.info("Passage index: Qdrant Edge in %s", edge_path)
        return EdgeIndex(edge_path)
    url = qdrant_url.strip()
    if url != ":memory:" and not url.startswith(("http://", "https://")):
        raise ValueError(
            f"BATON_QDRANT_URL must be http(s)://host:port or ':memory:', not {qdrant_url!r}; "
            "leave it unset to use the embedded Qdrant Edge index."
        )
    logger.info("Passage index: Qdrant server at %s", url)
    return ServerIndex.from_url(url, qdrant_api_key)
