#!/usr/bin/env bash
# Validate SARIF files with Microsoft's SARIF multitool, using the SARIF
# rules and GitHub Advanced Security's ingestion rules ("Ghas;Sarif").
#
#   tools/sarif-validate/run.sh [--strict] FILE...
#
# The multitool is installed from npm into .cache/sarif-multitool at the
# repository root (ignored by git) by install.sh (make deps); this script
# never installs anything. It exits 0 even when it
# finds problems, so this script reads its output log and exits 1 when any
# error-level result exists (with --strict, or SARIF_VALIDATE_STRICT=1, also
# for warnings). Notes are counted but never fail the run. Exit 2 means the
# tool could not be installed or run. config.xml disables the one rule that
# makes network requests (SARIF2006, URI reachability).
set -euo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/version.sh"

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
cache="$root/.cache/sarif-multitool"
pkgdir="$cache/node_modules/$PACKAGE"
bin="$pkgdir/Sarif.Multitool"

strict=${SARIF_VALIDATE_STRICT:-0}
files=()
for arg in "$@"; do
	case "$arg" in
	--strict) strict=1 ;;
	-h | --help)
		sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
		exit 0
		;;
	*) files+=("$arg") ;;
	esac
done
if [ ${#files[@]} -eq 0 ]; then
	echo "usage: $0 [--strict] FILE..." >&2
	exit 2
fi
for f in "${files[@]}"; do
	if [ ! -f "$f" ]; then
		echo "sarif-validate: $f: no such file" >&2
		exit 2
	fi
done

if [ "$(uname -s)" != "Linux" ]; then
	echo "sarif-validate: $PACKAGE only runs on Linux" >&2
	exit 2
fi
for tool in npm node; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "sarif-validate: $tool is required to install and read the multitool's output" >&2
		exit 2
	fi
done

installed=""
if [ -f "$pkgdir/package.json" ]; then
	installed=$(node -p "require(process.argv[1]).version" "$pkgdir/package.json" 2>/dev/null || true)
fi
if [ "$installed" != "$MULTITOOL_VERSION" ]; then
	echo "sarif-validate: $PACKAGE@$MULTITOOL_VERSION is not installed in $cache: run make deps (tools/sarif-validate/install.sh)" >&2
	exit 2
fi
# The package's postinstall does this, but npm may be configured not to run
# install scripts.
chmod u+x "$bin"
if [ ! -x "$bin" ]; then
	echo "sarif-validate: $bin is missing after install" >&2
	exit 2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

status=0
for f in "${files[@]}"; do
	out="$work/out.sarif"
	rm -f "$out"
	# DOTNET_CLI_TELEMETRY_OPTOUT: the tool is a .NET single-file app.
	if ! DOTNET_CLI_TELEMETRY_OPTOUT=1 "$bin" validate "$f" \
		--rule-kind "Ghas;Sarif" \
		--level "Error;Warning;Note" \
		--config "$here/config.xml" \
		--output "$out" --log ForceOverwrite >"$work/stdout" 2>&1; then
		cat "$work/stdout" >&2
		echo "sarif-validate: $f: the multitool failed to run" >&2
		exit 2
	fi
	if [ ! -s "$out" ]; then
		cat "$work/stdout" >&2
		echo "sarif-validate: $f: the multitool wrote no output log" >&2
		exit 2
	fi
	# A result without "level" is a warning (SARIF 3.27.10). Tool execution
	# notifications of level error mean the file could not be analysed.
	set +e
	node - "$out" "$f" "$strict" <<'JS'
const fs = require("fs");
const [out, file, strict] = process.argv.slice(2);
const log = JSON.parse(fs.readFileSync(out, "utf8"));
const counts = { error: 0, warning: 0, note: 0 };
const notes = {};
let failed = false;
for (const run of log.runs || []) {
	const rules = (run.tool && run.tool.driver && run.tool.driver.rules) || [];
	for (const inv of run.invocations || []) {
		for (const n of [].concat(inv.toolExecutionNotifications || [], inv.toolConfigurationNotifications || [])) {
			if ((n.level || "warning") === "error") {
				console.log(`${file}: tool error: ${n.message && n.message.text}`);
				failed = true;
			}
		}
		if (inv.executionSuccessful === false) {
			console.log(`${file}: the multitool reports an unsuccessful execution`);
			failed = true;
		}
	}
	for (const r of run.results || []) {
		const level = r.level || "warning";
		counts[level] = (counts[level] || 0) + 1;
		let text = (r.message && r.message.text) || "";
		const rule = rules[r.ruleIndex] || rules.find((x) => x.id === r.ruleId);
		if (!text && rule && r.message && r.message.id && rule.messageStrings && rule.messageStrings[r.message.id]) {
			text = rule.messageStrings[r.message.id].text.replace(/\{(\d+)\}/g, (_, i) => (r.message.arguments || [])[i] ?? "");
		}
		if (level === "note") {
			notes[r.ruleId] = (notes[r.ruleId] || 0) + 1;
		} else {
			console.log(`${file}: ${level}: ${r.ruleId}${rule && rule.name ? " " + rule.name : ""}: ${text}`);
		}
	}
}
const noteList = Object.keys(notes).sort().map((k) => `${k} x${notes[k]}`).join(", ");
console.log(`${file}: ${counts.error} errors, ${counts.warning} warnings, ${counts.note} notes${noteList ? " (" + noteList + ")" : ""}`);
if (failed || counts.error > 0 || (strict === "1" && counts.warning > 0)) process.exit(1);
JS
	rc=$?
	set -e
	if [ $rc -ne 0 ]; then
		status=1
	fi
done
exit $status
