package engine

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/lockdown-dev/lockdown/internal/findings"
	"github.com/lockdown-dev/lockdown/internal/snapshot"
	"github.com/lockdown-dev/lockdown/internal/snapshot/snapshottest"
)

const acct = "111122223333"

var crHeader = snapshottest.CredentialReportColumns

func crRows(lines ...string) *snapshot.CredentialReport {
	return snapshottest.ReportFromLines(crHeader, lines...)
}

// rootLine builds the root row: mfa, key1 active, password last used.
func rootLine(mfa, key1 bool, pwLastUsed string) string {
	k := "false,N/A,N/A,N/A,N/A"
	if key1 {
		k = "true,2020-01-01T00:00:00+00:00,N/A,N/A,N/A"
	}
	return "<root_account>,arn:aws:iam::" + acct + ":root,2015-06-24T12:45:00+00:00,not_supported," + pwLastUsed + ",not_supported,not_supported," +
		boolStr(mfa) + "," + k + ",false,N/A,N/A,N/A,N/A,false,N/A,false,N/A"
}

func boolStr(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

func newSnap() *snapshot.Snapshot {
	s := &snapshot.Snapshot{
		Schema:      snapshot.SchemaV1,
		CollectedAt: time.Date(2026, 11, 27, 7, 0, 0, 0, time.UTC),
		Account:     snapshot.Account{ID: acct, Partition: "aws"},
		Sources:     map[string]snapshot.SourceStatus{},
	}
	for _, src := range []string{snapshot.SourceCredentialReport, snapshot.SourceVirtualMFADevices, snapshot.SourceAccountSummary} {
		s.Sources[src] = snapshot.SourceStatus{Status: snapshot.StatusOK}
	}
	s.CredentialReport = crRows(rootLine(true, false, "no_information"))
	s.AccountSummary = map[string]int64{"AccountMFAEnabled": 1, "AccountAccessKeysPresent": 0}
	return s
}

func newEngine(t testing.TB, opts Options) *Engine {
	t.Helper()
	e, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func eval(t *testing.T, e *Engine, s *snapshot.Snapshot, ids ...string) []findings.Result {
	t.Helper()
	rs, err := snapshotResults(context.Background(), e, s, ids)
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

func one(t *testing.T, rs []findings.Result) findings.Result {
	t.Helper()
	if len(rs) != 1 {
		t.Fatalf("want 1 result, got %d: %+v", len(rs), rs)
	}
	return rs[0]
}

func TestRootMFA(t *testing.T) {
	e := newEngine(t, Options{})
	r := one(t, eval(t, e, newSnap(), "LD-ROOT-01"))
	if r.Status != findings.Pass || r.Title != "Root user has MFA enabled" || r.Severity != findings.Critical {
		t.Fatalf("%+v", r)
	}
	if r.Resource.ARN != "arn:aws:iam::"+acct+":root" || r.Resource.Type != "AWS::Account" {
		t.Fatalf("resource %+v", r.Resource)
	}
	if r.Fingerprint != findings.Fingerprint("LD-ROOT-01", acct, r.Resource.ARN, "") {
		t.Fatal("fingerprint")
	}
	s := newSnap()
	s.CredentialReport = crRows(rootLine(false, false, "no_information"))
	s.AccountSummary["AccountMFAEnabled"] = 0
	if r := one(t, eval(t, e, s, "LD-ROOT-01")); r.Status != findings.Fail {
		t.Fatalf("%+v", r)
	}
}

func TestNotAssessedWhenSourceMissingOrFailed(t *testing.T) {
	e := newEngine(t, Options{})
	s := newSnap()
	s.Sources[snapshot.SourceCredentialReport] = snapshot.SourceStatus{Status: snapshot.StatusError,
		Error: &snapshot.SourceError{Code: "AccessDenied", Message: "not authorized to perform iam:GenerateCredentialReport"}}
	r := one(t, eval(t, e, s, "LD-ROOT-01"))
	if r.Status != findings.NotAssessed || !strings.Contains(r.Message, "credential_report") || !strings.Contains(r.Message, "AccessDenied") ||
		!strings.Contains(r.Message, "iam:GenerateCredentialReport") || r.Resource.Type != "AWS::Account" {
		t.Fatalf("%+v", r)
	}
	delete(s.Sources, snapshot.SourceCredentialReport)
	r = one(t, eval(t, e, s, "LD-ROOT-01"))
	if r.Status != findings.NotAssessed || !strings.Contains(r.Message, "credential_report was not collected") {
		t.Fatalf("%+v", r)
	}
	// A report that does not parse is as good as none.
	s = newSnap()
	s.CredentialReport.Rows[0]["mfa_active"] = "maybe"
	r = one(t, eval(t, e, s, "LD-ROOT-01"))
	if r.Status != findings.NotAssessed || !strings.Contains(r.Message, "mfa_active") {
		t.Fatalf("%+v", r)
	}
}

func TestUnknownCheckID(t *testing.T) {
	e := newEngine(t, Options{})
	_, err := snapshotResults(context.Background(), e, newSnap(), []string{"LD-ROOT-01", "LD-NOPE-99"})
	var ue *UnknownCheckError
	if !errors.As(err, &ue) || len(ue.IDs) != 1 || ue.IDs[0] != "LD-NOPE-99" {
		t.Fatalf("err = %v, want an *UnknownCheckError naming LD-NOPE-99", err)
	}
	// Evaluate takes IDs as ResolveChecks does: any case, duplicates once.
	rs, err := snapshotResults(context.Background(), e, newSnap(), []string{"ld-root-01", "LD-ROOT-01"})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if r.CheckID != "LD-ROOT-01" {
			t.Fatalf("result of %s, want only LD-ROOT-01", r.CheckID)
		}
	}
	if len(rs) == 0 {
		t.Fatal("no results")
	}
}

func TestChecksSortedWithMetadata(t *testing.T) {
	cs := newEngine(t, Options{}).Checks()
	for i, c := range cs {
		if i > 0 && cs[i-1].ID >= c.ID {
			t.Fatalf("not sorted: %s then %s", cs[i-1].ID, c.ID)
		}
		if c.Title == "" || c.Severity.Rank() == 0 || len(c.Requires) == 0 {
			t.Fatalf("incomplete %+v", c)
		}
	}
}

func TestDeterministic(t *testing.T) {
	e := newEngine(t, Options{})
	var first []byte
	for i := 0; i < 5; i++ {
		rs := eval(t, newEngine(t, Options{}), newSnap())
		b, _ := json.Marshal(rs)
		if i == 0 {
			first = b
		} else if string(b) != string(first) {
			t.Fatalf("run %d differs:\n%s\n%s", i, first, b)
		}
	}
	a := eval(t, e, newSnap())
	b := eval(t, e, newSnap())
	if !reflect.DeepEqual(a, b) {
		t.Fatal("same engine, different results")
	}
}

func TestUserRulesDir(t *testing.T) {
	dir := t.TempDir()
	rule := `# METADATA
# title: Account has an alias
# custom:
#   id: ORG-ALIAS-01
#   severity: low
#   requires: [account_aliases]
#   params:
#     alias_required: true
package lockdown.checks.org_alias_01

import data.lockdown.lib.result

results contains result.fail(result.account, "no alias") if {
	input.params.alias_required
	count(input.account.aliases) == 0
}

results contains result.pass(result.account, "has an alias") if count(input.account.aliases) > 0
`
	if err := os.WriteFile(filepath.Join(dir, "alias.rego"), []byte(rule), 0o644); err != nil {
		t.Fatal(err)
	}
	e := newEngine(t, Options{ExtraRegoDirs: []string{dir}})
	s := newSnap()
	s.Sources[snapshot.SourceAccountAliases] = snapshot.SourceStatus{Status: snapshot.StatusOK}
	if r := one(t, eval(t, e, s, "ORG-ALIAS-01")); r.Status != findings.Fail {
		t.Fatalf("%+v", r)
	}
	e = newEngine(t, Options{ExtraRegoDirs: []string{dir}, Params: map[string]any{"alias_required": false}})
	if rs := eval(t, e, s, "ORG-ALIAS-01"); len(rs) != 0 {
		t.Fatalf("%+v", rs)
	}
	if _, err := New(Options{ExtraRegoDirs: []string{dir}, Params: map[string]any{"alias_required": 3}}); err == nil || !strings.Contains(err.Error(), "alias_required") {
		t.Fatalf("wrong param type accepted: %v", err)
	}
	if _, err := New(Options{Params: map[string]any{"root_recent_days": int64(-1)}}); err == nil || !strings.Contains(err.Error(), "negative") {
		t.Fatalf("negative threshold accepted: %v", err)
	}
	if _, err := New(Options{Params: map[string]any{"no_such_param": 3}}); err == nil || !strings.Contains(err.Error(), "no_such_param") {
		t.Fatalf("unknown param accepted: %v", err)
	}
}

func TestBadUserRules(t *testing.T) {
	cases := map[string]string{
		"no metadata":  "package lockdown.checks.x\n\nresults contains 1 if true\n",
		"no results":   "# METADATA\n# title: t\n# custom:\n#   id: X-Y-01\n#   severity: low\n#   requires: [account_summary]\npackage lockdown.checks.x\n\nfoo := 1\n",
		"bad severity": "# METADATA\n# title: t\n# custom:\n#   id: X-Y-01\n#   severity: urgent\n#   requires: [account_summary]\npackage lockdown.checks.x\n\nresults contains 1 if true\n",
		"bad source":   "# METADATA\n# title: t\n# custom:\n#   id: X-Y-01\n#   severity: low\n#   requires: [cloudtrail]\npackage lockdown.checks.x\n\nresults contains 1 if true\n",
		"duplicate id": "# METADATA\n# title: t\n# custom:\n#   id: LD-ROOT-01\n#   severity: low\n#   requires: [account_summary]\npackage lockdown.checks.x\n\nresults contains 1 if true\n",
		"syntax":       "package lockdown.checks.x\n\nresults contains if\n",
		"cis metadata": "# METADATA\n# title: t\n# custom:\n#   id: X-Y-01\n#   severity: low\n#   cis: [\"1.4\"]\n#   requires: [account_summary]\npackage lockdown.checks.x\n\nresults contains 1 if true\n",
		"clock":        "# METADATA\n# title: t\n# custom:\n#   id: X-Y-01\n#   severity: low\n#   requires: [account_summary]\npackage lockdown.checks.x\n\nresults contains 1 if time.now_ns() > 0\n",
		"network":      "# METADATA\n# title: t\n# custom:\n#   id: X-Y-01\n#   severity: low\n#   requires: [account_summary]\npackage lockdown.checks.x\n\nresults contains 1 if http.send({\"method\": \"GET\", \"url\": \"http://127.0.0.1:1\"})\n",
	}
	for name, src := range cases {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			p := filepath.Join(dir, "bad.rego")
			if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := New(Options{ExtraRegoDirs: []string{dir}})
			if err == nil {
				t.Fatal("accepted")
			}
			if !strings.Contains(err.Error(), "bad.rego") && !strings.Contains(err.Error(), "LD-ROOT-01") {
				t.Fatalf("error does not name the file: %v", err)
			}
			if (name == "clock" || name == "network") && !strings.Contains(err.Error(), "undefined function") {
				t.Fatalf("non-deterministic built-in not refused: %v", err)
			}
		})
	}
	if _, err := New(Options{ExtraRegoDirs: []string{"/nonexistent/rules"}}); err == nil || !strings.Contains(err.Error(), "/nonexistent/rules") {
		t.Fatalf("err = %v", err)
	}
}

func TestBadResultsNameTheCheck(t *testing.T) {
	cases := map[string]string{
		"status":          `results contains {"status": "OK", "resource": {"arn": "a"}, "message": "m"} if true`,
		"no message":      `results contains {"status": "PASS", "resource": {"arn": "a"}} if true`,
		"resource string": `results contains {"status": "PASS", "resource": "a", "message": "m"} if true`,
		"not object":      `results contains "PASS" if true`,
		"duplicate":       `results contains {"status": "PASS", "resource": {"arn": "a"}, "message": m} if some m in ["x", "y"]`,
		"conflict":        "v := 1 if true\n\nv := 2 if true\n\nresults contains {\"status\": \"PASS\", \"resource\": {\"arn\": \"a\"}, \"message\": sprintf(\"%v\", [v])} if true",
	}
	for name, body := range cases {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			src := "# METADATA\n# title: t\n# custom:\n#   id: BAD-RULE-01\n#   severity: low\n#   requires: [account_summary]\npackage lockdown.checks.bad\n\n" + body + "\n"
			if err := os.WriteFile(filepath.Join(dir, "bad.rego"), []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
			e, err := New(Options{ExtraRegoDirs: []string{dir}})
			if err != nil {
				t.Fatal(err)
			}
			_, err = snapshotResults(context.Background(), e, newSnap(), []string{"BAD-RULE-01"})
			if err == nil || !strings.Contains(err.Error(), "BAD-RULE-01") {
				t.Fatalf("err = %v", err)
			}
		})
	}
}

func TestRootKeysHardwareMFAAndRecentUse(t *testing.T) {
	e := newEngine(t, Options{})
	s := newSnap()
	s.CredentialReport = crRows(rootLine(true, true, "2026-11-20T08:00:00+00:00"))
	s.VirtualMFADevices = []snapshot.VirtualMFADevice{{SerialNumber: "arn:aws:iam::" + acct + ":mfa/root-account-mfa-device", UserARN: "arn:aws:iam::" + acct + ":root"}}
	rs := eval(t, e, s, "LD-ROOT-02", "LD-ROOT-03", "LD-ROOT-04")
	if len(rs) != 3 {
		t.Fatalf("%+v", rs)
	}
	for _, r := range rs {
		if r.Status != findings.Fail {
			t.Errorf("%s: %s %s", r.CheckID, r.Status, r.Message)
		}
	}
	if !strings.Contains(rs[2].Message, "2026-11-20") {
		t.Errorf("LD-ROOT-04 message lacks the date: %s", rs[2].Message)
	}
	// A 5-day window makes the use on 2026-11-20 old enough.
	e5 := newEngine(t, Options{Params: map[string]any{"root_recent_days": int64(5)}})
	if r := one(t, eval(t, e5, s, "LD-ROOT-04")); r.Status != findings.Pass {
		t.Fatalf("%+v", r)
	}
	// Hardware: MFA active, no virtual device for root.
	s = newSnap()
	s.VirtualMFADevices = []snapshot.VirtualMFADevice{{SerialNumber: "arn:aws:iam::" + acct + ":mfa/alice", UserARN: "arn:aws:iam::" + acct + ":user/alice"}}
	for _, r := range eval(t, e, s, "LD-ROOT-02", "LD-ROOT-03", "LD-ROOT-04") {
		if r.Status != findings.Pass {
			t.Errorf("%s: %s %s", r.CheckID, r.Status, r.Message)
		}
	}
	// Without the virtual device list the MFA type is not assessed.
	delete(s.Sources, snapshot.SourceVirtualMFADevices)
	if r := one(t, eval(t, e, s, "LD-ROOT-03")); r.Status != findings.NotAssessed || !strings.Contains(r.Message, "virtual_mfa_devices") {
		t.Fatalf("%+v", r)
	}
}

func TestConcurrentEvaluate(t *testing.T) {
	e := newEngine(t, Options{})
	want := eval(t, e, guideAccount())
	errs := make(chan error, 8)
	for i := 0; i < 8; i++ {
		go func(i int) {
			ids := []string(nil)
			if i%2 == 1 {
				ids = []string{"LD-ROOT-01", "LD-KEY-03"}
			}
			rs, err := snapshotResults(context.Background(), e, guideAccount(), ids)
			if err == nil && ids == nil && !reflect.DeepEqual(rs, want) {
				err = errors.New("concurrent run differs")
			}
			errs <- err
		}(i)
	}
	for i := 0; i < 8; i++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}
