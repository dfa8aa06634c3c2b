package report

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/lockdown-dev/lockdown/internal/findings"
)

// incompleteReport: LD-A-01 failed on alice and bob in the baseline; in
// this run authorization_details was denied, so LD-A-01 is NOT_ASSESSED for
// alice, bob is judged (PASS), carol's old failure has no result at all but
// its check is named by the cause, and LD-B-01 (assessed, carol no longer
// reported) was fixed.
func incompleteReport() (*findings.Report, []findings.Result) {
	acct := "123456789012"
	user := func(n string) findings.Resource {
		return findings.Resource{ARN: "arn:aws:iam::" + acct + ":user/" + n, Type: "AWS::IAM::User", Name: n}
	}
	mk := func(id string, sev findings.Severity, st findings.Status, r findings.Resource, detail, msg string) findings.Result {
		return findings.Result{CheckID: id, Severity: sev, Status: st, Resource: r, Detail: detail, Message: msg,
			Fingerprint: findings.Fingerprint(id, acct, r.ARN, detail)}
	}
	rep := &findings.Report{
		AccountID: acct, Complete: false,
		Checks: []findings.Check{
			{ID: "LD-A-01", Title: "A", Severity: findings.High, Section: "IAM Users", Requires: []string{"authorization_details"}},
			{ID: "LD-B-01", Title: "B", Severity: findings.Low, Section: "IAM Users", Requires: []string{"users"}},
		},
		Incomplete: []findings.Cause{{Source: "authorization_details", Action: "iam:GetAccountAuthorizationDetails",
			ErrorCode: "AccessDenied", Checks: []string{"LD-A-01"}}},
		Results: []findings.Result{
			mk("LD-A-01", findings.High, findings.NotAssessed, user("alice"), "", "Not assessed: authorization_details failed (AccessDenied)."),
			mk("LD-A-01", findings.High, findings.Pass, user("bob"), "", "bob is fine."),
			mk("LD-B-01", findings.Low, findings.Pass, user("alice"), "", "fine"),
		},
	}
	baseline := []findings.Result{
		mk("LD-A-01", findings.High, findings.Fail, user("alice"), "", "alice can act without MFA."),
		mk("LD-A-01", findings.High, findings.Fail, user("bob"), "", "bob can act without MFA."),
		mk("LD-A-01", findings.High, findings.Fail, user("carol"), "policy X", "carol can act without MFA."),
		mk("LD-B-01", findings.Low, findings.Fail, user("carol"), "", "carol lacks a tag."),
		mk("LD-B-01", findings.Low, findings.Pass, user("dave"), "", "not a failure"),
	}
	return rep, baseline
}

func TestSARIFIncompleteAuditKeepsBaselineFailures(t *testing.T) {
	rep, baseline := incompleteReport()
	log, raw := renderSARIFLog(t, rep, Options{Baseline: baseline})
	if err := validateBytes(sarifSchema(t), raw); err != nil {
		t.Fatalf("not valid SARIF: %v", err)
	}
	run := log.Runs[0]
	inv := run.Invocations[0]
	if inv.ExecutionSuccessful {
		t.Error("executionSuccessful is true for an incomplete audit")
	}
	var causes int
	for _, n := range inv.Notifications {
		if n.Level == "error" && n.Message.Text == rep.Incomplete[0].String() {
			causes++
			if n.Properties["source"] != "authorization_details" || n.Properties["action"] != "iam:GetAccountAuthorizationDetails" ||
				fmt.Sprint(n.Properties["checks"]) != "[LD-A-01]" {
				t.Errorf("cause properties %v", n.Properties)
			}
		}
	}
	if causes != 1 {
		t.Errorf("%d cause notifications, want 1: %+v", causes, inv.Notifications)
	}
	// alice (NOT_ASSESSED here) and carol (check named by the cause) are
	// kept with their baseline fingerprints and levels; bob (PASS) and
	// LD-B-01 on carol (assessed, gone: fixed) are not.
	byFP := map[string]sarifRes{}
	for _, r := range run.Results {
		byFP[r.PartialFingerprints[fingerprintKey]] = r
	}
	if len(run.Results) != 2 {
		t.Fatalf("%d results, want 2: %+v", len(run.Results), run.Results)
	}
	for _, b := range []findings.Result{baseline[0], baseline[2]} {
		r, ok := byFP[b.Fingerprint]
		if !ok {
			t.Errorf("baseline failure %s on %s not kept", b.CheckID, b.Resource.ARN)
			continue
		}
		if r.RuleID != b.CheckID || r.Level != "error" || r.Kind != "fail" {
			t.Errorf("kept result %s: rule %s level %s kind %s", b.Resource.Name, r.RuleID, r.Level, r.Kind)
		}
		for _, want := range []string{"Not assessed in this run", "failed in the baseline", b.Message} {
			if !strings.Contains(r.Message.Text, want) {
				t.Errorf("kept result message %q lacks %q", r.Message.Text, want)
			}
		}
		if r.Properties["status"] != "NOT_ASSESSED" || r.Properties["baseline"] == nil {
			t.Errorf("kept result properties %v", r.Properties)
		}
	}
	if r := byFP[baseline[0].Fingerprint]; !strings.Contains(r.Message.Text, "authorization_details failed") {
		t.Errorf("alice's reason is not her NOT_ASSESSED message: %q", r.Message.Text)
	}
	if r := byFP[baseline[2].Fingerprint]; !strings.Contains(r.Message.Text, "iam:GetAccountAuthorizationDetails AccessDenied") {
		t.Errorf("carol's reason is not the cause: %q", r.Message.Text)
	}
	if run.Properties["baselineResultsKept"] != float64(2) {
		t.Errorf("run properties %v", run.Properties)
	}

	// Without a baseline nothing is invented; a complete run is a success.
	log, _ = renderSARIFLog(t, rep, Options{})
	if len(log.Runs[0].Results) != 0 {
		t.Errorf("results without a baseline: %+v", log.Runs[0].Results)
	}
	rep.Complete, rep.Incomplete, rep.Results = true, nil, rep.Results[1:]
	log, _ = renderSARIFLog(t, rep, Options{Baseline: baseline})
	if !log.Runs[0].Invocations[0].ExecutionSuccessful || len(log.Runs[0].Results) != 0 {
		t.Errorf("complete run: executionSuccessful %v, %d results", log.Runs[0].Invocations[0].ExecutionSuccessful, len(log.Runs[0].Results))
	}
}

// Every human-facing format names the causes of an incomplete audit; the
// quiet table too.
func TestIncompletenessIsVisibleEverywhere(t *testing.T) {
	rep, _ := incompleteReport()
	cause := rep.Incomplete[0].String()
	for _, opts := range []Options{{}, {Quiet: true}} {
		outs := renderAll(t, rep, opts)
		for _, f := range []string{"table", "markdown", "junit"} {
			if !strings.Contains(outs[f], "INCOMPLETE AUDIT") {
				t.Errorf("%s (quiet %v): no incompleteness headline", f, opts.Quiet)
			}
		}
		if !strings.Contains(strings.Join(strings.Fields(outs["table"]), " "), cause) {
			t.Errorf("table lacks the cause:\n%s", outs["table"])
		}
		if opts.Quiet && (!strings.Contains(outs["table"], "No failing checks, but the audit is incomplete") || strings.Contains(outs["table"], "No failing checks.\n")) {
			t.Errorf("quiet table reads as clean:\n%s", outs["table"])
		}
		if !strings.Contains(outs["markdown"], strings.ReplaceAll(cause, "_", `\_`)) {
			t.Errorf("markdown lacks the cause")
		}
		if !strings.Contains(outs["junit"], `value="`+cause+`"`) {
			t.Errorf("junit lacks the cause")
		}
		if !strings.Contains(outs["json"], `"complete": false`) || !strings.Contains(outs["json"], `"action": "iam:GetAccountAuthorizationDetails"`) {
			t.Errorf("json lacks the causes")
		}
	}
	rep.Complete, rep.Incomplete, rep.Results = true, nil, rep.Results[1:]
	for f, out := range renderAll(t, rep, Options{}) {
		if strings.Contains(out, "INCOMPLETE") {
			t.Errorf("%s: a complete audit reads as incomplete", f)
		}
	}
}

func notApplicableReport() *findings.Report {
	return &findings.Report{
		AccountID: "123456789012", Complete: true,
		Checks: []findings.Check{{ID: "LD-CLI-02", Title: "No root keys in the CLI", Severity: findings.Critical, Section: "AWS CLI"}},
		Results: []findings.Result{{CheckID: "LD-CLI-02", Severity: findings.Critical, Status: findings.NotApplicable,
			Resource: findings.Resource{Name: "~/.aws"}, Message: "No local AWS CLI configuration on this machine.", Fingerprint: "f"}},
	}
}

// NOT_APPLICABLE appears in every format, never as a pass.
func TestNotApplicableInEveryFormat(t *testing.T) {
	rep := notApplicableReport()
	reason := rep.Results[0].Message
	outs := renderAll(t, rep, Options{Width: 120})
	if !strings.Contains(outs["table"], "NOT APPLICABLE") || !strings.Contains(outs["table"], reason) || strings.Contains(outs["table"], "PASS") {
		t.Errorf("table:\n%s", outs["table"])
	}
	if !strings.Contains(outs["table"], "0 pass, 0 fail, 0 not assessed, 1 not applicable") {
		t.Errorf("table summary:\n%s", outs["table"])
	}
	if !strings.Contains(outs["markdown"], "## Not applicable") || !strings.Contains(outs["markdown"], reason) || strings.Contains(outs["markdown"], "Passing checks") {
		t.Errorf("markdown:\n%s", outs["markdown"])
	}
	if !strings.Contains(outs["json"], `"status": "NOT_APPLICABLE"`) || !strings.Contains(outs["json"], `"not_applicable": 1`) || !strings.Contains(outs["json"], `"pass": 0`) {
		t.Errorf("json:\n%s", outs["json"])
	}
	if !strings.Contains(outs["junit"], `<skipped message="not applicable: `+reason+`">`) {
		t.Errorf("junit:\n%s", outs["junit"])
	}
	log, _ := renderSARIFLog(t, rep, Options{})
	// Not a result (code scanning would open an alert for it), but a note
	// that names the check and says why.
	if r := log.Runs[0].Results; len(r) != 0 {
		t.Errorf("sarif: NOT_APPLICABLE became results %+v", r)
	}
	found := false
	for _, n := range log.Runs[0].Invocations[0].Notifications {
		if n.Level == "note" && strings.Contains(n.Message.Text, "not applicable") && strings.Contains(n.Message.Text, reason) {
			found = true
		}
	}
	if !found {
		t.Errorf("sarif: no note for the NOT_APPLICABLE result: %+v", log.Runs[0].Invocations[0].Notifications)
	}
	if !log.Runs[0].Invocations[0].ExecutionSuccessful {
		t.Error("sarif: NOT_APPLICABLE made the run unsuccessful")
	}
	// Dim with colour; hidden with --quiet, like PASS.
	if c := renderTableString(t, rep, Options{Color: true, Width: 120}); !strings.Contains(c, ansiDim+"NOT APPLICABLE"+ansiReset) || !strings.Contains(c, ansiDim+reason) {
		t.Errorf("not dim:\n%q", c)
	}
	if q := renderTableString(t, rep, Options{Quiet: true}); strings.Contains(q, "NOT APPLICABLE") || strings.Contains(q, reason) {
		t.Errorf("quiet table shows NOT_APPLICABLE:\n%s", q)
	}
}

// NOT_ASSESSED shows once per check and reason, naming how many resources.
func TestNotAssessedOncePerCheckAndReason(t *testing.T) {
	rep := &findings.Report{AccountID: "123456789012",
		Checks: []findings.Check{{ID: "LD-A-01", Title: "A", Severity: findings.High, Section: "IAM Users"}}}
	long := "Not assessed: authorization_details failed (AccessDenied: " + strings.Repeat("a long reason ", 20) + ")."
	for i := 0; i < 40; i++ {
		rep.Results = append(rep.Results, findings.Result{CheckID: "LD-A-01", Severity: findings.High, Status: findings.NotAssessed,
			Resource: findings.Resource{ARN: fmt.Sprintf("arn:aws:iam::123456789012:user/u%02d", i)}, Message: long})
	}
	rep.Results = append(rep.Results, findings.Result{CheckID: "LD-A-01", Severity: findings.High, Status: findings.NotAssessed,
		Resource: findings.Resource{ARN: "arn:aws:iam::123456789012:user/other"}, Message: "Group Ghost is not described."})
	table := renderTableString(t, rep, Options{Width: 200})
	if n := strings.Count(table, "authorization_details failed"); n != 1 {
		t.Errorf("table repeats the reason %d times:\n%s", n, table)
	}
	if !strings.Contains(table, "40 resources") || !strings.Contains(table, "Group Ghost") {
		t.Errorf("table:\n%s", table)
	}
	var buf bytes.Buffer
	if err := Render(&buf, "markdown", rep, Options{}); err != nil {
		t.Fatal(err)
	}
	md := buf.String()
	if n := strings.Count(md, "authorization\\_details failed"); n != 1 {
		t.Errorf("markdown repeats the reason %d times", n)
	}
	if !strings.Contains(md, "40 resources: `arn:aws:iam::123456789012:user/u00`, `arn:aws:iam::123456789012:user/u01`, `arn:aws:iam::123456789012:user/u02`, and 37 more") {
		t.Errorf("markdown:\n%s", md)
	}
}

// The whole Markdown document stays within GitHub's limit for any input:
// huge header fields, hundreds of causes, thousands of NOT_ASSESSED and
// NOT_APPLICABLE rows and passing checks, long evidence; and it says what
// was cut.
func TestMarkdownBudgetCoversEverySection(t *testing.T) {
	big := strings.Repeat("<&|`@x ", 20000)
	rep := &findings.Report{AccountID: big, Partition: big, ToolVersion: big, SnapshotDigest: big}
	for i := 0; i < 300; i++ {
		rep.Incomplete = append(rep.Incomplete, findings.Cause{Source: fmt.Sprintf("s%d", i), Message: big, Checks: []string{"x"}})
	}
	for i := 0; i < 2000; i++ {
		id := fmt.Sprintf("C-%04d", i)
		rep.Checks = append(rep.Checks, findings.Check{ID: id, Title: big, Severity: findings.High, Section: "S", Remediation: big, DocsURL: "https://x.example/" + big})
		for _, st := range []findings.Status{findings.Fail, findings.NotAssessed, findings.NotApplicable, findings.Pass} {
			rep.Results = append(rep.Results, findings.Result{CheckID: id, Severity: findings.High, Status: st,
				Resource: findings.Resource{ARN: big}, Message: fmt.Sprintf("%s %d", big, i),
				Evidence: &findings.Evidence{Items: []string{big}}})
		}
	}
	var buf bytes.Buffer
	if err := Render(&buf, "markdown", rep, Options{}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if n := utf8.RuneCountInString(out); n > markdownLimit || len(out) > markdownLimit {
		t.Errorf("markdown is %d characters (%d bytes), over %d", n, len(out), markdownLimit)
	}
	for _, want := range []string{"Cut to stay within GitHub's limit", "incompleteness causes", "The JSON report has everything", "## Failing checks"} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown lacks %q", want)
		}
	}
	if strings.Count(out, "<details>") != strings.Count(out, "</details>") {
		t.Error("unbalanced <details> blocks")
	}
}

// Evidence: all of it in the Markdown <details> block, in SARIF result
// properties, as is in JSON.
func TestEvidenceInMarkdownAndSARIF(t *testing.T) {
	rep := loadFixture(t, "mixed")
	var buf bytes.Buffer
	if err := Render(&buf, "markdown", rep, Options{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "<details><summary>Evidence (1 result)</summary>") ||
		!strings.Contains(buf.String(), "actions: s3:GetObject, s3:ListBucket\nresources: *\n") {
		t.Errorf("markdown evidence missing:\n%s", buf.String())
	}
	log, _ := renderSARIFLog(t, rep, Options{})
	found := false
	for _, r := range log.Runs[0].Results {
		if ev, ok := r.Properties["evidence"].(map[string]any); ok {
			found = fmt.Sprint(ev["actions"]) == "[s3:GetObject s3:ListBucket]" && fmt.Sprint(ev["contexts"]) == "[access_key session_no_mfa]"
		}
	}
	if !found {
		t.Error("sarif: evidence not in result properties")
	}
}
