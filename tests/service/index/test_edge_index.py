"""Qdrant Edge specifics: a shard in a folder survives restarts and is shared by threads."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from baton.models.sparse import SparseEmbedder
from baton.service.index.base import IndexNotReadyError
from baton.service.index.edge import EdgeIndex
from tests.service.index.builders import DIM, axis, make_point


def test_points_survive_close_and_reopen(tmp_path: Path, sparse_embedder: SparseEmbedder) -> None:
    first = EdgeIndex(tmp_path / "edge")
    first.ensure_ready(DIM)
    valve = make_point("valve", axis(0), "valve V-204 sticks when cold", sparse_embedder)
    ladle = make_point("ladle", axis(1), "preheat the ladle", sparse_embedder, "rec-b")
    first.upsert([valve, ladle])
    first.close()

    second = EdgeIndex(tmp_path / "edge")
    second.ensure_ready(DIM)
    try:
        assert second.count() == 2
        assert second.count({"recording_id": "rec-b"}) == 1
        hits = second.search(axis(1), sparse_embedder.embed_query("V-204"), limit=2)
        assert {hit.id for hit in hits} == {valve.id, ladle.id}
        assert second.search(None, sparse_embedder.embed_query("V204"), limit=1)[0].id == valve.id
    finally:
        second.close()


def test_an_existing_shard_opens_on_first_use_without_ensure_ready(
    tmp_path: Path, sparse_embedder: SparseEmbedder
) -> None:
    first = EdgeIndex(tmp_path / "edge")
    first.ensure_ready(DIM)
    first.upsert([make_point("valve", axis(0), "valve V-204", sparse_embedder)])
    first.close()

    second = EdgeIndex(tmp_path / "edge")
    try:
        assert second.count() == 1
    finally:
        second.close()


def test_a_missing_shard_says_to_call_ensure_ready(tmp_path: Path) -> None:
    index = EdgeIndex(tmp_path / "nothing-here")

    with pytest.raises(IndexNotReadyError, match="ensure_ready"):
        index.count()


def test_threads_can_search_and_upsert_at_the_same_time(
    tmp_path: Path, sparse_embedder: SparseEmbedder
) -> None:
    index = EdgeIndex(tmp_path / "edge")
    index.ensure_ready(DIM)
    errors: list[BaseException] = []

    def write(worker: int) -> None:
        try:
            for i in range(20):
                text = f"valve V-204 note {worker} {i}"
                index.upsert([make_point(f"w{worker}-{i}", axis(i % DIM), text, sparse_embedder)])
        except BaseException as error:  # collected for the assertion below
            errors.append(error)

    def read() -> None:
        try:
            for _ in range(50):
                index.search(axis(0), sparse_embedder.embed_query("valve"), limit=5)
                index.count({"recording_id": "rec-a"})
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=write, args=(w,)) for w in range(2)]
    threads += [threading.Thread(target=read) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert errors == []
        assert index.count() == 40
    finally:
        index.close()


_OPEN_FROM_ANOTHER_PROCESS = """
import sys
from pathlib import Path
from baton.service.index.edge import EdgeIndex
from baton.service.index.folder_lock import IndexInUseError
try:
    EdgeIndex(Path(sys.argv[1])).ensure_ready(int(sys.argv[2]))
except IndexInUseError as error:
    print(error)
    sys.exit(3)
"""


def test_a_second_process_is_refused_and_leaves_the_open_index_whole(
    tmp_path: Path, sparse_embedder: SparseEmbedder
) -> None:
    # Edge alone let a second process touch a live shard's files before refusing it, and the
    # first one's next write failed: Baton's own lock keeps the second one out entirely.
    folder = tmp_path / "edge"
    live = EdgeIndex(folder)
    live.ensure_ready(DIM)
    try:
        live.upsert([make_point("valve", axis(0), "valve V-204 sticks", sparse_embedder)])
        second = subprocess.run(
            [sys.executable, "-c", _OPEN_FROM_ANOTHER_PROCESS, str(folder), str(DIM)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert second.returncode == 3, second.stderr
        assert f"open in another Baton process (pid {os.getpid()})" in second.stdout
        assert "BATON_DATA_DIR" in second.stdout

        live.upsert([make_point("ladle", axis(1), "preheat the ladle", sparse_embedder)])
        assert live.count() == 2
    finally:
        live.close()

    # Once closed, another process may open it.
    again = subprocess.run(
        [sys.executable, "-c", _OPEN_FROM_ANOTHER_PROCESS, str(folder), str(DIM)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert again.returncode == 0, again.stdout + again.stderr
