"""Shared fixtures: the test data inside the repository, settings in a temporary folder, models
loaded once."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from baton.service.demo.bundled import demo_corpus
from baton.service.runtime import ModelSet
from baton.service.settings import Settings

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SPEECH = PROJECT_ROOT / "tests" / "data"
"""Short clips of real human speech (their sources and licences in its README)."""
CORPUS = demo_corpus()
"""The six demo sessions, their truth and questions: data that ships inside the package."""


def pytest_configure(config: pytest.Config) -> None:
    """No automatic second transcription pass unless a test asks for one: most tests are
    about something else, and a base-model pass per upload would double the suite's time.
    ``tests/service/test_refine.py`` turns it on."""
    os.environ.setdefault("BATON_WHISPER_REFINE_MODEL", "")


@pytest.fixture(scope="session")
def models() -> ModelSet:
    """The real bundled models, loaded once for the whole run."""
    return ModelSet.from_settings(Settings())


ADMIN_EMAIL = "admin@example.com"
ADMIN_PASSWORD = "correct horse battery staple"


def admin_settings(data_dir: Path, **overrides: Any) -> Settings:
    """Settings on ``data_dir`` whose first start creates the admin tests sign in as."""
    return Settings(
        data_dir=data_dir,
        admin_email=ADMIN_EMAIL,
        admin_password=ADMIN_PASSWORD,  # type: ignore[arg-type]
        **overrides,
    )


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return admin_settings(tmp_path / "data")


@pytest.fixture
def data_dir(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "data"
    path.mkdir()
    yield path
