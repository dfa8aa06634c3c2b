package cli

import (
	"encoding/json"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/lockdown-dev/lockdown/frameworks"
	"github.com/lockdown-dev/lockdown/internal/findings"
	"github.com/lockdown-dev/lockdown/report"
)

// withFrameworks makes the commands see these frameworks instead of the
// embedded ones, for the length of the test.
func withFrameworks(t *testing.T, texts ...string) []*frameworks.Framework {
	t.Helper()
	var fws []*frameworks.Framework
	for _, text := range texts {
		name := strings.TrimSpace(strings.TrimPrefix(strings.SplitN(text, "\n", 2)[0], "name:"))
		fw, err := frameworks.Parse(name+".yaml", []byte(text))
		if err != nil {
			t.Fatal(err)
		}
		fws = append(fws, fw)
	}
	old := loadFrameworks
	loadFrameworks = func() ([]*frameworks.Framework, error) { return fws, nil }
	t.Cleanup(func() { loadFrameworks = old })
	return fws
}

// Two small frameworks over the guide's checks.
const (
	fwAlpha = `name: fw-alpha
title: Alpha benchmark
version: "1.0"
source: https://example.com/alpha
controls:
  - {id: "1.1", title: Maintain contact details, level: L1, automated: false, reason: "the account settings page is visible to the root user only"}
  - {id: "1.2", title: Root MFA, level: L1, automated: true, checks: [LD-ROOT-01]}
  - {id: "1.3", title: Root hardware MFA and no root keys, level: L2, automated: true, checks: [LD-ROOT-03, LD-ROOT-02]}
`
	fwBeta = `name: fw-beta
title: Beta controls
version: "2026-11"
source: https://example.com/beta
controls:
  - {id: B.1, title: Password policy, level: medium, automated: true, checks: [LD-PWD-01]}
  - {id: B.2, title: Console users have MFA, level: high, automated: true, checks: [LD-MFA-03]}
`
)

func TestAuditFrameworkSectionsInOrderGiven(t *testing.T) {
	withFrameworks(t, fwAlpha, fwBeta)
	out, stderr, code := run(t, "audit", "--snapshot", snapshotPath("root-keys-no-mfa.json"), "--format", "json", "--fail-on", "none",
		"--framework", "fw-beta", "--framework", "FW-ALPHA,fw-beta")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	sch := compile(t, filepath.Join(repoRoot, "report", "schema", "report.schema.json"), "https://lockdown.test/report.schema.json")
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(doc); err != nil {
		t.Errorf("a report with compliance sections does not meet the report schema: %v", err)
	}
	rep := decodeReport(t, out)
	var names []string
	for _, c := range rep.Compliance {
		names = append(names, c.Framework)
	}
	if !reflect.DeepEqual(names, []string{"fw-beta", "fw-alpha"}) {
		t.Fatalf("compliance sections %v, want fw-beta then fw-alpha, each once", names)
	}
	alpha := rep.Compliance[1]
	if alpha.Title != "Alpha benchmark" || alpha.Version != "1.0" || alpha.Source != "https://example.com/alpha" {
		t.Errorf("framework identity: %+v", alpha)
	}
	status := map[string]findings.ControlResult{}
	for _, c := range alpha.Controls {
		status[c.ID] = c
	}
	root := "arn:aws:iam::123456789012:root"
	if c := status["1.1"]; c.Status != findings.ControlManual || !strings.Contains(c.Reason, "root user only") {
		t.Errorf("1.1: %+v", c)
	}
	for _, id := range []string{"1.2", "1.3"} {
		c := status[id]
		if c.Status != findings.ControlFail || len(c.Failing) != 1 || c.Failing[0].ARN != root {
			t.Errorf("%s: root without MFA and with keys: %+v", id, c)
		}
	}
	if c := status["1.3"]; !reflect.DeepEqual(c.Checks, []string{"LD-ROOT-03", "LD-ROOT-02"}) || c.Results.Fail != 2 {
		t.Errorf("1.3 with two failing checks: %+v", c)
	}
	want := findings.ComplianceSummary{Total: 3, Automated: 2, Manual: 1, Fail: 2}
	if alpha.Summary != want {
		t.Errorf("summary %+v, want %+v", alpha.Summary, want)
	}
	for _, c := range rep.Compliance[0].Controls {
		if c.Status != findings.ControlPass {
			t.Errorf("fw-beta %s: %s (%s)", c.ID, c.Status, c.Reason)
		}
	}
}

func TestAuditFrameworkWithSkippedCheck(t *testing.T) {
	withFrameworks(t, fwAlpha)
	out, stderr, code := run(t, "audit", "--snapshot", snapshotPath("cis/cis-clean.json"), "--format", "json",
		"--framework", "fw-alpha", "--skip-check", "LD-ROOT-02")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	rep := decodeReport(t, out)
	got := map[string]findings.ControlResult{}
	for _, c := range rep.Compliance[0].Controls {
		got[c.ID] = c
	}
	if got["1.2"].Status != findings.ControlPass {
		t.Errorf("1.2: %+v", got["1.2"])
	}
	if c := got["1.3"]; c.Status != findings.ControlNotAssessed || !strings.Contains(c.Reason, "LD-ROOT-02") || c.Results.Pass != 1 {
		t.Errorf("1.3 with LD-ROOT-02 skipped must be NOT_ASSESSED naming it: %+v", c)
	}
	if s := rep.Compliance[0].Summary; s.Pass != 1 || s.NotAssessed != 1 || s.Manual != 1 {
		t.Errorf("summary %+v", s)
	}
}

func TestAuditUnknownFramework(t *testing.T) {
	for _, flag := range []string{"cis-aws-9.9", "aws-securityhub,nope", ""} {
		_, stderr, code := run(t, "audit", "--snapshot", snapshotPath("guide-compliant.json"), "--framework", flag)
		if code != ExitInput {
			t.Fatalf("--framework %q: exit %d, want %d: %s", flag, code, ExitInput, stderr)
		}
		if flag != "" && !strings.Contains(stderr, "unknown framework (known: ") {
			t.Errorf("--framework %q: %s", flag, stderr)
		}
	}
	fws, err := frameworks.Load()
	if err != nil {
		t.Fatal(err)
	}
	_, stderr, _ := run(t, "audit", "--snapshot", snapshotPath("guide-compliant.json"), "--framework", "nope")
	for _, fw := range fws {
		if !strings.Contains(stderr, fw.Name) {
			t.Errorf("the error does not list %s: %s", fw.Name, stderr)
		}
	}
}

// Every result and every check carries the controls it decides in every
// embedded framework, with or without --framework; without --framework
// there is no compliance section.
func TestEveryResultNamesItsControls(t *testing.T) {
	fws, err := frameworks.Load()
	if err != nil {
		t.Fatal(err)
	}
	byCheck := frameworks.ControlsByCheck(fws)
	if len(byCheck) == 0 {
		t.Fatal("the embedded frameworks map no check")
	}
	var args [][]string
	base := []string{"audit", "--snapshot", snapshotPath("guide-as-written.json"), "--format", "json", "--fail-on", "none"}
	args = append(args, base)
	withFw := append([]string(nil), base...)
	for _, fw := range fws {
		withFw = append(withFw, "--framework", fw.Name)
	}
	args = append(args, withFw)
	for i, a := range args {
		out, stderr, code := run(t, a...)
		if code != ExitOK {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		rep := decodeReport(t, out)
		if i == 0 && rep.Compliance != nil {
			t.Errorf("a compliance section without --framework")
		}
		if i == 1 && len(rep.Compliance) != len(fws) {
			t.Errorf("%d compliance sections for %d frameworks", len(rep.Compliance), len(fws))
		}
		mapped := 0
		for _, r := range rep.Results {
			if !reflect.DeepEqual(r.Controls, byCheck[r.CheckID]) {
				t.Errorf("%s on %s: controls %v, want %v", r.CheckID, r.Resource.ARN, r.Controls, byCheck[r.CheckID])
			}
			if r.Controls != nil {
				mapped++
			}
		}
		for _, c := range rep.Checks {
			if !reflect.DeepEqual(c.Controls, byCheck[c.ID]) {
				t.Errorf("check %s: controls %v, want %v", c.ID, c.Controls, byCheck[c.ID])
			}
		}
		if mapped == 0 {
			t.Error("no result names a control")
		}
		if !strings.Contains(out, `"controls": {`) {
			t.Error("the JSON report carries no controls object")
		}
	}
}

func TestFrameworksCommand(t *testing.T) {
	withFrameworks(t, fwAlpha, fwBeta)
	out, stderr, code := run(t, "frameworks")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	lines := strings.Split(out, "\n")
	if !strings.HasPrefix(lines[0], "NAME") || !strings.Contains(lines[0], "AUTOMATED") || !strings.Contains(lines[0], "MANUAL") {
		t.Fatalf("header: %q", lines[0])
	}
	if f := strings.Fields(lines[1]); len(f) < 6 || f[0] != "fw-alpha" || f[1] != "1.0" || f[2] != "3" || f[3] != "2" || f[4] != "1" {
		t.Errorf("fw-alpha row: %q", lines[1])
	}
	if f := strings.Fields(lines[2]); len(f) < 6 || f[0] != "fw-beta" || f[2] != "2" || f[3] != "2" || f[4] != "0" {
		t.Errorf("fw-beta row: %q", lines[2])
	}

	out, _, code = run(t, "frameworks", "--format", "json")
	var listing frameworksListing
	if err := json.Unmarshal([]byte(out), &listing); err != nil || code != ExitOK {
		t.Fatalf("exit %d: %v\n%s", code, err, out)
	}
	if len(listing.Frameworks) != 2 || listing.Frameworks[0].Counts != (controlCounts{Total: 3, Automated: 2, Manual: 1}) ||
		listing.Frameworks[1].Source != "https://example.com/beta" {
		t.Errorf("listing: %+v", listing)
	}

	out, _, code = run(t, "frameworks", "FW-Alpha")
	if code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"fw-alpha  Alpha benchmark 1.0", "Controls: 3 (2 automated, 1 manual)",
		"1.1", "manual", "the account settings page is visible to the root user only", "LD-ROOT-03, LD-ROOT-02", "automated"} {
		if !strings.Contains(out, want) {
			t.Errorf("frameworks fw-alpha does not show %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "PASS") || strings.Contains(out, "FAIL") {
		t.Errorf("the mapping carries a status:\n%s", out)
	}
	if i, j := strings.Index(out, "\n1.2 "), strings.Index(out, "\n1.3 "); i < 0 || j < i {
		t.Errorf("controls out of order:\n%s", out)
	}

	out, _, code = run(t, "frameworks", "fw-alpha", "--json")
	var d frameworkDetail
	if err := json.Unmarshal([]byte(out), &d); err != nil || code != ExitOK {
		t.Fatalf("exit %d: %v\n%s", code, err, out)
	}
	want := []controlEntry{
		{ID: "1.1", Title: "Maintain contact details", Level: "L1", Checks: []string{}, Reason: "the account settings page is visible to the root user only"},
		{ID: "1.2", Title: "Root MFA", Level: "L1", Automated: true, Checks: []string{"LD-ROOT-01"}},
		{ID: "1.3", Title: "Root hardware MFA and no root keys", Level: "L2", Automated: true, Checks: []string{"LD-ROOT-03", "LD-ROOT-02"}},
	}
	if d.Name != "fw-alpha" || !reflect.DeepEqual(d.Controls, want) || d.Counts.Manual != 1 {
		t.Errorf("detail: %+v", d)
	}

	for _, args := range [][]string{{"frameworks", "nope"}, {"frameworks", "fw-alpha", "--format", "yaml"}, {"frameworks", "a", "b"}} {
		_, stderr, code := run(t, args...)
		if code != ExitInput {
			t.Errorf("%v: exit %d: %s", args, code, stderr)
		}
	}
	_, stderr, _ = run(t, "frameworks", "nope")
	if !strings.Contains(stderr, "unknown framework (known: fw-alpha, fw-beta)") {
		t.Errorf("unknown framework: %s", stderr)
	}
}

// The embedded frameworks list as they are: every framework, every
// control, in order.
func TestFrameworksCommandOnEmbeddedData(t *testing.T) {
	fws, err := frameworks.Load()
	if err != nil {
		t.Fatal(err)
	}
	out, _, code := run(t, "frameworks", "--json")
	var listing frameworksListing
	if err := json.Unmarshal([]byte(out), &listing); err != nil || code != ExitOK {
		t.Fatalf("exit %d: %v", code, err)
	}
	if len(listing.Frameworks) != len(fws) {
		t.Fatalf("%d frameworks listed, %d embedded", len(listing.Frameworks), len(fws))
	}
	for i, fw := range fws {
		e := listing.Frameworks[i]
		if e.Name != fw.Name || e.Counts.Total != len(fw.Controls) || e.Counts.Automated+e.Counts.Manual != e.Counts.Total {
			t.Errorf("%s: %+v", fw.Name, e)
		}
		out, _, code := run(t, "frameworks", fw.Name, "--json")
		var d frameworkDetail
		if err := json.Unmarshal([]byte(out), &d); err != nil || code != ExitOK {
			t.Fatalf("%s: exit %d: %v", fw.Name, code, err)
		}
		if len(d.Controls) != len(fw.Controls) {
			t.Fatalf("%s: %d of %d controls", fw.Name, len(d.Controls), len(fw.Controls))
		}
		for j, c := range fw.Controls {
			if d.Controls[j].ID != c.ID || d.Controls[j].Automated != c.Automated || !reflect.DeepEqual(d.Controls[j].Checks, append([]string{}, c.Checks...)) {
				t.Errorf("%s control %d: %+v, want %+v", fw.Name, j, d.Controls[j], c)
			}
		}
	}
}

// Framework text reaches the terminal and JSON inert, and JSON keeps the
// exact value.
func TestFrameworksOutputIsInert(t *testing.T) {
	hostile := "Evil \x1b[2J\u202etitle\u2066 \x07\x7f\u0085"
	fws := withFrameworks(t, `name: fw-hostile
title: "Evil \e[2J\u202etitle\u2066 \a\x7f\x85"
version: "1"
source: https://example.com/s
controls:
  - {id: "1.1", title: "t \e]0;x\a", level: L1, automated: false, reason: "r \u202e\n::error::boom"}
  - {id: "1.2", title: t, level: L1, automated: true, checks: [LD-ROOT-01]}
`)
	if fws[0].Title != hostile {
		t.Fatalf("fixture title %q, want %q", fws[0].Title, hostile)
	}
	for _, args := range [][]string{{"frameworks"}, {"frameworks", "--json"}, {"frameworks", "fw-hostile"}, {"frameworks", "fw-hostile", "--json"}} {
		out, stderr, code := run(t, args...)
		if code != ExitOK {
			t.Fatalf("%v: exit %d: %s", args, code, stderr)
		}
		for _, r := range out {
			if (r < 0x20 && r != '\n') || (r >= 0x7f && r < 0xa0) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) {
				t.Errorf("%v: raw control %U in\n%q", args, r, out)
				break
			}
		}
		if strings.Contains(out, "\n::error::") {
			t.Errorf("%v: a line a CI runner would take as a command", args)
		}
		if args[len(args)-1] == "--json" && len(args) == 3 {
			var d frameworkDetail
			if err := json.Unmarshal([]byte(out), &d); err != nil {
				t.Fatal(err)
			}
			if d.Title != hostile || d.Controls[0].Reason != "r \u202e\n::error::boom" {
				t.Errorf("JSON changed the values: %q %q", d.Title, d.Controls[0].Reason)
			}
		}
	}
}

// With compliance sections, the hostile snapshot still reaches no viewer
// raw in any format (the reasons of NOT_ASSESSED controls quote results'
// messages).
func TestHostileSnapshotWithFrameworksIsInert(t *testing.T) {
	fws, err := frameworks.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, format := range report.Formats() {
		args := []string{"audit", "--snapshot", snapshotPath("hostile.json"), "--format", format, "--fail-on", "none", "--allow-incomplete"}
		for _, fw := range fws {
			args = append(args, "--framework", fw.Name)
		}
		out, stderr, code := run(t, args...)
		if code != ExitOK {
			t.Fatalf("%s: exit %d: %s", format, code, stderr)
		}
		for _, r := range out + stderr {
			if (r < 0x20 && r != '\n' && r != '\t') || (r >= 0x7f && r < 0xa0) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) {
				t.Errorf("%s: raw control %U", format, r)
				break
			}
		}
	}
}
