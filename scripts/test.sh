#!/usr/bin/env bash
# Set everything up, then run the checks CI runs: lint, format, types, and the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh dev
# The browser tests drive Debian's Chromium (Playwright's own browser download cannot work
# without internet access to its CDN).
if [ ! -x /usr/bin/chromium ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
.venv/bin/ruff check baton tests bench
.venv/bin/ruff format --check baton tests bench
.venv/bin/mypy
exec .venv/bin/python -m pytest "$@"
