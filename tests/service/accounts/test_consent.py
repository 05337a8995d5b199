"""Consent and publishing on a real recording: a learner's search finds a passage only while it
is published, publishing needs every participant, and a withdrawal takes it out at once."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from baton.service.api.app import create_app
from baton.service.db.accounts import AuditEntry
from baton.service.runtime import ModelSet
from baton.service.settings import Settings
from tests.conftest import SPEECH
from tests.support.api import upload, wait_until_settled

ADMIN, PASSWORD = "admin@example.com", "correct horse battery staple"
ANONYMOUS = {"Authorization": ""}
QUESTION = {"q": "ask not what your country can do for you"}


@pytest.fixture
def programme(tmp_path: Path, models: ModelSet) -> Iterator[tuple[TestClient, dict[str, Any]]]:
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
            for name in ("Graham", "Priya", "Josh")
        }
        pair = client.post(
            "/api/v1/pairs",
            json={
                "member_ids": [people["Graham"], people["Priya"]],
                "started_on": "2026-01-05",
                "cadence_days": 14,
                "session_minutes": 30,
            },
        ).json()["id"]
        meeting = client.post(
            f"/api/v1/pairs/{pair}/sessions", json={"held_on": "2026-03-10", "title": "Ladles"}
        ).json()["id"]
        with (SPEECH / "jfk.flac").open("rb") as handle:
            recording = client.post(
                "/api/v1/recordings",
                files={"file": ("jfk.flac", handle)},
                data={"session_id": meeting},
            ).json()["id"]
        assert wait_until_settled(client, recording)["status"] == "ready"
        roles = {"Graham": ["mentor"], "Priya": ["mentor"], "Josh": ["mentor"]}
        for name, person_id in people.items():
            made = client.post(
                "/api/v1/users",
                json={
                    "email": f"{name.lower()}@example.com",
                    "password": PASSWORD,
                    "roles": roles[name],
                    "person_id": person_id,
                },
                headers=admin,
            )
            assert made.status_code == 201, made.text
        for email, role in (("learner@example.com", "learner"), ("kim@example.com", "curator")):
            body = {"email": email, "password": PASSWORD, "roles": [role]}
            assert client.post("/api/v1/users", json=body, headers=admin).status_code == 201
        yield client, {"recording": recording, "people": people}


def sign_in(client: TestClient, email: str) -> dict[str, str]:
    response = client.post("/api/v1/auth/token", data={"username": email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def hits(client: TestClient, who: dict[str, str], recording: str) -> int:
    body = client.get("/api/v1/search", params=QUESTION, headers=who).json()
    found = [h for h in body["hits"] if h["recording_id"] == recording]
    # Not in the counts either: facets only ever count what the caller may see.
    counted = sum(f["count"] for f in body["facets"].get("person", []))
    assert counted == 0 or found
    return len(found)


def reachable(client: TestClient, who: dict[str, str], recording: str) -> list[int]:
    """The status of each way to the recording: itself, transcript, media, an export, listing."""
    url = f"/api/v1/recordings/{recording}"
    codes = [client.get(url + path, headers=who).status_code for path in PATHS]
    listed = client.get("/api/v1/recordings", headers=who).json()["recordings"]
    return [*codes, 200 if any(r["id"] == recording for r in listed) else 404]


PATHS = ("", "/transcript", "/media", "/export.srt", "/speakers", "/edits")


def test_a_recording_reaches_learners_only_with_everyones_consent_and_leaves_at_once(
    programme: tuple[TestClient, dict[str, Any]],
) -> None:
    client, ids = programme
    recording = ids["recording"]
    learner, curator = sign_in(client, "learner@example.com"), sign_in(client, "kim@example.com")
    graham, priya = sign_in(client, "graham@example.com"), sign_in(client, "priya@example.com")
    josh = sign_in(client, "josh@example.com")

    # Unpublished: the pair and curators see it; a learner and another mentor do not.
    assert hits(client, learner, recording) == 0
    assert hits(client, josh, recording) == 0
    assert hits(client, priya, recording) > 0 and hits(client, curator, recording) > 0
    hidden, shown = [404] * (len(PATHS) + 1), [200] * (len(PATHS) + 1)
    assert reachable(client, learner, recording) == hidden
    assert reachable(client, josh, recording) == hidden
    assert reachable(client, priya, recording) == shown

    url = f"/api/v1/recordings/{recording}"
    refused = client.post(f"{url}/publish", headers=curator)
    assert refused.status_code == 409 and "Graham, Priya" in refused.json()["detail"]
    # To a mentor of another pair the unpublished recording does not exist at all.
    assert client.put(f"{url}/consent", json={"given": True}, headers=josh).status_code == 404
    assert client.post(f"{url}/publish", headers=josh).status_code == 404
    assert client.put(f"{url}/consent", json={"given": True}, headers=graham).status_code == 200
    consent = client.put(f"{url}/consent", json={"given": True}, headers=priya).json()
    assert consent["missing"] == [] and consent["published"] is False

    published = client.post(f"{url}/publish", headers=priya)
    assert published.status_code == 200 and published.json()["published"] is True
    assert hits(client, learner, recording) > 0
    assert reachable(client, learner, recording) == shown
    # Seeing it is not taking part: only participants consent, each for themselves.
    assert client.put(f"{url}/consent", json={"given": False}, headers=learner).status_code == 403

    withdrawn = client.put(f"{url}/consent", json={"given": False}, headers=graham).json()
    assert withdrawn["published"] is False and withdrawn["missing"] == ["Graham"]
    assert hits(client, learner, recording) == 0
    assert reachable(client, learner, recording) == hidden
    assert hits(client, priya, recording) > 0
    history = client.get(f"{url}/consent", headers=curator).json()["history"]
    assert [(h["changed_by"], h["given"]) for h in history] == [
        ("graham@example.com", False),
        ("priya@example.com", True),
        ("graham@example.com", True),
    ]
    assert client.get(f"{url}/consent", headers=ANONYMOUS).status_code == 401


def test_a_knowledge_pack_holds_only_what_the_reader_may_see(
    programme: tuple[TestClient, dict[str, Any]],
) -> None:
    client, ids = programme
    curator, learner = sign_in(client, "kim@example.com"), sign_in(client, "learner@example.com")
    topic = client.post(
        "/api/v1/topics",
        json={
            "name": "Serving your country",
            "description": "What citizens can do for their country.",
            "keywords": ["country", "citizens"],
        },
    ).json()["id"]
    deadline = time.monotonic() + 60
    tags: list[dict[str, Any]] = []
    while not tags and time.monotonic() < deadline:
        tags = client.get("/api/v1/tags", params={"topic_id": topic}).json()["tags"]
        time.sleep(0.3)
    assert tags, "the topic was never suggested for the recording"
    client.patch(f"/api/v1/tags/{tags[0]['id']}", json={"status": "confirmed"})

    seen = client.get(f"/api/v1/topics/{topic}/pack.md", headers=curator).text
    assert f"#play={ids['recording']}" in seen
    hidden = client.get(f"/api/v1/topics/{topic}/pack.md", headers=learner).text
    assert ids["recording"] not in hidden and "No passages are approved" in hidden
    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    with runtime.sessions() as session:
        exported = session.scalars(
            select(AuditEntry.actor).where(AuditEntry.action == "topic.pack_exported")
        ).all()
    assert exported == ["kim@example.com", "learner@example.com"]


# Consent belongs to the people heard or filmed, not to whatever a session's list says now:
# editing the list or moving the recording never lets fewer people publish it, a change that
# leaves someone's consent missing unpublishes at once, and a mentor lists and names only the
# people of their own pair.


def _meeting_of(client: TestClient, recording: str) -> str:
    return str(client.get(f"/api/v1/recordings/{recording}").json()["session_id"])


def _consent(client: TestClient, who: dict[str, str], recording: str, given: bool) -> None:
    answer = client.put(
        f"/api/v1/recordings/{recording}/consent", json={"given": given}, headers=who
    )
    assert answer.status_code == 200, answer.text


def _publish(client: TestClient, who: dict[str, str], recording: str) -> int:
    return client.post(f"/api/v1/recordings/{recording}/publish", headers=who).status_code


def _published(client: TestClient, recording: str) -> bool:
    return bool(client.get(f"/api/v1/recordings/{recording}").json().get("published"))


def test_narrowing_the_session_to_oneself_does_not_let_a_mentor_publish_alone(
    programme: tuple[TestClient, dict[str, Any]],
) -> None:
    client, ids = programme
    recording, people = ids["recording"], ids["people"]
    graham = sign_in(client, "graham@example.com")
    _consent(client, graham, recording, True)

    narrowed = client.patch(
        f"/api/v1/sessions/{_meeting_of(client, recording)}",
        json={"participant_ids": [people["Graham"]]},
        headers=graham,
    )
    assert narrowed.status_code == 200, narrowed.text

    assert _publish(client, graham, recording) == 409
    state = client.get(f"/api/v1/recordings/{recording}/consent", headers=graham).json()
    assert {p["name"] for p in state["participants"]} == {"Graham", "Priya"}
    assert not _published(client, recording)


def test_moving_the_recording_through_a_session_of_ones_own_does_not_publish_it_either(
    programme: tuple[TestClient, dict[str, Any]],
) -> None:
    client, ids = programme
    recording, people = ids["recording"], ids["people"]
    graham = sign_in(client, "graham@example.com")
    home = _meeting_of(client, recording)
    pair = client.get(f"/api/v1/sessions/{home}", headers=graham).json()["pair_id"]
    alone = client.post(
        f"/api/v1/pairs/{pair}/sessions",
        json={"held_on": "2026-03-11", "title": "Just me", "participant_ids": [people["Graham"]]},
        headers=graham,
    )
    assert alone.status_code == 201, alone.text

    moved = client.put(
        f"/api/v1/recordings/{recording}/session",
        json={"session_id": alone.json()["id"]},
        headers=graham,
    )
    assert moved.status_code == 200, moved.text
    _consent(client, graham, recording, True)
    assert _publish(client, graham, recording) == 409
    back = client.put(
        f"/api/v1/recordings/{recording}/session", json={"session_id": home}, headers=graham
    )
    assert back.status_code == 200
    assert not _published(client, recording)


def test_adding_someone_who_has_not_consented_unpublishes_at_once(
    programme: tuple[TestClient, dict[str, Any]],
) -> None:
    client, ids = programme
    recording, people = ids["recording"], ids["people"]
    graham, priya = sign_in(client, "graham@example.com"), sign_in(client, "priya@example.com")
    curator = sign_in(client, "kim@example.com")
    for who in (graham, priya):
        _consent(client, who, recording, True)
    assert _publish(client, curator, recording) == 200
    learner = sign_in(client, "learner@example.com")
    assert client.get(f"/api/v1/recordings/{recording}", headers=learner).status_code == 200

    widened = client.patch(
        f"/api/v1/sessions/{_meeting_of(client, recording)}",
        json={"participant_ids": [people["Graham"], people["Priya"], people["Josh"]]},
        headers=curator,
    )
    assert widened.status_code == 200, widened.text

    assert not _published(client, recording)
    assert client.get(f"/api/v1/recordings/{recording}", headers=learner).status_code == 404
    # Josh's consent is what it waits for; a curator's correction (he was never there) ends it.
    corrected = client.patch(
        f"/api/v1/sessions/{_meeting_of(client, recording)}",
        json={"participant_ids": [people["Graham"], people["Priya"]]},
        headers=curator,
    )
    assert corrected.status_code == 200
    assert _publish(client, curator, recording) == 200


def test_a_mentor_lists_and_names_only_the_people_of_their_own_pair(
    programme: tuple[TestClient, dict[str, Any]],
) -> None:
    client, ids = programme
    recording, people = ids["recording"], ids["people"]
    graham = sign_in(client, "graham@example.com")
    meeting = _meeting_of(client, recording)

    outsider = client.patch(
        f"/api/v1/sessions/{meeting}",
        json={"participant_ids": [people["Graham"], people["Priya"], people["Josh"]]},
        headers=graham,
    )
    assert outsider.status_code == 422
    assert "ask a curator" in outsider.json()["detail"]

    named = client.put(
        f"/api/v1/recordings/{recording}/speakers/S1",
        json={"person_id": people["Josh"]},
        headers=graham,
    )
    assert named.status_code == 422, named.text
    assert "did not take part" in named.json()["detail"]
    assert (
        client.put(
            f"/api/v1/recordings/{recording}/speakers/S1",
            json={"person_id": people["Graham"]},
            headers=graham,
        ).status_code
        == 200
    )


def test_uploading_a_file_someone_else_recorded_privately_tells_nothing_about_it(
    programme: tuple[TestClient, dict[str, Any]],
) -> None:
    """The same bytes as another pair's unpublished recording: an upload like any other, of
    Josh's own, not "already in Baton, in a recording you may not see"."""
    client, ids = programme
    josh = sign_in(client, "josh@example.com")

    def upload_as_josh() -> Any:
        return upload(client, SPEECH / "jfk.flac", headers=josh)

    first = upload_as_josh()
    assert first.status_code == 202, first.text
    assert first.json()["id"] != ids["recording"] and first.json()["duplicate"] is False
    again = upload_as_josh()
    assert again.status_code == 200 and again.json()["duplicate"] is True
    assert again.json()["id"] == first.json()["id"], "his own copy is recognised for him"
    listed = client.get("/api/v1/recordings", headers=josh).json()["recordings"]
    assert [r["id"] for r in listed] == [first.json()["id"]]
    # The pair's own upload of the file is still recognised as theirs.
    graham = sign_in(client, "graham@example.com")
    theirs = upload(client, SPEECH / "jfk.flac", headers=graham)
    assert theirs.status_code == 200 and theirs.json()["id"] == ids["recording"]


def test_in_a_recording_of_no_session_a_mentor_names_voices_only_after_their_own_people(
    programme: tuple[TestClient, dict[str, Any]],
) -> None:
    client, ids = programme
    josh = sign_in(client, "josh@example.com")
    mine = upload(client, SPEECH / "jfk.flac", headers=josh).json()["id"]
    assert wait_until_settled(client, mine)["status"] == "ready"
    url = f"/api/v1/recordings/{mine}/speakers/S1"

    someone_elses = client.put(url, json={"person_id": ids["people"]["Graham"]}, headers=josh)
    assert someone_elses.status_code == 422, someone_elses.text
    assert client.put(url, json={"person_id": ids["people"]["Josh"]}, headers=josh).is_success
