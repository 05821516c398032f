#!/bin/sh
# Starts the demo hunt for `make run`: (re)imports puzzles/demo.json into ./demo.db
# (the same ids keep the progress and the place codes), prints the player URL with
# its QR code, the staff token and the place codes, then replaces itself with spurd.
# usage: tools/run-demo.sh BUILD_DIR   (environment: SPUR_LISTEN, SPUR_ADMIN_TOKEN)
set -eu
BUILD=${1:-build}
LISTEN=${SPUR_LISTEN:-127.0.0.1:8080}
URL="http://$LISTEN/"

# Quiet on success: its "a running spurd applies it on SIGHUP" reminder would only
# confuse here, since spurd starts below.
if ! out=$("$BUILD/spur" import puzzles/demo.json --db demo.db 2>&1); then
    printf '%s\n' "$out" >&2
    exit 1
fi

if [ -z "${SPUR_ADMIN_TOKEN:-}" ]; then
    SPUR_ADMIN_TOKEN=$(head -c 24 /dev/urandom | base64 | tr '+/' '-_')
fi
export SPUR_ADMIN_TOKEN

echo
echo "Demo hunt \"demo\" (puzzles/demo.json, database demo.db)"
echo
echo "Players open:"
"$BUILD/spur" qr --url "$URL" --terminal
echo
echo "Staff token (Authorization: Bearer ...): $SPUR_ADMIN_TOKEN"
echo
echo "Place codes (place, scan URL, short code to type in):"
"$BUILD/spur" qr --db demo.db --hunt demo --base-url "http://$LISTEN"
echo
exec "$BUILD/spurd" --db demo.db --listen "$LISTEN" --assets assets
