"""A library indexed before access rules existed: its points carry no audiences, which would
hide them from every search; the server labels them again when it starts."""

from __future__ import annotations

from fastapi.testclient import TestClient

from baton.service.payloads import label_unlabelled_points
from tests.conftest import SPEECH
from tests.support.api import upload, wait_until_settled


def test_points_without_audiences_are_labelled_again_and_found(client: TestClient) -> None:
    recording = upload(client, SPEECH / "jfk.flac").json()["id"]
    assert wait_until_settled(client, recording)["status"] == "ready"
    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    question = {"q": "ask not what your country can do for you"}
    assert client.get("/api/v1/search", params=question).json()["hits"]
    assert label_unlabelled_points(runtime) == 0, "a labelled library is left alone"

    points = runtime.index.search(
        runtime.dense.embed(["country"])[0].tolist(), None, limit=50,
        filter={"recording_id": recording}, fields=("audiences",),
    )  # fmt: skip
    runtime.index.set_payload([p.id for p in points], {"audiences": []})
    assert client.get("/api/v1/search", params=question).json()["hits"] == []

    assert label_unlabelled_points(runtime) == 1
    hits = client.get("/api/v1/search", params=question).json()["hits"]
    assert [h["recording_id"] for h in hits][:1] == [recording]
