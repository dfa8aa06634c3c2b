package compliance

import (
	"reflect"
	"strings"
	"testing"

	"github.com/lockdown-dev/lockdown/frameworks"
	"github.com/lockdown-dev/lockdown/internal/findings"
)

// testFramework has one control of every shape the assessment knows.
func testFramework(t *testing.T) *frameworks.Framework {
	t.Helper()
	fw, err := frameworks.Parse("test-fw.yaml", []byte(`name: test-fw
title: Test framework
version: "1.0"
source: https://example.com/test-fw
controls:
  - {id: "1.1", title: manual one, level: L1, automated: false, reason: "needs the root user's sign-in"}
  - {id: "1.2", title: one check, level: L1, automated: true, checks: [C-A]}
  - {id: "1.3", title: two checks, level: L2, automated: true, checks: [C-A, C-B]}
  - {id: "1.4", title: skipped check, level: L1, automated: true, checks: [C-SKIP]}
  - {id: "1.5", title: not in catalogue, level: L1, automated: true, checks: [C-GONE]}
  - {id: "1.6", title: no results, level: L1, automated: true, checks: [C-EMPTY]}
  - {id: "1.7", title: not assessed data, level: L1, automated: true, checks: [C-NA]}
  - {id: "1.8", title: not applicable, level: L1, automated: true, checks: [C-NAPP]}
  - {id: "1.9", title: fail beats not assessed, level: L1, automated: true, checks: [C-NA, C-B]}
  - {id: "1.10", title: pass beside not applicable, level: L1, automated: true, checks: [C-A, C-NAPP]}
  - {id: "1.11", title: pass beside a skipped check, level: L1, automated: true, checks: [C-A, C-SKIP]}
`))
	if err != nil {
		t.Fatal(err)
	}
	return fw
}

func res(check string, st findings.Status, arn, msg string) findings.Result {
	return findings.Result{CheckID: check, Status: st, Resource: findings.Resource{ARN: arn, Type: "AWS::IAM::User", Name: arn[strings.LastIndex(arn, "/")+1:]}, Message: msg}
}

func byID(c findings.Compliance) map[string]findings.ControlResult {
	m := map[string]findings.ControlResult{}
	for _, cr := range c.Controls {
		m[cr.ID] = cr
	}
	return m
}

func TestAssess(t *testing.T) {
	fw := testFramework(t)
	results := []findings.Result{
		res("C-A", findings.Pass, "arn:aws:iam::1:user/a", "ok"),
		res("C-A", findings.Pass, "arn:aws:iam::1:user/b", "ok"),
		// C-B fails on z twice (two details), on m once: failing is unique, sorted.
		res("C-B", findings.Fail, "arn:aws:iam::1:user/z", "bad 1"),
		res("C-B", findings.Pass, "arn:aws:iam::1:user/a", "ok"),
		res("C-B", findings.Fail, "arn:aws:iam::1:user/m", "bad"),
		res("C-B", findings.Fail, "arn:aws:iam::1:user/z", "bad 2"),
		res("C-NA", findings.NotAssessed, "arn:aws:iam::1:root", "credential_report: iam:GetCredentialReport AccessDenied"),
		res("C-NA", findings.Pass, "arn:aws:iam::1:user/a", "ok"),
		res("C-NAPP", findings.NotApplicable, "arn:aws:iam::1:root", "no local AWS configuration"),
		// A result of a check the framework does not name changes nothing.
		res("C-OTHER", findings.Fail, "arn:aws:iam::1:user/q", "bad"),
	}
	ev := Evaluated{
		Selected: []string{"C-A", "C-B", "C-EMPTY", "C-NA", "C-NAPP", "C-OTHER"},
		Skipped:  []string{"C-SKIP"},
	}
	got := AssessEvaluated(fw, results, ev)
	if got.Framework != "test-fw" || got.Title != "Test framework" || got.Version != "1.0" || got.Source != "https://example.com/test-fw" {
		t.Errorf("framework identity: %+v", got)
	}
	var order []string
	for _, c := range got.Controls {
		order = append(order, c.ID)
	}
	if want := []string{"1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7", "1.8", "1.9", "1.10", "1.11"}; !reflect.DeepEqual(order, want) {
		t.Fatalf("controls out of the framework's order: %v", order)
	}
	want := map[string]struct {
		status  findings.ControlStatus
		reason  []string // substrings
		counts  findings.ResultCounts
		failing []string
	}{
		"1.1":  {findings.ControlManual, []string{"needs the root user's sign-in"}, findings.ResultCounts{}, nil},
		"1.2":  {findings.ControlPass, nil, findings.ResultCounts{Pass: 2}, nil},
		"1.3":  {findings.ControlFail, nil, findings.ResultCounts{Pass: 3, Fail: 3}, []string{"arn:aws:iam::1:user/m", "arn:aws:iam::1:user/z"}},
		"1.4":  {findings.ControlNotAssessed, []string{"C-SKIP", "--skip-check"}, findings.ResultCounts{}, nil},
		"1.5":  {findings.ControlNotAssessed, []string{"C-GONE", "not in the check catalogue"}, findings.ResultCounts{}, nil},
		"1.6":  {findings.ControlNotAssessed, []string{"C-EMPTY", "no result"}, findings.ResultCounts{}, nil},
		"1.7":  {findings.ControlNotAssessed, []string{"C-NA", "1 result not assessed", "iam:GetCredentialReport AccessDenied"}, findings.ResultCounts{Pass: 1, NotAssessed: 1}, nil},
		"1.8":  {findings.ControlNotApplies, nil, findings.ResultCounts{NotApplicable: 1}, nil},
		"1.9":  {findings.ControlFail, nil, findings.ResultCounts{Pass: 2, Fail: 3, NotAssessed: 1}, []string{"arn:aws:iam::1:user/m", "arn:aws:iam::1:user/z"}},
		"1.10": {findings.ControlPass, nil, findings.ResultCounts{Pass: 2, NotApplicable: 1}, nil},
		"1.11": {findings.ControlNotAssessed, []string{"C-SKIP"}, findings.ResultCounts{Pass: 2}, nil},
	}
	for id, cr := range byID(got) {
		w, ok := want[id]
		if !ok {
			t.Errorf("unexpected control %s", id)
			continue
		}
		if cr.Status != w.status {
			t.Errorf("%s: status %s, want %s (reason %q)", id, cr.Status, w.status, cr.Reason)
		}
		for _, sub := range w.reason {
			if !strings.Contains(cr.Reason, sub) {
				t.Errorf("%s: reason %q does not name %q", id, cr.Reason, sub)
			}
		}
		if len(w.reason) == 0 && cr.Reason != "" {
			t.Errorf("%s: %s with a reason %q", id, cr.Status, cr.Reason)
		}
		if cr.Results != w.counts {
			t.Errorf("%s: result counts %+v, want %+v", id, cr.Results, w.counts)
		}
		var arns []string
		for _, r := range cr.Failing {
			arns = append(arns, r.ARN)
		}
		if !reflect.DeepEqual(arns, w.failing) {
			t.Errorf("%s: failing %v, want %v", id, arns, w.failing)
		}
	}
	if c := byID(got)["1.3"]; !reflect.DeepEqual(c.Checks, []string{"C-A", "C-B"}) || c.Level != "L2" || c.Title != "two checks" {
		t.Errorf("1.3 does not name its checks, level and title: %+v", c)
	}
	if c := byID(got)["1.1"]; c.Checks == nil || len(c.Checks) != 0 {
		t.Errorf("a manual control has an empty (not null) check list: %#v", c.Checks)
	}
	wantSummary := findings.ComplianceSummary{Total: 11, Automated: 10, Manual: 1, Pass: 2, Fail: 2, NotAssessed: 5, NotApplicable: 1}
	if got.Summary != wantSummary {
		t.Errorf("summary %+v, want %+v", got.Summary, wantSummary)
	}
	s := got.Summary
	if s.Pass+s.Fail+s.NotAssessed+s.NotApplicable != s.Automated || s.Automated+s.Manual != s.Total {
		t.Errorf("summary does not add up: %+v", s)
	}
}

// A check the user skipped never lets a control pass: with --skip-check
// on one of two checks, the control is NOT_ASSESSED naming the skipped
// check, and FAIL still shows when the other fails.
func TestSkippedCheckNeverPasses(t *testing.T) {
	fw := testFramework(t)
	pass := []findings.Result{res("C-A", findings.Pass, "arn:aws:iam::1:user/a", "ok")}
	for _, ev := range []Evaluated{
		{Selected: []string{"C-A"}, Skipped: []string{"C-B"}},
		{Selected: []string{"C-A"}}, // Assess without the skipped list
	} {
		got := byID(AssessEvaluated(fw, pass, ev))["1.3"]
		if got.Status != findings.ControlNotAssessed || !strings.Contains(got.Reason, "C-B") {
			t.Errorf("%+v: 1.3 with C-B not run: %s %q", ev, got.Status, got.Reason)
		}
	}
	fail := []findings.Result{res("C-A", findings.Fail, "arn:aws:iam::1:user/a", "bad")}
	if got := byID(Assess(fw, fail, []string{"C-A"}))["1.3"]; got.Status != findings.ControlFail {
		t.Errorf("1.3 with C-A failing and C-B not run: %s, want FAIL", got.Status)
	}
}

func TestAssessReportUsesSelectedAndSkipped(t *testing.T) {
	fw := testFramework(t)
	rep := &findings.Report{
		Results:        []findings.Result{res("C-A", findings.Pass, "arn:aws:iam::1:user/a", "ok")},
		SelectedChecks: []string{"C-A"},
		SkippedChecks:  []string{"C-SKIP"},
	}
	got := byID(AssessReport(fw, rep))
	if got["1.2"].Status != findings.ControlPass {
		t.Errorf("1.2: %s", got["1.2"].Status)
	}
	if !strings.Contains(got["1.4"].Reason, "left out") || !strings.Contains(got["1.5"].Reason, "catalogue") {
		t.Errorf("reasons do not tell skipped from unknown: %q / %q", got["1.4"].Reason, got["1.5"].Reason)
	}
}

func TestNotAssessedReasonIsBounded(t *testing.T) {
	fw := testFramework(t)
	var results []findings.Result
	for i := 0; i < 50; i++ {
		results = append(results, res("C-NA", findings.NotAssessed, "arn:aws:iam::1:user/u"+strings.Repeat("x", i), "region r"+strings.Repeat("x", i)+" failed"))
	}
	got := byID(Assess(fw, results, []string{"C-NA"}))["1.7"]
	if got.Status != findings.ControlNotAssessed || !strings.Contains(got.Reason, "50 results not assessed") || !strings.Contains(got.Reason, "47 more reasons") {
		t.Errorf("reason: %q", got.Reason)
	}
	if len(got.Reason) > 400 {
		t.Errorf("reason of %d bytes", len(got.Reason))
	}
}

// Failing resources are unique by ARN, type and name: resources without an
// ARN (CLI profiles, local files) are not merged into one.
func TestFailingResourcesWithoutARN(t *testing.T) {
	fw := testFramework(t)
	profile := func(name string) findings.Result {
		return findings.Result{CheckID: "C-A", Status: findings.Fail, Resource: findings.Resource{Type: "AWS::CLI::Profile", Name: name}}
	}
	results := []findings.Result{profile("zeta"), profile("admin"), profile("zeta"), res("C-A", findings.Fail, "arn:aws:iam::1:user/a", "bad")}
	got := byID(Assess(fw, results, []string{"C-A"}))["1.2"]
	var names []string
	for _, r := range got.Failing {
		names = append(names, r.Name)
	}
	if want := []string{"admin", "zeta", "a"}; !reflect.DeepEqual(names, want) {
		t.Errorf("failing %v, want %v", names, want)
	}
}

func TestUnknownResultStatusIsNotAVerdict(t *testing.T) {
	fw := testFramework(t)
	got := byID(Assess(fw, []findings.Result{res("C-A", "MAYBE", "arn:aws:iam::1:user/a", "")}, []string{"C-A"}))["1.2"]
	if got.Status != findings.ControlNotAssessed {
		t.Errorf("unknown result status: %s", got.Status)
	}
}

// Every control of every embedded framework gets a status: MANUAL exactly
// for the manual ones, and with no results at all never PASS.
func TestEmbeddedFrameworksWithoutResults(t *testing.T) {
	fws, err := frameworks.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, fw := range fws {
		got := Assess(fw, nil, nil)
		if len(got.Controls) != len(fw.Controls) {
			t.Fatalf("%s: %d of %d controls", fw.Name, len(got.Controls), len(fw.Controls))
		}
		for i, cr := range got.Controls {
			c := fw.Controls[i]
			switch {
			case !c.Automated && cr.Status != findings.ControlManual:
				t.Errorf("%s %s: manual control is %s", fw.Name, c.ID, cr.Status)
			case c.Automated && cr.Status != findings.ControlNotAssessed:
				t.Errorf("%s %s: no check ran, but %s", fw.Name, c.ID, cr.Status)
			}
		}
	}
}

func TestAnnotate(t *testing.T) {
	a, err := frameworks.Parse("fw-a.yaml", []byte("name: fw-a\ntitle: A\nversion: '1'\nsource: https://example.com/s\ncontrols:\n"+
		"  - {id: '1', title: t, level: L1, automated: true, checks: [C-A]}\n"+
		"  - {id: '2', title: t, level: L1, automated: true, checks: [C-A, C-B]}\n"+
		"  - {id: '3', title: t, level: L1, automated: false, reason: r}\n"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := frameworks.Parse("fw-b.yaml", []byte("name: fw-b\ntitle: B\nversion: '1'\nsource: https://example.com/s\ncontrols:\n"+
		"  - {id: X.1, title: t, level: L1, automated: true, checks: [C-B]}\n"))
	if err != nil {
		t.Fatal(err)
	}
	checks := []findings.Check{{ID: "C-A"}, {ID: "C-B"}, {ID: "C-NONE"}}
	results := []findings.Result{{CheckID: "C-A"}, {CheckID: "C-B"}, {CheckID: "C-NONE"}, {CheckID: "C-A"}}
	Annotate([]*frameworks.Framework{a, b}, checks, results)
	wantA := map[string][]string{"fw-a": {"1", "2"}}
	wantB := map[string][]string{"fw-a": {"2"}, "fw-b": {"X.1"}}
	for _, c := range []struct {
		got, want map[string][]string
		what      string
	}{
		{checks[0].Controls, wantA, "check C-A"},
		{checks[1].Controls, wantB, "check C-B"},
		{results[0].Controls, wantA, "result C-A"},
		{results[1].Controls, wantB, "result C-B"},
		{results[3].Controls, wantA, "second result C-A"},
	} {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s: controls %v, want %v", c.what, c.got, c.want)
		}
	}
	if checks[2].Controls != nil || results[2].Controls != nil {
		t.Errorf("a check deciding no control has controls: %v %v", checks[2].Controls, results[2].Controls)
	}
}
