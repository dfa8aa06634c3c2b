package engine

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lockdown-dev/lockdown/internal/findings"
	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

func run(t *testing.T, e *Engine, s *snapshot.Snapshot, ids ...string) *Outcome {
	t.Helper()
	out, err := evaluateSnapshot(context.Background(), e, s, ids)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func userLine(name string, password, mfa bool) string {
	return name + ",arn:aws:iam::" + acct + ":user/" + name + ",2026-01-01T00:00:00+00:00," + boolStr(password) +
		",2026-11-26T00:00:00+00:00,2026-01-01T00:00:00+00:00,N/A," + boolStr(mfa) +
		",true,2026-11-01T00:00:00+00:00,2026-11-26T00:00:00+00:00,eu-west-1,s3,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A"
}

func withUsers(s *snapshot.Snapshot, names ...string) {
	s.Sources[snapshot.SourceAuthorizationDetails] = snapshot.SourceStatus{Status: snapshot.StatusOK}
	for _, n := range names {
		s.Users = append(s.Users, snapshot.User{Name: n, ID: "AIDA" + strings.ToUpper(n), ARN: "arn:aws:iam::" + acct + ":user/" + n})
	}
}

func statusOf(rs []findings.Result, check, arn string) findings.Status {
	for _, r := range rs {
		if r.CheckID == check && r.Resource.ARN == arn {
			return r.Status
		}
	}
	return ""
}

var credentialChecks = []string{"LD-KEY-01", "LD-KEY-02", "LD-KEY-03", "LD-MFA-03"}

func TestUserMissingFromReportIsNotAssessed(t *testing.T) {
	e := newEngine(t, Options{})
	s := newSnap()
	s.CredentialReport = crRows(rootLine(true, false, "no_information"), userLine("alice", true, true))
	withUsers(s, "alice", "dave")
	out := run(t, e, s, credentialChecks...)
	dave := "arn:aws:iam::" + acct + ":user/dave"
	for _, id := range credentialChecks {
		if st := statusOf(out.Results, id, dave); st != findings.NotAssessed {
			t.Errorf("%s on dave: %q, want NOT_ASSESSED", id, st)
		}
		if st := statusOf(out.Results, id, "arn:aws:iam::"+acct+":user/alice"); st != findings.Pass {
			t.Errorf("%s on alice: %q, want PASS", id, st)
		}
	}
	for _, r := range out.Results {
		if r.Resource.ARN == dave && !strings.Contains(r.Message, "1h0m0s before collection") {
			t.Errorf("%s: message lacks the report's age: %s", r.CheckID, r.Message)
		}
	}
	if len(out.Causes) != 1 {
		t.Fatalf("causes = %+v", out.Causes)
	}
	c := out.Causes[0]
	if c.Source != "credential_report" || c.Action != "iam:GetCredentialReport" || c.Item != "user dave" || !slices.Equal(c.Checks, credentialChecks) {
		t.Fatalf("cause = %+v", c)
	}
	// With no user in the report at all, the all-clear account results
	// must not appear either.
	s = newSnap()
	withUsers(s, "dave")
	out = run(t, e, s, credentialChecks...)
	for _, r := range out.Results {
		if r.Status == findings.Pass {
			t.Errorf("%s passes with an unknown user: %s", r.CheckID, r.Message)
		}
	}
}

func TestOrphanReportRowsAreNotAssessed(t *testing.T) {
	e := newEngine(t, Options{})
	s := newSnap()
	s.CredentialReport = crRows(rootLine(true, false, "no_information"), userLine("bob", true, true))
	withUsers(s) // GetAccountAuthorizationDetails lists no user
	out := run(t, e, s, "LD-GRP-02", "LD-MFA-01", "LD-ADM-01", "LD-GRP-01")
	bob := "arn:aws:iam::" + acct + ":user/bob"
	for _, id := range []string{"LD-GRP-02", "LD-MFA-01", "LD-ADM-01", "LD-GRP-01"} {
		if st := statusOf(out.Results, id, bob); st != findings.NotAssessed {
			t.Errorf("%s on bob: %q", id, st)
		}
	}
	for _, r := range out.Results {
		if strings.Contains(r.Message, "no IAM users") {
			t.Errorf("%s: %s", r.CheckID, r.Message)
		}
	}
	if len(out.Causes) != 1 || out.Causes[0].Source != "authorization_details" || out.Causes[0].Item != "user bob" ||
		out.Causes[0].Action != "iam:GetAccountAuthorizationDetails" {
		t.Fatalf("causes = %+v", out.Causes)
	}
}

func TestUndescribedGroupAndRejectedPolicy(t *testing.T) {
	e := newEngine(t, Options{})
	s := newSnap()
	withUsers(s, "alice", "bob", "carol")
	s.CredentialReport = crRows(rootLine(true, false, "no_information"), userLine("alice", true, true), userLine("bob", true, true), userLine("carol", true, true))
	s.Users[0].Groups = []string{"Ghosts"}
	s.Users[1].InlinePolicies = []snapshot.InlinePolicy{{Name: "odd", Document: json.RawMessage(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"NoSuchOperator":{"aws:x":"1"}}}]}`)}}
	out := run(t, e, s, "LD-ADM-01", "LD-MFA-01", "LD-KEY-03")
	alice, bob, carol := "arn:aws:iam::"+acct+":user/alice", "arn:aws:iam::"+acct+":user/bob", "arn:aws:iam::"+acct+":user/carol"
	for _, id := range []string{"LD-ADM-01", "LD-MFA-01"} {
		if st := statusOf(out.Results, id, alice); st != findings.NotAssessed {
			t.Errorf("%s on alice (undescribed group): %q", id, st)
		}
		if st := statusOf(out.Results, id, bob); st != findings.NotAssessed {
			t.Errorf("%s on bob (rejected policy): %q", id, st)
		}
		if st := statusOf(out.Results, id, carol); st == findings.NotAssessed || st == "" {
			t.Errorf("%s on carol must be assessed: %q", id, st)
		}
	}
	if st := statusOf(out.Results, "LD-KEY-03", bob); st != findings.Pass {
		t.Errorf("credential checks are unaffected: %q", st)
	}
	var items []string
	for _, c := range out.Causes {
		items = append(items, c.Item)
		if !slices.Equal(c.Checks, []string{"LD-ADM-01", "LD-MFA-01"}) {
			t.Errorf("cause %s: checks %v", c.Item, c.Checks)
		}
	}
	want := []string{alice + ` group "Ghosts"`, bob + ` inline policy "odd"`}
	if !slices.Equal(items, want) {
		t.Fatalf("cause items %q, want %q", items, want)
	}
}

func TestBadReportCellIsOneItem(t *testing.T) {
	e := newEngine(t, Options{})
	s := newSnap()
	s.CredentialReport = crRows(rootLine(true, false, "no_information"), userLine("alice", true, true), userLine("bob", true, true))
	s.CredentialReport.Rows[2]["mfa_active"] = "perhaps"
	out := run(t, e, s, "LD-MFA-03", "LD-ROOT-01")
	if st := statusOf(out.Results, "LD-MFA-03", "arn:aws:iam::"+acct+":user/bob"); st != findings.NotAssessed {
		t.Fatalf("bob: %q", st)
	}
	if st := statusOf(out.Results, "LD-MFA-03", "arn:aws:iam::"+acct+":user/alice"); st != findings.Pass {
		t.Fatalf("alice: %q", st)
	}
	if st := statusOf(out.Results, "LD-ROOT-01", "arn:aws:iam::"+acct+":root"); st != findings.Pass {
		t.Fatalf("root: %q", st)
	}
	if len(out.Causes) != 1 || out.Causes[0].Item != "credential report line 4 (bob)" || !strings.Contains(out.Causes[0].Message, "perhaps") {
		t.Fatalf("causes = %+v", out.Causes)
	}
}

func TestSourceCauses(t *testing.T) {
	e := newEngine(t, Options{})
	s := newSnap()
	s.Sources[snapshot.SourceCredentialReport] = snapshot.SourceStatus{Status: snapshot.StatusError,
		Error: &snapshot.SourceError{Code: "AccessDenied", Message: "no", Action: "iam:GenerateCredentialReport"}}
	out := run(t, e, s, "LD-ROOT-01", "LD-ROOT-02", "LD-PWD-01")
	if len(out.Causes) != 2 {
		t.Fatalf("causes = %+v", out.Causes)
	}
	c := out.Causes[0]
	if c.Source != "credential_report" || c.Action != "iam:GenerateCredentialReport" || c.ErrorCode != "AccessDenied" ||
		!slices.Equal(c.Checks, []string{"LD-ROOT-01", "LD-ROOT-02"}) {
		t.Fatalf("cause = %+v", c)
	}
	if got := c.String(); got != "credential_report: iam:GenerateCredentialReport AccessDenied: 2 checks not assessed" {
		t.Fatalf("line = %q", got)
	}
	if c := out.Causes[1]; c.Source != "password_policy" || c.Action != "iam:GetAccountPasswordPolicy" || c.ErrorCode != ErrorCodeNotCollected {
		t.Fatalf("cause = %+v", c)
	}
	// A complete run has no causes.
	if out := run(t, e, newSnap(), "LD-ROOT-01"); len(out.Causes) != 0 {
		t.Fatalf("causes = %+v", out.Causes)
	}
}

func TestLocalChecksNotApplicableWithoutConfiguration(t *testing.T) {
	e := newEngine(t, Options{})
	s := newSnap()
	s.Sources[snapshot.SourceAWSConfig] = snapshot.SourceStatus{Status: snapshot.StatusOK}
	s.AWSConfig = &snapshot.AWSConfig{Dir: "/home/runner/.aws"}
	out := run(t, e, s, "LD-CLI-01", "LD-CLI-02", "LD-CLI-03")
	if len(out.Results) != 3 || len(out.Causes) != 0 {
		t.Fatalf("results %+v causes %+v", out.Results, out.Causes)
	}
	for _, r := range out.Results {
		if r.Status != findings.NotApplicable || r.Resource.Type != "AWSCLI::File" || r.Message == "" {
			t.Errorf("%+v", r)
		}
	}
	s.AWSConfig.Explicit = true
	for _, r := range run(t, e, s, "LD-CLI-01", "LD-CLI-02", "LD-CLI-03").Results {
		if r.Status == findings.NotApplicable {
			t.Errorf("a named directory is judged: %+v", r)
		}
	}
	delete(s.Sources, snapshot.SourceAWSConfig)
	s.AWSConfig = nil
	for _, r := range run(t, e, s, "LD-CLI-01").Results {
		if r.Status != findings.NotAssessed {
			t.Errorf("not collected: %+v", r)
		}
	}
}

func TestTitlesFollowParameters(t *testing.T) {
	e := newEngine(t, Options{Params: map[string]any{"access_key_max_age_days": 60}})
	var title string
	for _, c := range e.Checks() {
		if c.ID == "LD-KEY-01" {
			title = c.Title
		}
		if strings.ContainsAny(c.Title, "{}") {
			t.Errorf("%s: unfilled title %q", c.ID, c.Title)
		}
	}
	if title != "Active access keys are rotated within 60 days" {
		t.Fatalf("title = %q", title)
	}
	s := newSnap()
	s.CredentialReport = crRows(rootLine(true, false, "no_information"), userLine("alice", true, true))
	for _, r := range run(t, e, s, "LD-KEY-01").Results {
		if r.Title != title || !strings.Contains(r.Message, "within 60 days") {
			t.Fatalf("%+v", r)
		}
	}
	if d := newEngine(t, Options{}); d.Checks()[0].Title == "" {
		t.Fatal("no title")
	}
	dir := t.TempDir()
	src := "# METADATA\n# title: Within {no_such} days\n# custom:\n#   id: X-Y-01\n#   severity: low\n#   requires: [account_summary]\npackage lockdown.checks.x\n\nresults contains 1 if false\n"
	if err := os.WriteFile(filepath.Join(dir, "t.rego"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := New(Options{ExtraRegoDirs: []string{dir}}); err == nil || !strings.Contains(err.Error(), "{no_such}") || !strings.Contains(err.Error(), "t.rego") {
		t.Fatalf("err = %v", err)
	}
}

func ruleEngine(t *testing.T, body string) *Engine {
	t.Helper()
	dir := t.TempDir()
	src := "# METADATA\n# title: t\n# custom:\n#   id: EV-RULE-01\n#   severity: low\n#   requires: [account_summary]\npackage lockdown.checks.ev\n\n" + body + "\n"
	if err := os.WriteFile(filepath.Join(dir, "ev.rego"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return newEngine(t, Options{ExtraRegoDirs: []string{dir}})
}

func TestEvidenceDecoded(t *testing.T) {
	e := ruleEngine(t, `results contains {"status": "NOT_APPLICABLE", "resource": {"arn": "a"}, "message": "m", "evidence": {"actions": ["s3:b", "*", "s3:b"], "items": {"y", "x"}, "contexts": []}} if true`)
	r := one(t, eval(t, e, newSnap(), "EV-RULE-01"))
	if r.Status != findings.NotApplicable || r.Evidence == nil ||
		!slices.Equal(r.Evidence.Actions, []string{"*", "s3:b"}) || !slices.Equal(r.Evidence.Items, []string{"x", "y"}) || r.Evidence.Contexts != nil {
		t.Fatalf("%+v %+v", r, r.Evidence)
	}
	for name, body := range map[string]string{
		"not object":  `results contains {"status": "PASS", "resource": {"arn": "a"}, "message": "m", "evidence": ["x"]} if true`,
		"unknown key": `results contains {"status": "PASS", "resource": {"arn": "a"}, "message": "m", "evidence": {"things": ["x"]}} if true`,
		"not strings": `results contains {"status": "PASS", "resource": {"arn": "a"}, "message": "m", "evidence": {"actions": [1]}} if true`,
		"not list":    `results contains {"status": "PASS", "resource": {"arn": "a"}, "message": "m", "evidence": {"actions": "x"}} if true`,
	} {
		e := ruleEngine(t, body)
		if _, err := snapshotResults(context.Background(), e, newSnap(), []string{"EV-RULE-01"}); err == nil || !strings.Contains(err.Error(), "EV-RULE-01") || !strings.Contains(err.Error(), "evidence") {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}
