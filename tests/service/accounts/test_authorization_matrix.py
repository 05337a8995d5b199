"""Every route of the OpenAPI document, called as every kind of caller, against the policy.

The policy is written out below as a table, independently of ``baton/service/api/access.py``:
a route added without a rule here fails the test, and so does a rule for a route that is gone.
The callers: nobody signed in, an admin, a curator, the mentor whose pair owns the recording
(the owner), a mentor of another pair (not the owner), and a learner. The recording is not
published, so only its pair and the curators may reach it.

A refusal is 401 (not signed in), 403 (signed in, not allowed) or 404 (may not know it exists).
An allowed call may still be refused for its content: bodies are sent as ``[]``, which no route
accepts, so a call that passes the access check stops at 422 and changes nothing. Routes whose
rule is checked inside the handler get a valid body instead (see ``VALID_BODIES``). Deleting
routes get a fresh target for each call.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from baton.service.runtime import ModelSet
from tests.conftest import ADMIN_PASSWORD, SPEECH, admin_settings
from tests.support.api import bearer, signed_in_client, wait_until_settled
from tests.support.media import tagged_copy

ANONYMOUS = "anonymous"
ADMIN, CURATOR, OWNER, OTHER_MENTOR, LEARNER = (
    "admin", "curator", "mentor (owner)", "mentor (not owner)", "learner",
)  # fmt: skip
SIGNED_IN = frozenset({ADMIN, CURATOR, OWNER, OTHER_MENTOR, LEARNER})
EVERYONE = SIGNED_IN | {ANONYMOUS}
STAFF = frozenset({ADMIN, CURATOR})
OWNERS = STAFF | {OWNER}
"""The recording's pair and the curators: who sees an unpublished recording and works on it."""
CONTRIBUTORS = STAFF | {OWNER, OTHER_MENTOR}
ADMINS = frozenset({ADMIN})
PARTICIPANTS = frozenset({OWNER})
"""Consent is each participant's own: not even an admin gives it for them."""

R = "/api/v1/recordings/{recording_id}"
RULES: dict[str, frozenset[str]] = {
    "GET /healthz": EVERYONE,
    "GET /readyz": EVERYONE,
    "POST /api/v1/auth/token": EVERYONE,
    "POST /api/v1/auth/login": EVERYONE,
    "GET /api/v1/auth/sso": EVERYONE,
    "POST /api/v1/auth/logout": SIGNED_IN,
    "GET /api/v1/auth/me": SIGNED_IN,
    "GET /api/v1/auth/session": EVERYONE,
    "GET /api/v1/auth/tokens": SIGNED_IN,
    "POST /api/v1/auth/tokens": SIGNED_IN,
    "DELETE /api/v1/auth/tokens/{token_id}": SIGNED_IN,
    "GET /api/v1/users": ADMINS,
    "POST /api/v1/users": ADMINS,
    "PATCH /api/v1/users/{user_id}": ADMINS,
    "POST /api/v1/users/{user_id}/password": ADMINS,
    "GET /api/v1/recordings": SIGNED_IN,
    "POST /api/v1/recordings": CONTRIBUTORS,
    f"GET {R}": OWNERS,
    f"DELETE {R}": OWNERS,
    f"GET {R}/media": OWNERS,
    f"POST {R}/reprocess": OWNERS,
    f"GET {R}/consent": OWNERS,
    f"PUT {R}/consent": PARTICIPANTS,
    f"POST {R}/publish": OWNERS,
    f"POST {R}/unpublish": OWNERS,
    f"POST {R}/redactions": OWNERS,
    f"GET {R}/redactions": OWNERS,
    f"GET {R}/transcript": OWNERS,
    f"GET {R}/transcript/versions": OWNERS,
    f"GET {R}/transcript/versions/{{number}}": OWNERS,
    f"GET {R}/speakers": OWNERS,
    f"PUT {R}/speakers/{{label}}": OWNERS,
    f"PATCH {R}/segments/{{segment_id}}": OWNERS,
    f"GET {R}/edits": OWNERS,
    f"POST {R}/edits/{{edit_id}}/revert": OWNERS,
    f"PUT {R}/session": OWNERS,
    f"GET {R}/export.{{fmt}}": OWNERS,
    "GET /api/v1/sessions/{session_id}": OWNERS,
    "PATCH /api/v1/sessions/{session_id}": OWNERS,
    "DELETE /api/v1/sessions/{session_id}": OWNERS,
    "GET /api/v1/search": SIGNED_IN,
    "GET /api/v1/start": SIGNED_IN,
    "POST /api/v1/search/{search_id}/feedback": SIGNED_IN,
    "GET /api/v1/people": SIGNED_IN,
    "POST /api/v1/people": STAFF,
    "GET /api/v1/people/{person_id}": SIGNED_IN,
    "PATCH /api/v1/people/{person_id}": STAFF,
    "DELETE /api/v1/people/{person_id}": STAFF,
    "GET /api/v1/people/{person_id}/partner-suggestions": STAFF,
    "GET /api/v1/pairs": SIGNED_IN,
    "POST /api/v1/pairs": STAFF,
    "GET /api/v1/pairs/{pair_id}": OWNERS,
    "PATCH /api/v1/pairs/{pair_id}": STAFF,
    "DELETE /api/v1/pairs/{pair_id}": STAFF,
    "GET /api/v1/pairs/{pair_id}/goals": OWNERS,
    "POST /api/v1/pairs/{pair_id}/goals": OWNERS,
    "GET /api/v1/pairs/{pair_id}/sessions": OWNERS,
    "POST /api/v1/pairs/{pair_id}/sessions": OWNERS,
    "GET /api/v1/goals/{goal_id}": OWNERS,
    "PATCH /api/v1/goals/{goal_id}": OWNERS,
    "DELETE /api/v1/goals/{goal_id}": OWNERS,
    "GET /api/v1/topics": SIGNED_IN,
    "POST /api/v1/topics": STAFF,
    "GET /api/v1/topics/{topic_id}": SIGNED_IN,
    "PATCH /api/v1/topics/{topic_id}": STAFF,
    "DELETE /api/v1/topics/{topic_id}": STAFF,
    "POST /api/v1/topics/{topic_id}/merge": STAFF,
    "GET /api/v1/topics/{topic_id}/passages": SIGNED_IN,
    "GET /api/v1/topics/{topic_id}/pack.{fmt}": SIGNED_IN,
    "GET /api/v1/glossary": SIGNED_IN,
    "POST /api/v1/glossary": STAFF,
    "PATCH /api/v1/glossary/{term_id}": STAFF,
    "DELETE /api/v1/glossary/{term_id}": STAFF,
    "GET /api/v1/tags": STAFF,
    "PATCH /api/v1/tags/{tag_id}": STAFF,
    "GET /api/v1/analytics/knowledge-at-risk": STAFF,
    "GET /api/v1/analytics/coverage": STAFF,
    "GET /api/v1/analytics/search-gaps": STAFF,
    "GET /api/v1/analytics/programme-health": STAFF,
    "POST /api/v1/uploads": CONTRIBUTORS,
    "POST /api/v1/uploads/": CONTRIBUTORS,
    "OPTIONS /api/v1/uploads/": CONTRIBUTORS,
    "HEAD /api/v1/uploads/{uuid}": CONTRIBUTORS,
    "PATCH /api/v1/uploads/{uuid}": CONTRIBUTORS,
    "DELETE /api/v1/uploads/{uuid}": CONTRIBUTORS,
}
VALID_BODIES: dict[str, Any] = {f"PUT {R}/consent": {"given": True}}
QUERIES: dict[str, dict[str, str]] = {"GET /api/v1/search": {"q": "your country"}}
PASSWORD = ADMIN_PASSWORD


@dataclass
class World:
    client: TestClient
    headers: dict[str, dict[str, str]]
    ids: dict[str, str]
    people: dict[str, str]
    pair: str
    session: str
    clip: Path
    fresh_files: Iterator[int]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, models: ModelSet) -> Iterator[World]:
    folder = tmp_path_factory.mktemp("matrix")
    with signed_in_client(admin_settings(folder / "data"), models) as client:
        people = {
            name: client.post(
                "/api/v1/people", json={"name": name, "email": f"{name.lower()}@example.com"}
            ).json()["id"]
            for name in ("Graham", "Priya", "Maureen", "Josh", "Nobody")
        }

        def pair(first: str, second: str) -> str:
            body = {"member_ids": [people[first], people[second]], "started_on": "2026-01-05"}
            made = client.post("/api/v1/pairs", json=body)
            assert made.status_code == 201, made.text
            return str(made.json()["id"])

        ours, theirs = pair("Graham", "Priya"), pair("Maureen", "Josh")
        meeting = client.post(
            f"/api/v1/pairs/{ours}/sessions", json={"held_on": "2026-03-10", "title": "Ladles"}
        ).json()["id"]
        goal = client.post(
            f"/api/v1/pairs/{ours}/goals",
            json={"teacher_id": people["Graham"], "title": "Ladle preheating"},
        ).json()["id"]
        accounts = {
            CURATOR: ("kim@example.com", ["curator"], None),
            OWNER: ("graham@example.com", ["mentor"], people["Graham"]),
            OTHER_MENTOR: ("maureen@example.com", ["mentor"], people["Maureen"]),
            LEARNER: ("new.starter@example.com", ["learner"], None),
        }
        user_ids = {}
        for who, (email, roles, person_id) in accounts.items():
            body = {"email": email, "password": PASSWORD, "roles": roles, "person_id": person_id}
            made = client.post("/api/v1/users", json=body)
            assert made.status_code == 201, made.text
            user_ids[who] = made.json()["id"]
        headers = {who: bearer(client, email, PASSWORD) for who, (email, *_) in accounts.items()}
        headers[ADMIN] = {"Authorization": client.headers["Authorization"]}
        headers[ANONYMOUS] = {"Authorization": ""}

        with (SPEECH / "jfk.flac").open("rb") as handle:
            recording = client.post(
                "/api/v1/recordings",
                files={"file": ("jfk.flac", handle)},
                data={"session_id": meeting},
            ).json()["id"]
        assert wait_until_settled(client, recording)["status"] == "ready"
        segment = client.get(f"/api/v1/recordings/{recording}/transcript").json()["segments"][0]
        edited = client.patch(
            f"/api/v1/recordings/{recording}/segments/{segment['id']}",
            json={"text": segment["text"] + " (checked)"},
        )
        assert edited.status_code == 200, edited.text
        topic = client.post("/api/v1/topics", json={"name": "Citizenship"}).json()["id"]
        term = client.post("/api/v1/glossary", json={"term": "V-204"}).json()["id"]
        ids = {
            "recording_id": recording,
            "segment_id": str(segment["id"]),
            "edit_id": str(edited.json()["edits"][0]["id"]),
            "number": "1",
            "label": "S1",
            "fmt": "md",
            "session_id": meeting,
            "pair_id": ours,
            "goal_id": goal,
            "person_id": people["Nobody"],
            "topic_id": topic,
            "term_id": term,
            "tag_id": "1",
            "search_id": "0",
            "user_id": user_ids[LEARNER],
        }
        assert theirs
        yield World(
            client, headers, ids, people, ours, meeting, SPEECH / "jfk.flac", itertools.count(1)
        )


def fresh_target(world: World, route: str, caller: str, folder: Path) -> dict[str, str]:
    """A new thing for a deleting route to delete, so that every caller meets one; and an
    upload of the caller's own for the resumable upload routes (each account has its own)."""
    client, number = world.client, next(world.fresh_files)

    def made(path: str, body: dict[str, Any], headers: dict[str, str] | None = None) -> str:
        answer = client.post(path, json=body, headers=headers)
        assert answer.status_code == 201, answer.text
        return str(answer.json()["id"])

    pair_members = [world.people["Nobody"], world.people["Josh"]]
    token_owner = world.headers[ADMIN if caller == ANONYMOUS else caller]
    create: dict[str, tuple[str, Callable[[], str]]] = {
        "DELETE /api/v1/people/{person_id}": (
            "person_id",
            lambda: made("/api/v1/people", {"name": f"Spare {number}", "email": f"{number}@x.org"}),
        ),
        "DELETE /api/v1/pairs/{pair_id}": (
            "pair_id",
            lambda: made("/api/v1/pairs", {"member_ids": pair_members, "started_on": "2026-02-01"}),
        ),
        "DELETE /api/v1/goals/{goal_id}": (
            "goal_id",
            lambda: made(
                f"/api/v1/pairs/{world.pair}/goals",
                {"teacher_id": world.people["Graham"], "title": f"Spare goal {number}"},
            ),
        ),
        "DELETE /api/v1/sessions/{session_id}": (
            "session_id",
            lambda: made(f"/api/v1/pairs/{world.pair}/sessions", {"held_on": "2026-04-01"}),
        ),
        "DELETE /api/v1/topics/{topic_id}": (
            "topic_id", lambda: made("/api/v1/topics", {"name": f"Spare topic {number}"}),
        ),
        "DELETE /api/v1/glossary/{term_id}": (
            "term_id", lambda: made("/api/v1/glossary", {"term": f"SPARE-{number}"}),
        ),
        "DELETE /api/v1/auth/tokens/{token_id}": (
            "token_id", lambda: made("/api/v1/auth/tokens", {"name": "spare"}, token_owner),
        ),
        f"DELETE {R}": ("recording_id", lambda: fresh_recording(world, folder, number)),
    }  # fmt: skip
    if "{uuid}" in route:
        uploader = world.headers[caller if caller in CONTRIBUTORS else ADMIN]
        create[route] = ("uuid", lambda: fresh_upload(world, uploader))
    ids = dict(world.ids)
    if route in create:
        name, creator = create[route]
        ids[name] = creator()
    return ids


def fresh_upload(world: World, headers: dict[str, str]) -> str:
    """A resumable upload begun (tus creation) by whoever ``headers`` sign in."""
    answer = world.client.post(
        "/api/v1/uploads",
        headers={**headers, "Tus-Resumable": "1.0.0", "Upload-Length": "100",
                 "Upload-Metadata": "filename YS53YXY=,filetype YXVkaW8vd2F2"},
    )  # fmt: skip
    assert answer.status_code == 201, answer.text
    return str(answer.headers["location"]).rstrip("/").rsplit("/", 1)[-1]


def fresh_recording(world: World, folder: Path, number: int) -> str:
    clip = tagged_copy(folder / f"spare-{number}.flac", world.clip, f"spare {number}")
    with clip.open("rb") as handle:
        answer = world.client.post(
            "/api/v1/recordings",
            files={"file": (clip.name, handle)},
            data={"session_id": world.session},
        )
    assert answer.status_code == 202, answer.text
    return str(answer.json()["id"])


def call(world: World, route: str, caller: str, folder: Path) -> tuple[int, str]:
    method, template = route.split(" ", 1)
    fresh = method == "DELETE" or "{uuid}" in template
    ids = fresh_target(world, route, caller, folder) if fresh else world.ids
    path = template.format(**ids)
    body = VALID_BODIES.get(route, [])
    answer = world.client.request(
        method,
        path,
        params=QUERIES.get(route),
        json=body if method in {"POST", "PUT", "PATCH"} else None,
        headers=world.headers[caller],
    )
    return answer.status_code, answer.text[:200]


def openapi_routes(client: TestClient) -> list[str]:
    document = client.get("/openapi.json").json()
    return [
        f"{method.upper()} {path}"
        for path, operations in document["paths"].items()
        for method in operations
    ]


def test_every_route_has_a_rule(world: World) -> None:
    routes = openapi_routes(world.client)
    missing = [r for r in routes if r not in RULES]
    assert not missing, f"routes with no access rule (add one here and in access.py): {missing}"
    stale = [r for r in RULES if r not in routes]
    assert not stale, f"rules for routes that no longer exist: {stale}"


CALLERS = (ANONYMOUS, LEARNER, OTHER_MENTOR, CURATOR, OWNER, ADMIN)


@pytest.mark.parametrize("route", sorted(RULES))
def test_each_caller_gets_exactly_what_the_policy_allows(
    world: World, route: str, tmp_path: Path
) -> None:
    wrong = []
    for caller in CALLERS:
        status, text = call(world, route, caller, tmp_path)
        allowed = caller in RULES[route]
        if caller == ANONYMOUS and not allowed:
            ok = status == 401
        elif allowed:
            ok = status not in (401, 403, 404)
        else:
            ok = status in (403, 404)
        if not ok:
            verdict = "allowed" if allowed else "refused"
            wrong.append(f"{caller}: got {status}, should be {verdict}: {text}")
    assert not wrong, f"{route}\n" + "\n".join(wrong)


def test_a_token_is_revoked_only_by_its_owner(world: World) -> None:
    client, headers = world.client, world.headers
    owned = client.post("/api/v1/auth/tokens", json={"name": "mine"}, headers=headers[OWNER])
    url = f"/api/v1/auth/tokens/{owned.json()['id']}"
    assert client.delete(url, headers=headers[OTHER_MENTOR]).status_code == 404
    assert client.delete(url, headers=headers[ADMIN]).status_code == 404
    assert client.delete(url, headers=headers[OWNER]).status_code == 200


def test_a_mentor_files_recordings_only_into_their_own_pairs_sessions(world: World) -> None:
    client, headers = world.client, world.headers
    with world.clip.open("rb") as handle:
        refused = client.post(
            "/api/v1/recordings",
            files={"file": ("jfk.flac", handle)},
            data={"session_id": world.session},
            headers=headers[OTHER_MENTOR],
        )
    assert refused.status_code == 422 and "no session of your pairs" in refused.json()["detail"]
    moved = client.put(
        f"/api/v1/recordings/{world.ids['recording_id']}/session",
        json={"session_id": world.session},
        headers=headers[OTHER_MENTOR],
    )
    assert moved.status_code == 404


def test_lists_and_counts_hold_only_what_the_caller_may_see(world: World) -> None:
    client, headers, recording = world.client, world.headers, world.ids["recording_id"]

    def recordings(who: str) -> list[str]:
        body = client.get("/api/v1/recordings", headers=headers[who]).json()
        return [r["id"] for r in body["recordings"]]

    assert recording in recordings(OWNER) and recording in recordings(CURATOR)
    assert recording not in recordings(OTHER_MENTOR) and recording not in recordings(LEARNER)
    pairs = client.get("/api/v1/pairs", headers=headers[OTHER_MENTOR]).json()["pairs"]
    assert world.pair not in [p["id"] for p in pairs]
    for who in (OTHER_MENTOR, LEARNER):
        found = client.get("/api/v1/search", params={"q": "your country"}, headers=headers[who])
        body = found.json()
        assert body["hits"] == [] and all(
            value["count"] == 0 or value["value"] != recording
            for values in body["facets"].values()
            for value in values
        )
