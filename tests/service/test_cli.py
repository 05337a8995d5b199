"""The `baton` command against a real server: import with progress, search, status, demo."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx

from baton.service.demo.bundled import suggested_questions
from tests.conftest import ADMIN_EMAIL, PROJECT_ROOT, SPEECH
from tests.support.server import admin_headers, free_port, running_server


def baton(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "baton", *args],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env={"COLUMNS": "200", "PATH": "/usr/bin:/bin", **env},
    )


def test_import_search_and_status_through_a_running_server(tmp_path: Path) -> None:
    folder = tmp_path / "to-import"
    folder.mkdir()
    (folder / "jfk.flac").write_bytes((SPEECH / "jfk.flac").read_bytes())
    (folder / "notes.txt").write_text("not media, and skipped by suffix")
    data = tmp_path / "data"
    with running_server(data) as base:
        refused = baton("status", "--server", base)
        assert refused.returncode == 1 and "BATON_TOKEN" in refused.stdout
        made = baton("users", "token", ADMIN_EMAIL, BATON_DATA_DIR=str(data))
        assert made.returncode == 0, made.stderr
        token = {"BATON_TOKEN": made.stdout.strip()}

        imported = baton("import", str(folder), "--server", base, **token)
        assert imported.returncode == 0, imported.stderr
        assert "jfk.flac" in imported.stdout and "ready" in imported.stdout
        assert "notes.txt" not in imported.stdout

        found = baton("search", "ask not what your country can do", "--server", base, **token)
        assert found.returncode == 0, found.stderr
        assert "1. jfk" in found.stdout and "country" in found.stdout
        assert "plays from 0:0" in found.stdout

        shown = baton("status", "--server", base, **token)
        assert shown.returncode == 0, shown.stderr
        assert "jfk" in shown.stdout and "ready" in shown.stdout

        first = baton("demo", "--no-audio", "--server", base, **token)
        again = baton("demo", "--no-audio", "--server", base, **token)
        assert first.returncode == 0, first.stderr
        assert "3 pairs, 11 goals, 6 sessions" in first.stdout
        assert again.returncode == 0, again.stderr
        admin = admin_headers(base)
        people = httpx.get(f"{base}/api/v1/people", headers=admin).json()["people"]
        assert len(people) == 6, "running the demo twice must not duplicate anything"
        topics = httpx.get(f"{base}/api/v1/topics", headers=admin).json()["topics"]
        assert len(topics) == 10

        # By default the demo's own recordings go in, with questions to ask them.
        filled = baton("demo", "--server", base, **token)
        assert filled.returncode == 0, filled.stderr
        assert "6 recordings uploaded" in filled.stdout
        for question in suggested_questions():
            assert f'baton search "{question["question"]}"' in filled.stdout


def test_client_commands_say_how_to_start_the_server_when_none_runs() -> None:
    result = baton("search", "ladle", "--server", f"http://127.0.0.1:{free_port()}")
    assert result.returncode == 2
    assert "baton serve" in result.stdout
