#!/usr/bin/env bash
# Make sure the Debian packages CUSPDesk and its tests need are installed.
#
# As root, missing packages are installed with apt-get. Otherwise the exact
# command to run is printed and the script still succeeds, so the tests that
# need a missing package can say so themselves. Silent when nothing is missing.
set -euo pipefail

packages=(
    # Qt runtime (PySide6 wheels bring Qt itself, not these system libraries)
    libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3
    libglib2.0-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0
    libxcb-randr0 libxcb-render-util0 libxcb-xinerama0 libxcb-image0
    # PDF checks in the report tests, a virtual display, and a PostgreSQL server
    poppler-utils qpdf xvfb postgresql
    # checks the Linux desktop entry in the packaging tests
    desktop-file-utils
    # a CJK TrueType font, so the printing tests cover Chinese, Japanese and Korean names
    fonts-wqy-microhei
)

if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "system-deps: not a Debian-based system; install the equivalents of: ${packages[*]}" >&2
    exit 0
fi

# `python3 -m venv` needs ensurepip, which Debian ships separately.
if ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
    packages+=(python3-venv)
fi

missing=()
for pkg in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    if [[ "$status" != "install ok installed" ]]; then
        missing+=("$pkg")
    fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
    exit 0
fi

if [[ $(id -u) -eq 0 ]]; then
    echo "system-deps: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q --no-install-recommends "${missing[@]}"
else
    echo "system-deps: these Debian packages are missing: ${missing[*]}" >&2
    echo "system-deps: install them with:" >&2
    echo "    sudo apt-get install --no-install-recommends ${missing[*]}" >&2
    echo "system-deps: continuing; tests that need them will report it." >&2
fi
