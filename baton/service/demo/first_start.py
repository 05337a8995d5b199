"""``baton serve --demo``: a server that fills its own library with the demo on its first start.

The demo goes in through the server's own HTTP API, exactly as ``baton demo`` sends it (the
embedded index belongs to the server process, so everything goes through it). The loader acts
as the first admin with a personal token made for the purpose, which expires within the hour and
is revoked as soon as the programme and its recordings are in. A marker file in the data folder
records that the demo was loaded, so a restart (or a later ``--demo``) leaves what people have
since changed or deleted alone.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from baton.service.accounts.tokens import create_token, revoke_token
from baton.service.db.accounts import ApiToken, User
from baton.service.db.base import utcnow
from baton.service.db.engine import make_engine, make_session_factory, transaction
from baton.service.demo.bundled import demo_corpus
from baton.service.demo.load import DemoError, load_demo
from baton.service.settings import Settings

log = logging.getLogger(__name__)

TOKEN_NAME = "demo loader"
_START_UP_SECONDS = 600.0


def fill_in_background(settings: Settings, base_url: str) -> threading.Thread | None:
    """Start loading the demo once the server at ``base_url`` answers; None if it was loaded
    before (the marker file is there)."""
    marker = settings.data_dir / "demo-loaded"
    if marker.exists():
        log.info("demo: already loaded into this library (%s); nothing to do", marker)
        return None
    thread = threading.Thread(
        target=_fill, args=(settings, base_url), name="demo-loader", daemon=True
    )
    thread.start()
    return thread


def _fill(settings: Settings, base_url: str) -> None:
    if not _wait_until_up(base_url):
        log.error("demo: the server at %s did not answer; the demo was not loaded", base_url)
        return
    token_id, plain = _loader_token(settings)
    if token_id is None:
        log.error("demo: no enabled admin account to load the demo as; it was not loaded")
        return
    try:
        headers = {"Authorization": f"Bearer {plain}"}
        timeout = httpx.Timeout(30, read=300)
        with httpx.Client(base_url=base_url, headers=headers, timeout=timeout) as client:
            loaded = load_demo(
                client, demo_corpus() / "audio", say=lambda line: log.info("demo: %s", line)
            )
        (settings.data_dir / "demo-loaded").write_text(f"{utcnow().isoformat()}\n")
        log.info(
            "demo: loaded %d pairs, %d sessions, %d recordings (transcribing in the background)",
            len(loaded.pairs),
            len(loaded.sessions),
            len(loaded.recordings),
        )
    except (DemoError, httpx.HTTPError) as error:
        log.error("demo: loading stopped: %s; it is tried again on the next start", error)
    finally:
        _revoke(settings, token_id)


def _wait_until_up(base_url: str) -> bool:
    deadline = time.monotonic() + _START_UP_SECONDS
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base_url}/healthz", timeout=2).status_code == 200:
                return True
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    return False


@contextmanager
def _database(settings: Settings) -> Iterator[Session]:
    """A transaction on the server's database from the loader's thread, on an engine of its own."""
    engine = make_engine(settings.sqlalchemy_url)
    try:
        with transaction(make_session_factory(engine)) as session:
            yield session
    finally:
        engine.dispose()


def _loader_token(settings: Settings) -> tuple[str | None, str]:
    """A short-lived personal token of the oldest enabled admin (the first start made one)."""
    with _database(settings) as session:
        admins = [
            user
            for user in session.scalars(
                select(User).where(User.disabled.is_(False)).order_by(User.created_at)
            )
            if "admin" in user.roles
        ]
        if not admins:
            return None, ""
        token, plain = create_token(
            session, admins[0], TOKEN_NAME, expires_at=utcnow() + timedelta(hours=1)
        )
        return token.id, plain


def _revoke(settings: Settings, token_id: str) -> None:
    with _database(settings) as session:
        token = session.get(ApiToken, token_id)
        owner = session.get(User, token.user_id) if token is not None else None
        if owner is not None:
            revoke_token(session, owner, token_id)
