"""The programme through the API: people, pairs, goals, sessions, partners; validation in words.

No recording is ingested here; tagging on real sessions is in ``test_tagging_corpus.py``.
"""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from typing import Any

from fastapi.testclient import TestClient


def person(client: TestClient, name: str, **fields: Any) -> dict[str, Any]:
    email = fields.pop("email", f"{name.split()[0].lower()}@plant.example")
    response = client.post("/api/v1/people", json={"name": name, "email": email, **fields})
    assert response.status_code == 201, response.text
    return dict(response.json())


def pair(client: TestClient, a: str, b: str, **fields: Any) -> dict[str, Any]:
    body = {"member_ids": [a, b], "started_on": "2026-01-05", **fields}
    response = client.post("/api/v1/pairs", json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_a_person_is_created_read_changed_and_listed(client: TestClient) -> None:
    graham = person(
        client,
        "Graham Pickering",
        email=" Graham@Ashby.example ",
        skills_to_teach=["ladle temperature control", "Ladle temperature control"],
        leaving_date="2027-06-25",
    )

    assert graham["email"] == "graham@ashby.example"
    assert graham["skills_to_teach"] == ["ladle temperature control"]
    changed = client.patch(f"/api/v1/people/{graham['id']}", json={"job_title": "Controller"})
    assert changed.json()["job_title"] == "Controller"
    assert changed.json()["leaving_date"] == "2027-06-25"
    listed = client.get("/api/v1/people", params={"email": "GRAHAM@ashby.example"}).json()
    assert [p["id"] for p in listed["people"]] == [graham["id"]]


def test_bad_people_are_refused_in_words(client: TestClient) -> None:
    person(client, "Priya Nair", email="priya@ashby.example")

    duplicate = client.post("/api/v1/people", json={"name": "P", "email": "priya@ashby.example"})
    bad_email = client.post("/api/v1/people", json={"name": "P", "email": "not an email"})
    unknown_field = client.post(
        "/api/v1/people", json={"name": "P", "email": "p@x.example", "age": 30}
    )
    missing = client.get("/api/v1/people/nobody")

    assert duplicate.status_code == 409 and "already has the email" in duplicate.json()["detail"]
    assert bad_email.status_code == 422 and "email address" in bad_email.json()["detail"]
    assert unknown_field.status_code == 422 and "age" in unknown_field.json()["detail"]
    assert missing.status_code == 404 and "No person" in missing.json()["detail"]


def test_a_pair_needs_two_different_existing_people(client: TestClient) -> None:
    maureen = person(client, "Maureen Haigh")

    same = client.post(
        "/api/v1/pairs", json={"member_ids": [maureen["id"]] * 2, "started_on": "2026-01-05"}
    )
    ghost = client.post(
        "/api/v1/pairs", json={"member_ids": [maureen["id"], "ghost"], "started_on": "2026-01-05"}
    )

    assert same.status_code == 422 and "two different people" in same.json()["detail"]
    assert ghost.status_code == 404


def test_a_goal_runs_from_its_teacher_to_the_other_member(client: TestClient) -> None:
    maureen, josh = person(client, "Maureen Haigh"), person(client, "Josh Okafor")
    outsider = person(client, "Dennis Rowley")
    the_pair = pair(client, maureen["id"], josh["id"])

    goal = client.post(
        f"/api/v1/pairs/{the_pair['id']}/goals",
        json={
            "teacher_id": josh["id"],
            "title": "Using the CMMS app on a phone",
            "milestones": [
                {"title": "Raise a work order", "due_date": "2026-03-01", "done": True},
                {"title": "Close a work order"},
            ],
        },
    )
    wrong = client.post(
        f"/api/v1/pairs/{the_pair['id']}/goals",
        json={"teacher_id": outsider["id"], "title": "Extrusion"},
    )

    assert goal.status_code == 201
    assert goal.json()["learner_id"] == maureen["id"]
    assert wrong.status_code == 422 and "one of the pair's two members" in wrong.json()["detail"]
    goals = client.get(f"/api/v1/pairs/{the_pair['id']}/goals").json()["goals"]
    progress = goals[0]["progress"]
    assert (progress["milestones_done"], progress["milestones_total"]) == (1, 2)
    assert progress["minutes_captured"] == 0 and progress["last_session_id"] is None
    flipped = client.patch(f"/api/v1/goals/{goal.json()['id']}", json={"teacher_id": maureen["id"]})
    assert flipped.json()["learner_id"] == josh["id"]


def test_a_pair_is_overdue_when_its_cadence_has_passed_since_the_last_session(
    client: TestClient,
) -> None:
    dennis, chloe = person(client, "Dennis Rowley"), person(client, "Chloe Wainwright")
    long_ago = (date.today() - timedelta(days=60)).isoformat()
    the_pair = pair(client, dennis["id"], chloe["id"], started_on=long_ago, cadence_days=14)

    assert the_pair["overdue"] is True
    meeting = client.post(
        f"/api/v1/pairs/{the_pair['id']}/sessions",
        json={"held_on": date.today().isoformat(), "title": "Billet temperatures"},
    )
    assert meeting.status_code == 201
    assert sorted(meeting.json()["participant_ids"]) == sorted([dennis["id"], chloe["id"]])
    now = client.get(f"/api/v1/pairs/{the_pair['id']}").json()
    assert now["overdue"] is False and now["session_count"] == 1
    assert now["name"] == "Dennis Rowley & Chloe Wainwright"
    assert client.get("/api/v1/pairs", params={"overdue": True}).json()["pairs"] == []


def test_people_and_pairs_with_history_are_not_deleted_by_accident(client: TestClient) -> None:
    a, b = person(client, "Graham Pickering"), person(client, "Priya Nair")
    the_pair = pair(client, a["id"], b["id"])
    client.post(f"/api/v1/pairs/{the_pair['id']}/sessions", json={"held_on": "2026-03-10"})

    member = client.delete(f"/api/v1/people/{a['id']}")
    with_sessions = client.delete(f"/api/v1/pairs/{the_pair['id']}")

    assert member.status_code == 409 and "member of pair" in member.json()["detail"]
    assert with_sessions.status_code == 409 and "ended" in with_sessions.json()["detail"]
    ended = client.patch(f"/api/v1/pairs/{the_pair['id']}", json={"status": "ended"})
    assert ended.json()["status"] == "ended" and ended.json()["overdue"] is False


def test_partner_suggestions_rank_two_way_complements_first_with_reasons(
    client: TestClient,
) -> None:
    graham = person(
        client,
        "Graham Pickering",
        skills_to_teach=["ladle temperature control", "continuous casting"],
        skills_to_learn=["Power BI", "Microsoft Teams"],
    )
    person(
        client,
        "Priya Nair",
        skills_to_teach=["Power BI dashboards", "Microsoft Teams"],
        skills_to_learn=["ladle metallurgy"],
    )
    person(client, "Sam Learner", skills_to_learn=["continuous casting"])
    person(client, "Pat Nobody", skills_to_teach=["knitting"], skills_to_learn=["origami"])

    body = client.get(f"/api/v1/people/{graham['id']}/partner-suggestions").json()

    names = [s["person"]["name"] for s in body["suggestions"]]
    assert names == ["Priya Nair", "Sam Learner"]
    best = body["suggestions"][0]
    assert {m["skill"] for m in best["they_teach"]} == {"Power BI dashboards", "Microsoft Teams"}
    assert [m["skill"] for m in best["you_teach"]] == ["ladle temperature control"]
    assert "Priya Nair can teach Graham Pickering" in best["reason"]
    assert "Only one way" in body["suggestions"][1]["reason"]


def test_topics_nest_one_level_and_names_stay_unique(client: TestClient) -> None:
    digital = client.post("/api/v1/topics", json={"name": "Digital tools"}).json()
    power_bi = client.post(
        "/api/v1/topics", json={"name": "Power BI", "parent_id": digital["id"]}
    ).json()

    deeper = client.post("/api/v1/topics", json={"name": "Slicers", "parent_id": power_bi["id"]})
    parent_nested = client.patch(
        f"/api/v1/topics/{digital['id']}", json={"parent_id": power_bi["id"]}
    )
    again = client.post("/api/v1/topics", json={"name": "power bi"})

    assert power_bi["parent_id"] == digital["id"]
    assert deeper.status_code == 422 and "one level" in deeper.json()["detail"]
    assert parent_nested.status_code == 422
    assert again.status_code == 409 and "merge into it" in again.json()["detail"]


def test_the_glossary_keeps_one_entry_per_term(client: TestClient) -> None:
    created = client.post("/api/v1/glossary", json={"term": "LOTO", "synonyms": ["lockout-tagout"]})
    twin = client.post("/api/v1/glossary", json={"term": "loto"})
    renamed = client.patch(
        f"/api/v1/glossary/{created.json()['id']}", json={"synonyms": ["lockout", "isolation"]}
    )

    assert created.status_code == 201
    assert twin.status_code == 409 and "add a synonym" in twin.json()["detail"]
    assert renamed.json()["synonyms"] == ["lockout", "isolation"]
    assert [t["term"] for t in client.get("/api/v1/glossary").json()["terms"]] == ["LOTO"]


def test_knowledge_at_risk_ranks_a_soon_leaving_expert_with_nothing_captured_first(
    client: TestClient,
) -> None:
    soon = (date.today() + timedelta(days=40)).isoformat()
    later = (date.today() + timedelta(days=300)).isoformat()
    maureen = person(client, "Maureen Haigh", leaving_date=soon, job_title="Press Supervisor")
    dennis = person(client, "Dennis Rowley", leaving_date=later)
    person(client, "Ivy Retired", leaving_date=(date.today() - timedelta(days=5)).isoformat())
    josh = person(client, "Josh Okafor")
    the_pair = pair(client, maureen["id"], josh["id"])
    client.post(
        f"/api/v1/pairs/{the_pair['id']}/goals",
        json={"teacher_id": maureen["id"], "title": "Lockout-tagout on P4"},
    )

    report = client.get("/api/v1/analytics/knowledge-at-risk", params={"months": 12}).json()
    as_csv = client.get("/api/v1/analytics/knowledge-at-risk", params={"format": "csv"})

    rows = report["rows"]
    assert [r["name"] for r in rows] == ["Maureen Haigh", "Dennis Rowley"]
    assert rows[0]["goals"] == ["Lockout-tagout on P4"] and rows[0]["minutes_captured"] == 0
    assert rows[0]["risk"] > rows[1]["risk"]
    assert as_csv.headers["content-type"].startswith("text/csv")
    header, first = as_csv.text.splitlines()[:2]
    assert header.startswith("person_id,name,job_title,leaving_date,days_left")
    assert "Maureen Haigh" in first and "Lockout-tagout on P4" in first
    assert dennis["id"] in as_csv.text


def test_coverage_and_health_report_an_empty_programme_honestly(client: TestClient) -> None:
    a, b = person(client, "Graham Pickering"), person(client, "Priya Nair")
    the_pair = pair(client, a["id"], b["id"])
    client.post(
        f"/api/v1/pairs/{the_pair['id']}/goals", json={"teacher_id": b["id"], "title": "Power BI"}
    )
    client.post("/api/v1/topics", json={"name": "Caster emergencies", "owner_id": a["id"]})

    coverage = client.get("/api/v1/analytics/coverage").json()["rows"]
    health = client.get("/api/v1/analytics/programme-health").json()
    health_csv = client.get("/api/v1/analytics/programme-health", params={"format": "csv"})

    assert {(r["kind"], r["name"]) for r in coverage} == {
        ("goal", "Power BI"),
        ("topic", "Caster emergencies"),
    }
    assert health["active_pairs"] == 1 and health["hours_captured"] == 0
    assert health["overdue_pairs"] == [the_pair["id"]]
    assert health_csv.text.splitlines()[0] == "month,sessions"


def test_report_cells_a_spreadsheet_would_run_as_formulas_are_kept_as_text(
    client: TestClient,
) -> None:
    owner = person(client, "Graham Pickering")
    typed = ['=HYPERLINK("http://evil.example")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)"]
    for name in typed:
        made = client.post("/api/v1/topics", json={"name": name, "owner_id": owner["id"]})
        assert made.status_code == 201, made.text

    rows = list(csv.DictReader(io.StringIO(
        client.get("/api/v1/analytics/coverage", params={"format": "csv"}).text
    )))  # fmt: skip

    names = {row["name"] for row in rows}
    assert names == {f"'{name}" for name in typed}
    assert {row["owner"] for row in rows} == {"Graham Pickering"}
