"""Reports for knowledge managers, as JSON or, with ``format=csv``, as a spreadsheet file."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, Response
from sqlalchemy.orm import Session

from baton.service.analytics.coverage import coverage_gaps
from baton.service.analytics.csv_export import to_csv
from baton.service.analytics.gaps import search_gaps
from baton.service.analytics.health import programme_health
from baton.service.analytics.risk import knowledge_at_risk
from baton.service.api.access import STAFF
from baton.service.api.deps import RuntimeDep, in_transaction

router = APIRouter(prefix="/api/v1/analytics", tags=["analytics"], dependencies=STAFF)

Format = Annotated[Literal["json", "csv"], Query(description="json (default) or csv")]
_ROWS: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/json": {}, "text/csv": {}}}
}


def _answer(name: str, rows: list[Any], fmt: str, extra: dict[str, Any] | None = None) -> Response:
    if fmt == "csv":
        stamp = datetime.now().strftime("%Y-%m-%d")
        return Response(
            to_csv(rows),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}-{stamp}.csv"'},
        )
    body = {**(extra or {}), "rows": [asdict(r) for r in rows]}
    return JSONResponse(jsonable_encoder(body))


@router.get(
    "/knowledge-at-risk",
    responses=_ROWS,
    summary="Experts leaving within N months: what they teach, what is captured, riskiest first.",
)
async def at_risk(
    runtime: RuntimeDep,
    months: Annotated[int, Query(ge=1, le=120)] = 12,
    format: Format = "json",
) -> Response:
    rows = await in_transaction(runtime, lambda s: knowledge_at_risk(s, months))
    return _answer("knowledge-at-risk", rows, format, {"months": months})


@router.get("/coverage", responses=_ROWS, summary="Goals and topics with no captured minutes.")
async def coverage(runtime: RuntimeDep, format: Format = "json") -> Response:
    rows = await in_transaction(runtime, coverage_gaps)
    return _answer("coverage", rows, format)


@router.get(
    "/search-gaps",
    responses=_ROWS,
    summary="Questions the library could not answer, grouped by meaning and counted.",
)
async def gaps(runtime: RuntimeDep, format: Format = "json") -> Response:
    threshold = runtime.settings.search_gap_similarity

    def work(session: Session) -> list[Any]:
        return list(search_gaps(session, runtime.dense, threshold))

    rows = await in_transaction(runtime, work)
    return _answer("search-gaps", rows, format, {"similarity_threshold": threshold})


@router.get(
    "/programme-health",
    responses=_ROWS,
    summary="Active and overdue pairs, sessions per month, hours captured.",
)
async def health(runtime: RuntimeDep, format: Format = "json") -> Response:
    report = await in_transaction(runtime, lambda s: programme_health(s))
    if format == "csv":
        rows = [{"month": m, "sessions": n} for m, n in report.sessions_per_month.items()]
        return Response(
            to_csv(rows, ["month", "sessions"]),
            media_type="text/csv; charset=utf-8",
            headers={
                "Content-Disposition": f'attachment; filename="programme-health-{date.today()}.csv"'
            },
        )
    return JSONResponse(jsonable_encoder(asdict(report)))
