#!/usr/bin/env bash
# Set everything up, then run the checks CI runs: lint, format, types, and the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh dev
.venv/bin/ruff check baton tests bench
.venv/bin/ruff format --check baton tests bench
.venv/bin/mypy
exec .venv/bin/python -m pytest "$@"
