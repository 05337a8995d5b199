"""The demo's data travels inside the package: a wheel (and so the Docker image, which installs
one) carries the programme, every session's recording and its truth, not only a clone does."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from baton.service.demo.bundled import demo_corpus, demo_programme, session_media
from tests.conftest import PROJECT_ROOT

DEMO_IN_WHEEL = "baton/service/demo/corpus"


def test_every_demo_session_has_its_recording_and_truth_in_the_package() -> None:
    audio = demo_corpus() / "audio"
    for meeting in demo_programme()["sessions"]:
        stem = Path(meeting["file"]).stem
        assert session_media(audio, stem) == audio / meeting["file"]
        assert (audio / f"{stem}.truth.json").is_file()


def test_a_wheel_built_from_the_checkout_carries_the_demo(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(PROJECT_ROOT), "--no-deps",
         "--no-build-isolation", "--quiet", "--wheel-dir", str(tmp_path)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    (wheel,) = tmp_path.glob("baton-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    wanted = {"programme.json", "questions.jsonl", "README.md"} | {
        f"audio/{Path(m['file']).stem}{suffix}"
        for m in demo_programme()["sessions"]
        for suffix in (Path(m["file"]).suffix, ".truth.json")
    }
    missing = {name for name in wanted if f"{DEMO_IN_WHEEL}/{name}" not in names}
    assert not missing, f"the wheel lacks {sorted(missing)}"
