#!/usr/bin/env bash
# Install what the tests need, then run every test: unit tests and the workshop notebooks (nbval).
#
#   bash scripts/test.sh            # everything
#   bash scripts/test.sh -k layers  # extra arguments go to pytest
#
# System packages (GDAL's ogrinfo, poppler's pdftotext and pdffonts, CJK fonts (Noto for screens and PNGs, WenQuanYi Micro Hei with TrueType outlines for PDFs), Chromium for browser tests, LibreOffice to check the Word notices) come from apt-get when run
# as root on Debian/Ubuntu (as CI does); Python packages go into the checkout's virtual environment
# (.venv), made by the same bootstrap as the README's first command (scripts/cogov.py), so a system
# Python that refuses pip (PEP 668) is fine. The tests then run with the network cut (a private
# network namespace with only loopback), as at an outdoor workshop. PYTHON=... uses that
# interpreter directly instead (e.g. an activated conda environment: PYTHON=python).
set -euo pipefail
cd "$(dirname "$0")/.."
SYSTEM_PACKAGES="gdal-bin poppler-utils fonts-noto-cjk fonts-wqy-microhei chromium libreoffice-writer-nogui libreoffice-calc-nogui sqlite3 iproute2 util-linux python3-venv"

if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  missing=$(for p in $SYSTEM_PACKAGES; do dpkg -s "$p" >/dev/null 2>&1 || echo "$p"; done)
  if [ -n "$missing" ]; then
    echo "== apt-get install $missing"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
  fi
elif ! command -v ogrinfo >/dev/null 2>&1; then
  echo "!! ogrinfo (GDAL) is missing: install it with 'sudo apt-get install gdal-bin' or 'conda install gdal'." >&2
fi

if [ -n "${PYTHON:-}" ]; then
  echo "== pip install -e .[lab,test] into $PYTHON"
  "$PYTHON" -m pip install -q --disable-pip-version-check -e ".[lab,test]"
else
  echo "== the virtual environment .venv (scripts/cogov.py), with the lab and test extras"
  PYTHON=$(python3 scripts/cogov.py --extras lab,test --setup-only)
fi

echo "== ruff check, ruff format --check"
"$PYTHON" -m ruff check .
"$PYTHON" -m ruff format --check .

# the notebooks' sample workspace and the user data folder live outside the checkout during the tests
COGOV_TEST_HOME=$(mktemp -d)
export COGOV_WORKDIR="$COGOV_TEST_HOME/示例" COGOV_DATA_DIR="$COGOV_TEST_HOME/data" COGOV_CACHE_DIR="$COGOV_TEST_HOME/cache"

PYTEST=("$PYTHON" -m pytest --nbval-lax -p no:cacheprovider "$@")
if [ "$(id -u)" = 0 ] && unshare -n true 2>/dev/null; then
  echo "== pytest (network cut: only loopback)"
  export COGOV_EXPECT_OFFLINE=1
  exec unshare -n sh -c 'ip link set lo up && exec "$@"' sh "${PYTEST[@]}"
else
  echo "== pytest (could not cut the network here: run as root on Linux for the offline check)"
  exec "${PYTEST[@]}"
fi
