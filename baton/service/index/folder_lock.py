"""One process at a time on an embedded index folder, said plainly when a second one tries.

Qdrant Edge locks its write-ahead log, but only after it has begun opening the segments: a
second process that tries to open a live shard fails on the WAL lock having already touched
the first one's storage files, whose next flush then fails ("Tracker journal … is shorter
than expected"). So Baton takes its own lock first, on a file beside the folder (Edge wants
the folder to itself), and never lets Edge near a shard that another process holds. The kernel
drops an advisory lock when its process dies, so a killed server leaves no stale lock.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import IO


class IndexInUseError(RuntimeError):
    """Another process holds the index folder."""


class FolderLock:
    """An exclusive, non-blocking lock on ``<folder>.lock``, held until ``release``."""

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._path = folder.with_name(folder.name + ".lock")
        self._file: IO[str] | None = None

    def acquire(self) -> None:
        """Take the lock, or raise ``IndexInUseError`` naming the holder's process id."""
        if self._file is not None:
            return
        self._path.parent.mkdir(parents=True, exist_ok=True)
        file = self._path.open("a+")
        try:
            fcntl.flock(file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            file.seek(0)
            holder = file.read().strip() or "unknown"
            file.close()
            raise IndexInUseError(
                f"The passage index in {self._folder} is open in another Baton "
                f"process (pid {holder}). Stop that one first (one `baton serve` per data "
                "folder), or give this one its own BATON_DATA_DIR."
            ) from None
        file.seek(0)
        file.truncate()
        file.write(str(os.getpid()))
        file.flush()
        self._file = file

    def release(self) -> None:
        """Let another process open the folder."""
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None
