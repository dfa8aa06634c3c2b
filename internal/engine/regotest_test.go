package engine

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/tester"
)

const testCheck = `# METADATA
# title: Nobody may delete users without MFA
# custom:
#   id: RT-CHECK-01
#   severity: low
#   requires: [authorization_details]
package lockdown.checks.rt_check_01

import data.lockdown.lib.result

results contains result.pass(result.account, "fine") if input.account.id == "111122223333"
`

const testTests = `package lockdown.checks.rt_check_01_test

import data.lockdown.checks.rt_check_01

test_passes if {
	some r in rt_check_01.results with input as {"account": {"id": "111122223333", "arn": "arn:aws:iam::111122223333:root"}}
	r.status == "PASS"
}

test_fails if {
	count(rt_check_01.results) == 1 with input as {"account": {"id": "444455556666", "arn": "arn:aws:iam::444455556666:root"}}
}

test_decide_registered if {
	d := lockdown.iam.decide(
		{"arn": "arn:aws:iam::111122223333:user/a", "type": "user", "name": "a", "account_id": "111122223333",
		 "policies": [{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}]},
		"s3:GetObject", "*", "access_key",
	)
	d.allowed
}

test_decide_errors if {
	lockdown.iam.decide("nobody", "s3:GetObject", "*", "access_key")
}
`

func writeRules(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func byName(rs []TestResult) map[string]TestResult {
	m := map[string]TestResult{}
	for _, r := range rs {
		m[r.Name] = r
	}
	return m
}

func TestRunTestsCustomDir(t *testing.T) {
	dir := writeRules(t, map[string]string{"rt/check.rego": testCheck, "rt/check_test.rego": testTests})
	rs, err := RunTests(context.Background(), TestOptions{Dirs: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	got := byName(rs)
	for name, want := range map[string]string{
		"test_passes": TestPass, "test_fails": TestFail, "test_decide_registered": TestPass, "test_decide_errors": TestError,
	} {
		if got[name].Status != want {
			t.Errorf("%s: %s, want %s (%v)", name, got[name].Status, want, got[name].Err)
		}
	}
	if len(rs) != 4 {
		t.Fatalf("%d results, want only the directory's 4 tests: %+v", len(rs), rs)
	}
	if e := got["test_decide_errors"].Err; e == nil || !strings.Contains(e.Error(), "no account is being audited") {
		t.Errorf("decide on a name without an audited account: %v", e)
	}
	r := got["test_passes"]
	if r.File != filepath.Join(dir, "rt/check_test.rego") || r.Row != 5 || r.Package != "data.lockdown.checks.rt_check_01_test" {
		t.Errorf("location %s:%d %s", r.File, r.Row, r.Package)
	}
	for i := 1; i < len(rs); i++ {
		if rs[i-1].Row > rs[i].Row {
			t.Fatalf("results not in line order: %+v", rs)
		}
	}
}

func TestRunTestsFilter(t *testing.T) {
	dir := writeRules(t, map[string]string{"check.rego": testCheck, "check_test.rego": testTests})
	rs, err := RunTests(context.Background(), TestOptions{Dirs: []string{dir}, Run: "decide_reg"})
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 1 || rs[0].Name != "test_decide_registered" || rs[0].Status != TestPass {
		t.Fatalf("%+v", rs)
	}
	if _, err := RunTests(context.Background(), TestOptions{Dirs: []string{dir}, Run: "nothing_like_this"}); err == nil || !strings.Contains(err.Error(), "matches --run") {
		t.Fatalf("filter matching nothing: %v", err)
	}
	if _, err := RunTests(context.Background(), TestOptions{Dirs: []string{dir}, Run: "("}); err == nil {
		t.Fatal("bad regular expression accepted")
	}
}

func TestRunTestsRulesErrors(t *testing.T) {
	for name, files := range map[string]map[string]string{
		"compile":     {"check.rego": testCheck, "check_test.rego": testTests + "\ntest_undefined if { data.nope.x == undefined_var }\n"},
		"parse":       {"check.rego": testCheck, "check_test.rego": "package x\n\ntest_a if {\n"},
		"no metadata": {"check.rego": "package lockdown.checks.bare\n\nresults := set()\n", "check_test.rego": "package lockdown.checks.bare_test\n\ntest_a if true\n"},
		"outside":     {"check.rego": "package mine\n\nresults := set()\n", "check_test.rego": "package mine_test\n\ntest_a if true\n"},
		"no tests":    {"check.rego": testCheck},
		"clock":       {"check.rego": testCheck, "check_test.rego": "package lockdown.checks.rt_check_01_test\n\ntest_clock if time.now_ns() > 0\n"},
	} {
		t.Run(name, func(t *testing.T) {
			dir := writeRules(t, files)
			_, err := RunTests(context.Background(), TestOptions{Dirs: []string{dir}})
			var re *RulesError
			if !errors.As(err, &re) {
				t.Fatalf("err = %v, want a *RulesError", err)
			}
			if name != "no tests" && !strings.Contains(err.Error(), dir) {
				t.Errorf("error does not name the file: %v", err)
			}
		})
	}
	if _, err := RunTests(context.Background(), TestOptions{Dirs: []string{filepath.Join(t.TempDir(), "missing")}}); err == nil {
		t.Fatal("missing directory accepted")
	}
}

// TestPlainOPATestFails is why checks/README.md sends authors to `lockdown
// test`: `opa test checks rego` (OPA's runner, its default capabilities)
// cannot compile the checks, since it does not know lockdown.iam.decide.
func TestPlainOPATestFails(t *testing.T) {
	mods, err := parseFiles(allRego(t))
	if err != nil {
		t.Fatal(err)
	}
	_, err = tester.NewRunner().SetModules(mods).RunTests(context.Background(), nil)
	if err == nil || !strings.Contains(err.Error(), "undefined function lockdown.iam.decide") {
		t.Fatalf("plain OPA: %v", err)
	}
}
