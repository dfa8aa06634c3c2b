package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/lockdown-dev/lockdown/internal/engine"
	"github.com/lockdown-dev/lockdown/internal/fileout"
	"github.com/lockdown-dev/lockdown/internal/findings"
	"github.com/lockdown-dev/lockdown/internal/snapshot"
	"github.com/lockdown-dev/lockdown/internal/term"
)

// runIn is run with stdin.
func runIn(t *testing.T, stdin []byte, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	streams := &term.IO{In: bytes.NewReader(stdin), Out: &out, Err: &errb, Env: func(string) (string, bool) { return "", false }}
	code = Run(args, streams)
	return out.String(), errb.String(), code
}

func decodeReport(t *testing.T, stdout string) findings.Report {
	t.Helper()
	var rep findings.Report
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("stdout is not a JSON report: %v\n%s", err, stdout)
	}
	return rep
}

// withSources writes a copy of a bundled snapshot with some sources failed.
func withSources(t *testing.T, name string, failed map[string]snapshot.SourceError) string {
	t.Helper()
	snap, _, err := snapshot.Load(snapshotPath(name))
	if err != nil {
		t.Fatal(err)
	}
	for src, e := range failed {
		e := e
		snap.Sources[src] = snapshot.SourceStatus{Status: snapshot.StatusError, Error: &e}
	}
	path := filepath.Join(t.TempDir(), "snap.json")
	if err := snapshot.Save(path, snap); err != nil {
		t.Fatal(err)
	}
	return path
}

const partialCause = "lockdown: incomplete: authorization_details: iam:GetAccountAuthorizationDetails AccessDenied: 9 checks not assessed\n"

// Incomplete is not success: the partial snapshot exits 4 and says why, on
// stderr, whatever the format and even with --quiet.
func TestIncompleteAuditExits4WithCauses(t *testing.T) {
	snap := snapshotPath("partial-access-denied.json")
	for _, format := range []string{"json", "table", "markdown", "sarif", "junit"} {
		_, stderr, code := run(t, "audit", "--snapshot", snap, "--quiet", "--format", format)
		if code != ExitIncomplete {
			t.Fatalf("%s: exit %d, want %d; stderr: %s", format, code, ExitIncomplete, stderr)
		}
		if !strings.HasPrefix(stderr, partialCause) || strings.Count(stderr, "incomplete:") != 1 {
			t.Fatalf("%s: stderr does not start with the one cause:\n%s", format, stderr)
		}
	}
	out, stderr, code := run(t, "audit", "--snapshot", snap, "--quiet", "--format", "json", "--allow-incomplete")
	if code != ExitOK || stderr != partialCause {
		t.Fatalf("--allow-incomplete: exit %d, stderr %q", code, stderr)
	}
	rep := decodeReport(t, out)
	if rep.Complete || len(rep.Incomplete) != 1 {
		t.Fatalf("report: complete=%v incomplete=%+v", rep.Complete, rep.Incomplete)
	}
	c := rep.Incomplete[0]
	if c.Source != "authorization_details" || c.Action != "iam:GetAccountAuthorizationDetails" || c.ErrorCode != "AccessDenied" || len(c.Checks) != 9 {
		t.Fatalf("cause %+v", c)
	}
	// --fail-on none does not hide incompleteness.
	if _, _, code := run(t, "audit", "--snapshot", snap, "--format", "json", "--fail-on", "none"); code != ExitIncomplete {
		t.Fatalf("--fail-on none: exit %d, want 4", code)
	}
	// A complete audit has no cause.
	out, stderr, code = run(t, "audit", "--snapshot", snapshotPath("cis/cis-clean.json"), "--format", "json")
	if code != ExitOK || stderr != "" {
		t.Fatalf("complete audit: exit %d stderr %q", code, stderr)
	}
	if rep := decodeReport(t, out); !rep.Complete || rep.Incomplete == nil || len(rep.Incomplete) != 0 {
		t.Fatalf("complete audit: complete=%v incomplete=%v", rep.Complete, rep.Incomplete)
	}
}

// Failing findings still give 1 when the audit is also incomplete, and the
// causes are still printed. The action recorded in the snapshot wins over
// the source's main action.
func TestFindingsWinOverIncomplete(t *testing.T) {
	path := withSources(t, "guide-as-written.json", map[string]snapshot.SourceError{
		snapshot.SourceCredentialReport: {Code: "ReportInProgress", Message: "still generating", Action: "iam:GenerateCredentialReport"},
	})
	_, stderr, code := run(t, "audit", "--snapshot", path, "--format", "json")
	if code != ExitFindings {
		t.Fatalf("exit %d, want 1: %s", code, stderr)
	}
	if !regexp.MustCompile(`(?m)^lockdown: incomplete: credential_report: iam:GenerateCredentialReport ReportInProgress: \d+ checks not assessed$`).MatchString(stderr) {
		t.Fatalf("no cause line for the credential report:\n%s", stderr)
	}
	// Without failing checks the same snapshot is incomplete: 4.
	if _, _, code := run(t, "audit", "--snapshot", path, "--format", "json", "--fail-on", "none"); code != ExitIncomplete {
		t.Fatalf("exit %d, want 4", code)
	}
}

// --skip-check and --check take repeated flags, comma lists and any case;
// unknown IDs are usage errors; the report records both lists.
func TestCheckSelection(t *testing.T) {
	snap := snapshotPath("cis/cis-clean.json")
	out, stderr, code := run(t, "audit", "--snapshot", snap, "--format", "json", "--skip-check", "ld-cli-01,LD-Cli-02", "--skip-check", " LD-CLI-03 ")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	rep := decodeReport(t, out)
	guide, frameworkOnly := checkSets(t)
	wantSkipped := append([]string{"LD-CLI-01", "LD-CLI-02", "LD-CLI-03"}, frameworkOnly...)
	sort.Strings(wantSkipped)
	if !slices.Equal(rep.SkippedChecks, wantSkipped) || len(rep.SelectedChecks) != len(guide)-3 || contains(rep.SelectedChecks, "LD-CLI-01") {
		t.Fatalf("selected %v skipped %v", rep.SelectedChecks, rep.SkippedChecks)
	}
	for _, r := range rep.Results {
		if strings.HasPrefix(r.CheckID, "LD-CLI-") {
			t.Fatalf("skipped check has a result: %+v", r)
		}
	}
	for _, c := range rep.Checks {
		if strings.HasPrefix(c.ID, "LD-CLI-") {
			t.Fatalf("skipped check listed in checks: %s", c.ID)
		}
	}
	out, _, code = run(t, "audit", "--snapshot", snap, "--format", "json", "--check", "ld-mfa-01,ld-adm-01", "--check", "LD-ADM-01", "--skip-check", "ld-adm-01")
	rep = decodeReport(t, out)
	if code != ExitOK || strings.Join(rep.SelectedChecks, ",") != "LD-MFA-01" || len(rep.SkippedChecks) != builtinChecks(t)-1 {
		t.Fatalf("exit %d selected %v skipped %v", code, rep.SelectedChecks, rep.SkippedChecks)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--skip-check", "LD-NOPE-01"}, `--skip-check "LD-NOPE-01": unknown check ID`},
		{[]string{"--check", "LD-MFA-01,LD-NOPE-02"}, `--check "LD-NOPE-02": unknown check ID`},
		{[]string{"--check", "LD-MFA-01,"}, "empty check ID"},
		{[]string{"--check", "LD-MFA-01", "--skip-check", "ld-mfa-01"}, "leave no check"},
	} {
		_, stderr, code := run(t, append([]string{"audit", "--snapshot", snap, "--format", "json"}, c.args...)...)
		if code != ExitInput || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", c.args, code, stderr, c.want)
		}
	}
}

// Reports are written whole, mode 0600, nothing left beside them.
func TestReportFilesPrivateAndWhole(t *testing.T) {
	dir := t.TempDir()
	js := filepath.Join(dir, "r.json")
	if err := os.WriteFile(js, []byte("old, world-readable"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := run(t, "audit", "--snapshot", snapshotPath("cis/cis-clean.json"), "-o", "json="+js, "-o", "markdown="+filepath.Join(dir, "r.md"))
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Fatalf("want exactly the two reports in the directory, got %v", entries)
	}
	for _, e := range entries {
		st, err := os.Stat(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", e.Name(), st.Mode().Perm())
		}
	}
	data, _ := os.ReadFile(js)
	decodeReport(t, string(data))
}

// Output paths are checked before any work: a missing directory, a
// directory as the file, the same file twice (however spelled), two reports
// to stdout, and overwriting the snapshot being read are usage errors.
func TestOutputPathsValidatedUpFront(t *testing.T) {
	dir := t.TempDir()
	snap := snapshotPath("guide-compliant.json")
	a := filepath.Join(dir, "a.json")
	if err := os.Symlink(a, filepath.Join(dir, "alias.json")); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"-o", "json=" + filepath.Join(dir, "missing", "r.json")}, "r.json: directory " + filepath.Join(dir, "missing") + " does not exist"},
		{[]string{"-o", "json=" + dir}, "is a directory"},
		{[]string{"-o", "json=" + a, "-o", "sarif=" + filepath.Join(dir, ".", "a.json")}, "write to the same file"},
		{[]string{"-o", "json=" + a, "-o", "sarif=" + filepath.Join(dir, "alias.json")}, "write to the same file"},
		{[]string{"-o", "json=-", "-o", "sarif=-"}, "two reports to stdout"},
		{[]string{"--format", "json", "-o", "sarif=-"}, "two reports to stdout"},
		{[]string{"-o", "json=" + snap}, "would overwrite the snapshot being audited"},
	}
	for _, c := range cases {
		_, stderr, code := run(t, append([]string{"audit", "--snapshot", snap}, c.args...)...)
		if code != ExitInput || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d stderr %q; want 2 and %q", c.args, code, stderr, c.want)
		}
	}
	if _, err := os.Lstat(a); err == nil {
		t.Fatal("a refused run wrote a report")
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

// In snapshot mode a report that cannot be written is printed, and the
// findings' exit code still wins: 1 with failing findings, else 3.
func TestWriteFailureKeepsFindingsExitCode(t *testing.T) {
	dir := t.TempDir()
	orig := writeOutput
	t.Cleanup(func() { writeOutput = orig })
	writeOutput = func(path string, data []byte, named fileout.Named) error {
		return errors.New("disk full")
	}
	out := filepath.Join(dir, "r.json")
	_, stderr, code := run(t, "audit", "--snapshot", snapshotPath("guide-as-written.json"), "-o", "json="+out)
	if code != ExitFindings || !strings.Contains(stderr, "writing json report "+out+": disk full") {
		t.Fatalf("failing findings + write error: exit %d, stderr %q", code, stderr)
	}
	_, stderr, code = run(t, "audit", "--snapshot", snapshotPath("cis/cis-clean.json"), "-o", "json="+out)
	if code != ExitRuntime || !strings.Contains(stderr, "disk full") {
		t.Fatalf("clean + write error: exit %d, stderr %q", code, stderr)
	}
	writeOutput = orig

	// The same for the report on stdout.
	var errb bytes.Buffer
	streams := &term.IO{In: strings.NewReader(""), Out: failingWriter{}, Err: &errb, Env: func(string) (string, bool) { return "", false }}
	if code := Run([]string{"audit", "--snapshot", snapshotPath("guide-as-written.json"), "--format", "json"}, streams); code != ExitFindings {
		t.Fatalf("stdout write error with findings: exit %d: %s", code, errb.String())
	}
	errb.Reset()
	if code := Run([]string{"audit", "--snapshot", snapshotPath("cis/cis-clean.json"), "--format", "json"}, streams); code != ExitRuntime || !strings.Contains(errb.String(), "disk full") {
		t.Fatalf("stdout write error, clean: exit %d: %s", code, errb.String())
	}
}

// Usage errors are exit 2 in every command.
func TestUsageErrorsExit2(t *testing.T) {
	snap := snapshotPath("guide-compliant.json")
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"audit", "stray"}, `unknown command "stray"`},
		{[]string{"collect", "-o", "x.json", "stray"}, "stray"},
		{[]string{"checks", "LD-MFA-01", "LD-ADM-01"}, "accepts at most 1 arg"},
		{[]string{"checks", "LD-NOPE-01"}, `"LD-NOPE-01": unknown check ID`},
		{[]string{"checks", "--format", "yaml"}, `--format "yaml"`},
		{[]string{"simulate", "stray"}, "stray"},
		{[]string{"version", "stray"}, "stray"},
		{[]string{"audit", "--snapshot", snap, "--param", "access_key_max_age_days=abc"}, "--param access_key_max_age_days=abc: must be an integer"},
		{[]string{"audit", "--snapshot", snap, "--param", "access_key_max_age_days=1.5"}, "--param access_key_max_age_days=1.5: must be an integer"},
		{[]string{"audit", "--snapshot", snap, "--param", "access_key_max_age_days=-3"}, "must not be negative"},
		{[]string{"audit", "--snapshot", snap, "--param", "no_such_param=1"}, "--param no_such_param: unknown parameter (known: access_key_max_age_days, "},
		{[]string{"audit", "--snapshot", snap, "--param", "novalue"}, "expected KEY=VALUE"},
		{[]string{"audit", "--snapshot", snap, "-o", "json"}, "expected FORMAT=PATH"},
		{[]string{"--frobnicate"}, "unknown flag"},
	}
	for _, c := range cases {
		_, stderr, code := run(t, c.args...)
		if code != ExitInput || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", c.args, code, stderr, c.want)
		}
		if strings.Count(stderr, "\n") != 1 {
			t.Errorf("%v: not one line: %q", c.args, stderr)
		}
	}
}

// A panic in a command is exit 3 with one line, not a stack trace.
func TestPanicIsRuntimeError(t *testing.T) {
	rootHook = func(root *cobra.Command) {
		root.AddCommand(&cobra.Command{Use: "boom", RunE: func(*cobra.Command, []string) error { panic("injected failure") }})
	}
	t.Cleanup(func() { rootHook = nil })
	_, stderr, code := run(t, "boom")
	if code != ExitRuntime {
		t.Fatalf("exit %d, want 3", code)
	}
	if stderr != "lockdown: internal error: injected failure\n" {
		t.Fatalf("stderr %q", stderr)
	}
}

func TestVersion(t *testing.T) {
	want := regexp.MustCompile(`^lockdown version dev \(checks sha256:[0-9a-f]{16}\)\n$`)
	for _, args := range [][]string{{"version"}, {"--version"}} {
		out, stderr, code := run(t, args...)
		if code != ExitOK || !want.MatchString(out) || stderr != "" {
			t.Errorf("%v: exit %d out %q err %q", args, code, out, stderr)
		}
	}
}

// -o FORMAT=- puts that report on stdout instead of the default one, and
// --snapshot - reads the snapshot from stdin.
func TestStdoutReportAndStdinSnapshot(t *testing.T) {
	snap, err := filepath.Abs(snapshotPath("guide-as-written.json"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	t.Chdir(dir)
	out, _, code := run(t, "audit", "--snapshot", snap, "-o", "json=-", "--fail-on", "none")
	if code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	decodeReport(t, out)
	out, _, _ = run(t, "audit", "--snapshot", snap, "-o", "markdown=-", "-o", "json="+filepath.Join(dir, "r.json"), "--fail-on", "none")
	if !strings.HasPrefix(out, "#") || strings.Contains(out, `"schema"`) {
		t.Fatalf("stdout is not the Markdown report alone:\n%.300s", out)
	}
	if _, err := os.Stat(filepath.Join(dir, "-")); err == nil {
		t.Fatal(`a file named "-" was written`)
	}
	data, err := os.ReadFile(snap)
	if err != nil {
		t.Fatal(err)
	}
	fromStdin, stderr, code := runIn(t, data, "audit", "--snapshot", "-", "--format", "json", "--fail-on", "none")
	if code != ExitOK {
		t.Fatalf("--snapshot -: exit %d: %s", code, stderr)
	}
	fromFile, _, _ := run(t, "audit", "--snapshot", snap, "--format", "json", "--fail-on", "none")
	if fromStdin != fromFile {
		t.Fatal("the report of a snapshot from stdin differs from the report of the file")
	}
	// SARIF of a snapshot from stdin points at a copy written beside it.
	sarif := filepath.Join(dir, "r.sarif")
	if _, stderr, code := runIn(t, data, "audit", "--snapshot", "-", "-o", "sarif="+sarif, "--fail-on", "none"); code != ExitOK {
		t.Fatalf("--snapshot - -o sarif: exit %d: %s", code, stderr)
	}
	beside := filepath.Join(dir, "lockdown-snapshot-123456789012.json")
	if copied, err := os.ReadFile(beside); err != nil || !bytes.Equal(copied, data) {
		t.Fatalf("snapshot from stdin not copied beside the SARIF file: %v", err)
	}
	if report, _ := os.ReadFile(sarif); !bytes.Contains(report, []byte("lockdown-snapshot-123456789012.json")) {
		t.Fatal("SARIF does not point at the copied snapshot")
	}
	_, stderr, code = runIn(t, []byte("{"), "audit", "--snapshot", "-")
	if code != ExitInput || !strings.Contains(stderr, "stdin:") {
		t.Fatalf("bad stdin snapshot: exit %d %q", code, stderr)
	}
}

// The JSON report records what produced it: parameters in force (defaults
// included), selected and skipped checks, the catalogue version.
func TestReportRecordsRunParameters(t *testing.T) {
	out, _, code := run(t, "audit", "--snapshot", snapshotPath("cis/cis-clean.json"), "--format", "json",
		"--param", "access_key_max_age_days=60", "--skip-check", "LD-ROOT-04")
	if code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	rep := decodeReport(t, out)
	if got := rep.Parameters["access_key_max_age_days"]; got != float64(60) {
		t.Errorf("access_key_max_age_days = %v, want 60", got)
	}
	if got := rep.Parameters["root_recent_days"]; got != float64(90) {
		t.Errorf("default root_recent_days = %v, want 90", got)
	}
	if len(rep.Parameters) < 7 {
		t.Errorf("parameters %v: defaults missing", rep.Parameters)
	}
	if !regexp.MustCompile(`^sha256:[0-9a-f]{16}$`).MatchString(rep.CatalogVersion) || rep.CatalogVersion != engine.CatalogVersion() {
		t.Errorf("catalog_version %q", rep.CatalogVersion)
	}
	guide, frameworkOnly := checkSets(t)
	if wantSkipped := append([]string{"LD-ROOT-04"}, frameworkOnly...); !slices.Equal(rep.SkippedChecks, sorted(wantSkipped)) || len(rep.SelectedChecks) != len(guide)-1 {
		t.Errorf("selected %v skipped %v", rep.SelectedChecks, rep.SkippedChecks)
	}
	rules := writeRules(t, map[string]string{"ld_x_01.rego": customCheck})
	out, stderr, _ := run(t, "audit", "--snapshot", snapshotPath("guide-compliant.json"), "--format", "json", "--rules", rules)
	rep = decodeReport(t, out)
	if !strings.HasPrefix(rep.CatalogVersion, engine.CatalogVersion()+"+rules:sha256:") || !contains(rep.SelectedChecks, "LD-X-01") {
		t.Errorf("with --rules: catalog_version %q selected %v (%s)", rep.CatalogVersion, rep.SelectedChecks, stderr)
	}
}

const customCheck = `# METADATA
# title: Custom check
# description: A check from a rules directory.
# custom:
#   id: LD-X-01
#   severity: low
#   section: Custom
#   requires: [credential_report]
#   params:
#     custom_limit: 7
#   remediation: Nothing to do.
package lockdown.checks.custom_x

results contains {"status": "PASS", "resource": {"arn": "arn:aws:iam::123456789012:root"}, "message": "ok"}
`

func writeRules(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestChecksCommand(t *testing.T) {
	out, _, code := run(t, "checks")
	if code != ExitOK || !regexp.MustCompile(`(?m)^access_key_max_age_days\s+90\s+LD-KEY-01`).MatchString(out) {
		t.Fatalf("listing lacks the parameters with defaults (exit %d):\n%s", code, out)
	}
	out, _, code = run(t, "checks", "ld-key-01")
	for _, want := range []string{"LD-KEY-01  Active access keys", "Severity:     medium", "Section:      IAM Users", "Guide step:", "Requires:     credential_report",
		"Parameters:   access_key_max_age_days=90 (default)", "Docs:         https://", "\nDescription\n", "\nRemediation\n  Create a new key"} {
		if code != ExitOK || !strings.Contains(out, want) {
			t.Errorf("checks ld-key-01 lacks %q (exit %d):\n%s", want, code, out)
		}
	}
	out, _, code = run(t, "checks", "--format", "json")
	var listing checksListing
	if err := json.Unmarshal([]byte(out), &listing); err != nil || code != ExitOK || len(listing.Checks) < 20 || len(listing.Parameters) < 7 || listing.CatalogVersion == "" {
		t.Fatalf("checks --format json: exit %d err %v\n%.300s", code, err, out)
	}
	out, _, _ = run(t, "checks", "LD-KEY-01", "--format", "json")
	var one checkEntry
	if err := json.Unmarshal([]byte(out), &one); err != nil || one.ID != "LD-KEY-01" || one.Parameters["access_key_max_age_days"] != float64(90) || one.Remediation == "" {
		t.Fatalf("checks LD-KEY-01 --format json: %v %+v", err, one)
	}
	rules := writeRules(t, map[string]string{"ld_x_01.rego": customCheck})
	out, stderr, code := run(t, "checks", "--rules", rules)
	if code != ExitOK || !strings.Contains(out, "LD-X-01") || !strings.Contains(out, "[custom: ") || !regexp.MustCompile(`(?m)^custom_limit\s+7\s+LD-X-01`).MatchString(out) {
		t.Fatalf("custom check not listed (exit %d %s):\n%s", code, stderr, out)
	}
	out, _, _ = run(t, "checks", "ld-x-01", "--rules", rules, "--format", "json")
	if err := json.Unmarshal([]byte(out), &one); err != nil || !one.Custom || len(one.Files) != 1 {
		t.Fatalf("custom check explained: %v %+v", err, one)
	}
}

// A --rules file outside lockdown.checks.*, or one with no check, is an
// input error naming the file, in checks and audit alike.
func TestBadRulesNameTheFile(t *testing.T) {
	outside := writeRules(t, map[string]string{"lib.rego": "package mylib\n\nx := 1\n"})
	nocheck := writeRules(t, map[string]string{"helper.rego": "package lockdown.checks.helper\n\nx := 1\n"})
	empty := t.TempDir()
	for _, c := range []struct {
		dir, file, want string
	}{
		{outside, "lib.rego", "package mylib is outside lockdown.checks.*"},
		{nocheck, "helper.rego", "has no package METADATA"},
		{empty, "", "no .rego files"},
	} {
		for _, cmd := range [][]string{{"checks"}, {"audit", "--snapshot", snapshotPath("guide-compliant.json")}} {
			_, stderr, code := run(t, append(cmd, "--rules", c.dir)...)
			if code != ExitInput || !strings.Contains(stderr, filepath.Join(c.dir, c.file)) || !strings.Contains(stderr, c.want) {
				t.Errorf("%v --rules %s: exit %d stderr %q; want 2 naming the file and %q", cmd, c.dir, code, stderr, c.want)
			}
		}
	}
}

// Error lines cannot drive the terminal: control characters are escaped.
func TestErrorLinesAreInert(t *testing.T) {
	var b bytes.Buffer
	printErr(&b, "profile \x1b[2Jevil\u202e\x07 name\nsecond line")
	if got, want := b.String(), `lockdown: profile \x1b[2Jevil\u202e\x07 name second line`+"\n"; got != want {
		t.Fatalf("got %q want %q", got, want)
	}
	_, stderr, _ := run(t, "audit", "--snapshot", "evil\x1b]0;title\x07.json")
	if strings.ContainsAny(stderr, "\x1b\x07") {
		t.Fatalf("raw control characters on stderr: %q", stderr)
	}
}

// The exit-code table is in --help, code 4 included.
func TestHelpHasExitTable(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"audit", "--help"}, {"collect", "--help"}, {}} {
		out, _, code := run(t, args...)
		if code != ExitOK || !strings.Contains(out, "Exit codes:") || !strings.Contains(out, "4  incomplete:") || !strings.Contains(out, "--allow-incomplete") {
			t.Errorf("%v: exit %d, no exit-code table with 4:\n%s", args, code, out)
		}
	}
}

// What collect writes to stderr (the MFA prompt, SDK log lines) quotes
// local configuration: control characters are escaped, line breaks kept.
func TestInertWriter(t *testing.T) {
	var b strings.Builder
	w := inertWriter{&b}
	in := "Enter MFA code for arn:aws:iam::123456789012:mfa/x\x1b[2J\u202e: \nnext line\n"
	n, err := w.Write([]byte(in))
	if err != nil || n != len(in) {
		t.Fatalf("Write = %d, %v", n, err)
	}
	if got, want := b.String(), `Enter MFA code for arn:aws:iam::123456789012:mfa/x\x1b[2J\u202e: `+"\nnext line\n"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

// builtinChecks is the number of built-in checks.
// checkSets splits the built-in checks into the guide's (run in every
// audit) and the frameworks' own (run with their --framework), each sorted.
func checkSets(t *testing.T) (guide, frameworkOnly []string) {
	t.Helper()
	e, err := engine.New(engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range e.Checks() {
		if c.GuideStep != "" {
			guide = append(guide, c.ID)
		} else {
			frameworkOnly = append(frameworkOnly, c.ID)
		}
	}
	if len(guide) == 0 || len(frameworkOnly) == 0 {
		t.Fatalf("guide checks %v, framework checks %v", guide, frameworkOnly)
	}
	return sorted(guide), sorted(frameworkOnly)
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	return out
}

// A framework's own checks run when the framework is asked for, or when
// named with --check; an audit without either leaves them out, listed as
// skipped, so the guide's verdict and exit code do not change under it.
func TestFrameworkChecksRunWithTheirFramework(t *testing.T) {
	snap := snapshotPath("guide-compliant.json")
	out, stderr, code := run(t, "audit", "--snapshot", snap, "--format", "json")
	rep := decodeReport(t, out)
	if code != ExitOK || contains(rep.SelectedChecks, "LD-TAG-01") || !contains(rep.SkippedChecks, "LD-TAG-01") {
		t.Fatalf("plain audit: exit %d, selected %v: %s", code, rep.SelectedChecks, stderr)
	}
	out, _, code = run(t, "audit", "--snapshot", snap, "--format", "json", "--framework", "aws-securityhub")
	rep = decodeReport(t, out)
	if code != ExitFindings || !contains(rep.SelectedChecks, "LD-TAG-01") {
		t.Fatalf("--framework aws-securityhub: exit %d, selected %v", code, rep.SelectedChecks)
	}
	for _, id := range []string{"LD-TAG-01", "LD-POL-02", "LD-AA-01"} {
		if !contains(rep.SelectedChecks, id) {
			t.Errorf("--framework aws-securityhub does not run %s", id)
		}
	}
	if contains(rep.SelectedChecks, "LD-ORG-01") {
		t.Error("--framework aws-securityhub runs LD-ORG-01, which only CIS v7 names")
	}
	out, _, _ = run(t, "audit", "--snapshot", snap, "--format", "json", "--check", "LD-TAG-01")
	if rep = decodeReport(t, out); strings.Join(rep.SelectedChecks, ",") != "LD-TAG-01" {
		t.Fatalf("--check LD-TAG-01: selected %v", rep.SelectedChecks)
	}
}

func builtinChecks(t *testing.T) int {
	t.Helper()
	e, err := engine.New(engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return len(e.Checks())
}
