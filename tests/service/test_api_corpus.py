"""The whole path over HTTP on the embedded default: the demo (``baton demo``'s programme and
its six recorded sessions, which ship with Baton) loads, every recording becomes ready and tagged,
and questions land on the moment that answers them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from baton.service.demo.bundled import (
    SUGGESTED,
    demo_programme,
    read_questions,
    read_truth_turns,
)
from baton.service.demo.load import load_demo
from baton.service.runtime import ModelSet
from tests.conftest import CORPUS, admin_settings
from tests.support.api import (
    overlaps,
    signed_in_client,
    wait_until_settled,
)

SESSIONS = sorted(Path(meeting["file"]).stem for meeting in demo_programme()["sessions"])


@pytest.fixture(scope="module")
def library(
    tmp_path_factory: pytest.TempPathFactory, models: ModelSet
) -> Iterator[tuple[TestClient, dict[str, dict[str, Any]]]]:
    """A Baton with the whole demo loaded as ``baton demo`` loads it; yields the client and each
    recording's settled body."""
    settings = admin_settings(tmp_path_factory.mktemp("corpus") / "data")
    with signed_in_client(settings, models) as client:
        loaded = load_demo(client, CORPUS / "audio")
        assert sorted(loaded.recordings) == SESSIONS
        settled = {
            s: wait_until_settled(client, rid, timeout=900) for s, rid in loaded.recordings.items()
        }
        yield client, settled


@pytest.mark.parametrize("session", SESSIONS)
def test_every_demo_recording_becomes_ready_with_a_transcript(
    library: tuple[TestClient, dict[str, dict[str, Any]]], session: str
) -> None:
    client, settled = library
    body = settled[session]
    assert body["status"] == "ready", body
    assert body["progress"] == 1.0
    assert body["language"] == "en"
    assert body["duration"] > 400
    assert set(body["stage_seconds"]) == {
        "probe", "decode", "transcribe", "speakers", "passages", "embed", "index", "tag",
        "playable_copy",
    }  # fmt: skip
    transcript = client.get(f"/api/v1/recordings/{body['id']}/transcript").json()
    words = [w for segment in transcript["segments"] for w in segment["words"]]
    spoken = sum(len(t["text"].split()) for t in read_truth_turns(CORPUS, session))
    assert len(words) > 0.8 * spoken, "much of the session is missing from the transcript"
    starts = [w["start"] for w in words]
    assert starts == sorted(starts) and starts[-1] < body["duration"]
    # Two voices in every recording (the video included), and every segment has one of them.
    assert {s["speaker"]["label"] for s in transcript["segments"]} == {"S1", "S2"}
    # Filed under its session, and tagged to its pair's goals.
    assert body["session_id"]
    tags = client.get("/api/v1/tags", params={"kind": "goal", "recording_id": body["id"]})
    assert tags.status_code == 200 and tags.json()["tags"], tags.text


@pytest.mark.parametrize("question_id", sorted({*SUGGESTED, "q13"}))
def test_a_question_baton_demo_suggests_lands_in_the_top_five_on_the_answering_turn(
    library: tuple[TestClient, dict[str, dict[str, Any]]], question_id: str
) -> None:
    client, settled = library
    question = next(q for q in read_questions(CORPUS) if q["id"] == question_id)
    turn = read_truth_turns(CORPUS, question["session"])[question["turn"]]
    response = client.get("/api/v1/search", params={"q": question["question"], "limit": 5})
    assert response.status_code == 200
    hits = response.json()["hits"]
    assert len(hits) == 5
    recording_id = settled[question["session"]]["id"]
    assert any(h["recording_id"] == recording_id and overlaps(h, turn) for h in hits), hits


def test_each_hit_says_why_it_matched(
    library: tuple[TestClient, dict[str, dict[str, Any]]],
) -> None:
    client, _ = library
    hits = client.get(
        "/api/v1/search", params={"q": "How long do we stir with argon before casting?"}
    ).json()["hits"]

    for hit in hits:
        why = hit["why"]
        assert why["meaning_rank"] is not None or why["keyword_rank"] is not None
        if why["meaning_rank"] is not None:
            assert 0 < why["similarity"] <= 1
        # Matched words are the passage's own words, and only a keyword match has them.
        assert not why["matched_words"] or why["keyword_rank"] is not None
        assert all(word in hit["text"] for word in why["matched_words"])
    assert any(
        {"argon", "casting", "stir"} & {w.lower() for w in h["why"]["matched_words"]} for h in hits
    )


def test_media_is_served_with_range_support_for_seeking(
    library: tuple[TestClient, dict[str, dict[str, Any]]],
) -> None:
    client, settled = library
    url = f"/api/v1/recordings/{settled['s05']['id']}/media"
    whole = client.get(url)
    assert whole.status_code == 200 and whole.headers["content-type"] == "video/mp4"
    part = client.get(url, headers={"Range": "bytes=1000-1999"})
    assert part.status_code == 206
    assert part.headers["content-range"] == f"bytes 1000-1999/{len(whole.content)}"
    assert part.content == whole.content[1000:2000]


def test_a_hit_plays_from_the_sentence_in_it_that_answers(
    library: tuple[TestClient, dict[str, dict[str, Any]]],
) -> None:
    client, _ = library
    hits = client.get(
        "/api/v1/search", params={"q": "How long do we stir with argon before casting?"}
    ).json()["hits"]

    for hit in hits:
        answer = hit["answer"]
        assert hit["start"] <= (answer["start"] + answer["end"]) / 2 <= hit["end"], hit
        # From the sentence itself, or from its speaker's turn begun a few seconds before.
        assert answer["start"] - 20.0 <= hit["play_from"] <= answer["start"], hit
        assert 0 < answer["similarity"] <= 1
    # The best hit's answer is about what was asked, not the lead-up around it.
    said = hits[0]["answer"]["text"].lower()
    assert any(word in said for word in ("argon", "stir", "cast")), hits[0]
    # The head of the ranking was reordered by its passages' closest sentences, and says so.
    ranked = [hit["why"] for hit in hits if hit["why"]["sentence_rank"] is not None]
    assert ranked and ranked[0] is hits[0]["why"]
    for why in ranked:
        assert 0 < why["sentence_similarity"] <= 1
