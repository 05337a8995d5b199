"""Helpers for driving the real app in tests: upload, wait for a status, read the truth files."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

SETTLED = ("ready", "failed")


def upload(client: TestClient, path: Path, title: str | None = None) -> Any:
    with path.open("rb") as handle:
        data = {"title": title} if title else {}
        response = client.post("/api/v1/recordings", files={"file": (path.name, handle)}, data=data)
    return response


def wait_until_settled(client: TestClient, recording_id: str, timeout: float = 600) -> Any:
    """Poll the recording until it is ready or failed; fail the test on timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body = client.get(f"/api/v1/recordings/{recording_id}").json()
        if body["status"] in SETTLED:
            return body
        time.sleep(0.5)
    raise AssertionError(f"recording {recording_id} did not settle in {timeout}s: {body}")


def truth_turns(corpus: Path, session: str) -> list[dict[str, Any]]:
    turns: list[dict[str, Any]] = json.loads(
        (corpus / "audio" / f"{session}.truth.json").read_text()
    )["turns"]
    return turns


def questions(corpus: Path) -> list[dict[str, Any]]:
    lines = (corpus / "questions.jsonl").read_text().splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def overlaps(hit: dict[str, Any], turn: dict[str, Any]) -> bool:
    return bool(hit["start"] < turn["end"] and turn["start"] < hit["end"])
