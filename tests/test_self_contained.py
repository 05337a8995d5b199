"""Baton's code, tests and scripts name no path outside the repository.

A user's clone has nothing beside it (no workshop folder of the team's), so whatever the
package, its tests and its scripts read must live in the checkout. CI runs the suite in a copy
placed alone in an empty folder (``.ci/run``); this test also catches a path that would only be
read on some machines, or only by a test that is skipped today.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT

SCANNED = ("baton", "tests", "scripts")
"""(``.ci/run`` is left out: it looks beside the copy it makes, to be sure nothing is there.)"""
SKIPPED_DIRS = {"__pycache__", "node_modules", "vendor"}

# "../x" climbs from where the file is, or from the checkout where commands run.
_CLIMB = re.compile(r"(?<!\.)(?:\.\./)+")
# Path(__file__).parent.parent… or .parents[N]: N + 1 folders up from the file.
_FROM_FILE = re.compile(
    r"Path\(__file__\)(?:\.resolve\(\))?(?P<parents>(?:\.parent\b)+|\.parents\[(?P<n>\d+)\])"
)
# A name for the repository's root, then one folder up: outside by definition.
_ABOVE_ROOT = re.compile(r"\b\w*ROOT\.parent\b")
# Folders of the machines Baton was built on, which no user has.
_MACHINE_PATHS = re.compile(r"(?<![\w.])/(?:work|root|home)/")


def outside_paths(path: Path, text: str, root: Path = PROJECT_ROOT) -> list[str]:
    """What in ``text`` (the file at ``path``) names a place outside ``root``, one line each."""
    found: list[str] = []
    root = root.resolve()
    for number, line in enumerate(text.splitlines(), start=1):
        where = f"{path.relative_to(root)}:{number}"
        for climb in _CLIMB.finditer(line):
            targets = [(start / climb.group(0)).resolve() for start in (path.parent, root)]
            if not all(target.is_relative_to(root) for target in targets):
                found.append(f"{where} climbs out of the repository: {line.strip()}")
        for match in _FROM_FILE.finditer(line):
            ups = int(match["n"]) + 1 if match["n"] else match["parents"].count(".parent")
            target = path.resolve().parents[ups - 1] if ups <= len(path.parents) else Path("/")
            if not target.is_relative_to(root):
                found.append(f"{where} goes {ups} folders up, out of it: {line.strip()}")
        if _ABOVE_ROOT.search(line):
            found.append(f"{where} goes above the repository's root: {line.strip()}")
        if _MACHINE_PATHS.search(line):
            found.append(f"{where} names a folder of a build machine: {line.strip()}")
    return found


def scanned_files() -> list[Path]:
    files = []
    for top in SCANNED:
        for path in sorted((PROJECT_ROOT / top).rglob("*")):
            if path.is_file() and not SKIPPED_DIRS & set(path.relative_to(PROJECT_ROOT).parts):
                files.append(path)
    return files


def _text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError):
        return None  # media and other binary files name no paths


def test_no_file_of_the_package_its_tests_or_scripts_names_a_path_outside_the_repository() -> None:
    this = Path(__file__).resolve()
    found = [
        problem
        for path in scanned_files()
        if path.resolve() != this and (text := _text(path)) is not None
        for problem in outside_paths(path, text)
    ]
    assert not found, "\n".join(found)


@pytest.mark.parametrize(
    "line",
    [
        'SHARED = PROJECT_ROOT.parent / "shared"',
        'CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"',
        'AUDIO = Path(__file__).parent.parent.parent.parent / "shared"',
        'default=Path("../workshop/corpus")',
        "python3 /work/corpus/synth.py sessions audio",
    ],
)
def test_the_check_catches_each_way_of_naming_the_workshop_beside_the_checkout(line: str) -> None:
    assert outside_paths(PROJECT_ROOT / "tests" / "service" / "example.py", line)


@pytest.mark.parametrize(
    "line",
    [
        'cd "$(dirname "$0")/.."',
        "PROJECT_ROOT = Path(__file__).resolve().parents[1]",
        'FRONTEND = Path(__file__).parent / "frontend"',
        'SPEECH = PROJECT_ROOT / "tests" / "data"',
        'executable_path="/usr/bin/chromium"',
        "const headers = { ...defaults, .../** @type {any} */ (options.headers) };",
    ],
)
def test_the_check_lets_paths_inside_the_repository_and_the_system_pass(line: str) -> None:
    assert not outside_paths(PROJECT_ROOT / "tests" / "service" / "example.py", line)
