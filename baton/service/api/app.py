"""The FastAPI application: API routes, the first web page, and the embedded job consumer."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from baton.service.accounts.sso import enabled as sso_enabled
from baton.service.accounts.users import ensure_first_admin
from baton.service.api import (
    analytics,
    auth,
    exports,
    first_visit,
    goals,
    health,
    pairs,
    people,
    publishing,
    recordings,
    redactions,
    search,
    sessions,
    sso,
    tags,
    topics,
    transcripts,
    users,
)
from baton.service.api.abandoned_recordings import keep_finishing_abandoned_recordings
from baton.service.api.errors import install_error_handlers
from baton.service.api.hygiene import BodyLimit, SecurityHeaders
from baton.service.api.resumable import uploads_router
from baton.service.db.engine import transaction
from baton.service.payloads import label_unlabelled_points
from baton.service.queue import JobQueue
from baton.service.runtime import ModelSet, Runtime, build_runtime
from baton.service.settings import Settings, get_settings

log = logging.getLogger(__name__)

FRONTEND_DIR = Path(str(files("baton.frontend")))


def create_app(settings: Settings | None = None, models: ModelSet | None = None) -> FastAPI:
    """Build the app; the runtime and the job consumer start and stop with it.

    ``models`` lets a caller that builds many apps (the tests) load the models only once.
    """
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        runtime = build_runtime(settings, models)
        create_first_admin(runtime)
        label_unlabelled_points(runtime)
        queue = JobQueue(runtime)
        app.state.runtime, app.state.queue = runtime, queue
        threading.Thread(target=_warm_up, args=(runtime,), name="warm-up", daemon=True).start()
        if settings.embedded_workers > 0:
            # Without Redis this process is the only consumer, so anything left processing
            # was interrupted by the last stop; with Redis, other workers may be busy.
            queue.resume_interrupted(at_startup=not settings.redis_url)
            queue.start_embedded(settings.embedded_workers)
        sweeper = asyncio.create_task(keep_finishing_abandoned_recordings(runtime, queue))
        try:
            yield
        finally:
            sweeper.cancel()
            queue.stop_embedded()
            runtime.close()

    app = FastAPI(
        title="Baton",
        summary="Capture what mentors know: upload, transcribe, index and search sessions.",
        version="0.1.0",
        lifespan=lifespan,
    )
    install_error_handlers(app)
    app.add_middleware(BodyLimit)
    app.add_middleware(SecurityHeaders, https=settings.cookie_secure)
    for module in (
        recordings,
        publishing,
        redactions,
        transcripts,
        sessions,
        search,
        first_visit,
        people,
        pairs,
        goals,
        topics,
        tags,
        analytics,
        exports,
        auth,
        users,
        health,
    ):
        app.include_router(module.router)
    app.include_router(uploads_router(settings))
    app.include_router(sso.info_router)
    if sso_enabled(settings):
        app.include_router(sso.router)
    app.mount("/static", StaticFiles(directory=FRONTEND_DIR), name="static")

    @app.get("/", include_in_schema=False)
    async def index_page() -> FileResponse:
        return FileResponse(FRONTEND_DIR / "index.html")

    return app


def create_first_admin(runtime: Runtime) -> None:
    """On a first start with no accounts, make the admin (see ``ensure_first_admin``)."""
    settings = runtime.settings
    password = settings.admin_password.get_secret_value() if settings.admin_password else None
    with transaction(runtime.sessions) as session:
        ensure_first_admin(session, settings.admin_email, password, settings.first_admin_file)


def _warm_up(runtime: Runtime) -> None:
    """Load Whisper in the background so the first upload does not wait for it."""
    try:
        runtime.speech.whisper  # noqa: B018 - the property loads the model
    except Exception:
        log.exception("the speech model failed to load; transcription jobs will fail")
