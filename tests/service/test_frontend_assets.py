"""The page's files: every script and stylesheet it loads is served, every module a script
imports is served and exports the names asked of it, and vendored code is the published release
byte for byte (its hash is recorded in vendor/README.md)."""

from __future__ import annotations

import hashlib
import re

from fastapi.testclient import TestClient

from baton.service.api.app import FRONTEND_DIR


def test_every_file_the_page_loads_is_served(client: TestClient) -> None:
    page = client.get("/").text
    assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', page)
    assert "/static/vendor/tus-js-client-4.3.1.min.js" in assets
    for asset in assets:
        assert client.get(asset).status_code == 200, asset


IMPORT = re.compile(r'^import\s*\{([^}]*)\}\s*from\s*"\./([\w/.-]+\.js)";', re.M)
EXPORT = re.compile(r"^export (?:async )?(?:function|class|const|let) (\w+)", re.M)


def test_every_module_import_is_served_and_exported(client: TestClient) -> None:
    """The page has no build step, so a misspelt import would only show as a broken page."""
    waiting = ["app.js"]
    seen: set[str] = set()
    while waiting:
        name = waiting.pop()
        if name in seen:
            continue
        seen.add(name)
        response = client.get(f"/static/{name}")
        assert response.status_code == 200, name
        assert "javascript" in response.headers["content-type"], name
        for names, module in IMPORT.findall(response.text):
            exported = set(EXPORT.findall((FRONTEND_DIR / module).read_text()))
            asked = {part.strip() for part in names.split(",") if part.strip()}
            assert asked <= exported, f"{name} imports {asked - exported} from {module}"
            waiting.append(module)
    assert {"dom.js", "http.js"} <= seen


def test_vendored_code_is_the_published_release() -> None:
    vendor = FRONTEND_DIR / "vendor"
    rows = re.findall(
        r"^\| (\S+\.js) \|.*\| ([0-9a-f]{64}) \|", (vendor / "README.md").read_text(), re.M
    )
    assert rows, "vendor/README.md lists no files"
    for name, digest in rows:
        assert hashlib.sha256((vendor / name).read_bytes()).hexdigest() == digest, name
    assert sorted(p.name for p in vendor.glob("*.js")) == sorted(name for name, _ in rows)
