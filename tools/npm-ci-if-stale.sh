#!/bin/sh
# Installs the npm packages of package-lock.json into node_modules/ (npm ci) unless
# every locked package is already installed at exactly its locked version. Reads the
# installed packages' own package.json files: npm's hidden lockfile in node_modules/
# can claim versions that are not what is installed.
set -e
cd "$(dirname "$0")/.."
[ -f package-lock.json ] || exit 0
if ! node -e '
const lock = require("./package-lock.json").packages;
for (const path of Object.keys(lock)) {
  if (!path) continue;
  let v;
  try { v = require("./" + path + "/package.json").version; } catch (e) { process.exit(1); }
  if (v !== lock[path].version) process.exit(1);
}' 2>/dev/null; then
    echo "npm ci (node_modules/ differs from package-lock.json)"
    npm ci --no-audit --no-fund --loglevel=error
fi
