#!/usr/bin/env bash
# The steps of lockdown's GitHub Action (action.yml), kept in one script so
# that they can be run, and tested, outside GitHub:
#
#   run.sh build   build lockdown from the action's own checkout (go build)
#   run.sh audit   audit the account the environment's credentials belong to
#
# Inputs come from the environment (INPUT_*), never from text pasted into the
# script, so no input can inject shell code. The script never prints its
# environment and never traces itself (no set -x): the AWS credentials stay
# out of the log.
#
# audit writes, into the output directory: report.json, report.sarif,
# report.md, report.junit.xml and snapshot.json; it appends report.md to
# $GITHUB_STEP_SUMMARY and sets these step outputs in $GITHUB_OUTPUT:
#   exit-code       lockdown's exit code (also the step's own)
#   account-id      the audited account's ID
#   dir, report-json, report-markdown, report-junit, sarif, snapshot
#   sarif-category  lockdown/ACCOUNT/: one code scanning category per account
#   upload-sarif    true when the SARIF may be uploaded: the audit ran
#                   (exit 0 or 1) and saw everything, or a baseline carries
#                   forward what it could not see; false otherwise, so code
#                   scanning never closes alerts on an audit that is blind to
#                   them (exit 4, incomplete)
#   incomplete      true when some selected check was NOT_ASSESSED
set -euo pipefail

# annotate LEVEL MESSAGE: a workflow command with the message escaped, so
# that no input (a path, say) can end it and start another command.
annotate() {
	local msg="$2"
	msg=${msg//'%'/'%25'}
	msg=${msg//$'\r'/'%0D'}
	msg=${msg//$'\n'/'%0A'}
	echo "::$1 title=lockdown::$msg" >&2
}

die() {
	annotate error "$*"
	exit 2
}

output() {
	case "$2" in
	*$'\n'* | *$'\r'*) die "step output $1 would span lines" ;;
	esac
	if [ -n "${GITHUB_OUTPUT:-}" ]; then
		printf '%s=%s\n' "$1" "$2" >>"$GITHUB_OUTPUT"
	fi
}

summary() {
	if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
		cat >>"$GITHUB_STEP_SUMMARY"
	else
		cat >/dev/null
	fi
}

action_path() {
	local here
	here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
	echo "${GITHUB_ACTION_PATH:-$(cd "$here/../.." && pwd)}"
}

build() {
	local src bin version
	src=$(action_path)
	bin="${LOCKDOWN_BIN_DIR:-${RUNNER_TEMP:-${TMPDIR:-/tmp}}/lockdown-bin}/lockdown"
	# An action is checked out without its Git history: its version is the
	# ref it was used at (uses: OWNER/lockdown@REF).
	version="${GITHUB_ACTION_REF:-}"
	if [ -z "$version" ]; then
		version=$(git -C "$src" describe --tags --always --dirty 2>/dev/null || echo dev)
	fi
	case "$version" in
	*[!A-Za-z0-9._/+-]*) version=action ;;
	esac
	mkdir -p "$(dirname "$bin")"
	(cd "$src" && go build -trimpath \
		-ldflags "-X github.com/lockdown-dev/lockdown/internal/cli.Version=$version" \
		-o "$bin" ./cmd/lockdown)
	echo "lockdown $version built from $src"
	output path "$bin"
}

# json_field FILE KEY: the first "KEY": VALUE of an indented JSON report
# (lockdown writes one field a line), without quotes.
json_field() {
	sed -n 's/^ *"'"$2"'": *"\{0,1\}\([^",]*\)"\{0,1\},\{0,1\}$/\1/p' "$1" | head -n 1
}

audit() {
	local lockdown dir fail_on code
	lockdown="${LOCKDOWN:-}"
	[ -n "$lockdown" ] || die "LOCKDOWN (the lockdown binary) is not set; run the build step first"
	[ -x "$lockdown" ] || die "$lockdown is not an executable"
	dir="${INPUT_OUTPUT_DIR:-}"
	if [ -z "$dir" ]; then
		dir="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/lockdown-results"
	fi
	mkdir -p "$dir"
	dir=$(cd "$dir" && pwd)
	fail_on="${INPUT_FAIL_ON:-high}"
	case "$fail_on" in
	critical | high | medium | low | info | none) ;;
	*) die "fail-on must be one of critical, high, medium, low, info, none (got '$fail_on')" ;;
	esac

	local -a args=(audit --fail-on "$fail_on" --no-color
		--save-snapshot "$dir/snapshot.json"
		-o "json=$dir/report.json"
		-o "sarif=$dir/report.sarif"
		-o "markdown=$dir/report.md"
		-o "junit=$dir/report.junit.xml")
	# SARIF locations point into the snapshot: relative to the repository
	# when the output directory is inside the workspace.
	if [ -n "${GITHUB_WORKSPACE:-}" ]; then
		case "$dir/" in
		"${GITHUB_WORKSPACE%/}"/*) args+=(--sarif-root "$GITHUB_WORKSPACE") ;;
		esac
	fi
	local fw
	for fw in ${INPUT_FRAMEWORKS//,/ }; do
		args+=(--framework "$fw")
	done
	local baseline="${INPUT_BASELINE:-}"
	if [ -n "$baseline" ]; then
		[ -f "$baseline" ] || die "baseline $baseline is not a file"
		args+=(--baseline "$baseline")
	fi
	if [ -n "${INPUT_WAIVERS:-}" ]; then
		[ -f "$INPUT_WAIVERS" ] || die "waivers $INPUT_WAIVERS is not a file"
		# Waivers that were asked for and silently left out would change
		# the verdict: a lockdown without --waivers is an error.
		# The help is read whole first: grep -q stops at the first match, and
		# under pipefail the writer's SIGPIPE would fail the pipeline.
		audit_help=$("$lockdown" audit --help 2>/dev/null || true)
		[[ "$audit_help" == *--waivers* ]] ||
			die "this lockdown has no --waivers flag yet; remove the waivers input or use a version that has it"
		args+=(--waivers "$INPUT_WAIVERS")
	fi
	rm -f "$dir"/report.json "$dir"/report.sarif "$dir"/report.md "$dir"/report.junit.xml

	code=0
	"$lockdown" "${args[@]}" || code=$?

	local account="" not_assessed="" incomplete=false upload=false
	if [ -f "$dir/report.json" ]; then
		account=$(json_field "$dir/report.json" account_id)
		not_assessed=$(json_field "$dir/report.json" not_assessed)
	fi
	if [ "$code" = 4 ] || { [ -n "$not_assessed" ] && [ "$not_assessed" != 0 ]; }; then
		incomplete=true
	fi
	case "$code" in
	0 | 1)
		if [ -f "$dir/report.sarif" ] && { [ "$incomplete" = false ] || [ -n "$baseline" ]; }; then
			upload=true
		fi
		;;
	esac

	output exit-code "$code"
	output account-id "$account"
	output dir "$dir"
	output report-json "$dir/report.json"
	output report-markdown "$dir/report.md"
	output report-junit "$dir/report.junit.xml"
	output sarif "$dir/report.sarif"
	output snapshot "$dir/snapshot.json"
	output sarif-category "lockdown/${account:-unknown}/"
	output upload-sarif "$upload"
	output incomplete "$incomplete"

	{
		case "$code" in
		0) ;;
		1) echo "> **lockdown: findings at or above \`$fail_on\`** (exit 1)." ;;
		4) echo "> **lockdown: incomplete audit** (exit 4): some checks could not be assessed (see the log). The SARIF was not uploaded, so code scanning keeps its alerts." ;;
		*) echo "> **lockdown failed** (exit $code): see the log." ;;
		esac
		if [ "$code" = 1 ] && [ "$incomplete" = true ] && [ "$upload" = false ]; then
			echo ">"
			echo "> Some checks could not be assessed and no baseline was given: the SARIF was not uploaded, so code scanning keeps its alerts."
		fi
		echo
		if [ -f "$dir/report.md" ]; then
			# A job summary holds at most 1 MiB per step.
			local size limit=$((1000 * 1024))
			size=$(wc -c <"$dir/report.md")
			if [ "$size" -gt "$limit" ]; then
				head -c "$limit" "$dir/report.md" | sed '$d'
				echo
				echo "_The report is longer than a job summary holds; the whole report is report.md in the artifact._"
			else
				cat "$dir/report.md"
			fi
		fi
	} | summary

	case "$code" in
	4) annotate error "incomplete audit (exit 4): some selected checks could not be assessed; the SARIF is not uploaded" ;;
	1) annotate error "checks fail at or above $fail_on (exit 1)" ;;
	0) ;;
	*) annotate error "lockdown exited $code" ;;
	esac
	if [ "$code" = 1 ] && [ "$upload" = false ] && [ "$incomplete" = true ]; then
		annotate warning "some checks could not be assessed and no baseline was given: the SARIF is not uploaded"
	fi
	exit "$code"
}

case "${1:-}" in
build) build ;;
audit) audit ;;
*)
	echo "usage: run.sh build|audit" >&2
	exit 2
	;;
esac
