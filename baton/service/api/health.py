"""Liveness and readiness: is the process up, and can it do its work right now?"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text
from starlette.concurrency import run_in_threadpool

from baton.service.api.deps import RuntimeDep
from baton.service.api.schemas import Health
from baton.service.runtime import Runtime

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health, summary="The process is alive.")
async def healthz() -> Health:
    return Health(status="ok")


@router.get(
    "/readyz",
    response_model=Health,
    responses={503: {"model": Health}},
    summary="Database, index and models are ready.",
)
async def readyz(runtime: RuntimeDep) -> JSONResponse:
    checks = await run_in_threadpool(_checks, runtime)
    ready = all(value == "ok" for value in checks.values())
    body = Health(status="ok" if ready else "unavailable", checks=checks)
    return JSONResponse(body.model_dump(), status_code=200 if ready else 503)


def _checks(runtime: Runtime) -> dict[str, str]:
    checks: dict[str, str] = {}
    try:
        with runtime.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as error:
        checks["database"] = f"error: {type(error).__name__}"
    try:
        runtime.index.count()
        checks["index"] = "ok"
    except Exception as error:
        checks["index"] = f"error: {type(error).__name__}"
    checks["speech_model"] = "ok" if runtime.speech.loaded else "loading"
    checks["embedding_model"] = "ok" if runtime.dense.loaded else "loading"
    return checks
