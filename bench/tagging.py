"""How well passages are tagged to their pair's goals, on all six corpus sessions.

Loads the demo programme (the corpus pairs and goals, topics, glossary) into an in-process
Baton, ingests the six sessions into their sessions, and prints, per session, the minutes of
audio tagged to each of the pair's goals, and how long the tag stage took. The corpus README
and the session titles say what each session is about (``SUBJECT``): the share of tagged
minutes that falls on those goals is the tagging's precision at the session level, and a goal
a session never touches should get nothing.

    .venv/bin/python -m bench.tagging
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from baton.service.api.app import create_app
from baton.service.demo.bundled import demo_programme
from baton.service.demo.load import load_demo
from bench.corpora import add_corpus_option, announce
from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, admin_settings
from tests.support.api import bearer, wait_until_settled

# The goals each session is about, by the corpus README and the session titles.
SUBJECT = {
    "s01": {"g1", "g2", "g3"},  # ladle temperatures, a frozen nozzle, a first Power BI chart
    "s02": {"g2", "g3", "g4"},  # slicers, publishing, Teams handover notes, caster breakouts
    "s03": {"g1", "g3"},  # die preheating and P4 set-up, a first work order in the app
    "s04": {"g2", "g3"},  # lockout-tagout on P4 and IH-2, closing a work order
    "s05": {"g3"},  # the SPC script and its charts
    "s06": {"g1", "g2", "g4"},  # billet and die temperatures, defects, the tablet
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    add_corpus_option(parser)  # the demo's six sessions; another copy of them may be named
    args = parser.parse_args()
    announce(args.corpus)
    programme = demo_programme()
    pair_of = {Path(s["file"]).stem: s["pair"] for s in programme["sessions"]}
    with tempfile.TemporaryDirectory(prefix="baton-bench-tagging-") as folder:
        settings = admin_settings(Path(folder) / "data")
        with TestClient(create_app(settings)) as client:
            client.headers.update(bearer(client, ADMIN_EMAIL, ADMIN_PASSWORD))
            loaded = load_demo(client, args.corpus / "audio", say=print)
            settled = {
                sid: wait_until_settled(client, rid, timeout=3600)
                for sid, rid in loaded.recordings.items()
            }
            on_subject = total = 0.0
            for sid, body in sorted(settled.items()):
                tags: list[dict[str, Any]] = client.get(
                    "/api/v1/tags",
                    params={"kind": "goal", "recording_id": body["id"], "limit": 500},
                ).json()["tags"]
                keys = {
                    goal_id: key for (pair, key), goal_id in loaded.goals.items()
                    if pair == pair_of[sid]
                }  # fmt: skip
                minutes = dict.fromkeys(sorted(keys.values()), 0.0)
                for tag in tags:
                    minutes[keys[tag["goal_id"]]] += (tag["end"] - tag["start"]) / 60
                tagged = sum(minutes.values())
                right = sum(v for k, v in minutes.items() if k in SUBJECT[sid])
                on_subject, total = on_subject + right, total + tagged
                cells = "  ".join(f"{k} {v:4.1f}" for k, v in minutes.items())
                print(
                    f"{sid}  {body['duration'] / 60:4.1f} min  {cells}  "
                    f"on subject {right / max(tagged, 1e-9):.2f}  "
                    f"tag stage {body['stage_seconds']['tag']:.2f}s"
                )
            print(f"tagged minutes on the sessions' subject goals: {on_subject / total:.2f}")
            topics = client.get("/api/v1/topics").json()["topics"]
            for topic in topics:
                print(f"topic {topic['name']:32} suggested passages {topic['suggested_passages']}")


if __name__ == "__main__":
    main()
