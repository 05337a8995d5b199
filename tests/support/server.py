"""Run a real `baton serve` process for tests that need one (restarts, the CLI, a browser)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, PROJECT_ROOT


@contextmanager
def running_server(
    data_dir: Path,
    ready: bool = False,
    settings: dict[str, str] | None = None,
    options: tuple[str, ...] = (),
) -> Iterator[str]:
    """Yield the base URL of `baton serve` on a free port; SIGKILL it on exit, as a crash would.

    ``ready`` waits for /readyz (models loaded) instead of only /healthz; ``settings`` are more
    ``BATON_*`` environment variables; ``options`` go on the command line (``--demo``).
    """
    port = free_port()
    env = {
        **os.environ,
        "BATON_DATA_DIR": str(data_dir),
        "BATON_PORT": str(port),
        "BATON_ADMIN_EMAIL": ADMIN_EMAIL,
        "BATON_ADMIN_PASSWORD": ADMIN_PASSWORD,
        # Plain http on 127.0.0.1: a Secure cookie would still be kept by Chromium, but
        # not by httpx, which the tests use beside the browser.
        "BATON_COOKIE_SECURE": "false",
        **(settings or {}),
    }
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    log = (data_dir.parent / f"server-{port}.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "baton", "serve", *options],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=log,
        stderr=log,
    )
    base = f"http://127.0.0.1:{port}"
    probe = "/readyz" if ready else "/healthz"
    try:
        deadline = time.monotonic() + 180
        while True:
            assert process.poll() is None, "baton serve exited during start-up"
            try:
                if httpx.get(f"{base}{probe}", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "baton serve did not start in time"
            time.sleep(0.3)
        yield base
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        log.close()


def headers_for(base: str, email: str, password: str = ADMIN_PASSWORD) -> dict[str, str]:
    """A bearer header for an account of the server (the OAuth2 password flow)."""
    form = {"username": email, "password": password}
    answer = httpx.post(f"{base}/api/v1/auth/token", data=form, timeout=30)
    answer.raise_for_status()
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def admin_headers(base: str) -> dict[str, str]:
    """A bearer header for the server's first admin."""
    return headers_for(base, ADMIN_EMAIL)


def free_port() -> int:
    with socket.socket() as probe_socket:
        probe_socket.bind(("127.0.0.1", 0))
        return int(probe_socket.getsockname()[1])
