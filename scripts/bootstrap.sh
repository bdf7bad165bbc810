#!/usr/bin/env bash
# Create .venv/ and install Moochu's locked dependencies into it.
# Usage: scripts/bootstrap.sh [dev]   ("dev" adds test and lint tools)
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "Moochu needs Python 3.11 or newer (found: $("$python" --version 2>&1))." >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  if ! "$python" -m venv .venv 2>/dev/null; then
    # Debian/Ubuntu ship venv separately.
    echo "installing python3-venv from Debian's packages" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
    rm -rf .venv && "$python" -m venv .venv
  fi
fi
# uv resolves and installs the lock ~10x faster than pip; pinned for reproducibility.
if ! .venv/bin/python -c 'import uv' 2>/dev/null; then
  .venv/bin/python -m pip install -q --disable-pip-version-check "uv==0.13.*"
fi
locks=(requirements/lock.txt)
if [ "${1:-}" = "dev" ]; then
  locks+=(requirements/dev-lock.txt)
fi
.venv/bin/python -m uv pip install -q --python .venv/bin/python "${locks[@]/#/-r}"

# The year-in-review card (연말결산) draws Korean text with Debian's fonts-nanum. Best effort:
# without it (no root, no apt) Moochu runs and the card answers 503 naming the package.
if [ ! -f /usr/share/fonts/truetype/nanum/NanumGothic.ttf ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing fonts-nanum from Debian's packages (the year-in-review card's Korean font)" >&2
  { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-nanum \
    || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-nanum; }; } \
    >/dev/null 2>&1 || echo "fonts-nanum could not be installed; the year-in-review card will be unavailable" >&2
fi
