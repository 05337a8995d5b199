"""How an Edge shard stores its dense vectors, and rewriting an older shard to that.

Edge in 0.9.0 builds no HNSW graph in a running server (``edge.py`` says why), so every
search by meaning reads every dense vector. At 100,000 points that is 150 MB of float32 a
query and about 14 ms on 2 cores; stored as ``turbo8`` (TurboQuant: a random rotation, then
8 bits a dimension) it is a quarter of that and 3.5 ms, and a stored vector read back is
0.99997 cosine-close to the one written (measured in BENCHMARKS.md, with retrieval on every
evaluation set). The storage type is fixed when a shard is created, so a shard made by an
earlier Baton is rewritten once, when it is opened: every point, vectors and payload, copied
into a new folder beside it, which then takes the old one's place.

The swap is two renames, and a process killed at any step leaves a state the next open
repairs: a half-written copy is thrown away (the old shard is still in place), and an old
shard moved aside before its copy was put in place is moved back.
"""

from __future__ import annotations

import json
import logging
import shutil
import time
from pathlib import Path
from typing import Any

import qdrant_edge as qe

logger = logging.getLogger(__name__)

DENSE_DATATYPE = qe.VectorStorageDatatype.Turbo8
# Edge writes the shard's configuration here; a folder holding it holds a shard.
CONFIG_FILE = "edge_config.json"
_DATATYPE_NAMES = {
    qe.VectorStorageDatatype.Turbo8: "turbo8",
    qe.VectorStorageDatatype.Float32: "float32",
}
_COPY_BATCH = 2000


def stored_vector(path: Path, vector: str) -> tuple[int, str]:
    """The size of ``vector`` in the shard in ``path`` and how it is stored, by Edge's own name
    (``float32`` where the configuration names none, as in a shard created without a choice)."""
    params = json.loads((path / CONFIG_FILE).read_text())["vectors"][vector]
    return int(params["size"]), str(params.get("datatype", "float32"))


def wanted_datatype() -> str:
    """The name Edge writes for ``DENSE_DATATYPE``."""
    return _DATATYPE_NAMES[DENSE_DATATYPE]


def recover_interrupted_rewrite(path: Path) -> None:
    """Put the folder back in order after a process died while rewriting its shard."""
    copy, aside = _copy_folder(path), _aside_folder(path)
    if aside.exists() and not path.exists():
        aside.rename(path)
        logger.warning("Moved the passage index back to %s: its rewrite was cut off", path)
    if copy.exists():
        shutil.rmtree(copy)
        logger.warning("Removed a half-written copy of the passage index in %s", copy)
    if aside.exists():
        shutil.rmtree(aside)


def rewrite(path: Path, config: qe.EdgeConfig) -> None:
    """Copy every point of the shard in ``path`` into a new shard made with ``config``, and
    put it in ``path``'s place. The caller holds the folder lock and has no shard open."""
    started = time.monotonic()
    copy = _copy_folder(path)
    copy.mkdir()
    source = qe.EdgeShard.load(str(path))
    target = qe.EdgeShard.create(str(copy), config)
    copied = 0
    try:
        offset: Any = None
        while True:
            request = qe.ScrollRequest(
                limit=_COPY_BATCH, offset=offset, with_vector=True, with_payload=True
            )
            records, offset = source.scroll(request)
            points = [qe.Point(r.id, r.vector or {}, r.payload or {}) for r in records]
            if points:
                target.update(qe.UpdateOperation.upsert_points(points))
                copied += len(points)
            if offset is None:
                break
        target.flush()
    finally:
        target.close()
        source.close()
    aside = _aside_folder(path)
    path.rename(aside)
    copy.rename(path)
    shutil.rmtree(aside)
    logger.info(
        "Rewrote the passage index in %s with %s vectors: %d points in %.1f s",
        path,
        wanted_datatype(),
        copied,
        time.monotonic() - started,
    )


def _copy_folder(path: Path) -> Path:
    return path.with_name(path.name + ".rewrite")


def _aside_folder(path: Path) -> Path:
    return path.with_name(path.name + ".old")
