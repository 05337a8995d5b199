"""``baton serve --demo``: a server fills its own library with the demo on its first start, as
a newcomer's first look at Baton, and leaves the library alone on every later start."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx

from baton.service.demo.bundled import demo_programme
from baton.service.demo.first_start import TOKEN_NAME
from tests.support.server import admin_headers, running_server


def _get(base: str, path: str, headers: dict[str, str]) -> Any:
    response = httpx.get(f"{base}{path}", headers=headers, timeout=30)
    response.raise_for_status()
    return response.json()


def _wait_for_recordings(base: str, headers: dict[str, str], count: int) -> list[Any]:
    deadline = time.monotonic() + 180
    while True:
        recordings: list[Any] = _get(base, "/api/v1/recordings", headers)["recordings"]
        if len(recordings) >= count:
            return recordings
        assert time.monotonic() < deadline, f"only {len(recordings)} of {count} arrived"
        time.sleep(1)


def test_a_server_started_with_demo_fills_its_library_once(tmp_path: Path) -> None:
    data = tmp_path / "data"
    sessions = demo_programme()["sessions"]
    with running_server(data, options=("--demo",)) as base:
        admin = admin_headers(base)
        recordings = _wait_for_recordings(base, admin, len(sessions))
        assert {r["title"] for r in recordings} == {s["title"] for s in sessions}
        assert all(r["session_id"] for r in recordings), "each recording is filed in its session"
        assert len(_get(base, "/api/v1/pairs", admin)["pairs"]) == 3
        deadline = time.monotonic() + 30
        while not (data / "demo-loaded").exists():
            assert time.monotonic() < deadline, "the loader never said it had finished"
            time.sleep(0.5)
        tokens = _get(base, "/api/v1/auth/tokens", admin)
        loader = [t for t in tokens if t["name"] == TOKEN_NAME]
        assert len(loader) == 1 and loader[0]["revoked_at"], "the loader's token must not last"
        gone = recordings[0]["id"]
        assert httpx.delete(f"{base}/api/v1/recordings/{gone}", headers=admin).status_code == 204

    # Started again with --demo, it keeps what people did since: the deleted one stays deleted.
    with running_server(data, options=("--demo",)) as base:
        admin = admin_headers(base)
        logs = "".join(log.read_text() for log in tmp_path.glob("server-*.log"))
        assert logs.count("demo: already loaded into this library") == 1
        recordings = _get(base, "/api/v1/recordings", admin)["recordings"]
        assert len(recordings) == len(sessions) - 1
        assert gone not in {r["id"] for r in recordings}
