"""The `baton` command against a real server: import with progress, search, status, demo."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx

from tests.conftest import AUDIO, PROJECT_ROOT
from tests.support.server import free_port, running_server


def baton(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "baton", *args],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"},
    )


def test_import_search_and_status_through_a_running_server(tmp_path: Path) -> None:
    folder = tmp_path / "to-import"
    folder.mkdir()
    (folder / "jfk.flac").write_bytes((AUDIO / "jfk.flac").read_bytes())
    (folder / "notes.txt").write_text("not media, and skipped by suffix")
    with running_server(tmp_path / "data") as base:
        imported = baton("import", str(folder), "--server", base)
        assert imported.returncode == 0, imported.stderr
        assert "jfk.flac" in imported.stdout and "ready" in imported.stdout
        assert "notes.txt" not in imported.stdout

        found = baton("search", "ask not what your country can do", "--server", base)
        assert found.returncode == 0, found.stderr
        assert "1. jfk" in found.stdout and "country" in found.stdout

        shown = baton("status", "--server", base)
        assert shown.returncode == 0, shown.stderr
        assert "jfk" in shown.stdout and "ready" in shown.stdout

        first = baton("demo", "--no-audio", "--server", base)
        again = baton("demo", "--no-audio", "--server", base)
        assert first.returncode == 0, first.stderr
        assert "3 pairs, 11 goals, 6 sessions" in first.stdout
        assert again.returncode == 0, again.stderr
        people = httpx.get(f"{base}/api/v1/people").json()["people"]
        assert len(people) == 6, "running the demo twice must not duplicate anything"
        assert len(httpx.get(f"{base}/api/v1/topics").json()["topics"]) == 10


def test_client_commands_say_how_to_start_the_server_when_none_runs() -> None:
    result = baton("search", "ladle", "--server", f"http://127.0.0.1:{free_port()}")
    assert result.returncode == 2
    assert "baton serve" in result.stdout
