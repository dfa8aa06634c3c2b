#!/usr/bin/env bash
# Installs the test-only IAM simulator (@cloud-copilot/iam-simulate, AGPL-3.0)
# into <repo>/.cache/iamsim from the pinned package-lock.json. Idempotent: when
# the installed lock file matches, it returns immediately.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
prefix="${IAMSIM_PREFIX:-$here/../../.cache/iamsim}"
mkdir -p "$prefix"
prefix="$(cd "$prefix" && pwd)"
marker="$prefix/node_modules/.lockdown-installed-lock"
if [[ -f "$marker" ]] && cmp -s "$marker" "$here/package-lock.json" \
	&& [[ -f "$prefix/node_modules/@cloud-copilot/iam-simulate/package.json" ]]; then
	exit 0
fi
command -v npm >/dev/null || { echo "install.sh: npm not found in PATH (Node.js 20+ is needed)" >&2; exit 1; }
echo "installing @cloud-copilot/iam-simulate into $prefix (the independent IAM simulator for the differential tests)" >&2
cp "$here/package.json" "$here/package-lock.json" "$prefix/"
# --ignore-scripts: nothing from the registry runs at install time.
npm ci --prefix "$prefix" --ignore-scripts --no-audit --no-fund --loglevel=error >&2
cp "$here/package-lock.json" "$marker"
