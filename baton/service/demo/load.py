"""Load the demo programme into a running Baton through its HTTP API.

The demo programme (``corpus/programme.json``, see ``bundled.py``) holds three pairs at three
metals sites: people, pairs, goals, sessions, curated topics and a glossary, and a recording of
each session. Loading is idempotent: what is already there (matched by email, members, title,
date, name or term) is reused, so running ``baton demo`` twice changes nothing, and the same
recording twice is recognised by the server.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from baton.service.demo.bundled import demo_programme, session_media

Say = Callable[[str], None]


class DemoError(RuntimeError):
    """The server refused part of the demo; the message says which and why."""


@dataclass
class DemoLoaded:
    people: dict[str, str] = field(default_factory=dict)
    pairs: dict[str, str] = field(default_factory=dict)
    goals: dict[tuple[str, str], str] = field(default_factory=dict)
    sessions: dict[str, str] = field(default_factory=dict)
    topics: dict[str, str] = field(default_factory=dict)
    terms: int = 0
    recordings: dict[str, str] = field(default_factory=dict)


def load_demo(
    client: httpx.Client,
    audio_dir: Path | None,
    say: Say = lambda _: None,
    sessions: set[str] | None = None,
    programme: dict[str, Any] | None = None,
) -> DemoLoaded:
    """Create (or find) everything in the demo programme (or in ``programme``, a programme of
    the same shape); upload each session's recording found in ``audio_dir`` by the stem of its
    ``file`` (only those of ``sessions``, named by that stem, when given)."""
    data = programme or demo_programme()
    loaded = DemoLoaded()
    for person in data["people"]:
        loaded.people[person["name"]] = _person(client, person)
    say(f"{len(loaded.people)} people")
    for pair in data["pairs"]:
        members = [loaded.people[name] for name in pair["members"]]
        pair_id = _pair(client, pair, members)
        loaded.pairs[pair["key"]] = pair_id
        existing = {
            g["title"]: g["id"] for g in _get(client, f"/api/v1/pairs/{pair_id}/goals")["goals"]
        }
        for goal in pair["goals"]:
            body = {
                "teacher_id": loaded.people[goal["teacher"]],
                "title": goal["title"],
                "description": goal["description"],
            }
            goal_id = (
                existing.get(goal["title"])
                or _post(client, f"/api/v1/pairs/{pair_id}/goals", body)["id"]
            )
            loaded.goals[(pair["key"], goal["key"])] = goal_id
    say(f"{len(loaded.pairs)} pairs with {len(loaded.goals)} goals")
    topics = {t["name"]: t["id"] for t in _get(client, "/api/v1/topics")["topics"]}
    for topic in sorted(data["topics"], key=lambda t: "parent" in t):
        if topic["name"] not in topics:
            body = {k: topic[k] for k in ("name", "description", "keywords", "synonyms")}
            body["owner_id"] = loaded.people.get(topic.get("owner") or "")
            body["parent_id"] = topics.get(topic.get("parent") or "")
            topics[topic["name"]] = _post(client, "/api/v1/topics", body)["id"]
        loaded.topics[topic["name"]] = topics[topic["name"]]
    terms = {t["term"].casefold() for t in _get(client, "/api/v1/glossary")["terms"]}
    for term in data["glossary"]:
        if term["term"].casefold() not in terms:
            _post(client, "/api/v1/glossary", term)
        loaded.terms += 1
    say(f"{len(loaded.topics)} topics, {loaded.terms} glossary terms")
    for meeting in data["sessions"]:
        pair_id = loaded.pairs[meeting["pair"]]
        session_id = _session(client, pair_id, meeting)
        stem = Path(meeting["file"]).stem
        loaded.sessions[stem] = session_id
        if audio_dir is None or (sessions is not None and stem not in sessions):
            continue
        path = session_media(audio_dir, stem)
        if path is None:
            say(f"no recording of {stem} in {audio_dir}: session {meeting['held_on']} has none")
            continue
        loaded.recordings[stem] = _upload(client, path, meeting["title"], session_id)
        say(f"uploaded {path.name} into the session of {meeting['held_on']}")
    return loaded


def _person(client: httpx.Client, person: dict[str, Any]) -> str:
    found = _get(client, "/api/v1/people", params={"email": person["email"]})["people"]
    if found:
        return str(found[0]["id"])
    return str(_post(client, "/api/v1/people", person)["id"])


def _pair(client: httpx.Client, pair: dict[str, Any], members: list[str]) -> str:
    for existing in _get(client, "/api/v1/pairs", params={"person_id": members[0]})["pairs"]:
        if set(existing["member_ids"]) == set(members):
            return str(existing["id"])
    body = {
        "member_ids": members,
        "started_on": pair["started_on"],
        "cadence_days": pair["cadence_days"],
        "session_minutes": pair["session_minutes"],
    }
    return str(_post(client, "/api/v1/pairs", body)["id"])


def _session(client: httpx.Client, pair_id: str, meeting: dict[str, Any]) -> str:
    for existing in _get(client, f"/api/v1/pairs/{pair_id}/sessions")["sessions"]:
        if existing["held_on"] == meeting["held_on"] and existing["title"] == meeting["title"]:
            return str(existing["id"])
    body = {"held_on": meeting["held_on"], "title": meeting["title"]}
    return str(_post(client, f"/api/v1/pairs/{pair_id}/sessions", body)["id"])


def _upload(client: httpx.Client, path: Path, title: str, session_id: str) -> str:
    with path.open("rb") as handle:
        response = client.post(
            "/api/v1/recordings",
            files={"file": (path.name, handle)},
            data={"title": title, "session_id": session_id},
        )
    body = _checked(response)
    if body.get("session_id") != session_id:
        _checked(
            client.put(f"/api/v1/recordings/{body['id']}/session", json={"session_id": session_id})
        )
    return str(body["id"])


def _get(client: httpx.Client, url: str, params: dict[str, str] | None = None) -> Any:
    return _checked(client.get(url, params=params))


def _post(client: httpx.Client, url: str, body: dict[str, Any]) -> Any:
    return _checked(client.post(url, json=body))


def _checked(response: httpx.Response) -> Any:
    if response.status_code >= 400:
        detail = response.json().get("detail", response.text)
        raise DemoError(f"{response.request.method} {response.request.url.path}: {detail}")
    return response.json()
