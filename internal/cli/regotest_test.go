package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/format"

	"github.com/lockdown-dev/lockdown/internal/findings"
)

var exampleRules = filepath.Join(repoRoot, "examples", "rules")

func TestTestBuiltinChecks(t *testing.T) {
	out, stderr, code := run(t, "test")
	if code != ExitOK {
		t.Fatalf("exit %d: %s\n%s", code, stderr, out)
	}
	m := regexp.MustCompile(`(?m)^PASS: (\d+)/(\d+)$`).FindStringSubmatch(out)
	if m == nil || m[1] != m[2] || m[1] == "0" {
		t.Fatalf("summary: %q", out)
	}
	if strings.Contains(out, "FAIL") || strings.Contains(out, "ERROR") {
		t.Fatalf("%s", out)
	}
}

// The example custom-rules directory: its tests pass under `lockdown
// test`, and an audit loads its check beside the built-in ones.
func TestExampleRules(t *testing.T) {
	out, stderr, code := run(t, "test", exampleRules)
	if code != ExitOK || !strings.Contains(out, "PASS: 5/5") {
		t.Fatalf("lockdown test %s: exit %d: %s\n%s", exampleRules, code, stderr, out)
	}
	out, _, code = run(t, "test", "-v", exampleRules)
	if code != ExitOK {
		t.Fatalf("-v: exit %d", code)
	}
	wantFile := filepath.Join(exampleRules, "trail", "ex_trail_01_test.rego") + ":\n"
	if !strings.HasPrefix(out, wantFile) || strings.Count(out, ": PASS\n") != 5 || strings.Contains(out, "ms)") {
		t.Fatalf("-v lists every test under its file, without durations:\n%s", out)
	}
	out, _, code = run(t, "test", "--run", "not_applicable$", exampleRules)
	if code != ExitOK || !strings.Contains(out, "PASS: 1/1") {
		t.Fatalf("--run: exit %d\n%s", code, out)
	}

	out, stderr, code = run(t, "audit", "--rules", exampleRules, "--snapshot", snapshotPath("cis/cis-clean.json"), "--format", "json")
	if code != ExitOK {
		t.Fatalf("audit --rules: exit %d: %s", code, stderr)
	}
	var rep findings.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range rep.Results {
		if r.CheckID == "EX-TRAIL-01" {
			n++
			if r.Status != findings.Pass {
				t.Errorf("cis-clean: %s %s: %s", r.Status, r.Resource.Name, r.Message)
			}
		}
	}
	if n == 0 {
		t.Fatal("no EX-TRAIL-01 results")
	}
	// alice outside the Users group (no MFA Deny) with CloudTrail allowed
	// outright: she can stop logging with access keys alone.
	var snap map[string]any
	data, err := os.ReadFile(snapshotPath("guide-compliant.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &snap); err != nil {
		t.Fatal(err)
	}
	alice := snap["users"].([]any)[0].(map[string]any)
	alice["groups"] = []string{"Administrators"}
	alice["inline_policies"] = []any{map[string]any{"name": "trail", "document": map[string]any{
		"Version": "2012-10-17", "Statement": []any{map[string]any{"Effect": "Allow", "Action": "cloudtrail:*", "Resource": "*"}}}}}
	broken := filepath.Join(t.TempDir(), "trail-open.json")
	if data, err = json.Marshal(snap); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(broken, data, 0o644); err != nil {
		t.Fatal(err)
	}
	out, stderr, code = run(t, "audit", "--rules", exampleRules, "--snapshot", broken, "--check", "EX-TRAIL-01", "--format", "json")
	if code != ExitFindings {
		t.Fatalf("alice can stop logging: exit %d: %s", code, stderr)
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Results) != 1 || rep.Results[0].Status != findings.Fail || rep.Results[0].Evidence == nil ||
		strings.Join(rep.Results[0].Evidence.Actions, ",") != "cloudtrail:DeleteTrail,cloudtrail:StopLogging" {
		t.Fatalf("%+v", rep.Results)
	}

	// opa fmt clean, as the built-in checks are.
	err = filepath.WalkDir(exampleRules, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".rego") {
			return err
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		got, err := format.SourceWithOpts(p, src, format.Opts{RegoVersion: ast.RegoV1})
		if err != nil {
			return err
		}
		if string(got) != string(src) {
			t.Errorf("%s is not opa fmt clean; formatted:\n%s", p, got)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestTestExitCodes(t *testing.T) {
	check, err := os.ReadFile(filepath.Join(exampleRules, "trail", "ex_trail_01.rego"))
	if err != nil {
		t.Fatal(err)
	}
	write := func(files map[string]string) string {
		dir := t.TempDir()
		for name, src := range files {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return dir
	}
	failing := write(map[string]string{"c.rego": string(check), "c_test.rego": "package lockdown.checks.ex_trail_01_test\n\ntest_ok if true\n\ntest_wrong if 1 == 2\n"})
	out, stderr, code := run(t, "test", failing)
	if code != ExitFindings || !strings.Contains(out, filepath.Join(failing, "c_test.rego")+":\n") ||
		!strings.Contains(out, "data.lockdown.checks.ex_trail_01_test.test_wrong: FAIL") || strings.Contains(out, "test_ok") ||
		!strings.Contains(out, "PASS: 1/2\nFAIL: 1/2\n") || !strings.Contains(stderr, "1 of 2 tests did not pass") {
		t.Fatalf("failing test: exit %d\n%s%s", code, out, stderr)
	}
	broken := write(map[string]string{"c.rego": string(check), "c_test.rego": "package lockdown.checks.ex_trail_01_test\n\ntest_x if { not_a_function(1) }\n"})
	_, stderr, code = run(t, "test", broken)
	if code != ExitInput || !strings.Contains(stderr, filepath.Join(broken, "c_test.rego")+":3") {
		t.Fatalf("compile error: exit %d: %s", code, stderr)
	}
	if _, stderr, code := run(t, "test", "--run", "(", exampleRules); code != ExitInput || !strings.Contains(stderr, "--run") {
		t.Fatalf("bad --run: exit %d: %s", code, stderr)
	}
	if _, stderr, code := run(t, "test", filepath.Join(t.TempDir(), "nope")); code != ExitInput || !strings.Contains(stderr, "nope") {
		t.Fatalf("missing dir: exit %d: %s", code, stderr)
	}
	if _, _, code := run(t, "test", "--frobnicate"); code != ExitInput {
		t.Fatalf("unknown flag: exit %d", code)
	}
}

// `lockdown test checks rego` (what one would type for opa test) says that
// the built-in tests run without a directory, rather than failing on files
// loaded twice.
func TestTestBuiltinSourceDirs(t *testing.T) {
	_, stderr, code := run(t, "test", filepath.Join(repoRoot, "checks"), filepath.Join(repoRoot, "rego"))
	if code != ExitInput || !strings.Contains(stderr, "is a built-in file") || !strings.Contains(stderr, "without a directory") {
		t.Fatalf("exit %d: %s", code, stderr)
	}
}
