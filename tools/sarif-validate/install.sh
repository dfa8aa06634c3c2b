#!/usr/bin/env bash
# Installs Microsoft's SARIF multitool (test-only, MIT) from npm into
# <repo>/.cache/sarif-multitool. Idempotent: returns at once when the pinned
# version is already there. Called by `make deps`.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/version.sh"
root=$(cd "$here/../.." && pwd)
cache="$root/.cache/sarif-multitool"
pkgdir="$cache/node_modules/$PACKAGE"
for tool in npm node; do
	command -v "$tool" >/dev/null 2>&1 || { echo "sarif-validate/install.sh: $tool is required (Node.js 20+)" >&2; exit 1; }
done
installed=""
if [ -f "$pkgdir/package.json" ]; then
	installed=$(node -p "require(process.argv[1]).version" "$pkgdir/package.json" 2>/dev/null || true)
fi
if [ "$installed" = "$MULTITOOL_VERSION" ]; then
	exit 0
fi
echo "installing $PACKAGE@$MULTITOOL_VERSION into $cache (validates SARIF with GitHub's ingestion rules)" >&2
mkdir -p "$cache"
npm install --prefix "$cache" --no-audit --no-fund --loglevel=error "$PACKAGE@$MULTITOOL_VERSION" >&2
