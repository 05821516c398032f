#!/bin/sh
# Installs the Debian packages spur needs to build, run and test. Uses sudo when not
# root; does nothing when everything is already installed.
#   sh tools/deps.sh          everything: build, run, test, bench (make deps)
#   sh tools/deps.sh build    only what `make` and a running spurd need (make deps-build):
#                             for a server, without the test tools, browsers and web
#                             servers the tests start
set -e
PKGS="build-essential pkg-config libuv1-dev liburing-dev node-llhttp libsqlite3-dev sqlite3
libcjson-dev libqrencode-dev libpng-dev libcairo2-dev libfontconfig-dev zlib1g-dev libsodium-dev libutf8proc-dev
libzbar-dev libjpeg-dev libxlsxwriter-dev libcmark-dev libvips-dev libjs-leaflet tzdata fonts-dejavu-core"
if [ "${1:-}" = build ]; then
    TESTING=0
else
    TESTING=1
    PKGS="$PKGS clang libclang-rt-14-dev libcmocka-dev python3 curl openssl wrk nginx-light caddy
zbar-tools poppler-utils chromium"
fi
# clang's libFuzzer and sanitizer runtimes (make test-fuzz) are in libclang-rt-14-dev,
# which clang alone does not pull in. openssl makes the proxy test's certificate; the
# proxy test runs the shipped nginx site and checks the shipped Caddyfile with caddy.
# Node.js may come from Debian or elsewhere (NodeSource bundles npm): only ask for
# Debian's when there is none.
[ "$TESTING" = 0 ] || command -v npm >/dev/null 2>&1 || PKGS="$PKGS nodejs npm"
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
    echo "make deps: installing$missing"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO=sudo
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
# The browser tests drive Debian's chromium with playwright-core from npm (lock file
# checked in; pinned to a version that runs on Debian 12's Node 18).
[ "$TESTING" = 0 ] || sh tools/npm-ci-if-stale.sh
