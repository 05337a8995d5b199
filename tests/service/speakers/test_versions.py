"""Re-transcribing with another model keeps the previous transcript and carries corrections."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import ADMIN_EMAIL, SPEECH
from tests.support.api import upload, wait_until_settled


def test_retranscribing_with_base_keeps_the_old_version_and_the_correction(
    client: TestClient,
) -> None:
    recording_id = upload(client, SPEECH / "jfk.flac").json()["id"]
    assert wait_until_settled(client, recording_id)["status"] == "ready"
    first = client.get(f"/api/v1/recordings/{recording_id}/transcript").json()
    segment = first["segments"][0]
    corrected = "And so, my fellow Americans, ask not (corrected by hand)"
    edited = client.patch(
        f"/api/v1/recordings/{recording_id}/segments/{segment['id']}",
        json={"text": corrected},
    )
    assert edited.status_code == 200, edited.text

    unknown = client.post(
        f"/api/v1/recordings/{recording_id}/reprocess", json={"whisper_model": "huge-v9"}
    )
    assert unknown.status_code == 422 and "never downloaded" in unknown.json()["detail"]
    unusable = client.post(
        f"/api/v1/recordings/{recording_id}/reprocess", json={"whisper_model": "0" * 300}
    )
    assert unusable.status_code == 422, unusable.text
    again = client.post(
        f"/api/v1/recordings/{recording_id}/reprocess", json={"whisper_model": "base"}
    )
    assert again.status_code == 202, again.text
    assert wait_until_settled(client, recording_id)["status"] == "ready"

    versions = client.get(f"/api/v1/recordings/{recording_id}/transcript/versions").json()
    assert [(v["number"], v["model"], v["current"]) for v in versions] == [
        (1, "tiny.en", False),
        (2, "base", True),
    ]
    assert "1 correction(s) carried over" in versions[1]["note"]
    old = client.get(f"/api/v1/recordings/{recording_id}/transcript/versions/1").json()
    assert old["segments"][0]["text"] == corrected

    now = client.get(f"/api/v1/recordings/{recording_id}/transcript").json()
    assert now["version"] == 2
    text = " ".join(s["text"] for s in now["segments"])
    assert "(corrected by hand)" in text
    assert "ask what you can do for your country" in text.lower().replace(",", "")
    carried = client.get(f"/api/v1/recordings/{recording_id}/edits").json()[0]
    assert carried["version"] == 2 and carried["carried_from_id"] == edited.json()["edits"][0]["id"]
    assert carried["edited_by"] == ADMIN_EMAIL

    reverted = client.post(f"/api/v1/recordings/{recording_id}/edits/{carried['id']}/revert")
    assert reverted.status_code == 200, reverted.text
    now = client.get(f"/api/v1/recordings/{recording_id}/transcript").json()
    assert "(corrected by hand)" not in " ".join(s["text"] for s in now["segments"])
    stale = client.post(
        f"/api/v1/recordings/{recording_id}/edits/{edited.json()['edits'][0]['id']}/revert"
    )
    assert stale.status_code == 409 and "earlier transcription" in stale.json()["detail"]
