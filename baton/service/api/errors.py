"""Every error leaves the API as JSON ``{"detail": "..."}`` in words, with a fitting status."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from baton.service.errors import ServiceError
from baton.service.uploads import UploadError
from baton.workers.media import MediaError

log = logging.getLogger(__name__)

# Which status a refused media file gets: the request was fine, the file is not usable.
MEDIA_STATUS = {
    "empty": 400,
    "unreadable": 415,
    "no_audio": 422,
    "zero_length": 422,
    "too_long": 422,
    "corrupt": 422,
    "truncated": 422,
}


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, error: StarletteHTTPException) -> JSONResponse:
        return JSONResponse(
            {"detail": str(error.detail)}, status_code=error.status_code, headers=error.headers
        )

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, error: RequestValidationError) -> JSONResponse:
        return JSONResponse({"detail": _explain(error)}, status_code=422)

    @app.exception_handler(ServiceError)
    async def service_refused(_: Request, error: ServiceError) -> JSONResponse:
        return JSONResponse(
            {"detail": error.detail}, status_code=error.status, headers=error.headers
        )

    @app.exception_handler(UploadError)
    async def upload_refused(_: Request, error: UploadError) -> JSONResponse:
        return JSONResponse({"detail": error.detail}, status_code=error.status)

    @app.exception_handler(MediaError)
    async def media_refused(_: Request, error: MediaError) -> JSONResponse:
        return JSONResponse({"detail": error.reason}, status_code=MEDIA_STATUS.get(error.code, 422))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return JSONResponse(
            {
                "detail": "Something went wrong on the server. Try again; if it persists, tell "
                "your administrator."
            },
            status_code=500,
        )


def _explain(error: RequestValidationError) -> str:
    """Turn pydantic's list of problems into sentences: 'limit: must be at most 100.'"""
    parts = []
    for problem in error.errors():
        where = ".".join(
            str(p) for p in problem.get("loc", ()) if p not in ("query", "body", "path")
        )
        parts.append(f"{where or 'request'}: {problem.get('msg', 'is not valid')}")
    return "The request is not valid — " + "; ".join(parts) + "."
