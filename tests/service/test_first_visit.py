"""The first visit on a real recording: topics with counts, the latest published sessions, and
questions others asked that the published library answers; none of it reveals a passage the
person may not see, before publishing, after it, or once the recording is taken out again."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from baton.service.api.app import create_app
from baton.service.runtime import ModelSet
from baton.service.settings import Settings
from tests.conftest import SPEECH
from tests.support.api import bearer, wait_until_settled

ADMIN, PASSWORD = "admin@example.com", "correct horse battery staple"
ANSWERED = "what you can do for your country"
UNANSWERED = "ask what your country can do"


def sign_in(client: TestClient, email: str) -> dict[str, str]:
    return bearer(client, email, PASSWORD)


@pytest.fixture
def library(tmp_path: Path, models: ModelSet) -> Iterator[tuple[TestClient, str]]:
    """A pair's session with one recording, a topic about it, two mentors (the pair), a
    curator and a learner. Nothing is published yet."""
    settings = Settings(
        data_dir=tmp_path / "data",
        admin_email=ADMIN,
        admin_password=PASSWORD,  # type: ignore[arg-type]
    )
    with TestClient(create_app(settings, models), base_url="https://testserver") as client:
        admin = sign_in(client, ADMIN)
        client.headers.update(admin)
        people = {
            name: client.post(
                "/api/v1/people", json={"name": name, "email": f"{name.lower()}@example.com"}
            ).json()["id"]
            for name in ("Graham", "Priya")
        }
        pair = client.post(
            "/api/v1/pairs",
            json={"member_ids": list(people.values()), "started_on": "2026-01-05"},
        ).json()["id"]
        meeting = client.post(
            f"/api/v1/pairs/{pair}/sessions", json={"held_on": "2026-03-10", "title": "Duty"}
        ).json()["id"]
        topic = {
            "name": "Serving your country",
            "description": "What citizens can do for their country, and the price of liberty.",
        }
        assert client.post("/api/v1/topics", json=topic).status_code == 201
        with (SPEECH / "jfk.flac").open("rb") as handle:
            recording = client.post(
                "/api/v1/recordings",
                files={"file": ("jfk.flac", handle)},
                data={"session_id": meeting, "title": "The inaugural, filed by Graham"},
            ).json()["id"]
        assert wait_until_settled(client, recording)["status"] == "ready"
        accounts = [
            *((f"{name.lower()}@example.com", "mentor", pid) for name, pid in people.items()),
            ("kim@example.com", "curator", None),
            ("learner@example.com", "learner", None),
        ]
        for email, role, person_id in accounts:
            body: dict[str, Any] = {"email": email, "password": PASSWORD, "roles": [role]}
            if person_id:
                body["person_id"] = person_id
            assert client.post("/api/v1/users", json=body).status_code == 201
        yield client, recording


def start(client: TestClient, who: dict[str, str]) -> dict[str, Any]:
    response = client.get("/api/v1/start", headers=who)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_the_first_visit_shows_only_what_the_published_library_holds(
    library: tuple[TestClient, str],
) -> None:
    client, recording = library
    learner, curator = sign_in(client, "learner@example.com"), sign_in(client, "kim@example.com")
    graham, priya = sign_in(client, "graham@example.com"), sign_in(client, "priya@example.com")

    # The pair's mentor and the curator find the private recording; their questions are logged.
    for who in (graham, curator):
        assert client.get("/api/v1/search", params={"q": ANSWERED}, headers=who).json()["hits"]
    asked = client.get("/api/v1/search", params={"q": UNANSWERED}, headers=graham).json()
    feedback = f"/api/v1/search/{asked['search_id']}/feedback"
    assert client.post(feedback, json={"answered": False}, headers=graham).status_code == 204

    # Nothing published: a learner sees no topic count, no session, no question answered only
    # by the private recording; the curator sees the topic's passages but no such question.
    private = start(client, learner)
    assert private == {"topics": [], "latest": [], "answered": []}
    staff = start(client, curator)
    assert [t["name"] for t in staff["topics"]] == ["Serving your country"]
    assert staff["topics"][0]["passages"] >= 1
    assert staff["answered"] == [] and staff["latest"] == []

    url = f"/api/v1/recordings/{recording}"
    for who in (graham, priya):
        assert client.put(f"{url}/consent", json={"given": True}, headers=who).status_code == 200
    assert client.post(f"{url}/publish", headers=graham).status_code == 200

    shown = start(client, learner)
    assert [s["recording_id"] for s in shown["latest"]] == [recording]
    assert shown["latest"][0]["title"] == "The inaugural, filed by Graham"
    assert shown["latest"][0]["held_on"] == "2026-03-10"
    assert shown["topics"] == staff["topics"]
    # Asked twice, answered by what is now published; the one marked unanswered never shows.
    assert shown["answered"] == [{"question": ANSWERED, "times_asked": 2}]

    # A reader of the library plays it; the pair works on it (consent, voices, corrections).
    assert client.get(url, headers=learner).json()["works_on"] is False
    assert client.get(url, headers=graham).json()["works_on"] is True
    listed = client.get("/api/v1/recordings", headers=learner).json()["recordings"]
    assert [r["works_on"] for r in listed] == [False]

    # Taken out of the library: gone from the first visit at once, questions included.
    assert client.post(f"{url}/unpublish", headers=graham).status_code == 200
    assert start(client, learner) == {"topics": [], "latest": [], "answered": []}
    assert start(client, priya)["answered"] == []
