"""Search latency through the HTTP API with 10,000 and 100,000 passages in the index.

Target (issue 2): p95 <= 50 ms at 100,000 passages on the embedded default (SQLite, Qdrant
Edge, bundled MiniLM), on this project's 2-core machine.

How the library is filled: real passage texts are cut from the corpus truth files and embedded
for real (dense MiniLM and BM25); to reach 100,000 points without embedding for an hour, each
real passage is reused many times with a little noise on its dense vector, under 1,000
recordings of 100 passages each, and each passage's sentences are stored with a vector near
the passage's (search reads those under the hits it shows). HNSW search cost depends on the
index size and the vectors' spread, which this keeps close to real data; the texts repeat,
which only matters for BM25 scores, not for its speed. Then a real `baton serve` process
answers 200 questions (the corpus questions, reworded and cycled) over HTTP, and each
request's wall time is recorded.

    .venv/bin/python -m bench.search --sizes 10000 100000
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
import numpy as np

from baton.service.answers import packed
from baton.service.db.engine import transaction
from baton.service.db.tables import Job, Passage, Recording, Sentence
from baton.service.demo.bundled import read_questions
from baton.service.index.base import IndexPoint, point_id
from baton.service.runtime import build_runtime
from baton.service.settings import Settings
from bench.corpora import add_corpus_option, announce
from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD

ROOT = Path(__file__).resolve().parents[1]
PASSAGES_PER_RECORDING = 100
QUERIES = 200


def corpus_passages(corpus: Path) -> list[str]:
    """Every truth turn, and every pair of adjacent turns: about 300 realistic passage texts."""
    texts = []
    for truth in sorted((corpus / "audio").glob("*.truth.json")):
        turns = [t["text"] for t in json.loads(truth.read_text())["turns"]]
        texts.extend(turns)
        texts.extend(f"{a} {b}" for a, b in itertools.pairwise(turns))
    return texts


def queries(corpus: Path) -> list[str]:
    base = [question["question"] for question in read_questions(corpus)]
    prefixes = ["", "Quick one: ", "Can you remind me, ", "On the shop floor, "]
    return [prefixes[i // len(base) % len(prefixes)] + base[i % len(base)] for i in range(QUERIES)]


def fill(data_dir: Path, size: int, corpus: Path) -> None:
    """Create ``size`` passages in the database and the Edge index of ``data_dir``."""
    runtime = build_runtime(Settings(data_dir=data_dir))
    texts = corpus_passages(corpus)
    dense = runtime.dense.embed(texts, batch_size=64)
    sparse = runtime.sparse.embed_documents(texts)
    rng = np.random.default_rng(7)
    recordings = size // PASSAGES_PER_RECORDING
    started = time.perf_counter()
    for r in range(recordings):
        recording_id = str(uuid.uuid4())
        with transaction(runtime.sessions) as session:
            session.add(
                Recording(
                    id=recording_id, title=f"Session {r}", original_filename=f"s{r}.ogg",
                    size_bytes=1, sha256=uuid.uuid4().hex * 2, duration=3600.0,
                    jobs=[Job(id=str(uuid.uuid4()), recording_id=recording_id, status="ready")],
                )
            )  # fmt: skip
        points = []
        for p in range(PASSAGES_PER_RECORDING):
            k = int(rng.integers(len(texts)))
            vector = dense[k] + np.asarray(rng.normal(0, 0.02, dense.shape[1]), dtype=np.float32)
            vector /= np.linalg.norm(vector)
            points.append(
                IndexPoint(
                    id=point_id("passage", recording_id, str(p)),
                    dense=[float(x) for x in vector],
                    sparse=sparse[k],
                    payload={
                        "recording_id": recording_id, "position": p, "start": p * 36.0,
                        "end": p * 36.0 + 35.0, "text": texts[k], "language": "en",
                    },
                )
            )  # fmt: skip
        with transaction(runtime.sessions) as session:
            session.add_all(
                Passage(
                    id=point.id, recording_id=recording_id, position=n,
                    start=point.payload["start"], end=point.payload["end"],
                    text=point.payload["text"], language="en", word_count=100,
                )
                for n, point in enumerate(points)
            )  # fmt: skip
            session.add_all(_sentences(recording_id, points, rng))
        runtime.index.upsert(points)
    print(f"  filled {size} passages in {time.perf_counter() - started:.1f} s", flush=True)
    runtime.close()


def _sentences(
    recording_id: str, points: list[IndexPoint], rng: np.random.Generator
) -> list[Sentence]:
    """Each passage's sentences, spread over its time, each with a vector near the passage's:
    what search reads to find the answer inside the hits it shows."""
    rows = []
    for point in points:
        said = re.split(r"(?<=[.?!])\s+", str(point.payload["text"]))
        start, end = float(point.payload["start"]), float(point.payload["end"])
        step = (end - start) / len(said)
        for n, text in enumerate(said):
            vector = np.asarray(point.dense, dtype=np.float32) + rng.normal(0, 0.05, 384)
            vector /= np.linalg.norm(vector)
            rows.append(
                Sentence(
                    recording_id=recording_id, start=start + n * step,
                    end=start + (n + 1) * step, turn_start=start, text=text,
                    vector=packed(vector),
                )
            )  # fmt: skip
    return rows


def measure(data_dir: Path, corpus: Path) -> list[float]:
    """Start `baton serve` on the filled folder and time each search request, in ms."""
    port = _free_port()
    env = {
        **os.environ,
        "BATON_DATA_DIR": str(data_dir),
        "BATON_PORT": str(port),
        "BATON_ADMIN_EMAIL": ADMIN_EMAIL,
        "BATON_ADMIN_PASSWORD": ADMIN_PASSWORD,
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "baton", "serve"], env=env, cwd=ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, timeout=30) as client:
            _wait_ready(client)
            # Searches go as the admin: a curator sees every passage, as the filled index
            # has no audiences (a learner's search adds a filter on them).
            form = {"username": ADMIN_EMAIL, "password": ADMIN_PASSWORD}
            token = client.post("/api/v1/auth/token", data=form).json()["access_token"]
            client.headers["Authorization"] = f"Bearer {token}"
            for q in queries(corpus)[:20]:  # warm caches and lazy paths
                client.get("/api/v1/search", params={"q": q, "limit": 10})
            timings = []
            for q in queries(corpus):
                started = time.perf_counter()
                response = client.get("/api/v1/search", params={"q": q, "limit": 10})
                timings.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200 and response.json()["hits"], response.text
            return timings
    finally:
        server.terminate()
        server.wait(timeout=60)


def _wait_ready(client: httpx.Client) -> None:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            if client.get("/readyz").status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError("baton serve did not become ready")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    add_corpus_option(parser)
    args = parser.parse_args()
    announce(args.corpus)
    print(f"{'passages':>9} {'queries':>8} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for size in args.sizes:
        with tempfile.TemporaryDirectory(prefix="baton-bench-search-") as folder:
            data_dir = Path(folder) / "data"
            fill(data_dir, size, args.corpus)
            timings = sorted(measure(data_dir, args.corpus))
            p95 = timings[int(0.95 * len(timings)) - 1]
            print(
                f"{size:>9} {len(timings):>8} {statistics.median(timings):>8.1f} "
                f"{p95:>8.1f} {timings[-1]:>8.1f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
