package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/lockdown-dev/lockdown/internal/findings"
)

// waiverReport has a waived failure, one whose waiver expired, a new and a
// known failure, a NOT_ASSESSED result and a fixed finding.
func waiverReport() *findings.Report {
	res := func(id, arn string, st findings.Status) findings.Result {
		return findings.Result{CheckID: id, Title: id + " title", Severity: findings.High, Status: st,
			Resource: findings.Resource{ARN: arn, Type: "AWS::IAM::Role", Name: arn[strings.LastIndex(arn, "/")+1:]},
			Message:  id + " message.", Fingerprint: id + "-fp"}
	}
	waived := res("LD-A-01", "arn:aws:iam::123456789012:role/BreakGlass", findings.Fail)
	waived.Waiver = &findings.Waiver{Check: "LD-A-01", Resource: "arn:aws:iam::123456789012:role/Break*", Reason: "break-glass role",
		Owner: "alice", Expires: "2027-03-01", Ticket: "SEC-1", Line: 4}
	waived.Baseline = findings.BaselineKnown
	expired := res("LD-A-02", "arn:aws:iam::123456789012:role/Old", findings.Fail)
	expired.Waiver = &findings.Waiver{Check: "LD-A-02", Resource: "*", Reason: "rollout", Owner: "bob", Expires: "2026-01-01", Line: 9, Expired: true}
	expired.Baseline = findings.BaselineNew
	known := res("LD-A-03", "arn:aws:iam::123456789012:role/Known", findings.Fail)
	known.Baseline = findings.BaselineKnown
	na := res("LD-A-04", "arn:aws:iam::123456789012:role/NA", findings.NotAssessed)
	na.Baseline = findings.BaselineKnown
	fixed := res("LD-A-05", "arn:aws:iam::123456789012:role/Gone", findings.Fail)
	rep := &findings.Report{Schema: findings.ReportSchemaV1, AccountID: "123456789012", Complete: true,
		BaselineDigest: "sha256:" + strings.Repeat("0", 64),
		Results:        []findings.Result{waived, expired, known, na}, Fixed: []findings.Result{fixed}}
	rep.Summary = findings.Summarize(rep.Results)
	return rep
}

func renderWaivers(t *testing.T, format string, rep *findings.Report) string {
	t.Helper()
	var buf bytes.Buffer
	if err := Render(&buf, format, rep, Options{Width: 200}); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestStatusText(t *testing.T) {
	rep := waiverReport()
	for i, want := range []string{
		"FAIL (known; waived until 2027-03-01 by alice: break-glass role)",
		"FAIL (new; waiver expired 2026-01-01 (bob: rollout), counts again)",
		"FAIL (known)",
		"NOT ASSESSED", // baseline and waivers add nothing to a result that is not a FAIL
	} {
		if got := statusText(rep.Results[i]); got != want {
			t.Errorf("result %d: %q, want %q", i, got, want)
		}
	}
	if got := statusText(findings.Result{Status: findings.Fail}); got != "FAIL" {
		t.Errorf("a plain failure: %q", got)
	}
	if s := findings.Summarize(rep.Results); s.Waived != 1 || s.Fail != 3 {
		t.Errorf("summary %+v: want 3 failing, 1 waived", s)
	}
}

func TestWaiversInEveryFormat(t *testing.T) {
	rep := waiverReport()
	for format, wants := range map[string][]string{
		"table":    {"FAIL (known, waived)", "Waived until 2027-03-01 by alice: break-glass role.", "FAIL (new, waiver expired)", "Fixed since the baseline (1)", "LD-A-05 arn:aws:iam::123456789012:role/Gone", "1 waived, 1 expired waiver; 1 new, 2 known, 1 fixed since the baseline"},
		"markdown": {"**FAIL (known; waived until 2027-03-01 by alice: break-glass role)**", "## Fixed since the baseline (1)", "**FAIL (new; waiver expired 2026-01-01 (bob: rollout), counts again)**"},
		"junit":    {`<skipped message="FAIL (known; waived until 2027-03-01 by alice: break-glass role): LD-A-01 message."`, `<failure message="FAIL (new; waiver expired 2026-01-01 (bob: rollout), counts again): LD-A-02 message."`},
		"json":     {`"waived": 1`, `"expired": true`, `"baseline": "new"`, `"fixed": [`, `"baseline_snapshot_digest"`},
	} {
		out := renderWaivers(t, format, rep)
		for _, w := range wants {
			if !strings.Contains(out, w) {
				t.Errorf("%s lacks %q:\n%s", format, w, out)
			}
		}
	}
	// JUnit: the waived failure is skipped, not failed; the expired one fails.
	out := renderWaivers(t, "junit", rep)
	if strings.Count(out, "<failure ") != 2 {
		t.Errorf("junit: %d failures, want 2 (expired and known)", strings.Count(out, "<failure "))
	}
}

func TestSARIFSuppressions(t *testing.T) {
	_, raw := renderSARIFLog(t, waiverReport(), Options{})
	var log struct {
		Runs []struct {
			Results []struct {
				RuleID        string `json:"ruleId"`
				BaselineState string `json:"baselineState"`
				Message       struct{ Text string }
				Suppressions  []struct {
					Kind, Status, Justification string
				} `json:"suppressions"`
				Properties map[string]any `json:"properties"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(raw, &log); err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, r := range log.Runs[0].Results {
		got[r.RuleID]++
		switch r.RuleID {
		case "LD-A-01":
			if len(r.Suppressions) != 1 || r.Suppressions[0].Kind != "external" || r.Suppressions[0].Status != "accepted" ||
				r.Suppressions[0].Justification != "break-glass role (owner alice, expires 2027-03-01, ticket SEC-1)" {
				t.Errorf("waived: suppressions %+v", r.Suppressions)
			}
			if r.BaselineState != "unchanged" || !strings.Contains(r.Message.Text, "waived until 2027-03-01 by alice") || r.Properties["waiver"] == nil {
				t.Errorf("waived: %+v", r)
			}
		case "LD-A-02":
			if len(r.Suppressions) != 0 || r.BaselineState != "new" || !strings.Contains(r.Message.Text, "waiver expired 2026-01-01") {
				t.Errorf("expired: %+v", r)
			}
		case "LD-A-03":
			if len(r.Suppressions) != 0 || r.BaselineState != "unchanged" {
				t.Errorf("known: %+v", r)
			}
		}
	}
	if got["LD-A-01"] != 1 || got["LD-A-02"] != 1 || got["LD-A-03"] != 1 || got["LD-A-04"] != 0 {
		t.Errorf("results by rule: %v", got)
	}
}

// Waiver text goes through each medium's escaping.
func TestHostileWaiverText(t *testing.T) {
	rep := waiverReport()
	rep.Results[0].Waiver.Reason = "x\x1b[31m <b>bold</b> | pipe \u202e @octocat\n::error::pwned"
	rep.Results[0].Waiver.Owner = "eve\r\n##vso[task]"
	for _, format := range Formats() {
		out := renderWaivers(t, format, rep)
		if strings.ContainsAny(out, "\x1b\u202e\r") {
			t.Errorf("%s: a raw control character", format)
		}
		for _, line := range strings.Split(out, "\n") {
			if l := strings.TrimSpace(line); strings.HasPrefix(l, "::") || strings.HasPrefix(l, "##vso[") {
				t.Errorf("%s: a CI command line %q", format, line)
			}
		}
		switch format {
		case "markdown":
			if strings.Contains(out, "<b>") || strings.Contains(out, " @octocat") || (strings.Contains(out, "| pipe") && !strings.Contains(out, `\| pipe`)) {
				t.Errorf("markdown: markup, a mention or a table break from a waiver:\n%s", out)
			}
		case "junit":
			if _, err := parseXML([]byte(out)); err != nil {
				t.Errorf("junit: %v", err)
			}
			if strings.Contains(out, "<b>") {
				t.Error("junit: raw markup")
			}
		}
	}
}
