"""The ``baton`` command: run the server or a worker, and talk to a running server.

``import``, ``search``, ``status`` and ``demo`` are clients of the HTTP API: in the embedded
setup the server process owns the index (Qdrant Edge locks it), so every change goes through it.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import httpx
import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from baton.service.cli_users import users_app
from baton.service.settings import get_settings
from baton.workers.media import MEDIA_SUFFIXES, format_duration

app = typer.Typer(help="Baton: capture what mentors know.", no_args_is_help=True)
app.add_typer(users_app, name="users")
console = Console()

SIGN_IN_HINT = (
    "Set BATON_TOKEN to a personal API token: make one with `baton users token EMAIL` on the "
    "server's machine, or with POST /api/v1/auth/tokens."
)
ServerOption = Annotated[
    str | None, typer.Option("--server", help="Baton's URL (default: from BATON_HOST/PORT).")
]


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
    demo: Annotated[
        bool,
        typer.Option(help="On the first start, fill the library with the demo programme."),
    ] = False,
) -> None:
    """Run the web app, the API and (embedded default) the job consumer."""
    import uvicorn

    from baton.service.api.app import create_app
    from baton.service.logs import configure_logging

    settings = get_settings()
    configure_logging(settings.log_level)
    host, port = host or settings.host, port or settings.port
    if demo:
        from baton.service.demo.first_start import fill_in_background

        fill_in_background(settings, f"http://{_local_address(host)}:{port}")
    uvicorn.run(
        create_app(settings),
        host=host,
        port=port,
        log_config=None,
        timeout_graceful_shutdown=30,
    )


def _local_address(host: str) -> str:
    """Where this machine reaches a server listening on ``host`` (any address: loopback)."""
    if host in ("0.0.0.0", ""):
        return "127.0.0.1"
    if host == "::":
        return "[::1]"
    return f"[{host}]" if ":" in host else host


@app.command()
def worker(
    threads: Annotated[int, typer.Option(help="Jobs to run at once.")] = 1,
) -> None:
    """Consume jobs from Redis (scale-out: needs BATON_REDIS_URL and BATON_QDRANT_URL)."""
    from baton.service.logs import configure_logging
    from baton.service.queue import JobQueue
    from baton.service.runtime import build_runtime

    settings = get_settings()
    configure_logging(settings.log_level)
    if not settings.redis_url or not settings.qdrant_url:
        console.print(
            "[red]A separate worker needs a shared queue and index: set BATON_REDIS_URL and "
            "BATON_QDRANT_URL. The embedded default runs its worker inside `baton serve`.[/red]"
        )
        raise typer.Exit(2)
    runtime = build_runtime(settings)
    queue = JobQueue(runtime)
    queue.resume_interrupted(at_startup=False)
    try:
        queue.run_worker(threads)
    finally:
        runtime.close()


@app.command("import")
def import_(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders of recordings.")],
    server: ServerOption = None,
    wait: Annotated[bool, typer.Option(help="Wait until each is ready or failed.")] = True,
) -> None:
    """Upload recordings to a running Baton and follow them until they are searchable."""
    files = _media_files(paths)
    if not files:
        console.print("[yellow]No audio or video files found in the paths given.[/yellow]")
        raise typer.Exit(1)
    with _client(server) as client, _progress() as progress:
        pending: dict[str, Any] = {}
        for path in files:
            task = progress.add_task(path.name, total=1.0, status="uploading")
            try:
                with path.open("rb") as handle:
                    response = client.post(
                        "/api/v1/recordings",
                        files={"file": (path.name, handle)},
                        data={"title": path.stem},
                    )
            except httpx.HTTPError as error:
                progress.update(task, status=f"[red]upload failed: {error}[/red]")
                continue
            body = response.json()
            if response.status_code >= 400:
                progress.update(task, status=f"[red]refused: {body.get('detail')}[/red]")
                continue
            pending[body["id"]] = task
            note = "already in the library" if body.get("duplicate") else body["status"]
            progress.update(task, completed=body["progress"], status=note)
        while wait and pending:
            time.sleep(1)
            for recording_id, task in list(pending.items()):
                body = client.get(f"/api/v1/recordings/{recording_id}").json()
                state = body["status"]
                label = body.get("stage") or state
                if state == "failed":
                    label = f"[red]failed: {body.get('error')}[/red]"
                progress.update(task, completed=body["progress"], status=label)
                if state in ("ready", "failed"):
                    if state == "ready":
                        progress.update(task, status="[green]ready[/green]")
                    del pending[recording_id]


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="A question in plain words.")],
    limit: Annotated[int, typer.Option(help="How many moments to show.")] = 5,
    server: ServerOption = None,
) -> None:
    """Find the moments in the library that answer a question."""
    with _client(server) as client:
        response = client.get("/api/v1/search", params={"q": query, "limit": limit})
    body = _json_or_exit(response)
    if not body["hits"]:
        console.print("No passage matches yet. Import recordings, or ask in other words.")
        return
    for rank, hit in enumerate(body["hits"], start=1):
        at = f"plays from {format_duration(hit['play_from'])}"
        console.print(f"[bold]{rank}. {hit['title']}[/bold]  {at}  (score {hit['score']:.3f})")
        # The answering sentence, then the passage it stands in.
        if hit.get("answer"):
            console.print(f"   [bold]{hit['answer']['text']}[/bold]", highlight=False)
        console.print(f"   {hit['text']}\n", highlight=False)


@app.command()
def status(server: ServerOption = None) -> None:
    """Show the server's readiness and every recording's processing state."""
    with _client(server) as client:
        ready = client.get("/readyz").json()
        body = _json_or_exit(client.get("/api/v1/recordings"))
    checks = ", ".join(f"{name} {value}" for name, value in ready.get("checks", {}).items())
    console.print(f"Server {ready['status']}: {checks}")
    table = Table("title", "status", "stage", "progress", "length", "error")
    for rec in body["recordings"]:
        length = format_duration(rec["duration"]) if rec["duration"] else "—"
        table.add_row(
            rec["title"], rec["status"], rec["stage"] or "—", f"{rec['progress']:.0%}", length,
            rec["error"] or "",
        )  # fmt: skip
    console.print(table)


@app.command()
def demo(
    server: ServerOption = None,
    corpus: Annotated[
        Path | None,
        typer.Option(
            help="Folder of session recordings named by session (s01.ogg …); default: the "
            "recordings that come with Baton."
        ),
    ] = None,
    audio: Annotated[bool, typer.Option(help="Upload the six session recordings.")] = True,
) -> None:
    """Load a populated programme: three pairs, their goals, six recorded sessions, topics,
    glossary; then print questions to ask once the recordings are ready."""
    from baton.service.demo.bundled import demo_corpus, suggested_questions
    from baton.service.demo.load import DemoError, load_demo

    audio_dir = (corpus or demo_corpus() / "audio") if audio else None
    with _client(server) as client:
        try:
            loaded = load_demo(client, audio_dir, say=lambda line: console.print(f"  {line}"))
        except DemoError as error:
            console.print(f"[red]The demo could not be loaded: {error}[/red]")
            raise typer.Exit(1) from None
    console.print(
        f"[green]Demo ready:[/green] {len(loaded.pairs)} pairs, {len(loaded.goals)} goals, "
        f"{len(loaded.sessions)} sessions, {len(loaded.recordings)} recordings uploaded "
        "(transcription runs in the background; `baton status` follows it)."
    )
    if loaded.recordings:
        console.print("Once they are ready, ask for example:")
        for question in suggested_questions():
            console.print(f'  baton search "{question["question"]}"', highlight=False)


def _media_files(paths: list[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.suffix.lower() in MEDIA_SUFFIXES))
        elif path.is_file():
            found.append(path)
        else:
            console.print(f"[yellow]Skipping {path}: no such file or folder.[/yellow]")
    return found


@contextmanager
def _client(server: str | None) -> Iterator[httpx.Client]:
    """An HTTP client of the running server; exits with a hint when none answers."""
    settings = get_settings()
    base = server or f"http://{settings.host}:{settings.port}"
    token = settings.token.get_secret_value() if settings.token else None
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    with httpx.Client(
        base_url=base, headers=headers, timeout=httpx.Timeout(30, read=None)
    ) as client:
        try:
            client.get("/healthz").raise_for_status()
        except httpx.HTTPError:
            console.print(
                f"[red]No Baton server answers at {base}. Start it with `baton serve`.[/red]"
            )
            raise typer.Exit(2) from None
        yield client


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeElapsedColumn(),
        TextColumn("{task.fields[status]}"),
        console=console,
    )


def _json_or_exit(response: httpx.Response) -> Any:
    body = response.json()
    if response.status_code >= 400:
        console.print(f"[red]{body.get('detail', response.text)}[/red]")
        if response.status_code == 401:
            console.print(SIGN_IN_HINT)
        raise typer.Exit(1)
    return body
