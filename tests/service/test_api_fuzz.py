"""No request, however malformed, gets a server error: every route of the OpenAPI document is
called with generated paths, queries, headers and bodies (schemathesis, on hypothesis) against a
real `baton serve`, and must answer with anything but a 5xx.

The server holds one of each thing a path can name (a ready recording, people, a pair with a
goal and a session, a topic); generated requests use those ids, so they reach the code past the
404, except deletes, which keep their generated ids so the things stay for the other routes.
Routes that would sign the caller out or revoke its token are left out: after them every
request is a 401, which proves nothing.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import Case, GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok

from tests.conftest import SPEECH
from tests.support.server import admin_headers, running_server


@dataclass(frozen=True)
class Served:
    base: str
    headers: dict[str, str]
    ids: dict[str, str]
    """Real ids by path parameter name (``recording_id`` and so on)."""


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    data_dir = tmp_path_factory.mktemp("fuzz") / "data"
    with running_server(data_dir, ready=True) as base:
        headers = admin_headers(base)
        yield Served(base, headers, _seed(base, headers))


def _seed(base: str, headers: dict[str, str]) -> dict[str, str]:
    with httpx.Client(base_url=f"{base}/api/v1", headers=headers, timeout=120) as api:

        def made(path: str, body: dict[str, object]) -> str:
            answer = api.post(path, json=body)
            assert answer.status_code == 201, answer.text
            return str(answer.json()["id"])

        mentor = made("/people", {"name": "Maureen Fitter", "email": "maureen@example.com"})
        learner = made("/people", {"name": "Sam Starter", "email": "sam@example.com"})
        pair = made("/pairs", {"member_ids": [mentor, learner], "started_on": "2026-11-02"})
        goal = made(f"/pairs/{pair}/goals", {"teacher_id": mentor, "title": "Preheat a ladle"})
        session = made(f"/pairs/{pair}/sessions", {"held_on": "2026-11-30"})
        topic = made("/topics", {"name": "Ladle preheating"})
        with (SPEECH / "jfk.flac").open("rb") as media:
            uploaded = api.post("/recordings", files={"file": ("jfk.flac", media)})
        assert uploaded.status_code == 202, uploaded.text
        recording = uploaded.json()["id"]
        deadline = time.monotonic() + 180
        while api.get(f"/recordings/{recording}").json()["status"] != "ready":
            assert time.monotonic() < deadline, "the seeded recording did not get ready"
            time.sleep(0.5)
        return {
            "recording_id": recording,
            "person_id": mentor,
            "pair_id": pair,
            "goal_id": goal,
            "session_id": session,
            "topic_id": topic,
        }


# Calling these signs the caller out or revokes its token: every later request is a 401.
_SIGNING_OUT = r"/auth/(logout|tokens)|/password$"


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_request_gets_a_server_error(served: Served, mode: GenerationMode) -> None:
    """``positive`` requests fit the schema; ``negative`` ones break it (wrong types, missing
    fields, out-of-range numbers) and must get a 4xx."""
    schema = schemathesis.openapi.from_url(f"{served.base}/openapi.json").exclude(
        path_regex=_SIGNING_OUT
    )
    failures: list[str] = []
    operations = []
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), f"a route's schema cannot be read: {result.err()}"
        operations.append(result.ok())
    assert len(operations) > 60, "the OpenAPI document lost its routes"
    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=12,
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
        def call(case: Case[Any]) -> None:
            if case.method != "DELETE" and case.path_parameters:
                for name in case.path_parameters:
                    if name in served.ids:
                        case.path_parameters[name] = served.ids[name]
            case.call_and_validate(
                base_url=served.base,
                headers=served.headers,
                checks=[not_a_server_error],
                timeout=60,
            )

        try:
            call()
        except Unsatisfiable:
            continue  # nothing to break: the route takes no parameters and no body
        except (Exception, BaseExceptionGroup) as failure:  # every route's, not the first
            failures.append(f"{operation.label}: {failure}")
    assert not failures, "\n\n".join(failures)
