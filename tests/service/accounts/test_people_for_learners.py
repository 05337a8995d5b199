"""What a learner sees of the programme's people: whom to ask (name, role, where, what they
teach), not their email, what they are learning or when they leave (issue 21)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.support.api import bearer

PASSWORD = "a long enough password"


def test_a_learner_sees_whom_to_ask_and_not_their_contact_or_plans(client: TestClient) -> None:
    person = client.post(
        "/api/v1/people",
        json={
            "name": "Graham Pickering", "email": "graham@example.com",
            "job_title": "Senior Melt Shop Controller", "leaving_date": "2027-06-25",
            "skills_to_teach": ["ladle temperatures"], "skills_to_learn": ["Power BI"],
        },
    ).json()  # fmt: skip
    for email, role in (("new@example.com", "learner"), ("kim@example.com", "curator")):
        made = client.post(
            "/api/v1/users", json={"email": email, "password": PASSWORD, "roles": [role]}
        )
        assert made.status_code == 201, made.text
    learner = bearer(client, "new@example.com", PASSWORD)
    curator = bearer(client, "kim@example.com", PASSWORD)

    listed = client.get("/api/v1/people", headers=learner).json()["people"]
    one = client.get(f"/api/v1/people/{person['id']}", headers=learner).json()
    for seen in (next(p for p in listed if p["id"] == person["id"]), one):
        assert seen["name"] == "Graham Pickering"
        assert seen["job_title"] == "Senior Melt Shop Controller"
        assert seen["skills_to_teach"] == ["ladle temperatures"]
        assert seen["email"] is None and seen["leaving_date"] is None
        assert seen["skills_to_learn"] == []
    by_email = client.get("/api/v1/people", params={"email": "graham@example.com"}, headers=learner)
    assert by_email.status_code == 403

    full = client.get(f"/api/v1/people/{person['id']}", headers=curator).json()
    assert full["email"] == "graham@example.com" and full["leaving_date"] == "2027-06-25"
    assert full["skills_to_learn"] == ["Power BI"]
