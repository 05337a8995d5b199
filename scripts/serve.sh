#!/usr/bin/env bash
# Set everything up, then run Baton on http://127.0.0.1:8000 with the embedded default
# (SQLite, Qdrant Edge, in-process workers, bundled models), data in ./baton-data.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/baton serve "$@"
