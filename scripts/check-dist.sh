#!/usr/bin/env bash
# Run the built one-folder app the way a person would, on a fresh sample database:
# its version, a briefing (checked with qpdf and read back), and the desktop started
# offscreen until its first screen has loaded. Prints the folder's size.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

app=dist/cuspdesk/cuspdesk
if [[ ! -x $app ]]; then
    echo "check-dist: $app is missing; run make dist first" >&2
    exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

expected=$(.venv/bin/python -c 'import cuspdesk; print(cuspdesk.__version__)')
version=$("$app" --version)
if [[ $version != "CUSPDesk $expected" ]]; then
    echo "check-dist: the built app says '$version', expected 'CUSPDesk $expected'" >&2
    exit 1
fi
echo "check-dist: $version"

"$app" --db "$work/demo.sqlite3" demo
"$app" --db "$work/demo.sqlite3" briefing --out "$work/briefing.pdf"
qpdf --check "$work/briefing.pdf" >/dev/null
text=$(pdftotext -raw "$work/briefing.pdf" -)
if [[ $text != *"Pre-rounds briefing: 5 North Surgical ICU"* ]]; then
    echo "check-dist: the briefing from the built app does not read as one" >&2
    exit 1
fi
echo "check-dist: briefing written and checked"

# The PostgreSQL driver travels in the bundle: a server that is not there is reported
# as unreachable, not as a driver the app lacks.
pg_said=$("$app" --db "postgresql+psycopg://check@127.0.0.1:1/none" check 2>&1 || true)
if [[ $pg_said != *"Could not connect to the database server"* ]]; then
    echo "check-dist: the built app cannot reach PostgreSQL: $pg_said" >&2
    exit 1
fi
echo "check-dist: PostgreSQL driver present"

QT_QPA_PLATFORM=offscreen XDG_CONFIG_HOME="$work/config" CUSPDESK_EXIT_WHEN_READY=1 \
    "$app" --db "$work/demo.sqlite3" 2>"$work/gui.log" || {
    cat "$work/gui.log" >&2
    echo "check-dist: the built app's desktop did not start" >&2
    exit 1
}
grep "ready in" "$work/gui.log"
echo "check-dist: folder size $(du -sh dist/cuspdesk | cut -f1)"
