#!/bin/sh
# Browser tests: every tests/browser/*.test.mjs, one file at a time. app.test.mjs (the
# participants' app) uses the spurd started here, on a free port with a fresh database
# and the test hunts (hunt.json, and a copy that ends while the tests run); other files
# may start their own. Headless Debian Chromium driven through playwright-core.
# Env: SPUR_BUILD (build dir with spurd and spur, default build), CHROMIUM.
# Screenshots go to $SPUR_BUILD/screenshots/. The last lines are node's test summary.
set -eu
cd "$(dirname "$0")/../.."
B=${SPUR_BUILD:-build}
HUNT=browser-test
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
[ -x "$CHROMIUM" ] || { echo "run.sh: $CHROMIUM missing (apt-get install chromium)" >&2; exit 1; }
sh tools/npm-ci-if-stale.sh >&2

TMP=$(mktemp -d)
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
URL=http://127.0.0.1:$PORT
export SPUR_ADMIN_TOKEN=browser-test-admin-token
PID=
cleanup() {
  if [ -n "$PID" ]; then kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The tests take only the token after /s/ from the scan URLs, so qr's base URL is moot.
"$B/spur" import tests/browser/hunt.json --db "$TMP/spur.db" >/dev/null
# A second hunt that freezes and ends while the tests run (the deadline test is last).
python3 - "$TMP/soon.json" <<'PY'
import datetime, json, sys
now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
at = lambda s: (now + datetime.timedelta(seconds=s)).strftime("%Y-%m-%dT%H:%M:%SZ")
h = json.load(open("tests/browser/hunt.json"))
h.update(id="browser-soon", title="Rallye kurz vor Schluss", freeze_at=at(30), ends_at=at(45), late_sync_grace=0)
h["prizes"] = [{"id": "urkunde", "name": "Urkunde", "count": 1, "eligible": "all"}]
json.dump(h, open(sys.argv[1], "w"))
PY
"$B/spur" import "$TMP/soon.json" --db "$TMP/spur.db" >/dev/null
"$B/spur" qr --db "$TMP/spur.db" --hunt "$HUNT" --format text >"$TMP/qr.txt"
"$B/spurd" --db "$TMP/spur.db" --listen "127.0.0.1:$PORT" --assets assets --base-url "$URL" \
  2>"$TMP/spurd.log" &
PID=$!

python3 - "$URL" <<'PY' || { echo "run.sh: server did not come up; its log:" >&2; cat "$TMP/spurd.log" >&2; exit 1; }
import sys, time, urllib.request
for _ in range(100):
    try:
        if urllib.request.urlopen(sys.argv[1] + "/api/hunts", timeout=1).status == 200: sys.exit(0)
    except Exception:
        time.sleep(0.1)
sys.exit(1)
PY

rm -rf "$B/screenshots"; mkdir -p "$B/screenshots"
echo "run.sh: server at $URL, its log is copied to $B/browser-spurd.log, screenshots in $B/screenshots/"
status=0
# app.test.mjs on its own and first (node --test orders files itself): its deadline
# test needs browser-soon, which ends 45 s after this script made it. The other files
# start spurds of their own. timeout(1) bounds a run that hangs (Debian's Node 18 has
# no --test-timeout).
run() {
  SPUR_URL=$URL SPUR_HUNT=$HUNT SPUR_QR="$TMP/qr.txt" SPUR_SHOTS="$B/screenshots" CHROMIUM=$CHROMIUM \
    timeout --kill-after=10 1200 node --test --test-concurrency=1 --test-reporter=spec "$@" || status=$?
}
if [ -n "${SPUR_BROWSER_TESTS:-}" ]; then
  run $SPUR_BROWSER_TESTS
else
  run tests/browser/app.test.mjs
  run $(ls tests/browser/*.test.mjs | grep -v '/app\.test\.mjs$')
fi
cp "$TMP/spurd.log" "$B/browser-spurd.log" 2>/dev/null || true
exit $status
