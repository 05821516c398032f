#!/bin/sh
# Installs the Debian packages spur needs to build, run and test. Uses sudo when not
# root; does nothing when everything is already installed.
set -e
PKGS="build-essential pkg-config clang libuv1-dev node-llhttp libsqlite3-dev sqlite3
libcjson-dev libqrencode-dev libpng-dev libcairo2-dev libfontconfig-dev zlib1g-dev libsodium-dev libutf8proc-dev
libzbar-dev libjpeg-dev
libcmocka-dev python3 curl wrk nginx-light zbar-tools poppler-utils chromium
fonts-dejavu-core"
# Node.js may come from Debian or elsewhere (NodeSource bundles npm): only ask for
# Debian's when there is none.
command -v npm >/dev/null 2>&1 || PKGS="$PKGS nodejs npm"
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
# checked in); installed once into node_modules/.
if [ -f package.json ] && [ ! -d node_modules/playwright-core ]; then
    echo "make deps: npm ci"
    npm ci --no-audit --no-fund --loglevel=error
fi
