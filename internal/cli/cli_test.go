package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lockdown-dev/lockdown/internal/term"
)

// run executes lockdown in-process with captured streams.
func run(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	streams := &term.IO{In: strings.NewReader(""), Out: &out, Err: &errb, Env: func(string) (string, bool) { return "", false }}
	code = Run(args, streams)
	return out.String(), errb.String(), code
}

const repoRoot = "../.."

func snapshotPath(name string) string {
	return filepath.Join(repoRoot, "testdata", "snapshots", name)
}

func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	truncated := filepath.Join(dir, "truncated.json")
	data, err := os.ReadFile(snapshotPath("guide-compliant.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(truncated, data[:len(data)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	wrongSchema := filepath.Join(dir, "wrong.json")
	if err := os.WriteFile(wrongSchema, []byte(`{"schema":"lockdown.snapshot/v9"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name     string
		args     []string
		code     int
		inStderr string
	}{
		{"clean account", []string{"audit", "--snapshot", snapshotPath("cis/cis-clean.json"), "--format", "json"}, ExitOK, ""},
		{"failing findings", []string{"audit", "--snapshot", snapshotPath("guide-as-written.json"), "--format", "json"}, ExitFindings, "failing result"},
		{"fail-on none", []string{"audit", "--snapshot", snapshotPath("guide-as-written.json"), "--format", "json", "--fail-on", "none"}, ExitOK, ""},
		{"fail-on above every finding", []string{"audit", "--snapshot", snapshotPath("variants/two-active-keys.json"), "--format", "json", "--fail-on", "critical"}, ExitOK, ""},
		{"missing snapshot", []string{"audit", "--snapshot", filepath.Join(dir, "nope.json")}, ExitInput, "nope.json: no such file"},
		{"truncated snapshot", []string{"audit", "--snapshot", truncated}, ExitInput, "truncated.json:"},
		{"wrong schema", []string{"audit", "--snapshot", wrongSchema}, ExitInput, `unsupported schema "lockdown.snapshot/v9"`},
		{"unknown format", []string{"audit", "--snapshot", snapshotPath("guide-compliant.json"), "--format", "yaml"}, ExitInput, `--format "yaml": unknown format`},
		{"unknown output format", []string{"audit", "--snapshot", snapshotPath("guide-compliant.json"), "-o", "pdf=x.pdf"}, ExitInput, `unknown format "pdf"`},
		{"unknown check", []string{"audit", "--snapshot", snapshotPath("guide-compliant.json"), "--check", "LD-NOPE-99"}, ExitInput, `--check "LD-NOPE-99": unknown check ID`},
		{"bad fail-on", []string{"audit", "--snapshot", snapshotPath("guide-compliant.json"), "--fail-on", "severe"}, ExitInput, "--fail-on"},
		{"unknown flag", []string{"audit", "--frobnicate"}, ExitInput, "unknown flag"},
		{"save-snapshot offline", []string{"audit", "--snapshot", snapshotPath("guide-compliant.json"), "--save-snapshot", filepath.Join(dir, "s.json")}, ExitInput, "--save-snapshot"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, stderr, code := run(t, c.args...)
			if code != c.code {
				t.Fatalf("exit %d, want %d; stderr: %s", code, c.code, stderr)
			}
			if c.inStderr != "" && !strings.Contains(stderr, c.inStderr) {
				t.Fatalf("stderr %q does not contain %q", stderr, c.inStderr)
			}
			if strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
				t.Fatalf("error output is not one line: %q", stderr)
			}
			if strings.Contains(stderr, "goroutine") || strings.Contains(stderr, "panic") {
				t.Fatalf("stack trace on stderr: %s", stderr)
			}
		})
	}
}

func TestNoCredentialsIsRuntimeError(t *testing.T) {
	// No credentials anywhere, an endpoint on loopback that nothing serves,
	// and no instance metadata: a one-line error and exit 3.
	dir := t.TempDir()
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	t.Setenv("AWS_SESSION_TOKEN", "")
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "config"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "credentials"))
	t.Setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
	t.Setenv("AWS_MAX_ATTEMPTS", "1")
	t.Setenv("AWS_REGION", "us-east-1")
	_, stderr, code := run(t, "audit", "--format", "json", "--aws-config-dir", dir)
	if code != ExitRuntime {
		t.Fatalf("exit %d, want %d; stderr: %s", code, ExitRuntime, stderr)
	}
	if !strings.HasPrefix(stderr, "lockdown: ") || strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
		t.Fatalf("want one error line, got %q", stderr)
	}
}

func TestSameSnapshotSameBytes(t *testing.T) {
	for _, format := range []string{"json", "sarif", "table", "markdown", "junit"} {
		a, _, _ := run(t, "audit", "--snapshot", snapshotPath("guide-as-written.json"), "--format", format, "--fail-on", "none")
		b, _, _ := run(t, "audit", "--snapshot", snapshotPath("guide-as-written.json"), "--format", format, "--fail-on", "none")
		if a != b || a == "" {
			t.Fatalf("%s output differs between runs (or is empty)", format)
		}
	}
}

func TestOutputFiles(t *testing.T) {
	dir := t.TempDir()
	sarif := filepath.Join(dir, "r.sarif")
	js := filepath.Join(dir, "r.json")
	stdout, stderr, code := run(t, "audit", "--snapshot", snapshotPath("guide-as-written.json"), "-o", "sarif="+sarif, "-o", "json="+js, "--fail-on", "none")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "LD-ADM-01") {
		t.Fatalf("with --output, stdout gets the table; got %q", stdout)
	}
	for _, p := range []string{sarif, js} {
		if st, err := os.Stat(p); err != nil || st.Size() == 0 {
			t.Fatalf("%s not written: %v", p, err)
		}
	}
}

func TestSimulate(t *testing.T) {
	snap := snapshotPath("guide-as-written.json")
	out, stderr, code := run(t, "simulate", "--snapshot", snap, "--principal", "alice",
		"--action", "iam:AttachUserPolicy", "--resource", "arn:aws:iam::123456789012:user/alice", "--context", "access_key")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.HasPrefix(out, "Allow\n") || !strings.Contains(out, "AdminPolicy") {
		t.Fatalf("guide as written: AdminPolicy allows alice iam:* without MFA; got\n%s", out)
	}
	out, _, code = run(t, "simulate", "--snapshot", snap, "--principal", "arn:aws:iam::123456789012:user/alice",
		"--action", "s3:ListAllMyBuckets", "--format", "json")
	if code != ExitOK || !strings.Contains(out, `"decision": "ExplicitDeny"`) || !strings.Contains(out, "DoNotAllowAnythingOtherThanAboveUnlessMFA") {
		t.Fatalf("s3 with access keys: exit %d\n%s", code, out)
	}
	out, _, _ = run(t, "simulate", "--snapshot", snap, "--principal", "alice", "--action", "s3:ListAllMyBuckets",
		"--context", "none", "--key", "aws:MultiFactorAuthAge=60", "--format", "json")
	if !strings.Contains(out, `"decision": "Allow"`) {
		t.Fatalf("explicit MFA age key: %s", out)
	}
	_, stderr, code = run(t, "simulate", "--snapshot", snap, "--principal", "mallory", "--action", "s3:ListAllMyBuckets")
	if code != ExitInput || !strings.Contains(stderr, `no user or role "mallory"`) {
		t.Fatalf("unknown principal: exit %d %s", code, stderr)
	}
	_, _, code = run(t, "simulate", "--snapshot", snapshotPath("partial-access-denied.json"), "--principal", "alice", "--action", "s3:ListAllMyBuckets")
	if code != ExitInput {
		t.Fatalf("simulation on a snapshot without policies must refuse, exit %d", code)
	}
}

// A policy IAM would not accept (here AdminRole's trust policy) makes the
// checks of what depends on it NOT_ASSESSED, naming the policy, statement
// and field; none of them passes, and everything else is still judged.
func TestUnparseablePolicyFailsClosed(t *testing.T) {
	data, err := os.ReadFile(snapshotPath("guide-compliant.json"))
	if err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(string(data), `"Effect": "Allow"`, `"Effect": "Permit"`, 1)
	if bad == string(data) {
		t.Fatal("no Allow statement to break")
	}
	path := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(path, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := run(t, "audit", "--snapshot", path, "--format", "json", "--check", "LD-ADM-03", "--check", "LD-ADM-04")
	if code != ExitIncomplete || !strings.Contains(stderr, "lockdown: incomplete: authorization_details:") {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if strings.Contains(out, `"status": "PASS"`) || strings.Count(out, `"status": "NOT_ASSESSED"`) != 2 ||
		!strings.Contains(out, `field Effect: must be exactly \"Allow\" or \"Deny\", got \"Permit\"`) {
		t.Fatalf("want two NOT_ASSESSED results naming the bad field, got\n%s", out)
	}
	out, _, _ = run(t, "audit", "--snapshot", path, "--format", "json", "--check", "LD-ADM-01")
	if strings.Contains(out, `"status": "NOT_ASSESSED"`) || !strings.Contains(out, `"status": "PASS"`) {
		t.Fatalf("users and groups do not depend on the trust policy and are judged:\n%s", out)
	}
}
