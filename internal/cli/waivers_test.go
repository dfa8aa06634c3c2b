package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/lockdown-dev/lockdown/internal/findings"
	"github.com/lockdown-dev/lockdown/internal/snapshot"
	"github.com/lockdown-dev/lockdown/report"
)

const guideWaivers = "testdata/waivers/guide.yaml"

func writeFile(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func decodeJSONReport(t *testing.T, out string) findings.Report {
	t.Helper()
	var rep findings.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("decoding the report: %v\n%.500s", err, out)
	}
	return rep
}

func resultOf(t *testing.T, rep findings.Report, check, arn string) findings.Result {
	t.Helper()
	for _, r := range rep.Results {
		if r.CheckID == check && r.Resource.ARN == arn {
			return r
		}
	}
	t.Fatalf("no %s result on %s", check, arn)
	return findings.Result{}
}

const (
	acct     = "arn:aws:iam::123456789012:"
	guideAll = "guide-as-written.json"
)

// A malformed waivers file is exit 2 before any work, naming the file,
// the line and the field.
func TestWaiversFileErrors(t *testing.T) {
	dir := t.TempDir()
	head := "schema: lockdown.waivers/v1\nwaivers:\n"
	cases := []struct {
		name, text string
		extra      []string
		want       string
	}{
		{"unknown key", head + "  - check: LD-ADM-03\n    resource: x\n    reason: r\n    owner: o\n    expires: 2027-01-01\n    approver: me\n", nil, ":8: waivers[0].approver: unknown field"},
		{"no owner", head + "  - check: LD-ADM-03\n    resource: x\n    reason: r\n    expires: 2027-01-01\n", nil, ":3: waivers[0].owner: missing"},
		{"no reason", head + "  - check: LD-ADM-03\n    resource: x\n    owner: o\n    expires: 2027-01-01\n", nil, ":3: waivers[0].reason: missing"},
		{"no expiry", head + "  - check: LD-ADM-03\n    resource: x\n    reason: r\n    owner: o\n", nil, ":3: waivers[0].expires: missing"},
		{"too far ahead", head + "  - check: LD-ADM-03\n    resource: x\n    reason: r\n    owner: o\n    expires: 2027-11-28\n", nil, ":3: waivers[0].expires: 2027-11-28 is more than 365 days after 2026-11-27"},
		{"too far for the flag", head + "  - check: LD-ADM-03\n    resource: x\n    reason: r\n    owner: o\n    expires: 2027-01-01\n", []string{"--waiver-max-days", "30"}, "more than 30 days"},
		{"bad max days", head, []string{"--waiver-max-days", "0"}, "--waiver-max-days 0"},
		{"not YAML", "schema: [\n", nil, ":1: did not find"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := writeFile(t, dir, strings.ReplaceAll(c.name, " ", "-")+".yaml", c.text)
			args := append([]string{"audit", "--snapshot", snapshotPath(guideAll), "--format", "json", "--waivers", path}, c.extra...)
			out, stderr, code := run(t, args...)
			if code != ExitInput || !strings.Contains(stderr, c.want) || out != "" {
				t.Errorf("exit %d, stdout %d bytes, stderr %q; want 2 and %q", code, len(out), stderr, c.want)
			}
			if c.name != "bad max days" && !strings.Contains(stderr, path) {
				t.Errorf("stderr does not name the file: %q", stderr)
			}
		})
	}
	// A file that is not there.
	if _, stderr, code := run(t, "audit", "--snapshot", snapshotPath(guideAll), "--waivers", filepath.Join(dir, "nope.yaml")); code != ExitInput || !strings.Contains(stderr, "nope.yaml") {
		t.Errorf("missing file: exit %d %q", code, stderr)
	}
	// At exactly --waiver-max-days it is accepted.
	path := writeFile(t, dir, "edge.yaml", head+"  - check: LD-ADM-03\n    resource: x\n    reason: r\n    owner: o\n    expires: 2027-11-27\n")
	if _, stderr, code := run(t, "audit", "--snapshot", snapshotPath(guideAll), "--format", "json", "--fail-on", "none", "--waivers", path); code != ExitOK {
		t.Errorf("expiry at the limit: exit %d %s", code, stderr)
	}
}

// A waived FAIL stays a FAIL with its waiver and does not count for the
// exit code; an expired waiver is attached, marked expired, and the
// finding counts again; an unused waiver is a warning.
func TestWaiversApply(t *testing.T) {
	out, stderr, code := run(t, "audit", "--snapshot", snapshotPath(guideAll), "--format", "json", "--fail-on", "critical", "--waivers", guideWaivers)
	rep := decodeJSONReport(t, out)
	adm := resultOf(t, rep, "LD-ADM-03", acct+"role/AdminRole")
	if adm.Status != findings.Fail || adm.Waiver == nil || adm.Waiver.Expired || adm.Waiver.Owner != "alice" || adm.Waiver.Expires != "2027-03-01" || adm.Waiver.Line != 4 || adm.Waiver.Ticket == "" {
		t.Errorf("LD-ADM-03: %+v %+v", adm.Status, adm.Waiver)
	}
	pwd := resultOf(t, rep, "LD-PWD-01", acct+"root")
	if pwd.Status != findings.Fail || pwd.Waiver == nil || !pwd.Waiver.Expired {
		t.Errorf("LD-PWD-01: %+v %+v, want the expired waiver", pwd.Status, pwd.Waiver)
	}
	if rep.Summary.Waived != 1 || rep.Summary.Fail != 8 {
		t.Errorf("summary %+v, want 8 failing, 1 waived", rep.Summary)
	}
	// LD-ADM-01 (critical, unwaived) still fails the audit at critical.
	if code != ExitFindings {
		t.Errorf("exit %d, want 1", code)
	}
	for _, want := range []string{"guide.yaml: line 15: check LD-KEY-01 on resource \"arn:aws:iam::123456789012:user/nobody\" matches no failing result",
		"the waiver of LD-PWD-01 on arn:aws:iam::123456789012:root expired on 2026-11-01; the finding counts again"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}

	// Waive every critical failure: nothing at critical counts any more.
	dir := t.TempDir()
	all := writeFile(t, dir, "all.yaml", `schema: lockdown.waivers/v1
waivers:
  - {check: LD-ADM-01, resource: "*", reason: r, owner: o, expires: 2027-01-01}
  - {check: LD-ADM-03, resource: "*", reason: r, owner: o, expires: 2027-01-01}
`)
	if _, stderr, code := run(t, "audit", "--snapshot", snapshotPath(guideAll), "--format", "json", "--fail-on", "critical", "--waivers", all); code != ExitOK {
		t.Errorf("every critical failure waived: exit %d %s", code, stderr)
	}
	// The same waivers expired: they count again.
	expired := writeFile(t, dir, "expired.yaml", strings.ReplaceAll(string(mustRead(t, all)), "2027-01-01", "2026-11-26"))
	if _, stderr, code := run(t, "audit", "--snapshot", snapshotPath(guideAll), "--format", "json", "--fail-on", "critical", "--waivers", expired); code != ExitFindings {
		t.Errorf("every waiver expired: exit %d %s", code, stderr)
	}
	// The expiry day itself is still covered.
	today := writeFile(t, dir, "today.yaml", strings.ReplaceAll(string(mustRead(t, all)), "2027-01-01", "2026-11-27"))
	if _, stderr, code := run(t, "audit", "--snapshot", snapshotPath(guideAll), "--format", "json", "--fail-on", "critical", "--waivers", today); code != ExitOK {
		t.Errorf("waivers expiring on the collection day: exit %d %s", code, stderr)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Waivers never turn NOT_ASSESSED into anything else: the audit stays
// incomplete (exit 4) and the results carry no waiver.
func TestWaiversLeaveNotAssessedAlone(t *testing.T) {
	dir := t.TempDir()
	w := writeFile(t, dir, "w.yaml", `schema: lockdown.waivers/v1
waivers:
  - {check: LD-ADM-01, resource: "*", reason: r, owner: o, expires: 2027-01-01}
  - {check: LD-MFA-01, resource: "*", reason: r, owner: o, expires: 2027-01-01}
`)
	out, stderr, code := run(t, "audit", "--snapshot", snapshotPath("partial-access-denied.json"), "--format", "json", "--fail-on", "none", "--waivers", w)
	if code != ExitIncomplete {
		t.Fatalf("exit %d, want 4: %s", code, stderr)
	}
	rep := decodeJSONReport(t, out)
	n := 0
	for _, r := range rep.Results {
		if r.CheckID != "LD-ADM-01" && r.CheckID != "LD-MFA-01" {
			continue
		}
		if r.Status == findings.NotAssessed {
			n++
		}
		if r.Status != findings.Fail && r.Waiver != nil {
			t.Errorf("%s on %s (%s) carries a waiver", r.CheckID, r.Resource.ARN, r.Status)
		}
	}
	if n == 0 {
		t.Fatal("the partial snapshot has no NOT_ASSESSED LD-ADM-01/LD-MFA-01 results")
	}
}

// A control waiver covers the results that decide that control; a tag
// waiver covers the resources that carry every tag it names.
func TestWaiversByControlAndTag(t *testing.T) {
	dir := t.TempDir()
	snap, _, err := snapshot.Load(snapshotPath(guideAll))
	if err != nil {
		t.Fatal(err)
	}
	for i := range snap.Users {
		if snap.Users[i].Name == "alice" {
			snap.Users[i].Tags = []snapshot.Tag{{Key: "team", Value: "platform"}, {Key: "env", Value: "prod"}}
		}
	}
	data, err := snapshot.Marshal(snap)
	if err != nil {
		t.Fatal(err)
	}
	sp := writeFile(t, dir, "tagged.json", string(data))
	w := writeFile(t, dir, "w.yaml", `schema: lockdown.waivers/v1
waivers:
  - {check: LD-MFA-02, tag: {team: platform}, reason: r, owner: o, expires: 2027-01-01}
  - {check: LD-MFA-01, tag: {team: platform, env: dev}, reason: r, owner: o, expires: 2027-01-01}
  - {control: cis-aws-5.0/1.15, resource: "*", reason: r, owner: o, expires: 2027-01-01}
`)
	out, stderr, _ := run(t, "audit", "--snapshot", sp, "--format", "json", "--fail-on", "none", "--framework", "cis-aws-5.0", "--waivers", w)
	rep := decodeJSONReport(t, out)
	if r := resultOf(t, rep, "LD-MFA-02", acct+"user/alice"); !r.Waived() {
		t.Errorf("LD-MFA-02 on alice (team=platform) not waived: %+v", r.Waiver)
	}
	if r := resultOf(t, rep, "LD-MFA-01", acct+"user/alice"); r.Waiver != nil {
		t.Errorf("LD-MFA-01 on alice waived though env is prod: %+v", r.Waiver)
	}
	if r := resultOf(t, rep, "LD-POL-01", acct+"policy/AdminPolicy"); !r.Waived() || r.Waiver.Control != "cis-aws-5.0/1.15" {
		t.Errorf("LD-POL-01 (cis-aws-5.0 1.15) not waived by the control: %+v", r.Waiver)
	}
	for _, r := range rep.Results {
		if r.Waived() && r.CheckID != "LD-MFA-02" && r.CheckID != "LD-POL-01" {
			t.Errorf("%s on %s waived", r.CheckID, r.Resource.ARN)
		}
	}
	if !strings.Contains(stderr, "line 4: check LD-MFA-01 on tag env=dev,team=platform matches no failing result") {
		t.Errorf("stderr: %s", stderr)
	}
}

// Waiver text is account data: terminal escapes, CI commands, markup and
// bidi overrides in a reason or owner reach no format raw, and the
// renderers' escaping keeps the waiver readable.
func TestHostileWaiverTextIsInert(t *testing.T) {
	dir := t.TempDir()
	w := writeFile(t, dir, "w.yaml", "schema: lockdown.waivers/v1\nwaivers:\n"+
		"  - check: LD-ADM-03\n    resource: \"*\"\n"+
		"    reason: \"ok\\e[31m red \\u202e gnp.exe <script>alert(1)</script> | a | @octocat\\n::error::pwned\"\n"+
		"    owner: \"mallory\\u0007\\r\\n##vso[task.setvariable]x\"\n    expires: 2027-01-01\n"+
		"    ticket: \"javascript:alert(1)\\u2066\"\n")
	ciCommand := regexp.MustCompile(`(?m)^\s*(::|##vso\[|##teamcity\[)`)
	// The hostile snapshot's own names go through the waivers too.
	for _, combo := range hostileCombos() {
		snap, format := combo[0], combo[1]
		t.Run(snap+"/"+format, func(t *testing.T) {
			out, stderr, code := run(t, "audit", "--snapshot", snapshotPath(snap), "--format", format, "--fail-on", "none", "--allow-incomplete", "--waivers", w)
			if code != ExitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if !strings.Contains(out, "mallory") {
				t.Fatalf("%s: the waiver does not show", format)
			}
			for _, text := range []struct{ name, s string }{{"stdout", out}, {"stderr", stderr}} {
				if !utf8.ValidString(text.s) {
					t.Errorf("%s: invalid UTF-8", text.name)
				}
				for _, r := range text.s {
					if (r < 0x20 && r != '\n' && r != '\t') || (r >= 0x7f && r < 0xa0) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) {
						t.Errorf("%s: raw control %U", text.name, r)
						break
					}
				}
				if m := ciCommand.FindString(text.s); m != "" {
					t.Errorf("%s: a line a CI runner would take as a command: %q", text.name, m)
				}
			}
			switch format {
			case "markdown":
				// Code blocks and spans show their text literally (the
				// hostile snapshot's names are in them); prose must not.
				prose := regexp.MustCompile("(?s)```text\n.*?\n```").ReplaceAllString(out, "")
				prose = regexp.MustCompile("`` .*? ``").ReplaceAllString(prose, "")
				if strings.Contains(prose, "<script") || regexp.MustCompile(`(^|[^\w\x{200d}])@octocat`).MatchString(prose) {
					t.Errorf("markdown: raw HTML or a live mention")
				}
			case "junit":
				if strings.Contains(out, "<script") {
					t.Errorf("junit: raw markup")
				}
			}
		})
	}
}

func hostileCombos() [][2]string {
	var out [][2]string
	for _, snap := range []string{guideAll, "hostile.json"} {
		for _, f := range report.Formats() {
			out = append(out, [2]string{snap, f})
		}
	}
	return out
}
